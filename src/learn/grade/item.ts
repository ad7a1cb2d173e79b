/**
 * Grades one quiz answer. The answer shapes (the `Answer` type of the contract):
 *
 *   single     number        index of the chosen choice
 *   multiple   number[]      indexes of the chosen choices; partial credit: each right pick
 *                             +1/k, each wrong pick −1/k (k = number of right choices), floor 0
 *   truefalse  boolean
 *   ordering   number[]      the learner's order, as indexes into item.steps (item.steps is the
 *                             correct order, so [0, 1, 2, …] is right); partial credit from the
 *                             longest run of steps already in the right relative order
 *                             (longest increasing subsequence): score = (LIS − 1) / (n − 1)
 *   free       two steps, self-graded:
 *                string     the learner's text → not scored yet: the grade carries the reference
 *                           answer and the key points (FreeResponseReveal) so the learner can
 *                           compare; score 0, correct false, `selfAssessment: "pending"`
 *                number[]   indexes of the key points the learner says they covered → score =
 *                           covered / keyPoints.length
 *                number     a self-assessed score in 0..1
 *              correct when the score is at least FREE_PASS_SCORE (0.6).
 *
 * An answer of the wrong shape (a string for a single-choice item…) is a programming error and
 * throws AnswerShapeError; an out-of-range index is simply wrong.
 */
import type { Answer, FreeResponseItem, ItemGrade, OrderingItem, QuizItem } from "../types.js";

export const FREE_PASS_SCORE = 0.6;

export class AnswerShapeError extends TypeError {
  constructor(item: QuizItem, expected: string, got: Answer) {
    super(`Item ${item.id} (${item.type}) needs ${expected} as its answer, got ${Array.isArray(got) ? "an array" : typeof got}: ${JSON.stringify(got)}`);
    this.name = "AnswerShapeError";
  }
}

/** What a free-response grade carries besides the ItemGrade fields. */
export interface FreeResponseReveal {
  reference: string;
  keyPoints: string[];
  /** Key points whose main words appear in the learner's text (a hint for self-assessment, not a score). */
  likelyCovered: number[];
  selfAssessment: "pending" | "done";
}

export type FreeResponseGrade = ItemGrade & FreeResponseReveal;

const letter = (i: number) => String.fromCharCode(65 + i);
const round = (x: number) => Math.round(x * 1000) / 1000;

function isIndex(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

/** Length of the longest strictly increasing subsequence (patience sorting, O(n log n)). */
export function longestIncreasingSubsequence(xs: readonly number[]): number {
  const tails: number[] = [];
  for (const x of xs) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}

function gradeOrdering(item: OrderingItem, answer: Answer): ItemGrade {
  if (!Array.isArray(answer) || !answer.every(isIndex)) throw new AnswerShapeError(item, "an array of step indexes", answer);
  const n = item.steps.length;
  const correctOrder = item.steps.map((s, i) => `${i + 1}. ${s}`).join("\n");
  const sorted = [...answer].sort((a, b) => a - b);
  if (answer.length !== n || sorted.some((x, i) => x !== i)) {
    return { correct: false, score: 0, feedback: `Give every step exactly once (${n} steps, indexes 0 to ${n - 1}). The right order is:\n${correctOrder}\n\n${item.explanation}` };
  }
  const lis = longestIncreasingSubsequence(answer);
  const correct = lis === n;
  const score = n <= 1 ? 1 : round((lis - 1) / (n - 1));
  const misplaced = answer.map((x, pos) => ({ x, pos })).filter(({ x, pos }) => x !== pos).length;
  const head = correct ? "Correct order." : `${lis} of ${n} steps are in the right relative order (${misplaced} not in their place). The right order is:\n${correctOrder}`;
  return { correct, score, feedback: `${head}\n\n${item.explanation}` };
}

/** Key points whose significant words mostly appear in `text`. */
export function likelyCoveredKeyPoints(item: FreeResponseItem, text: string): number[] {
  const words = (s: string) => (s.toLowerCase().match(/[a-z0-9_@$-]+(?:\.[a-z0-9_@$-]+)*/g) ?? []).filter((w) => w.length >= 4);
  const have = new Set(words(text));
  const out: number[] = [];
  item.keyPoints.forEach((k, i) => {
    const ws = [...new Set(words(k))];
    if (ws.length === 0) return;
    const hit = ws.filter((w) => have.has(w)).length;
    if (hit / ws.length >= 0.5) out.push(i);
  });
  return out;
}

function gradeFree(item: FreeResponseItem, answer: Answer): FreeResponseGrade {
  const reveal = `**Reference answer:**\n${item.reference.trim()}\n\n**Key points:**\n${item.keyPoints.map((k, i) => `${i + 1}. ${k}`).join("\n")}`;
  if (typeof answer === "string") {
    const likely = likelyCoveredKeyPoints(item, answer);
    return {
      correct: false, score: 0, reference: item.reference, keyPoints: item.keyPoints, likelyCovered: likely, selfAssessment: "pending",
      feedback: `Compare your answer with the reference, then mark the key points you covered.\n\n${reveal}${answer.trim() ? `\n\n(Your text seems to mention ${likely.length} of ${item.keyPoints.length} key points.)` : ""}`,
    };
  }
  let score: number;
  let covered: number[] = [];
  if (Array.isArray(answer)) {
    if (!answer.every(isIndex)) throw new AnswerShapeError(item, "the learner's text, covered key-point indexes or a 0..1 self-assessment", answer);
    covered = [...new Set(answer)].filter((i) => i >= 0 && i < item.keyPoints.length).sort((a, b) => a - b);
    score = round(covered.length / item.keyPoints.length);
  } else if (typeof answer === "number" && Number.isFinite(answer)) {
    score = round(Math.min(1, Math.max(0, answer)));
  } else {
    throw new AnswerShapeError(item, "the learner's text, covered key-point indexes or a 0..1 self-assessment", answer);
  }
  const correct = score >= FREE_PASS_SCORE;
  const missed = Array.isArray(answer) ? item.keyPoints.filter((_, i) => !covered.includes(i)) : [];
  const head = Array.isArray(answer)
    ? `You covered ${covered.length} of ${item.keyPoints.length} key points.${missed.length ? `\nReview:\n${missed.map((k) => `- ${k}`).join("\n")}` : ""}`
    : `Self-assessed score: ${Math.round(score * 100)}%.`;
  return { correct, score, feedback: `${head}\n\n${item.explanation}`, reference: item.reference, keyPoints: item.keyPoints, likelyCovered: covered, selfAssessment: "done" };
}

export function gradeItem(item: QuizItem, answer: Answer): ItemGrade {
  switch (item.type) {
    case "single": {
      if (!isIndex(answer)) throw new AnswerShapeError(item, "a choice index", answer);
      const correct = answer === item.answer;
      const right = `${letter(item.answer)}. ${item.choices[item.answer]}`;
      return { correct, score: correct ? 1 : 0, feedback: `${correct ? "Correct." : `Not quite: the answer is ${right}.`}\n\n${item.explanation}` };
    }
    case "multiple": {
      if (!Array.isArray(answer) || !answer.every(isIndex)) throw new AnswerShapeError(item, "an array of choice indexes", answer);
      const picked = new Set(answer);
      const right = new Set(item.answers);
      const hits = [...picked].filter((i) => right.has(i)).length;
      const wrong = [...picked].filter((i) => !right.has(i)).length;
      const correct = wrong === 0 && hits === right.size;
      const score = correct ? 1 : round(Math.max(0, (hits - wrong) / right.size));
      const list = [...right].sort((a, b) => a - b).map((i) => `${letter(i)}. ${item.choices[i]}`).join("; ");
      const head = correct ? "Correct." : `${hits} of ${right.size} right choices picked${wrong ? `, ${wrong} wrong` : ""}. The right choices are: ${list}.`;
      return { correct, score, feedback: `${head}\n\n${item.explanation}` };
    }
    case "truefalse": {
      if (typeof answer !== "boolean") throw new AnswerShapeError(item, "true or false", answer);
      const correct = answer === item.answer;
      return { correct, score: correct ? 1 : 0, feedback: `${correct ? "Correct" : "Not quite"}: the statement is ${item.answer ? "true" : "false"}.\n\n${item.explanation}` };
    }
    case "ordering":
      return gradeOrdering(item, answer);
    case "free":
      return gradeFree(item, answer);
  }
}
