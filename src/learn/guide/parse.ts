/**
 * Parses guide/INTERVIEW_GUIDE.md into GuideEntry objects and turns guide entries and quiz items
 * into flashcards.
 *
 * The guide's format, per question:
 *
 *   ### How does Delta time travel work?
 *   <!-- id: delta-time-travel | concept: delta | difficulty: medium | exam: DE Associate — … -->
 *   **Say it in 30 seconds:** …
 *   **Deeper:** … (lists, code blocks)
 *   **Follow-ups:** …
 *   **Common mistakes:** …
 *   **Docs:** [title](url) · [title](url)
 *   **See it run:** [notebook](…) · [lesson](…)
 *
 * `## ` headings group questions by concept and end the previous entry. Fenced code blocks are
 * skipped when looking for headings and labels, so a `### ` or `**Docs:**` inside code is content.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONCEPTS, type Difficulty, type Flashcard, type GuideEntry, type QuizItem, type Topic } from "../types.js";

export class GuideParseError extends Error {
  constructor(readonly problems: { line: number; message: string }[]) {
    super(`The interview guide could not be parsed (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.slice(0, 20).map((p) => `  line ${p.line}: ${p.message}`).join("\n")}`);
    this.name = "GuideParseError";
  }
}

/** The bold labels, in the order the guide uses them, and the GuideEntry field each fills. */
export const GUIDE_PARTS = [
  { label: "Say it in 30 seconds", field: "sayIt" },
  { label: "Deeper", field: "deeper" },
  { label: "Follow-ups", field: "followUps" },
  { label: "Common mistakes", field: "mistakes" },
  { label: "Docs", field: "docs" },
  { label: "See it run", field: "seeItRun" },
] as const;

type PartField = (typeof GUIDE_PARTS)[number]["field"];

export interface ParseGuideOptions {
  /**
   * true (default): any missing tag field or part, unknown concept or difficulty, or duplicate id
   * throws a GuideParseError listing every problem with its line. false: entries without a
   * usable tag line are skipped and missing parts are empty.
   */
  strict?: boolean;
}

const LABEL_RE = /^\*\*([^*]+?):\*\*\s?(.*)$/;
const TAG_RE = /^<!--\s*(.*?)\s*-->\s*$/;
const FENCE_RE = /^\s*(```+|~~~+)/;
const TOPICS = new Set<string>([...CONCEPTS, "cross-cutting"]);
const DIFFICULTIES = new Set<string>(["easy", "medium", "hard"]);

/** Markdown link targets of `text`, in order ("[title](url)" → url). */
export function markdownLinks(text: string): string[] {
  const out: string[] = [];
  const re = /\[(?:[^[\]\\]|\\.|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!);
  return out;
}

function parseTag(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.split("|")) {
    const i = part.indexOf(":");
    if (i < 0) continue;
    out[part.slice(0, i).trim().toLowerCase()] = part.slice(i + 1).trim();
  }
  return out;
}

interface RawEntry {
  line: number;
  question: string;
  tag?: Record<string, string>;
  tagLine?: number;
  parts: Map<string, { line: number; lines: string[] }>;
  preamble: string[];
}

export function parseGuide(markdown: string, opts: ParseGuideOptions = {}): GuideEntry[] {
  const strict = opts.strict ?? true;
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const raws: RawEntry[] = [];
  let cur: RawEntry | undefined;
  let part: { line: number; lines: string[] } | undefined;
  let fence: string | undefined;
  const problems: { line: number; message: string }[] = [];

  lines.forEach((text, i) => {
    const lineNo = i + 1;
    if (fence) {
      if (text.trim().startsWith(fence)) fence = undefined;
      part?.lines.push(text);
      return;
    }
    const f = FENCE_RE.exec(text);
    if (f) {
      fence = f[1]!;
      if (part) part.lines.push(text);
      else cur?.preamble.push(text);
      return;
    }
    if (/^##\s/.test(text) && !/^###\s/.test(text)) {
      cur = undefined;
      part = undefined;
      return;
    }
    const h = /^###\s+(.*?)\s*#*\s*$/.exec(text);
    if (h) {
      cur = { line: lineNo, question: h[1]!, parts: new Map(), preamble: [] };
      raws.push(cur);
      part = undefined;
      return;
    }
    if (!cur) return;
    const tag = TAG_RE.exec(text.trim());
    if (tag && !part && !cur.tag && /\bid\s*:/.test(tag[1]!)) {
      cur.tag = parseTag(tag[1]!);
      cur.tagLine = lineNo;
      return;
    }
    const label = LABEL_RE.exec(text);
    if (label && GUIDE_PARTS.some((p) => p.label.toLowerCase() === label[1]!.trim().toLowerCase())) {
      const name = GUIDE_PARTS.find((p) => p.label.toLowerCase() === label[1]!.trim().toLowerCase())!.label;
      if (cur.parts.has(name)) problems.push({ line: lineNo, message: `"**${name}:**" appears twice in "${cur.question}"` });
      part = { line: lineNo, lines: label[2] ? [label[2]] : [] };
      cur.parts.set(name, part);
      return;
    }
    if (part) part.lines.push(text);
    else if (text.trim()) cur.preamble.push(text);
  });

  const entries: GuideEntry[] = [];
  const ids = new Map<string, number>();
  for (const r of raws) {
    const where = `"${r.question}"`;
    if (!r.tag) {
      if (strict) problems.push({ line: r.line, message: `${where} has no "<!-- id: … | concept: … | difficulty: … | exam: … -->" line under its heading` });
      continue;
    }
    const tagLine = r.tagLine ?? r.line;
    const id = r.tag["id"] ?? "";
    const concept = r.tag["concept"] ?? "";
    const difficulty = r.tag["difficulty"] ?? "";
    const exam = r.tag["exam"] ?? "";
    let usable = true;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
      problems.push({ line: tagLine, message: `${where}: id "${id}" must be kebab-case` });
      usable = false;
    } else if (ids.has(id)) {
      problems.push({ line: tagLine, message: `duplicate id "${id}" (first used on line ${ids.get(id)})` });
      usable = false;
    } else ids.set(id, tagLine);
    if (!TOPICS.has(concept)) {
      problems.push({ line: tagLine, message: `${where}: concept "${concept}" is not one of ${[...TOPICS].join(", ")}` });
      usable = false;
    }
    if (!DIFFICULTIES.has(difficulty)) {
      problems.push({ line: tagLine, message: `${where}: difficulty "${difficulty}" must be easy, medium or hard` });
      usable = false;
    }
    if (!exam && strict) problems.push({ line: tagLine, message: `${where}: the tag line has no exam` });
    const text: Partial<Record<PartField, string>> = {};
    for (const p of GUIDE_PARTS) {
      const got = r.parts.get(p.label);
      const body = got ? got.lines.join("\n").trim() : "";
      if (!body && strict) problems.push({ line: got?.line ?? r.line, message: `${where} has no "**${p.label}:**" part${got ? " (it is empty)" : ""}` });
      text[p.field] = body;
    }
    if (r.preamble.length && strict) problems.push({ line: r.line + 1, message: `${where}: text before the first bold label is not part of any section` });
    const docs = markdownLinks(text.docs ?? "");
    if (strict && text.docs && docs.length === 0) problems.push({ line: r.parts.get("Docs")!.line, message: `${where}: "**Docs:**" has no [title](url) links` });
    if (!usable) continue;
    entries.push({
      id, concept: concept as Topic, difficulty: difficulty as Difficulty, exam, question: r.question,
      sayIt: text.sayIt ?? "", deeper: text.deeper ?? "", followUps: text.followUps ?? "", mistakes: text.mistakes ?? "",
      docs, seeItRun: text.seeItRun ?? "",
    });
  }
  if (strict && problems.length) throw new GuideParseError(problems.sort((a, b) => a.line - b.line));
  return entries;
}

/** <repo>/guide/INTERVIEW_GUIDE.md. */
export function defaultGuidePath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../../guide/INTERVIEW_GUIDE.md");
}

/** Reads and parses the guide file (strict). */
export function loadGuide(path: string = defaultGuidePath(), opts: ParseGuideOptions = {}): GuideEntry[] {
  return parseGuide(readFileSync(path, "utf8"), opts);
}

/** One card per guide entry: the question on the front, the 30-second answer on the back. */
export function guideFlashcards(entries: readonly GuideEntry[]): Flashcard[] {
  return entries.map((e) => ({ id: e.id, concept: e.concept, front: e.question, back: e.sayIt, source: "guide" as const }));
}

function choiceList(choices: readonly string[]): string {
  return choices.map((c, i) => `${String.fromCharCode(65 + i)}. ${c}`).join("\n");
}

/**
 * One card per quiz item. Front: the prompt (with the choices for choice questions). Back: the
 * answer, then the explanation.
 */
export function bankFlashcards(items: readonly QuizItem[]): Flashcard[] {
  return items.map((item) => {
    let front = item.prompt.trim();
    let answer: string;
    switch (item.type) {
      case "single":
        front += `\n\n${choiceList(item.choices)}`;
        answer = `**Answer:** ${String.fromCharCode(65 + item.answer)}. ${item.choices[item.answer]}`;
        break;
      case "multiple":
        front += `\n\n${choiceList(item.choices)}\n\n(Choose all that apply.)`;
        answer = `**Answers:**\n${[...item.answers].sort((a, b) => a - b).map((a) => `- ${String.fromCharCode(65 + a)}. ${item.choices[a]}`).join("\n")}`;
        break;
      case "truefalse":
        front += "\n\n(True or false?)";
        answer = `**${item.answer ? "True" : "False"}.**`;
        break;
      case "ordering":
        front += `\n\n(Put in order: ${[...item.steps].sort().join("; ")})`;
        answer = `**Order:**\n${item.steps.map((s, i) => `${i + 1}. ${s}`).join("\n")}`;
        break;
      case "free":
        answer = `${item.reference.trim()}\n\n**Key points:**\n${item.keyPoints.map((k) => `- ${k}`).join("\n")}`;
        break;
    }
    return { id: item.id, concept: item.concept, front, back: `${answer}\n\n${item.explanation.trim()}`, source: "bank" as const };
  });
}
