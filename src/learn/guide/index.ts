export { parseGuide, loadGuide, defaultGuidePath, guideFlashcards, bankFlashcards, markdownLinks, GuideParseError, GUIDE_PARTS, type ParseGuideOptions } from "./parse.js";
