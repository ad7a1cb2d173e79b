/** `c360-quiz assign create`: builds a self-contained assignment file from bank ids. */
import { createHash, randomBytes } from "node:crypto";
import type { LearnData } from "../session/sources.js";
import { answerFormat, presentItem } from "../session/present.js";
import { assertSafeId } from "../session/workspace.js";
import type { Exercise, QuizItem } from "../types.js";
import { parseLatePenalty } from "./penalty.js";
import { ASSIGNMENT_FORMAT, type AssignmentFile, type ExerciseTask, type ItemTask, type Task } from "./types.js";
import { LearnError } from "../errors.js";

export const DEFAULT_EXERCISE_POINTS = 10;
export const DEFAULT_ITEM_POINTS = 5;

export function slug(s: string, max = 60): string {
  const out = s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return out === "" ? "x" : out;
}

function sha(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

export function exerciseFingerprint(ex: Exercise): string {
  return sha([ex.kind, ex.id, ex.statement, ex.starter]);
}

export function itemFingerprint(it: QuizItem): string {
  const shown = it.type === "single" || it.type === "multiple" ? it.choices : it.type === "ordering" ? [...it.steps].sort() : [];
  return sha([it.type, it.id, it.prompt, shown]);
}

export function exerciseTask(ex: Exercise, points: number): ExerciseTask {
  const t: ExerciseTask = {
    kind: "exercise",
    id: ex.id,
    points,
    language: ex.kind,
    title: ex.title,
    concept: ex.concept,
    difficulty: ex.difficulty,
    statement: ex.statement,
    starter: ex.starter,
    fingerprint: exerciseFingerprint(ex),
  };
  if (ex.kind === "sql") t.setup = ex.setup;
  return t;
}

export function itemTask(it: QuizItem, points: number, seed: string): ItemTask {
  const p = presentItem(it, seed);
  const t: ItemTask = { kind: "item", id: it.id, points, type: it.type, concept: it.concept, difficulty: it.difficulty, prompt: it.prompt, answerFormat: answerFormat(it), fingerprint: itemFingerprint(it) };
  if (p.choices) t.choices = p.choices;
  if (p.steps) t.steps = p.steps;
  return t;
}

export interface CreateOptions {
  title: string;
  exercises: string[];
  items: string[];
  /** One per task, exercises first then items; defaults 10 per exercise, 5 per item. */
  points?: number[] | undefined;
  due: string;
  latePenalty?: string | undefined;
  now?: Date;
  seed?: string;
}

export function parseIdList(s: string | undefined): string[] {
  return (s ?? "").split(",").map((x) => x.trim()).filter(Boolean);
}

export function parsePoints(s: string | undefined): number[] | undefined {
  if (s === undefined) return undefined;
  return parseIdList(s).map((p) => {
    const n = Number(p);
    if (!Number.isFinite(n) || n < 0) throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", `invalid points value "${p}"`);
    return n;
  });
}

export function createAssignment(data: Pick<LearnData, "items" | "exercises">, opts: CreateOptions): AssignmentFile {
  const title = opts.title.trim();
  if (title === "") throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", "the assignment needs a --title");
  if (opts.exercises.length + opts.items.length === 0) throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", "the assignment needs at least one of --exercises or --items");
  const dueMs = Date.parse(opts.due);
  if (Number.isNaN(dueMs)) throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", `invalid --due "${opts.due}" (expected ISO-8601, e.g. 2026-12-01T23:59:00Z)`);
  const latePenalty = parseLatePenalty(opts.latePenalty);
  const ids = [...opts.exercises, ...opts.items];
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", `"${dup}" is listed twice`);
  const exById = new Map(data.exercises.map((e) => [e.id, e]));
  const itById = new Map(data.items.map((i) => [i.id, i]));
  const missingEx = opts.exercises.filter((id) => !exById.has(id));
  const missingIt = opts.items.filter((id) => !itById.has(id));
  if (missingEx.length + missingIt.length > 0) {
    const parts = [missingEx.length ? `exercises: ${missingEx.join(", ")}` : "", missingIt.length ? `items: ${missingIt.join(", ")}` : ""].filter(Boolean);
    throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", `unknown ids in the bank (${parts.join("; ")})`);
  }
  for (const id of opts.exercises) assertSafeId(id);
  const points = opts.points ?? [...opts.exercises.map(() => DEFAULT_EXERCISE_POINTS), ...opts.items.map(() => DEFAULT_ITEM_POINTS)];
  if (points.length !== ids.length) throw new LearnError("ASSIGNMENT_OPTIONS_INVALID", `--points has ${points.length} values for ${ids.length} tasks (${opts.exercises.length} exercises then ${opts.items.length} items)`);
  const seed = opts.seed ?? randomBytes(8).toString("hex");
  const tasks: Task[] = [
    ...opts.exercises.map((id, i) => exerciseTask(exById.get(id)!, points[i]!)),
    ...opts.items.map((id, i) => itemTask(itById.get(id)!, points[opts.exercises.length + i]!, seed)),
  ];
  const createdAt = (opts.now ?? new Date()).toISOString();
  return {
    format: ASSIGNMENT_FORMAT,
    version: 1,
    id: `${slug(title, 40)}-${sha([title, createdAt, seed]).slice(0, 6)}`,
    title,
    createdAt,
    due: new Date(dueMs).toISOString(),
    latePenalty,
    seed,
    totalPoints: points.reduce((a, b) => a + b, 0),
    tasks,
  };
}
