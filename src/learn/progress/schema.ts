/**
 * The on-disk format of a learner's progress (`progress.json`, version 1). Every field is plain
 * JSON so the file can be read, diffed and repaired by hand. Timestamps are ISO-8601 UTC strings.
 */
import type { Answer } from "../types.js";

export const PROGRESS_VERSION = 1 as const;

/** Where an answer was given. */
export type AnswerSource = "practice" | "mock" | "cli" | "assignment" | "migrated";

/** One attempt at one bank item. */
export interface AnswerRecord {
  at: string;
  correct: boolean;
  /** 0..1, as returned by the grader. */
  score: number;
  source: AnswerSource;
  answer?: Answer;
}

/** FSRS memory state of one flashcard (ts-fsrs `Card`, serialised) plus leech bookkeeping. */
export interface CardState {
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: 0 | 1 | 2 | 3;
  lastReview?: string;
  /** Lapsed at least the leech threshold times (8 by default). */
  leech?: boolean;
  /** Suspended cards are never queued (leeches are suspended automatically, as in Anki). */
  suspended?: boolean;
}

export interface ExerciseProgress {
  status: "started" | "passed";
  /** Number of `check` runs. */
  attempts: number;
  startedAt: string;
  passedAt?: string;
  lastCheckedAt?: string;
  lastScore?: number;
  /** How many hints have been revealed so far. */
  hintsShown: number;
}

export interface ConceptScore {
  total: number;
  correct: number;
}

export interface MockResult {
  startedAt: string;
  finishedAt: string;
  timeLimitSec: number;
  elapsedSec: number;
  timedOut: boolean;
  total: number;
  answered: number;
  correct: number;
  /** 0..1 (sum of item scores / total). */
  score: number;
  byConcept: Record<string, ConceptScore>;
  itemIds: string[];
}

export interface AssignmentProgress {
  title: string;
  file: string;
  workDir: string;
  startedAt: string;
  submittedAt?: string;
  submissionFile?: string;
}

/** Counters for the flashcard daily limits; reset when `day` changes. */
export interface DailyCounts {
  day: string;
  newCards: number;
  reviews: number;
}

export interface ProgressV1 {
  version: typeof PROGRESS_VERSION;
  createdAt: string;
  updatedAt: string;
  /** Attempts per item id, oldest first. */
  answers: Record<string, AnswerRecord[]>;
  /** FSRS state per flashcard id. */
  cards: Record<string, CardState>;
  exercises: Record<string, ExerciseProgress>;
  mocks: MockResult[];
  /** Keyed by assignment id. */
  assignments: Record<string, AssignmentProgress>;
  daily: DailyCounts;
}

export type Progress = ProgressV1;

export function emptyProgress(now: Date = new Date()): ProgressV1 {
  const iso = now.toISOString();
  return {
    version: PROGRESS_VERSION,
    createdAt: iso,
    updatedAt: iso,
    answers: {},
    cards: {},
    exercises: {},
    mocks: [],
    assignments: {},
    daily: { day: "", newCards: 0, reviews: 0 },
  };
}
