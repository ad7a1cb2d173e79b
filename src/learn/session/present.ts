/**
 * Showing an item without its answer, and reading a learner's answer typed as text.
 *
 * Choices and ordering steps are labelled A, B, C… as the graders' feedback names them (letters
 * in either case and numbers 1, 2, 3… are accepted as answers).
 * Ordering steps are shown in a shuffled order that depends only on the item id (and an optional
 * seed), so `ask` and `ask --answer` in two separate runs, or an assignment file and its grader,
 * agree on what "b" means. The resulting Answer uses the bank's convention: for ordering, the
 * learner's sequence of indexes into `steps` (the correct answer is 0, 1, 2, …).
 */
import type { Answer, QuizItem } from "../types.js";
import { seededRng, shuffle } from "./random.js";

export interface PresentedItem {
  id: string;
  concept: string;
  difficulty: string;
  type: QuizItem["type"];
  exam?: string;
  prompt: string;
  /** single / multiple: the choices, in bank order. */
  choices?: string[];
  /** ordering: the steps, shuffled (answer with their letters in the right order). */
  steps?: string[];
  /** How to answer, in one line. */
  answerFormat: string;
}

/** `shown[i] = steps[perm[i]]`; never the identity for two or more steps. */
export function stepPermutation(stepCount: number, id: string, seed = ""): number[] {
  const idx = Array.from({ length: stepCount }, (_, i) => i);
  if (stepCount < 2) return idx;
  const rng = seededRng(`${seed}|${id}`);
  for (let attempt = 0; attempt < 10; attempt++) {
    const p = shuffle(idx, rng);
    if (p.some((v, i) => v !== i)) return p;
  }
  return [...idx.slice(1), 0];
}

export function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

export function answerFormat(item: QuizItem): string {
  switch (item.type) {
    case "single":
      return "one letter, e.g. B";
    case "multiple":
      return "all correct letters, e.g. A,C";
    case "truefalse":
      return "true or false";
    case "ordering":
      return "the letters in the right order, e.g. C,A,B";
    case "free":
      return "free text; then mark the key points you covered";
  }
}

export function presentItem(item: QuizItem, seed = ""): PresentedItem {
  const p: PresentedItem = { id: item.id, concept: item.concept, difficulty: item.difficulty, type: item.type, prompt: item.prompt, answerFormat: answerFormat(item) };
  if (item.exam) p.exam = item.exam;
  if (item.type === "single" || item.type === "multiple") p.choices = [...item.choices];
  if (item.type === "ordering") p.steps = stepPermutation(item.steps.length, item.id, seed).map((i) => item.steps[i]!);
  return p;
}

export class AnswerFormatError extends Error {
  override name = "AnswerFormatError";
}

/** "B", "b", "2", "A,C", "a c", "ac", "1,3" → 0-based indexes, checked against `count`. */
export function parseChoiceList(text: string, count: number): number[] {
  const t = text.trim().toLowerCase();
  if (t === "") throw new AnswerFormatError("empty answer");
  const tokens = /^[a-z]+$/.test(t) ? t.split("") : t.split(/[\s,;]+/).filter(Boolean);
  return tokens.map((tok) => {
    let i: number;
    if (/^[a-z]$/.test(tok)) i = tok.charCodeAt(0) - 97;
    else if (/^\d+$/.test(tok)) i = Number(tok) - 1;
    else throw new AnswerFormatError(`"${tok}" is not a choice letter or number`);
    if (i < 0 || i >= count) throw new AnswerFormatError(`choice "${tok}" is out of range (there are ${count})`);
    return i;
  });
}

/** Maps the learner's order of *shown* step positions to the bank's step indexes. */
export function shownOrderToAnswer(stepCount: number, id: string, shownOrder: number[], seed = ""): number[] {
  const perm = stepPermutation(stepCount, id, seed);
  return shownOrder.map((i) => perm[i]!);
}

export function parseAnswerText(item: QuizItem, text: string, seed = ""): Answer {
  switch (item.type) {
    case "single": {
      const [i, ...rest] = parseChoiceList(text, item.choices.length);
      if (rest.length > 0) throw new AnswerFormatError("give exactly one choice");
      return i!;
    }
    case "multiple":
      return [...new Set(parseChoiceList(text, item.choices.length))].sort((a, b) => a - b);
    case "truefalse": {
      const t = text.trim().toLowerCase();
      if (["true", "t", "yes", "y"].includes(t)) return true;
      if (["false", "f", "no", "n"].includes(t)) return false;
      throw new AnswerFormatError("answer true or false");
    }
    case "ordering": {
      const order = parseChoiceList(text, item.steps.length);
      if (order.length !== item.steps.length || new Set(order).size !== order.length) throw new AnswerFormatError(`give each of the ${item.steps.length} steps exactly once`);
      return shownOrderToAnswer(item.steps.length, item.id, order, seed);
    }
    case "free":
      if (text.trim() === "") throw new AnswerFormatError("empty answer");
      return text;
  }
}

/** The correct answer, written for a human (after answering). */
export function describeCorrect(item: QuizItem): string {
  switch (item.type) {
    case "single":
      return `${letter(item.answer)}. ${item.choices[item.answer] ?? ""}`;
    case "multiple":
      return [...item.answers].sort((a, b) => a - b).map((i) => `${letter(i)}. ${item.choices[i] ?? ""}`).join("; ");
    case "truefalse":
      return item.answer ? "true" : "false";
    case "ordering":
      return item.steps.map((s, i) => `${i + 1}. ${s}`).join("  ");
    case "free":
      return item.reference;
  }
}

/** Markdown-light text for terminals: no ** or __ markers, no runs of blank lines. */
export function plainText(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/__(.+?)__/g, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A grader's feedback without its own "Correct." / "Not quite:" opener, for under a verdict headline. */
export function feedbackBody(feedback: string): string {
  const t = plainText(feedback).replace(/^(Correct order|Correct|Not quite)\s*[.:]\s*/, "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}
