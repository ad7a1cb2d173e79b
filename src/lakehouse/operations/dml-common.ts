/**
 * Pieces shared by the row-level operations (DELETE, UPDATE, MERGE): they all find the files
 * holding affected rows, rewrite only those files (copy-on-write), and, when the Change Data
 * Feed is on, write the changed rows to `_change_data` in the same commit.
 */
import type { Action, AddCDCFile, AddFile, RemoveFile } from "../kernel/actions.js";
import type { Predicate } from "../kernel/predicate.js";
import { commit } from "../kernel/transaction.js";
import type { OpContext, TableTarget } from "./context.js";
import { parseStats } from "../kernel/data-skipping.js";
import type { Snapshot } from "../kernel/snapshot.js";
import { FILE_COL } from "../engine/scan.js";
import { quoteString } from "../engine/duckdb.js";

export function cdfEnabled(snap: Snapshot): boolean {
  return snap.configuration["delta.enableChangeDataFeed"] === "true";
}

export function removeFor(f: AddFile, now: number): RemoveFile {
  return {
    path: f.path,
    deletionTimestamp: now,
    dataChange: true,
    extendedFileMetadata: true,
    partitionValues: f.partitionValues,
    size: f.size,
    ...(f.stats ? { stats: f.stats } : {}),
    ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}),
  };
}

/** `__file IN (…)` over absolute data-file paths. */
export function fileInList(paths: string[]): string {
  return paths.length ? `${FILE_COL} IN (${paths.map(quoteString).join(", ")})` : "false";
}

export function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * Rows per rewritten file: the average of the files being replaced, so a MERGE or UPDATE keeps
 * the table's file layout (and with it data skipping) instead of collapsing many files into one.
 */
export function rewriteFileRows(replaced: AddFile[], fallback = 1_000_000): number {
  const counts = replaced.map((f) => parseStats(f)?.numRecords).filter((n): n is number => typeof n === "number" && n > 0);
  if (!counts.length) return fallback;
  return Math.max(1000, Math.ceil(counts.reduce((a, b) => a + b, 0) / counts.length));
}

export interface RewriteCommit {
  operation: "DELETE" | "UPDATE";
  condition?: { sql: string; predicate: Predicate };
  /** Files the operation read (after pruning). */
  candidates: AddFile[];
  /** Files replaced by the rewrite. */
  removed: AddFile[];
  adds: AddFile[];
  cdcs: AddCDCFile[];
  metrics: Record<string, number>;
}

/** The common epilogue of DELETE and UPDATE: remove the rewritten files, add the new ones, commit. */
export async function commitRewrite(ctx: OpContext, target: TableTarget, snap: Snapshot, r: RewriteCommit): Promise<number> {
  const now = Date.now();
  const actions: Action[] = [...r.removed.map((f) => ({ remove: removeFor(f, now) })), ...r.adds.map((a) => ({ add: a })), ...r.cdcs.map((c) => ({ cdc: c }))];
  const result = await commit(ctx.engine, target.root, snap, {
    operation: r.operation,
    operationParameters: { predicate: JSON.stringify(r.condition ? [r.condition.sql] : []) },
    operationMetrics: r.metrics,
    actions,
    footprint: {
      isolationLevel: "WriteSerializable",
      isBlindAppend: false,
      readPredicates: [r.condition?.predicate ?? true],
      readFiles: new Set(r.candidates.map((f) => f.path)),
      removedPaths: new Set(r.removed.map((f) => f.path)),
      changesMetadata: false,
      appIds: new Set(),
    },
  });
  return result.version;
}
