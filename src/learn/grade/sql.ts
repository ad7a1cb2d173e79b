/**
 * Grades a SQL exercise on the lakehouse.
 *
 * Every run gets a fresh SparkSession over a new temporary warehouse, so a learner's MERGE or
 * DROP can never touch another run (or the learner's own warehouse):
 *
 *   visible:  setup                → reference solution  ┐ compared
 *             setup                → learner's SQL       ┘
 *   hidden:   setup + hiddenSetup  → reference solution  ┐ compared (only if visible matched),
 *             setup + hiddenSetup  → learner's SQL       ┘ so a hard-coded answer fails
 *
 * The learner's SQL may be a `;`-separated script; the result of its last statement is compared.
 * Errors in it become a message, never an exception. The DuckDB engine under each session may
 * only touch that session's warehouse and scratch folders (read_csv('/etc/passwd'), COPY … TO
 * elsewhere and ATTACH are refused), and each run is interrupted after `timeoutMs`.
 *
 * Reference results are cached per exercise content, so grading the same exercise again only
 * runs the learner's SQL.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SparkSession } from "../../lakehouse/sql/session.js";
import type { ExerciseResult, SqlExercise } from "../types.js";
import { compareResults, type ResultSet } from "./compare.js";

export interface SqlGradeOptions {
  /** Per run (setup + script), default 10 000 ms. */
  timeoutMs?: number;
  /** Where temporary warehouses go (default: the OS temp folder). */
  tmpDir?: string;
}

export const DEFAULT_SQL_TIMEOUT_MS = 10_000;

/** A bug in the exercise itself (its setup or reference solution fails): not the learner's fault. */
export class ExerciseDefinitionError extends Error {
  constructor(exerciseId: string, what: string, cause: unknown) {
    super(`Exercise ${exerciseId}: ${what} failed: ${errorText(cause)}`);
    this.name = "ExerciseDefinitionError";
  }
}

class RunTimeout extends Error {}

/** A lakehouse/DuckDB error as one readable message, without DuckDB's echo of the compiled SQL. */
export function errorText(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const lines = raw.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^LINE \d+:/.test(l)) {
      // The next line is the caret; anything after the caret is a hint worth keeping.
      const caret = lines[i + 1] ?? "";
      const hint = caret.replace(/^\s*\^\s*/, "").trim();
      if (hint) out.push(hint);
      i++;
      continue;
    }
    if (l.trim()) out.push(l.trim());
  }
  const text = out.join(" ").replace(/\s+/g, " ").trim();
  return text.length > 600 ? `${text.slice(0, 597)}…` : text;
}

interface RunOutcome {
  result?: ResultSet;
  /** Error in the graded script (the learner's or the reference). */
  error?: string;
  timedOut?: boolean;
}

/** Opens a session confined to its own folders. */
async function confinedSession(dir: string): Promise<SparkSession> {
  const warehouse = join(dir, "warehouse");
  const scratch = join(dir, "scratch");
  const spark = await SparkSession.create({ warehouse, scratchDir: scratch });
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await spark.db.run(`SET temp_directory = ${q(join(scratch, "duckdb-spill"))}`);
  await spark.db.run(`SET allowed_directories = [${q(warehouse)}, ${q(scratch)}, ${q(dir)}]`);
  await spark.db.run("SET enable_external_access = false");
  await spark.db.run("SET memory_limit = '1GB'");
  await spark.db.run("SET lock_configuration = true");
  return spark;
}

async function withTimeout<T>(spark: SparkSession, work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        spark.db.connection.interrupt();
      } catch {
        /* already finished */
      }
      reject(new RunTimeout());
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    // Let an interrupted statement unwind before the session is closed (but never wait forever).
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([work.catch(() => undefined), new Promise((r) => (grace = setTimeout(r, 2000)))]);
    clearTimeout(grace);
  }
}

async function collect(spark: SparkSession, script: string): Promise<ResultSet> {
  const df = await spark.sql(script);
  const columns = await df.schema();
  const rows = (await df.collect()) as Record<string, unknown>[];
  return { columns: columns.map((c) => ({ name: c.name, type: c.type })), rows };
}

/**
 * Runs `setups` (trusted: a failure is an ExerciseDefinitionError) then `script` in a fresh
 * session; returns the script's last result or its error.
 */
export async function runSqlScript(exerciseId: string, setups: string[], script: string, opts: SqlGradeOptions = {}): Promise<RunOutcome> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS;
  const dir = mkdtempSync(join(opts.tmpDir ?? tmpdir(), "c360-grade-sql-"));
  let spark: SparkSession | undefined;
  try {
    spark = await confinedSession(dir);
    const s = spark;
    const started = Date.now();
    for (const [i, setup] of setups.entries()) {
      if (!setup.trim()) continue;
      try {
        await withTimeout(s, s.sql(setup), timeoutMs);
      } catch (e) {
        throw new ExerciseDefinitionError(exerciseId, i === 0 ? "setup.sql" : "hidden-setup.sql", e instanceof RunTimeout ? "timed out" : e);
      }
    }
    const left = Math.max(1000, timeoutMs - (Date.now() - started));
    try {
      return { result: await withTimeout(s, collect(s, script), left) };
    } catch (e) {
      if (e instanceof RunTimeout) return { error: `timed out after ${Math.round(timeoutMs / 1000)} s (a query that never ends, or a huge join?)`, timedOut: true };
      return { error: errorText(e) };
    }
  } finally {
    try {
      spark?.stop();
    } catch {
      /* closing twice is harmless */
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Reference {
  visible: ResultSet;
  hidden: ResultSet;
}

const referenceCache = new Map<string, Promise<Reference>>();

function referenceKey(ex: SqlExercise): string {
  return createHash("sha256").update(JSON.stringify([ex.id, ex.setup, ex.hiddenSetup, ex.solution])).digest("hex");
}

/** The reference solution's results on the visible and the hidden data (cached). */
export function referenceResults(ex: SqlExercise, opts: SqlGradeOptions = {}): Promise<Reference> {
  const key = referenceKey(ex);
  let p = referenceCache.get(key);
  if (!p) {
    p = (async () => {
      const visible = await runSqlScript(ex.id, [ex.setup], ex.solution, opts);
      if (!visible.result) throw new ExerciseDefinitionError(ex.id, "solution.sql", visible.error);
      const hidden = await runSqlScript(ex.id, [ex.setup, ex.hiddenSetup], ex.solution, opts);
      if (!hidden.result) throw new ExerciseDefinitionError(ex.id, "solution.sql on the hidden data", hidden.error);
      return { visible: visible.result, hidden: hidden.result };
    })();
    referenceCache.set(key, p);
    p.catch(() => referenceCache.delete(key));
  }
  return p;
}

function ignoreOf(ex: SqlExercise): string[] | undefined {
  return (ex as SqlExercise & { ignoreColumns?: string[] }).ignoreColumns;
}

const rows = (n: number) => `${n} row${n === 1 ? "" : "s"}`;

/**
 * Grades `learnerSql` against the exercise: visible data first, then hidden data.
 * Score: 1 when both match, 0.5 when only the visible data matches, 0 otherwise.
 */
export async function gradeSql(exercise: SqlExercise, learnerSql: string, opts: SqlGradeOptions = {}): Promise<ExerciseResult> {
  const t0 = performance.now();
  const done = (passed: boolean, score: number, messages: string[]): ExerciseResult => ({ passed, score, messages, durationMs: Math.round(performance.now() - t0) });
  if (!learnerSql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/;/g, "").trim()) {
    return done(false, 0, ["your SQL is empty: write the query the task asks for"]);
  }
  const ref = await referenceResults(exercise, opts);
  const cmp = { ordered: exercise.ordered, ...(ignoreOf(exercise) ? { ignoreColumns: ignoreOf(exercise)! } : {}) };

  const visible = await runSqlScript(exercise.id, [exercise.setup], learnerSql, opts);
  if (!visible.result) return done(false, 0, [`your SQL failed: ${visible.error}`]);
  const diffs = compareResults(ref.visible, visible.result, cmp);
  if (diffs.length) return done(false, 0, diffs);

  const hidden = await runSqlScript(exercise.id, [exercise.setup, exercise.hiddenSetup], learnerSql, opts);
  const prefix = "passes on the visible data but not on hidden data: ";
  if (!hidden.result) return done(false, 0.5, [`${prefix}your SQL failed: ${hidden.error}`]);
  const hiddenDiffs = compareResults(ref.hidden, hidden.result, cmp);
  if (hiddenDiffs.length) {
    return done(false, 0.5, [`${prefix}${hiddenDiffs[0]}`, ...hiddenDiffs.slice(1), "a query that hard-codes values or ids of the sample data fails here: compute the answer from the tables"]);
  }
  return done(true, 1, [`matches the expected result (${rows(ref.visible.rows.length)})`, `also right on the hidden data (${rows(ref.hidden.rows.length)})`]);
}
