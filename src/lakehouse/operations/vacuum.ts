/**
 * VACUUM t [RETAIN n HOURS] [DRY RUN]: deleting the data files the table no longer needs.
 *
 * DELETE, UPDATE, MERGE, OPTIMIZE and overwrites never delete files: they write `remove`
 * actions (tombstones), so older versions stay readable by time travel and readers that
 * started before the commit can finish. VACUUM is what frees the storage. It lists every file
 * under the table directory and deletes those that
 *   1. no live `add` of the latest version references (nor its deletion-vector file),
 *   2. no tombstone younger than the retention period references (a tombstone's
 *      `deletionTimestamp` is when the file left the table), and
 *   3. were last modified before now − retention, so files an in-flight writer has just
 *      written but not yet committed are never touched.
 * The retention is `RETAIN n HOURS`, or the table property `delta.deletedFileRetentionDuration`
 * ("interval 7 days" by default). After VACUUM, versions older than the retention can no longer
 * be read or restored: that is the price of the storage it frees.
 *
 * What is listed (as Delta does): everything except `_delta_log/` and names starting with `_`
 * or `.`, but including partition directories (`_col=…` for a column named `_col`),
 * `_change_data/` (change data files, deleted purely by age since no snapshot references them)
 * and `_staging/` (files of writers that crashed before renaming them into place). A deleted
 * file's Hadoop checksum sibling (`.name.crc`) goes with it, and directories left empty are
 * removed.
 *
 * A real run records itself in the log like Databricks: a "VACUUM START" commit before
 * deleting anything and a "VACUUM END" commit after, neither with add/remove actions. DRY RUN
 * only lists what would be deleted.
 */
import { promises as fs } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { LakehouseError } from "../errors.js";
import type { AddFile, RemoveFile } from "../kernel/actions.js";
import { dvAbsolutePath } from "../kernel/deletion-vector.js";
import { LOG_DIR } from "../kernel/log-segment.js";
import { escapePathName } from "../kernel/partition-values.js";
import { loadSnapshot, updateSnapshot, type Snapshot } from "../kernel/snapshot.js";
import { checkWritable, SUPPORTED_READER_FEATURES, SUPPORTED_WRITER_FEATURES, UnsupportedWriterFeatureError } from "../kernel/table-features.js";
import { commit, DEFAULT_DELETED_FILE_RETENTION_MS, parseInterval, type CommitRequest } from "../kernel/transaction.js";
import { STAGING_DIR } from "../engine/data-writer.js";
import { dataFilePath } from "../engine/scan.js";
import type { OpContext, TableTarget } from "./context.js";

export const RETENTION_CHECK_CONF = "spark.databricks.delta.retentionDurationCheck.enabled";
/** DRY RUN lists at most this many paths, as Databricks does; the counts cover all of them. */
export const DRY_RUN_LIST_LIMIT = 1000;
const HOUR_MS = 3_600_000;

export interface VacuumRequest {
  retainHours?: number;
  dryRun: boolean;
}

export interface VacuumResult {
  dryRun: boolean;
  /** Absolute paths deleted (or, in a dry run, that would be deleted; at most 1000), sorted. */
  files: string[];
  /** Files deleted (dry run: that would be deleted). */
  numDeletedFiles: number;
  /** Bytes of those files. */
  sizeOfDeletedFiles: number;
  /** Empty directories removed (0 in a dry run). */
  numVacuumedDirectories: number;
  /** Retention applied, in milliseconds. */
  retentionMillis: number;
  /** Versions of the VACUUM START / VACUUM END commits (real runs only). */
  startVersion?: number;
  endVersion?: number;
}

export class VacuumRetentionTooShortError extends LakehouseError {
  constructor(table: string, requestedMs: number, configuredMs: number) {
    const hours = (ms: number) => `${+(ms / HOUR_MS).toFixed(3)} hours`;
    super("DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT", `Are you sure you want to vacuum ${table} with a retention of ${hours(requestedMs)}, below its configured ${hours(configuredMs)} (delta.deletedFileRetentionDuration)? Files younger than the retention may still be needed: a writer that is committing right now may reference them, so deleting them can corrupt the table, and readers lose time travel to every version older than the retention. If you are certain no operation (insert, update, delete, merge, optimize) is running on this table and you accept losing that history, turn the check off with SET ${RETENTION_CHECK_CONF} = false. Otherwise use RETAIN ${Math.ceil(configuredMs / HOUR_MS)} HOURS or more.`, { requestedMs, configuredMs }, "22023");
  }
}

export class InvalidRetentionError extends LakehouseError {
  constructor(hours: number) {
    super("DELTA_VACUUM_INVALID_RETENTION", `The retention of VACUUM must be a number of hours >= 0, got ${hours}. Write VACUUM t RETAIN 168 HOURS, or leave RETAIN out to use the table's delta.deletedFileRetentionDuration.`, { hours }, "22023");
  }
}

/** Names Delta skips when listing a table: `_x` and `.x`, except partition and change-data dirs. */
function isHiddenName(name: string, partitionDirPrefixes: string[]): boolean {
  if (!name.startsWith("_") && !name.startsWith(".")) return false;
  if (name === "_change_data" || name.startsWith("_delta_index")) return false;
  return !partitionDirPrefixes.some((p) => name.startsWith(p));
}

/** True when a path relative to the table root is one VACUUM may consider. */
function isCandidate(rel: string, partitionDirPrefixes: string[]): boolean {
  const parts = rel.split("/");
  if (parts[0] === LOG_DIR) return false;
  if (parts[0] === STAGING_DIR) return parts.length > 1;
  return parts.every((p) => !isHiddenName(p, partitionDirPrefixes));
}

/** VACUUM needs to know every way the table references files: refuse features it does not know. */
function checkVacuumable(snap: Snapshot, table: string): void {
  const p = snap.protocol;
  if (p.minWriterVersion >= 7 && (p.writerFeatures ?? []).includes("vacuumProtocolCheck")) {
    checkWritable(p, snap.configuration, table);
    return;
  }
  if (p.minWriterVersion > 7) throw new UnsupportedWriterFeatureError(table, [`writerVersion ${p.minWriterVersion}`]);
  if (p.minWriterVersion === 7) {
    const known = new Set([...SUPPORTED_WRITER_FEATURES, ...SUPPORTED_READER_FEATURES, "columnMapping", "generatedColumns", "identityColumns"]);
    const unknown = (p.writerFeatures ?? []).filter((f) => !known.has(f));
    if (unknown.length) throw new UnsupportedWriterFeatureError(table, unknown);
  }
}

function referencedPaths(snap: Snapshot, horizon: number): Set<string> {
  const out = new Set<string>();
  const addRef = (f: AddFile | RemoveFile) => {
    out.add(resolve(dataFilePath(snap.tableRoot, f.path)));
    if (f.deletionVector) {
      const dv = dvAbsolutePath(f.deletionVector, snap.tableRoot);
      if (dv) out.add(resolve(dv));
    }
  };
  for (const f of snap.files) addRef(f);
  // A tombstone protects its file until it is older than the retention.
  for (const r of snap.tombstones) if (Number(r.deletionTimestamp ?? 0) > horizon) addRef(r);
  return out;
}

/** Every directory below `root` that VACUUM may remove when empty, deepest first. */
async function candidateDirs(root: string, partitionDirPrefixes: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      const rel = relative(root, p).split(sep).join("/");
      if (!isCandidate(rel, partitionDirPrefixes) && rel !== STAGING_DIR) continue;
      await walk(p);
      out.push(p);
    }
  };
  await walk(root);
  return out.sort((a, b) => b.split(sep).length - a.split(sep).length || (a < b ? -1 : 1));
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch {
    return false;
  }
}

export async function executeVacuum(ctx: OpContext, target: TableTarget, req: VacuumRequest): Promise<VacuumResult> {
  // Vacuum against the newest version: files committed since `target.snapshot` was read are live.
  const snap = target.snapshot ? await updateSnapshot(ctx.engine, target.snapshot) : await loadSnapshot(ctx.engine, target.root);
  checkVacuumable(snap, target.name);
  const defaultRetentionMillis = parseInterval(snap.configuration["delta.deletedFileRetentionDuration"], DEFAULT_DELETED_FILE_RETENTION_MS);
  if (req.retainHours !== undefined && (!Number.isFinite(req.retainHours) || req.retainHours < 0)) throw new InvalidRetentionError(req.retainHours);
  const retentionMillis = req.retainHours !== undefined ? req.retainHours * HOUR_MS : defaultRetentionMillis;
  const retentionCheckEnabled = (ctx.conf(RETENTION_CHECK_CONF) ?? "true").trim().toLowerCase() !== "false";
  if (retentionCheckEnabled && retentionMillis < defaultRetentionMillis) throw new VacuumRetentionTooShortError(target.name, retentionMillis, defaultRetentionMillis);

  const now = Date.now();
  const horizon = now - retentionMillis;
  const root = resolve(target.root);
  const partitionDirPrefixes = snap.partitionColumns.map((c) => `${escapePathName(c)}=`);
  const referenced = referencedPaths(snap, horizon);
  const toDelete = (await ctx.engine.storage.listRecursive(root))
    .filter((f) => isCandidate(f.name, partitionDirPrefixes))
    .filter((f) => !referenced.has(resolve(f.path)) && f.mtime < horizon)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const size = toDelete.reduce((s, f) => s + f.size, 0);

  if (req.dryRun) {
    return { dryRun: true, files: toDelete.slice(0, DRY_RUN_LIST_LIMIT).map((f) => f.path), numDeletedFiles: toDelete.length, sizeOfDeletedFiles: size, numVacuumedDirectories: 0, retentionMillis };
  }

  const footprint: CommitRequest["footprint"] = {
    isolationLevel: "WriteSerializable",
    isBlindAppend: false,
    readPredicates: [],
    readFiles: new Set(),
    removedPaths: new Set(),
    changesMetadata: false,
    appIds: new Set(),
  };
  const start = await commit(ctx.engine, target.root, snap, {
    operation: "VACUUM START",
    operationParameters: {
      retentionCheckEnabled,
      ...(req.retainHours !== undefined ? { specifiedRetentionMillis: Math.round(retentionMillis) } : {}),
      defaultRetentionMillis: Math.round(defaultRetentionMillis),
    },
    operationMetrics: { numFilesToDelete: toDelete.length, sizeOfDataToDelete: size },
    actions: [],
    footprint,
  });

  const deleted: string[] = [];
  let numVacuumedDirectories = 0;
  const touchedDirs = new Set<string>();
  const end = (status: "COMPLETED" | "FAILED") => commit(ctx.engine, target.root, start.snapshot, {
    operation: "VACUUM END",
    operationParameters: { status },
    operationMetrics: { numDeletedFiles: deleted.length, numVacuumedDirectories },
    actions: [],
    footprint,
  });
  try {
    for (const f of toDelete) {
      await ctx.engine.storage.delete(f.path);
      deleted.push(f.path);
      touchedDirs.add(dirname(f.path));
      // Hadoop-written tables keep a checksum next to each file; it is meaningless without it.
      await ctx.engine.storage.delete(join(dirname(f.path), `.${basename(f.path)}.crc`));
    }
    for (const dir of await candidateDirs(root, partitionDirPrefixes)) {
      if (!(await isEmptyDir(dir))) continue;
      // An empty directory that is new may be a writer's just-created output directory.
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st || (!touchedDirs.has(dir) && st.mtimeMs >= horizon)) continue;
      await fs.rmdir(dir).then(() => {
        numVacuumedDirectories++;
        touchedDirs.add(dirname(dir));
      }, () => undefined);
    }
  } catch (e) {
    await end("FAILED").catch(() => undefined);
    throw e;
  }
  const done = await end("COMPLETED");
  return { dryRun: false, files: deleted, numDeletedFiles: deleted.length, sizeOfDeletedFiles: size, numVacuumedDirectories, retentionMillis, startVersion: start.version, endVersion: done.version };
}
