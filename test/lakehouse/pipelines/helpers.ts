/** Shared helpers of the pipeline tests: a session in a temp warehouse, JSON files landing for Auto Loader, rows. */
import { join } from "node:path";
import { expect } from "vitest";
import type { UpdateResult } from "../../../src/lakehouse/pipelines/index.js";
import type { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { jsonl, lab, land, type Lab } from "../streaming/helpers.js";

export { jsonl, lab, land, type Lab };

let n = 0;

/** Writes `rows` as a new JSON-lines file in `dir` (a new file each call, discovered after earlier ones). */
export function drop(dir: string, rows: Record<string, unknown>[]): string {
  return land(join(dir, `part-${String(++n).padStart(5, "0")}.json`), jsonl(rows));
}

/** Rows of a query as plain objects (bigints as numbers, dates as ISO strings). */
export async function query(spark: SparkSession, sql: string): Promise<Record<string, unknown>[]> {
  const rows = await (await spark.sql(sql)).collect();
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : v])));
}

/** Rows of a table ordered by `orderBy`. */
export async function tableRows(spark: SparkSession, table: string, orderBy: string): Promise<Record<string, unknown>[]> {
  return query(spark, `SELECT * FROM ${table} ORDER BY ${orderBy}`);
}

/** Awaits an update and checks it completed (showing the error otherwise). */
export async function ok(update: Promise<UpdateResult>): Promise<UpdateResult> {
  const r = await update;
  expect(r.error).toBeUndefined();
  expect(r.status).toBe("COMPLETED");
  return r;
}
