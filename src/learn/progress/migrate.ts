/**
 * Migrations of older progress files to the current version.
 *
 * Version 0 is the format of the pre-release prototype: no `version` field (or `version: 0`),
 *
 *   {
 *     "answers":    { "<itemId>": { "correct": 3, "wrong": 1, "last": "<iso>" } }      // counters
 *                   or { "<itemId>": [ { "correct": true, "at": "<iso>" } ] },        // or a list
 *     "flashcards": { "<cardId>": { "due": "<iso>", "interval": 4, "ease": 2.5, "reps": 3, "lapses": 1 } },
 *     "exercises":  { "<exerciseId>": "started" | "passed" | { "status": …, "attempts": n } },
 *     "mocks":      [ { "date": "<iso>", "correct": 7, "total": 10 } ]
 *   }
 *
 * Counters become one synthetic attempt per counted answer (source "migrated"), SM-2 cards become
 * FSRS review cards with their due date, interval and lapses kept. Anything not understood is
 * listed in `dropped` — the original file is always kept as a backup by the store.
 */
import { emptyProgress, PROGRESS_VERSION, type AnswerRecord, type CardState, type ExerciseProgress, type MockResult, type ProgressV1 } from "./schema.js";
import { isObject, readAnswerRecord, SAFE_ID, sanitizeV1 } from "./validate.js";
import { LearnError } from "../errors.js";

export interface MigrationResult {
  progress: ProgressV1;
  from: number;
  dropped: string[];
}

function iso(v: unknown, fallback: string): string {
  return typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : fallback;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function migrateV0(raw: Record<string, unknown>, now: Date): { progress: ProgressV1; dropped: string[] } {
  const p = emptyProgress(now);
  const nowIso = now.toISOString();
  const dropped: string[] = [];

  const answers = raw["answers"] ?? raw["history"];
  if (isObject(answers)) {
    for (const [id, v] of Object.entries(answers)) {
      if (!SAFE_ID.test(id)) {
        dropped.push(`answers.${id.slice(0, 60)}`);
        continue;
      }
      const recs: AnswerRecord[] = [];
      if (Array.isArray(v)) {
        for (const x of v) {
          const r = isObject(x) ? readAnswerRecord({ ...x, at: iso(x["at"] ?? x["date"], nowIso), source: "migrated" }) : undefined;
          if (r) recs.push(r);
          else dropped.push(`answers.${id}[]`);
        }
      } else if (isObject(v) && (num(v["correct"]) !== undefined || num(v["wrong"]) !== undefined)) {
        const at = iso(v["last"] ?? v["lastAnswered"], nowIso);
        const right = Math.floor(num(v["correct"]) ?? 0);
        const wrong = Math.floor(num(v["wrong"]) ?? 0);
        // Order unknown: put the wrong answers first so the latest attempt reads as a success when
        // there was any (the learner eventually got it).
        for (let i = 0; i < wrong; i++) recs.push({ at, correct: false, score: 0, source: "migrated" });
        for (let i = 0; i < right; i++) recs.push({ at, correct: true, score: 1, source: "migrated" });
      } else {
        dropped.push(`answers.${id}`);
      }
      if (recs.length > 0) p.answers[id] = recs;
    }
  } else if (answers !== undefined) dropped.push("answers");

  const cards = raw["flashcards"] ?? raw["cards"];
  if (isObject(cards)) {
    for (const [id, v] of Object.entries(cards)) {
      if (!SAFE_ID.test(id) || !isObject(v) || typeof v["due"] !== "string" || Number.isNaN(Date.parse(v["due"]))) {
        dropped.push(`flashcards.${id.slice(0, 60)}`);
        continue;
      }
      const interval = num(v["interval"]) ?? 0;
      const ease = num(v["ease"]) ?? 2.5;
      const reps = Math.floor(num(v["reps"]) ?? (interval > 0 ? 1 : 0));
      const card: CardState = {
        due: new Date(v["due"]).toISOString(),
        // FSRS stability ≈ the interval at 90% retention; SM-2 ease 1.3..3.0 maps onto difficulty 10..1.
        stability: Math.max(0.1, interval),
        difficulty: Math.min(10, Math.max(1, 10 - ((ease - 1.3) / 1.7) * 9)),
        elapsedDays: 0,
        scheduledDays: Math.floor(interval),
        learningSteps: 0,
        reps,
        lapses: Math.floor(num(v["lapses"]) ?? 0),
        state: reps === 0 ? 0 : 2,
      };
      if (typeof v["last"] === "string" && !Number.isNaN(Date.parse(v["last"]))) card.lastReview = new Date(v["last"]).toISOString();
      p.cards[id] = card;
    }
  } else if (cards !== undefined) dropped.push("flashcards");

  const exercises = raw["exercises"];
  if (isObject(exercises)) {
    for (const [id, v] of Object.entries(exercises)) {
      const status = typeof v === "string" ? v : isObject(v) ? v["status"] : undefined;
      if (!SAFE_ID.test(id) || (status !== "started" && status !== "passed")) {
        dropped.push(`exercises.${id.slice(0, 60)}`);
        continue;
      }
      const ex: ExerciseProgress = { status, attempts: Math.floor((isObject(v) ? num(v["attempts"]) : undefined) ?? (status === "passed" ? 1 : 0)), startedAt: nowIso, hintsShown: 0 };
      if (status === "passed") ex.passedAt = nowIso;
      p.exercises[id] = ex;
    }
  } else if (exercises !== undefined) dropped.push("exercises");

  if (Array.isArray(raw["mocks"])) {
    for (const m of raw["mocks"]) {
      const total = isObject(m) ? num(m["total"]) : undefined;
      const correct = isObject(m) ? num(m["correct"] ?? m["score"]) : undefined;
      if (!isObject(m) || total === undefined || correct === undefined) {
        dropped.push("mocks[]");
        continue;
      }
      const at = iso(m["date"] ?? m["startedAt"], nowIso);
      const r: MockResult = { startedAt: at, finishedAt: at, timeLimitSec: 0, elapsedSec: 0, timedOut: false, total, answered: total, correct, score: total > 0 ? Math.min(1, correct / total) : 0, byConcept: {}, itemIds: [] };
      p.mocks.push(r);
    }
  }
  return { progress: p, dropped };
}

/** Upgrades a parsed progress object of any known version to the current one. */
export function migrate(raw: Record<string, unknown>, now: Date = new Date()): MigrationResult {
  const v = raw["version"];
  if (v === undefined || v === 0) {
    const r = migrateV0(raw, now);
    return { progress: r.progress, from: 0, dropped: r.dropped };
  }
  if (v === PROGRESS_VERSION) {
    const r = sanitizeV1(raw, now);
    return { progress: r.progress, from: PROGRESS_VERSION, dropped: r.dropped };
  }
  throw new LearnError("PROGRESS_VERSION_UNKNOWN", `unknown progress version ${JSON.stringify(v)}`);
}
