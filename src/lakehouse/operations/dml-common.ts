/**
 * Pieces shared by the row-level operations (DELETE, UPDATE, MERGE): they all find the files
 * holding affected rows, rewrite only those files (copy-on-write), and, when the Change Data
 * Feed is on, write the changed rows to `_change_data` in the same commit.
 */
import type { AddFile, RemoveFile } from "../kernel/actions.js";
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
