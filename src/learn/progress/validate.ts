/**
 * Reading a version-1 progress object defensively: every entry is checked on its own, valid
 * entries are kept and invalid ones are reported, so one bad record never costs the whole history.
 */
import { emptyProgress, PROGRESS_VERSION, type AnswerRecord, type AnswerSource, type AssignmentProgress, type CardState, type ConceptScore, type DailyCounts, type ExerciseProgress, type MockResult, type ProgressV1 } from "./schema.js";

/** Ids are kebab-case in the bank; anything else (e.g. `__proto__`) is refused as a key. */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIsoDate(v: unknown): v is string {
  return typeof v === "string" && v.length >= 10 && !Number.isNaN(Date.parse(v));
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}

const SOURCES: readonly AnswerSource[] = ["practice", "mock", "cli", "assignment", "migrated"];

function isAnswerValue(v: unknown): boolean {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return true;
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

export function readAnswerRecord(v: unknown): AnswerRecord | undefined {
  if (!isObject(v) || !isIsoDate(v["at"]) || typeof v["correct"] !== "boolean") return undefined;
  const score = isFiniteNumber(v["score"]) ? clamp01(v["score"]) : v["correct"] ? 1 : 0;
  const source = SOURCES.includes(v["source"] as AnswerSource) ? (v["source"] as AnswerSource) : "practice";
  const rec: AnswerRecord = { at: v["at"], correct: v["correct"], score, source };
  if (isAnswerValue(v["answer"])) rec.answer = v["answer"] as AnswerRecord["answer"];
  return rec;
}

export function readCardState(v: unknown): CardState | undefined {
  if (!isObject(v) || !isIsoDate(v["due"])) return undefined;
  const nums = ["stability", "difficulty", "elapsedDays", "scheduledDays", "learningSteps", "reps", "lapses"] as const;
  for (const k of nums) if (!isFiniteNumber(v[k]) || (v[k] as number) < 0) return undefined;
  const state = v["state"];
  if (state !== 0 && state !== 1 && state !== 2 && state !== 3) return undefined;
  const card: CardState = {
    due: v["due"],
    stability: v["stability"] as number,
    difficulty: v["difficulty"] as number,
    elapsedDays: v["elapsedDays"] as number,
    scheduledDays: v["scheduledDays"] as number,
    learningSteps: v["learningSteps"] as number,
    reps: v["reps"] as number,
    lapses: v["lapses"] as number,
    state,
  };
  if (isIsoDate(v["lastReview"])) card.lastReview = v["lastReview"];
  if (v["leech"] === true) card.leech = true;
  if (v["suspended"] === true) card.suspended = true;
  return card;
}

export function readExercise(v: unknown): ExerciseProgress | undefined {
  if (!isObject(v) || (v["status"] !== "started" && v["status"] !== "passed")) return undefined;
  const ex: ExerciseProgress = {
    status: v["status"],
    attempts: isFiniteNumber(v["attempts"]) && v["attempts"] >= 0 ? Math.floor(v["attempts"]) : 0,
    startedAt: isIsoDate(v["startedAt"]) ? v["startedAt"] : new Date(0).toISOString(),
    hintsShown: isFiniteNumber(v["hintsShown"]) && v["hintsShown"] >= 0 ? Math.floor(v["hintsShown"]) : 0,
  };
  if (isIsoDate(v["passedAt"])) ex.passedAt = v["passedAt"];
  if (isIsoDate(v["lastCheckedAt"])) ex.lastCheckedAt = v["lastCheckedAt"];
  if (isFiniteNumber(v["lastScore"])) ex.lastScore = clamp01(v["lastScore"]);
  return ex;
}

function readConceptScores(v: unknown): Record<string, ConceptScore> {
  const out: Record<string, ConceptScore> = {};
  if (!isObject(v)) return out;
  for (const [k, s] of Object.entries(v)) {
    if (!SAFE_ID.test(k) || !isObject(s) || !isFiniteNumber(s["total"]) || !isFiniteNumber(s["correct"])) continue;
    out[k] = { total: s["total"], correct: s["correct"] };
  }
  return out;
}

export function readMock(v: unknown): MockResult | undefined {
  if (!isObject(v) || !isIsoDate(v["startedAt"]) || !isFiniteNumber(v["total"]) || !isFiniteNumber(v["correct"])) return undefined;
  const finishedAt = isIsoDate(v["finishedAt"]) ? v["finishedAt"] : v["startedAt"];
  const total = v["total"];
  return {
    startedAt: v["startedAt"],
    finishedAt,
    timeLimitSec: isFiniteNumber(v["timeLimitSec"]) ? v["timeLimitSec"] : 0,
    elapsedSec: isFiniteNumber(v["elapsedSec"]) ? v["elapsedSec"] : 0,
    timedOut: v["timedOut"] === true,
    total,
    answered: isFiniteNumber(v["answered"]) ? v["answered"] : total,
    correct: v["correct"],
    score: isFiniteNumber(v["score"]) ? clamp01(v["score"]) : total > 0 ? clamp01(v["correct"] / total) : 0,
    byConcept: readConceptScores(v["byConcept"]),
    itemIds: Array.isArray(v["itemIds"]) ? v["itemIds"].filter((x): x is string => typeof x === "string") : [],
  };
}

export function readAssignment(v: unknown): AssignmentProgress | undefined {
  if (!isObject(v) || typeof v["title"] !== "string" || typeof v["file"] !== "string" || typeof v["workDir"] !== "string" || !isIsoDate(v["startedAt"])) return undefined;
  const a: AssignmentProgress = { title: v["title"], file: v["file"], workDir: v["workDir"], startedAt: v["startedAt"] };
  if (isIsoDate(v["submittedAt"])) a.submittedAt = v["submittedAt"];
  if (typeof v["submissionFile"] === "string") a.submissionFile = v["submissionFile"];
  return a;
}

function readDaily(v: unknown): DailyCounts {
  if (!isObject(v) || typeof v["day"] !== "string") return { day: "", newCards: 0, reviews: 0 };
  return {
    day: v["day"],
    newCards: isFiniteNumber(v["newCards"]) ? Math.max(0, Math.floor(v["newCards"])) : 0,
    reviews: isFiniteNumber(v["reviews"]) ? Math.max(0, Math.floor(v["reviews"])) : 0,
  };
}

function readMap<T>(v: unknown, what: string, read: (x: unknown) => T | undefined, dropped: string[]): Record<string, T> {
  const out: Record<string, T> = {};
  if (v === undefined) return out;
  if (!isObject(v)) {
    dropped.push(`${what} (not an object)`);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    const r = SAFE_ID.test(k) ? read(x) : undefined;
    if (r === undefined) dropped.push(`${what}.${k.slice(0, 60)}`);
    else out[k] = r;
  }
  return out;
}

/**
 * A clean ProgressV1 from a parsed version-1 object. `dropped` lists the entries that could not be
 * read (empty for a healthy file).
 */
export function sanitizeV1(raw: Record<string, unknown>, now: Date = new Date()): { progress: ProgressV1; dropped: string[] } {
  const dropped: string[] = [];
  const base = emptyProgress(now);
  const answers: Record<string, AnswerRecord[]> = {};
  const rawAnswers = raw["answers"];
  if (rawAnswers !== undefined && !isObject(rawAnswers)) dropped.push("answers (not an object)");
  if (isObject(rawAnswers)) {
    for (const [id, list] of Object.entries(rawAnswers)) {
      if (!SAFE_ID.test(id) || !Array.isArray(list)) {
        dropped.push(`answers.${id.slice(0, 60)}`);
        continue;
      }
      const recs: AnswerRecord[] = [];
      list.forEach((x, i) => {
        const r = readAnswerRecord(x);
        if (r) recs.push(r);
        else dropped.push(`answers.${id}[${i}]`);
      });
      if (recs.length > 0) answers[id] = recs;
    }
  }
  const mocks: MockResult[] = [];
  if (raw["mocks"] !== undefined && !Array.isArray(raw["mocks"])) dropped.push("mocks (not an array)");
  if (Array.isArray(raw["mocks"])) {
    raw["mocks"].forEach((m, i) => {
      const r = readMock(m);
      if (r) mocks.push(r);
      else dropped.push(`mocks[${i}]`);
    });
  }
  return {
    progress: {
      version: PROGRESS_VERSION,
      createdAt: isIsoDate(raw["createdAt"]) ? raw["createdAt"] : base.createdAt,
      updatedAt: isIsoDate(raw["updatedAt"]) ? raw["updatedAt"] : base.updatedAt,
      answers,
      cards: readMap(raw["cards"], "cards", readCardState, dropped),
      exercises: readMap(raw["exercises"], "exercises", readExercise, dropped),
      mocks,
      assignments: readMap(raw["assignments"], "assignments", readAssignment, dropped),
      daily: readDaily(raw["daily"]),
    },
    dropped,
  };
}
