/** The numbers behind `c360-quiz stats` and the Stats screen. */
import type { FlashcardScheduler } from "../fsrs/scheduler.js";
import type { ProgressV1 } from "../progress/schema.js";
import type { LearnData } from "./sources.js";
import { topicsWithItems, topicTitle } from "./select.js";

export interface ConceptStats {
  concept: string;
  title: string;
  items: number;
  /** Distinct items answered at least once. */
  answered: number;
  attempts: number;
  correct: number;
  /** correct / attempts, or null before any attempt. */
  accuracy: number | null;
  /** Items whose latest answer is correct. */
  mastered: number;
}

export interface Stats {
  answered: number;
  attempts: number;
  correct: number;
  accuracy: number | null;
  byConcept: ConceptStats[];
  flashcards: { total: number; due: number; newAvailable: number; newLeftToday: number; reviewsLeftToday: number; leeches: number; suspended: number; nextDue: string | null };
  exercises: { total: number; started: number; passed: number; passedIds: string[] };
  mocks: { count: number; last: { at: string; correct: number; total: number; score: number } | null; best: number | null };
  assignments: { started: number; submitted: number };
}

export function computeStats(progress: ProgressV1, data: LearnData, scheduler: FlashcardScheduler, now: Date = scheduler.now()): Stats {
  const byId = new Map(data.items.map((i) => [i.id, i]));
  const per = new Map<string, ConceptStats>();
  const row = (concept: string): ConceptStats => {
    let r = per.get(concept);
    if (!r) {
      r = { concept, title: topicTitle(concept), items: 0, answered: 0, attempts: 0, correct: 0, accuracy: null, mastered: 0 };
      per.set(concept, r);
    }
    return r;
  };
  for (const t of topicsWithItems(data.items)) row(t);
  for (const it of data.items) row(it.concept).items += 1;
  let answered = 0;
  let attempts = 0;
  let correct = 0;
  for (const [id, hist] of Object.entries(progress.answers)) {
    if (hist.length === 0) continue;
    // Answers to items no longer in the bank still count, under "unknown".
    const r = row(byId.get(id)?.concept ?? "unknown");
    const ok = hist.filter((h) => h.correct).length;
    answered += 1;
    attempts += hist.length;
    correct += ok;
    r.answered += 1;
    r.attempts += hist.length;
    r.correct += ok;
    if (hist[hist.length - 1]!.correct) r.mastered += 1;
  }
  for (const r of per.values()) r.accuracy = r.attempts > 0 ? r.correct / r.attempts : null;

  const q = scheduler.queue(data.flashcards, progress.cards, progress.daily, now);
  const exIds = new Set(data.exercises.map((e) => e.id));
  const exEntries = Object.entries(progress.exercises).filter(([id]) => exIds.has(id) || data.exercises.length === 0);
  const passedIds = exEntries.filter(([, e]) => e.status === "passed").map(([id]) => id);
  const last = progress.mocks[progress.mocks.length - 1];
  const assignments = Object.values(progress.assignments);
  return {
    answered,
    attempts,
    correct,
    accuracy: attempts > 0 ? correct / attempts : null,
    byConcept: [...per.values()],
    flashcards: {
      total: data.flashcards.length,
      due: q.dueReviews,
      newAvailable: q.newAvailable,
      newLeftToday: q.newLeft,
      reviewsLeftToday: q.reviewsLeft,
      leeches: q.leeches,
      suspended: q.suspended,
      nextDue: q.nextDue ? q.nextDue.toISOString() : null,
    },
    exercises: { total: data.exercises.length, started: exEntries.length, passed: passedIds.length, passedIds },
    mocks: {
      count: progress.mocks.length,
      last: last ? { at: last.finishedAt, correct: last.correct, total: last.total, score: last.score } : null,
      best: progress.mocks.length > 0 ? Math.max(...progress.mocks.map((m) => m.score)) : null,
    },
    assignments: { started: assignments.length, submitted: assignments.filter((a) => a.submittedAt).length },
  };
}

export function pct(x: number | null): string {
  return x === null ? "—" : `${Math.round(x * 100)}%`;
}
