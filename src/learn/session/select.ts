/** Which questions to ask: practice rounds by concept and mixed mock interviews. */
import type { AnswerRecord, ConceptScore } from "../progress/schema.js";
import { CONCEPT_TITLES, CONCEPTS, type ItemGrade, type QuizItem, type Topic } from "../types.js";
import { shuffle, type Rng } from "./random.js";

export function topicTitle(t: string): string {
  return (CONCEPT_TITLES as Record<string, string>)[t] ?? (t === "cross-cutting" ? "Cross-cutting classics" : t);
}

/** Topics that have items, in lesson order, cross-cutting last. */
export function topicsWithItems(items: readonly QuizItem[]): Topic[] {
  const present = new Set(items.map((i) => i.concept));
  const order: Topic[] = [...CONCEPTS, "cross-cutting"];
  return order.filter((t) => present.has(t));
}

/**
 * Up to `count` items of `concept` (all topics when omitted): never-answered first, then those
 * whose last answer was wrong, then the rest; random within each group.
 */
export function pickPractice(items: readonly QuizItem[], opts: { concept?: string | undefined; count: number; rng: Rng; answers?: Readonly<Record<string, AnswerRecord[]>> }): QuizItem[] {
  const pool = items.filter((i) => opts.concept === undefined || i.concept === opts.concept);
  const answers = opts.answers ?? {};
  const groups: QuizItem[][] = [[], [], []];
  for (const it of pool) {
    const hist = Object.hasOwn(answers, it.id) ? answers[it.id]! : [];
    const last = hist[hist.length - 1];
    groups[last === undefined ? 0 : last.correct ? 2 : 1]!.push(it);
  }
  return groups.flatMap((g) => shuffle(g, opts.rng)).slice(0, Math.max(0, opts.count));
}

/** `count` items mixing topics: round-robin over the topics in random order. */
export function buildMock(items: readonly QuizItem[], opts: { count: number; rng: Rng }): QuizItem[] {
  const byTopic = new Map<string, QuizItem[]>();
  for (const it of shuffle(items, opts.rng)) {
    const list = byTopic.get(it.concept) ?? [];
    list.push(it);
    byTopic.set(it.concept, list);
  }
  const topics = shuffle([...byTopic.keys()], opts.rng);
  const out: QuizItem[] = [];
  while (out.length < opts.count && topics.some((t) => (byTopic.get(t)?.length ?? 0) > 0)) {
    for (const t of topics) {
      const next = byTopic.get(t)?.shift();
      if (next && out.length < opts.count) out.push(next);
    }
  }
  return out;
}

export interface ScoredAnswer {
  item: QuizItem;
  grade?: ItemGrade;
}

/** Per-topic totals of a finished round (unanswered items count as wrong). */
export function scoreByConcept(results: readonly ScoredAnswer[]): Record<string, ConceptScore> {
  const out: Record<string, ConceptScore> = {};
  for (const r of results) {
    const s = (out[r.item.concept] ??= { total: 0, correct: 0 });
    s.total += 1;
    if (r.grade?.correct) s.correct += 1;
  }
  return out;
}
