/**
 * Reads guide/INTERVIEW_GUIDE.md into sections and Q&A entries, keeping marked's tokens so the
 * site can render each part. Layout of the file:
 *
 *   # Title            intro paragraphs and lists (how to use the guide, product renames)
 *   ## Delta Lake (01 delta)              one section per concept, then "## Cross-cutting ..."
 *   ### Question?                         one entry per question
 *   <!-- id: delta-x | concept: delta | difficulty: easy | exam: DE Associate — ... -->
 *   **Say it in 30 seconds:** ...   **Deeper:** ...   **Follow-ups:** ...   **Common mistakes:** ...
 *   **Docs:** ...   **See it run:** ...
 *
 * Headings inside fenced code ("# resources/pipeline.yml") are not headings: marked's lexer
 * already knows that, which is why this works on tokens rather than lines.
 */
import type { Token, Tokens } from "marked";
import { CONCEPTS, type Concept, type Difficulty, type Topic } from "../learn/types.js";
import { safeId, slugify } from "./html.js";
import { plainText } from "./markdown.js";

export interface GuideQA {
  id: string;
  topic: Topic;
  difficulty: Difficulty;
  exam: string;
  /** The question heading's inline tokens and its plain text. */
  heading: Token[];
  question: string;
  /** Everything between the id tag and the next question or section. */
  body: Token[];
}

export interface GuideSection {
  /** Heading text without the "(01 delta)" suffix. */
  title: string;
  /** Heading text as written. */
  heading: string;
  /** The section's concept, "cross-cutting", or undefined for a section that is neither. */
  topic: Topic | undefined;
  /** Page key: the topic, or a slug of the title. */
  key: string;
  intro: Token[];
  entries: GuideQA[];
}

export interface GuideDoc {
  title: string;
  intro: Token[];
  sections: GuideSection[];
}

/** The bold-labelled parts of an answer, in order; the label paragraph is the first token. */
export interface AnswerPart {
  label: string;
  tokens: Token[];
}

const DIFFICULTIES: readonly Difficulty[] = ["easy", "medium", "hard"];

function isConcept(value: string): value is Concept {
  return (CONCEPTS as readonly string[]).includes(value);
}

/** Parses `<!-- id: x | concept: y | ... -->` into a key → value map; undefined if not such a tag. */
export function parseIdTag(html: string): Record<string, string> | undefined {
  const m = html.trim().match(/^<!--([\s\S]*?)-->$/);
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1]!.split("|")) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    fields[part.slice(0, colon).trim().toLowerCase()] = part.slice(colon + 1).trim();
  }
  return fields["id"] ? fields : undefined;
}

function sectionTopic(heading: string): { title: string; topic: Topic | undefined } {
  const m = heading.match(/^(.*?)\s*\((\d{1,2})\s+([a-z-]+)\)\s*$/);
  if (m) {
    const slug = m[3]!;
    const byNumber = CONCEPTS[Number(m[2]) - 1];
    return { title: m[1]!, topic: isConcept(slug) ? slug : byNumber };
  }
  if (/cross[- ]cutting/i.test(heading)) return { title: heading, topic: "cross-cutting" };
  return { title: heading, topic: undefined };
}

export function readGuide(tokens: Token[]): GuideDoc {
  const doc: GuideDoc = { title: "Interview guide", intro: [], sections: [] };
  let section: GuideSection | undefined;
  let entry: GuideQA | undefined;
  let expectTag = false;

  for (const token of tokens) {
    if (token.type === "heading") {
      const h = token as Tokens.Heading;
      if (h.depth === 1 && !section) {
        doc.title = plainText(h.tokens);
        continue;
      }
      if (h.depth === 2) {
        const heading = plainText(h.tokens);
        const { title, topic } = sectionTopic(heading);
        section = { title, heading, topic, key: topic ?? (slugify(title) || "section"), intro: [], entries: [] };
        doc.sections.push(section);
        entry = undefined;
        expectTag = false;
        continue;
      }
      if (h.depth === 3 && section) {
        const question = plainText(h.tokens);
        entry = {
          id: slugify(question),
          topic: section.topic ?? "cross-cutting",
          difficulty: "medium",
          exam: "",
          heading: h.tokens,
          question,
          body: [],
        };
        section.entries.push(entry);
        expectTag = true;
        continue;
      }
    }
    if (expectTag && entry) {
      if (token.type === "space") continue;
      expectTag = false;
      const fields = token.type === "html" ? parseIdTag(token.raw) : undefined;
      if (fields) {
        entry.id = safeId(fields["id"]!);
        const concept = fields["concept"] ?? "";
        if (concept === "cross-cutting" || isConcept(concept)) entry.topic = concept;
        const difficulty = fields["difficulty"] as Difficulty;
        if (DIFFICULTIES.includes(difficulty)) entry.difficulty = difficulty;
        entry.exam = fields["exam"] ?? "";
        continue;
      }
    }
    if (entry) entry.body.push(token);
    else if (section) section.intro.push(token);
    else doc.intro.push(token);
  }

  // A section without a "(NN slug)" suffix takes its topic from its questions.
  for (const s of doc.sections) {
    if (s.topic === undefined && s.entries.length > 0) {
      s.topic = s.entries[0]!.topic;
      s.key = s.topic;
    }
  }
  return doc;
}

/** Label of a paragraph that starts with `**Label:**`, else undefined. */
function partLabel(token: Token): string | undefined {
  if (token.type !== "paragraph") return undefined;
  const first = (token as Tokens.Paragraph).tokens[0];
  if (!first || first.type !== "strong") return undefined;
  const text = plainText((first as Tokens.Strong).tokens);
  return text.endsWith(":") ? text.slice(0, -1).trim() : undefined;
}

/** Groups an answer body into its bold-labelled parts (text before the first label is part ""). */
export function answerParts(body: Token[]): AnswerPart[] {
  const parts: AnswerPart[] = [];
  for (const token of body) {
    const label = partLabel(token);
    if (label !== undefined || parts.length === 0) parts.push({ label: label ?? "", tokens: [] });
    parts[parts.length - 1]!.tokens.push(token);
  }
  return parts.filter((p) => p.tokens.some((t) => t.type !== "space"));
}
