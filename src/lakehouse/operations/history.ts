/**
 * DESCRIBE HISTORY t [LIMIT n]: one row per commit still in `_delta_log`, newest first.
 *
 * Every commit file starts with a `commitInfo` action, the provenance record Delta writes next
 * to the data actions: which operation ran, with which parameters and metrics, on which
 * version it was based (readVersion), under which isolation level and by which engine. History
 * is only as long as the log: commits removed by log cleanup (`delta.logRetentionDuration`,
 * 30 days by default) are gone from it, even though a checkpoint still lets readers load the
 * table. The `timestamp` column is the commit time used by TIMESTAMP AS OF: the in-commit
 * timestamp, else `commitInfo.timestamp`, else the file time, made strictly increasing as
 * Delta does so that time travel is well defined even when clocks were skewed.
 */
import { LakehouseError } from "../errors.js";
import type { CommitInfo } from "../kernel/actions.js";
import { earliestVersionOf, latestVersionOf, TableNotFoundError } from "../kernel/log-segment.js";
import { listLog, readCommits } from "../kernel/snapshot.js";
import type { OpContext, TableTarget } from "./context.js";

/** One row of DESCRIBE HISTORY, with the columns and names Databricks shows. */
export interface HistoryRow {
  version: number;
  timestamp: Date;
  userId: string | null;
  userName: string | null;
  operation: string | null;
  operationParameters: Record<string, string>;
  job: Record<string, string> | null;
  notebook: Record<string, string> | null;
  clusterId: string | null;
  readVersion: number | null;
  isolationLevel: string | null;
  isBlindAppend: boolean | null;
  operationMetrics: Record<string, string>;
  userMetadata: string | null;
  engineInfo: string | null;
}

export class InvalidHistoryLimitError extends LakehouseError {
  constructor(limit: unknown) {
    super("INVALID_LIMIT_LIKE_EXPRESSION", `The LIMIT of DESCRIBE HISTORY must be a non-negative integer, got ${String(limit)}. Write DESCRIBE HISTORY t LIMIT 10, or leave LIMIT out to see every commit.`, { limit }, "42K0E");
  }
}

/** Text of a free-form value: strings as they are, everything else as JSON. */
function asText(v: unknown): string {
  if (typeof v === "string") return v;
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? "null";
}

function stringMap(v: unknown): Record<string, string> | null {
  if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null && x !== undefined) out[k] = asText(x);
  return out;
}

function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : asText(v);
}

/** A history row from one commit's `commitInfo` (absent in some very old or foreign commits). */
export function historyRow(version: number, timestamp: number, info: CommitInfo | undefined): HistoryRow {
  const i = info ?? {};
  const readVersion = i.readVersion === undefined || i.readVersion === null ? null : Number(i.readVersion);
  return {
    version,
    timestamp: new Date(timestamp),
    userId: textOrNull(i.userId),
    userName: textOrNull(i.userName),
    operation: textOrNull(i.operation),
    operationParameters: stringMap(i.operationParameters) ?? {},
    job: stringMap(i["job"]),
    notebook: stringMap(i["notebook"]),
    clusterId: textOrNull(i["clusterId"]),
    readVersion: Number.isFinite(readVersion) ? readVersion : null,
    isolationLevel: textOrNull(i.isolationLevel),
    isBlindAppend: typeof i.isBlindAppend === "boolean" ? i.isBlindAppend : null,
    operationMetrics: stringMap(i.operationMetrics) ?? {},
    userMetadata: textOrNull(i["userMetadata"]),
    engineInfo: textOrNull(i.engineInfo),
  };
}

/**
 * The commits of the table, newest first; at most `limit` rows when given. Timestamps are read
 * from every commit still in the log so they agree with TIMESTAMP AS OF.
 */
export async function describeHistory(ctx: OpContext, target: TableTarget, limit?: number): Promise<HistoryRow[]> {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new InvalidHistoryLimitError(limit);
  const listing = await listLog(ctx.engine, target.root);
  const latest = latestVersionOf(listing);
  if (latest < 0) throw new TableNotFoundError(target.root);
  // Commits before the oldest checkpoint may have been cleaned up; readCommits skips absent ones.
  let from = earliestVersionOf(listing);
  for (const v of listing.commits.keys()) from = Math.min(from, v);
  const commits = await readCommits(ctx.engine, target.root, from, latest, listing);
  const rows: HistoryRow[] = [];
  for (let i = commits.length - 1; i >= 0; i--) {
    if (limit !== undefined && rows.length >= limit) break;
    const c = commits[i]!;
    rows.push(historyRow(c.version, c.timestamp, c.info));
  }
  return rows;
}
