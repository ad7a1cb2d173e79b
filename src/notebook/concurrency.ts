/**
 * Optimistic concurrency, made deterministic for a notebook. Two writers race for the same
 * table version in real life only now and then; here the race is staged so that it happens
 * every time, exactly the way it happens on Databricks:
 *
 *   1. writer A (your session) starts its statement: reads the current snapshot (version N),
 *      finds the rows, writes its new Parquet files
 *   2. just before A commits, writer B (a second session on the same warehouse) runs its whole
 *      statement and commits version N+1
 *   3. A tries to create `_delta_log/<N+1>.json`: the file exists (put-if-absent fails), so A
 *      reads B's commit and runs Delta's conflict checks. No logical conflict (e.g. two blind
 *      appends): A commits as N+2 by itself. A conflict (B removed or added files A read): A
 *      fails with ConcurrentAppendException, ConcurrentDeleteReadException, …
 *
 * Nothing in the engine is changed: the only hook is a wrapper around A's log store call that
 * runs B first, once.
 */
import type { SparkSession } from "../lakehouse/sql/session.js";
import { SparkSession as Session } from "../lakehouse/sql/session.js";
import { escapeHtml, html } from "./display.js";
import { box, MONO } from "./html.js";
import { errorInfo, type ErrorInfo } from "./errors.js";

export interface RaceResult {
  /** The version both writers started from (A's read version + 1 is what A tried first). */
  attemptedVersion: number;
  second: { version: number };
  first: { ok: true; version: number } | { ok: false; error: ErrorInfo };
}

const COMMIT_FILE = /[\\/]_delta_log[\\/](\d{20})\.json$/;

/**
 * Runs `firstSql` in `spark` and, at the moment it is about to commit, `secondSql` to completion
 * in a second session on the same warehouse, and returns what happened to each.
 */
export async function raceWrites(spark: SparkSession, firstSql: string, secondSql: string): Promise<RaceResult> {
  const other = await Session.create({ warehouse: spark.warehouse });
  const storage = spark.engine.storage;
  const original = storage.putIfAbsent;
  let attempted = -1;
  let committed = -1;
  let secondVersion = -1;
  let secondError: unknown;
  Object.defineProperty(storage, "putIfAbsent", {
    configurable: true,
    writable: true,
    value: async (path: string, content: string): Promise<boolean> => {
      const m = COMMIT_FILE.exec(path);
      if (m && attempted < 0) {
        attempted = Number(m[1]);
        try {
          await other.sql(secondSql);
          const root = path.replace(COMMIT_FILE, "");
          const h = await (await other.sql(`DESCRIBE HISTORY delta.\`${root}\` LIMIT 1`)).collect();
          secondVersion = Number(h[0]?.["version"] ?? -1);
        } catch (e) {
          secondError = e;
        }
      }
      const ok = await original.call(storage, path, content);
      if (m && ok) committed = Number(m[1]);
      return ok;
    },
  });
  let first: RaceResult["first"];
  try {
    try {
      await spark.sql(firstSql);
      first = { ok: true, version: committed };
    } catch (e) {
      first = { ok: false, error: errorInfo(e) };
    }
  } finally {
    delete (storage as unknown as Record<string, unknown>)["putIfAbsent"];
    other.stop();
  }
  if (secondError) throw secondError;
  if (attempted < 0) throw new Error("concurrentWrites: the first statement never tried to commit (is it a write to a Delta table?).");
  return { attemptedVersion: attempted, second: { version: secondVersion }, first };
}

/** `raceWrites`, displayed as a timeline with the outcome. */
export async function concurrentWrites(spark: SparkSession, firstSql: string, secondSql: string): Promise<void> {
  display(await raceWrites(spark, firstSql, secondSql), firstSql, secondSql);
}

function display(r: RaceResult, a: string, b: string): void {
  const n = r.attemptedVersion;
  const steps = [
    `Writer A reads version ${n - 1} and writes its data files: ${a}`,
    `Writer B (another session) runs and commits version ${r.second.version}: ${b}`,
    `Writer A tries to create _delta_log/${String(n).padStart(20, "0")}.json: it already exists, so A checks B's commit for conflicts`,
    r.first.ok
      ? `No conflict: A's commit is retried automatically and lands as version ${r.first.version}`
      : `Conflict: A fails with ${r.first.error.code ?? r.first.error.name}`,
  ];
  const list = steps.map((s, i) => `<li style="margin: 2px 0;">${escapeHtml(s)}</li>`).join("");
  const outcome = r.first.ok
    ? box("ok", "Both writes committed", `<ol style="margin: 0; padding-left: 20px;">${list}</ol>`)
    : box("fail", `Writer A failed: ${r.first.error.code ?? r.first.error.name}`, `<ol style="margin: 0; padding-left: 20px;">${list}</ol><div style="${MONO} margin-top: 6px; white-space: pre-wrap;">${escapeHtml(r.first.error.message)}</div>`);
  html(outcome, steps.map((s, i) => `${i + 1}. ${s}`).join("\n") + (r.first.ok ? "" : `\n${r.first.error.message}`));
}
