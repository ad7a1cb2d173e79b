/**
 * What every operation is handed by the session: the DuckDB connection, the Delta engine and
 * the session configuration. Operations are called only from the session (the single place
 * every read and write passes through).
 */
import { randomUUID } from "node:crypto";
import type { DuckDb } from "../engine/duckdb.js";
import type { DuckDbEngine } from "../engine/duckdb-engine.js";
import type { ScanContext } from "../engine/scan.js";
import type { Snapshot } from "../kernel/snapshot.js";

export interface OpContext {
  db: DuckDb;
  engine: DuckDbEngine;
  scan: ScanContext;
  /** Session configuration (spark.conf). */
  conf(key: string): string | undefined;
}

export interface TableTarget {
  /** Absolute table directory. */
  root: string;
  /** Name used in messages (catalog.schema.table or delta.`path`). */
  name: string;
  /** The snapshot the operation reads; undefined when the table does not exist yet. */
  snapshot?: Snapshot;
}

/** A session-unique name for a DuckDB temp table that an operation drops when done. */
export function tempName(kind: string): string {
  return `__c360_${kind}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

export async function withTempTable<T>(ctx: OpContext, kind: string, sql: string, fn: (name: string) => Promise<T>): Promise<T> {
  const name = tempName(kind);
  await ctx.db.run(`CREATE TEMP TABLE ${name} AS ${sql}`);
  try {
    return await fn(name);
  } finally {
    await ctx.db.run(`DROP TABLE IF EXISTS ${name}`);
  }
}

export async function countRows(ctx: OpContext, relation: string): Promise<number> {
  const r = await ctx.db.query(`SELECT count(*) AS n FROM ${relation}`);
  return Number(r.rows[0]!["n"]);
}
