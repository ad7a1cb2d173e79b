/**
 * RESTORE TABLE t TO VERSION AS OF v / TIMESTAMP AS OF ts.
 *
 * Restore does not rewind the log: it appends a new commit that makes the latest version hold
 * exactly the files of the old one. Files live in the old version but not now are re-added
 * (`add`, dataChange=true, with their original path, partition values, size, stats and
 * deletion vector); files live now but not then are removed (`remove`, dataChange=true). No
 * data file is copied or rewritten, so a restore is cheap, and it is itself undoable by
 * restoring to the version before it. The old metaData (schema, properties) comes back too; the
 * protocol is never downgraded (readers that upgraded for a feature stay able to read it).
 *
 * The one thing that can make an old version unrestorable is VACUUM: once it has deleted the
 * files only old versions referenced, the restore would point the table at missing files. So
 * every file to be re-added is checked before committing.
 */
import { LakehouseError } from "../errors.js";
import { fileKey, type Action, type AddFile, type Protocol, type RemoveFile } from "../kernel/actions.js";
import { dvAbsolutePath, dvUniqueId } from "../kernel/deletion-vector.js";
import { earliestVersionOf, latestVersionOf, VersionNotFoundError } from "../kernel/log-segment.js";
import { applyActions, type TableState } from "../kernel/replay.js";
import { listLog, loadSnapshot, readCommits, TimestampOutOfRangeError, type Snapshot } from "../kernel/snapshot.js";
import { checkWritable } from "../kernel/table-features.js";
import { commit } from "../kernel/transaction.js";
import type { Engine } from "../kernel/engine.js";
import { dataFilePath } from "../engine/scan.js";
import type { OpContext, TableTarget } from "./context.js";
import { protocolFeatures } from "./detail.js";
import { removeFor } from "./dml-common.js";

export interface RestoreRequest {
  version?: number;
  /** Epoch milliseconds: restore the latest version committed at or before it. */
  timestamp?: number;
}

export interface RestoreMetrics {
  tableSizeAfterRestore: number;
  numOfFilesAfterRestore: number;
  numRemovedFiles: number;
  numRestoredFiles: number;
  removedFilesSize: number;
  restoredFilesSize: number;
}

export interface RestoreResult {
  /** The version the RESTORE commit created. */
  version: number;
  /** The version whose state was restored. */
  restoredVersion: number;
  metrics: RestoreMetrics;
}

export class RestoreTargetError extends LakehouseError {
  constructor(message: string, params: Record<string, unknown> = {}) {
    super("DELTA_RESTORE_INVALID_TARGET", message, params, "42613");
  }
}

export class CannotRestoreVersionError extends LakehouseError {
  constructor(table: string, requested: number, earliest: number, latest: number) {
    super("DELTA_CANNOT_RESTORE_TABLE_VERSION", `Cannot restore ${table} to version ${requested}. Available versions: [${earliest}, ${latest}]. Pick a version in that range (DESCRIBE HISTORY lists them).`, { requested, earliest, latest }, "22003");
  }
}

export class CannotRestoreTimestampError extends LakehouseError {
  constructor(code: "DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER" | "DELTA_CANNOT_RESTORE_TIMESTAMP_EARLIER", table: string, ts: number, bound: number) {
    const iso = (n: number) => new Date(n).toISOString();
    const message = code === "DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER"
      ? `Cannot restore ${table} to timestamp ${iso(ts)}: it is after the latest version available (committed at ${iso(bound)}). Use a timestamp before or at ${iso(bound)}.`
      : `Cannot restore ${table} to timestamp ${iso(ts)}: it is before the earliest version available (committed at ${iso(bound)}). Use a timestamp at or after ${iso(bound)}.`;
    super(code, message, { ts, bound }, "22003");
  }
}

export class RestoreMissingFilesError extends LakehouseError {
  constructor(table: string, version: number, missing: string[], restorable: string) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
    super("DELTA_RESTORE_MISSING_FILES", `Cannot restore ${table} to version ${version}: ${missing.length} data file(s) it references no longer exist, e.g. ${missing[0]}${more}. VACUUM removed them once no version within the retention period needed them, so that version can no longer be rebuilt. Versions whose files all still exist: ${restorable}. Restore to one of those (DESCRIBE HISTORY shows what each one was).`, { version, missing: missing.slice(0, 100) }, "42K03");
  }
}

function keyOf(f: { path: string; deletionVector?: AddFile["deletionVector"] }): string {
  return fileKey(f.path, f.deletionVector ? dvUniqueId(f.deletionVector) : undefined);
}

function sorted(xs: string[] | undefined): string[] | undefined {
  return xs ? [...xs].sort() : undefined;
}

function sameProtocol(a: Protocol, b: Protocol): boolean {
  return a.minReaderVersion === b.minReaderVersion && a.minWriterVersion === b.minWriterVersion
    && JSON.stringify(sorted(a.readerFeatures) ?? []) === JSON.stringify(sorted(b.readerFeatures) ?? [])
    && JSON.stringify(sorted(a.writerFeatures) ?? []) === JSON.stringify(sorted(b.writerFeatures) ?? []);
}

/**
 * The smallest protocol that is at least both `a` and `b`: RESTORE never takes features away.
 * When either side lists features (writer version 7), a legacy side contributes the features
 * its versions imply.
 */
export function mergeProtocols(a: Protocol, b: Protocol): Protocol {
  const reader = Math.max(a.minReaderVersion, b.minReaderVersion);
  const writer = Math.max(a.minWriterVersion, b.minWriterVersion);
  if (writer < 7) return { minReaderVersion: reader, minWriterVersion: writer };
  const writerFeatures = [...new Set([...protocolFeatures(a), ...protocolFeatures(b)])].sort();
  const out: Protocol = { minReaderVersion: reader, minWriterVersion: 7 };
  if (reader >= 3) {
    const readerOf = (p: Protocol) => (p.minReaderVersion >= 3 ? p.readerFeatures ?? [] : p.minReaderVersion === 2 ? ["columnMapping"] : []);
    out.readerFeatures = [...new Set([...readerOf(a), ...readerOf(b)])].sort();
  }
  out.writerFeatures = writerFeatures;
  return out;
}

/** Absolute paths of the data (and deletion-vector) files an add needs. */
function filesOf(root: string, f: AddFile): string[] {
  const out = [dataFilePath(root, f.path)];
  if (f.deletionVector) {
    const dv = dvAbsolutePath(f.deletionVector, root);
    if (dv) out.push(dv);
  }
  return out;
}

/** "[3, 7], [9, 9]": the versions whose live files all still exist on storage. */
export async function restorableVersions(engine: Engine, root: string): Promise<string> {
  const listing = await listLog(engine, root);
  const earliest = earliestVersionOf(listing);
  const latest = latestVersionOf(listing);
  const exists = new Map<string, boolean>();
  const complete = async (state: TableState) => {
    for (const f of state.files.values()) {
      for (const p of filesOf(root, f)) {
        let e = exists.get(p);
        if (e === undefined) {
          e = await engine.storage.exists(p);
          exists.set(p, e);
        }
        if (!e) return false;
      }
    }
    return true;
  };
  const first = await loadSnapshot(engine, root, { version: earliest });
  const state: TableState = { ...first.state, files: new Map(first.state.files), tombstones: new Map() };
  const ok: number[] = [];
  if (await complete(state)) ok.push(earliest);
  for (const c of await readCommits(engine, root, earliest + 1, latest, listing)) {
    applyActions(state, c.actions);
    if (await complete(state)) ok.push(c.version);
  }
  if (ok.length === 0) return "none";
  const ranges: string[] = [];
  let start = ok[0]!;
  let prev = start;
  for (const v of [...ok.slice(1), Infinity]) {
    if (v === prev + 1) { prev = v; continue; }
    ranges.push(`[${start}, ${prev}]`);
    start = prev = v;
  }
  return ranges.join(", ");
}

async function loadTarget(ctx: OpContext, target: TableTarget, req: RestoreRequest): Promise<Snapshot> {
  try {
    return req.version !== undefined
      ? await loadSnapshot(ctx.engine, target.root, { version: req.version })
      : await loadSnapshot(ctx.engine, target.root, { timestamp: req.timestamp! });
  } catch (e) {
    if (e instanceof VersionNotFoundError) {
      const p = e.params as { requested: number; earliest: number; latest: number };
      throw new CannotRestoreVersionError(target.name, p.requested, p.earliest, p.latest);
    }
    if (e instanceof TimestampOutOfRangeError) {
      const p = e.params as { ts: number; earliest?: number; latest?: number };
      if (p.latest !== undefined) throw new CannotRestoreTimestampError("DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER", target.name, p.ts, p.latest);
      throw new CannotRestoreTimestampError("DELTA_CANNOT_RESTORE_TIMESTAMP_EARLIER", target.name, p.ts, p.earliest ?? 0);
    }
    throw e;
  }
}

export async function executeRestore(ctx: OpContext, target: TableTarget, req: RestoreRequest): Promise<RestoreResult> {
  const current = target.snapshot ?? (await loadSnapshot(ctx.engine, target.root));
  checkWritable(current.protocol, current.configuration, target.name);
  if ((req.version === undefined) === (req.timestamp === undefined)) {
    throw new RestoreTargetError(`RESTORE needs exactly one of a version or a timestamp. Write RESTORE TABLE ${target.name} TO VERSION AS OF <n>, or … TO TIMESTAMP AS OF '<timestamp>'.`);
  }
  if (req.version !== undefined && (!Number.isInteger(req.version) || req.version < 0)) {
    throw new RestoreTargetError(`The version to restore must be a non-negative integer, got ${req.version}. DESCRIBE HISTORY ${target.name} lists the versions.`, { version: req.version });
  }
  if (req.timestamp !== undefined && !Number.isFinite(req.timestamp)) {
    throw new RestoreTargetError(`The timestamp to restore to is not a valid time. Write it as 'YYYY-MM-DD HH:MM:SS'.`, { timestamp: req.timestamp });
  }
  const old = await loadTarget(ctx, target, req);

  const oldFiles = new Map(old.files.map((f) => [keyOf(f), f]));
  const curFiles = new Map(current.files.map((f) => [keyOf(f), f]));
  const toAdd = [...oldFiles].filter(([k]) => !curFiles.has(k)).map(([, f]) => f);
  const toRemove = [...curFiles].filter(([k]) => !oldFiles.has(k)).map(([, f]) => f);

  const missing: string[] = [];
  for (const f of toAdd) for (const p of filesOf(target.root, f)) if (!(await ctx.engine.storage.exists(p))) missing.push(p);
  if (missing.length) throw new RestoreMissingFilesError(target.name, old.version, missing, await restorableVersions(ctx.engine, target.root));

  const now = Date.now();
  const actions: Action[] = [];
  const protocol = mergeProtocols(current.protocol, old.protocol);
  const protocolChanged = !sameProtocol(protocol, current.protocol);
  // The restored state must be one this writer can keep correct (e.g. an old column-mapped schema).
  checkWritable(protocol, old.configuration, target.name);
  if (protocolChanged) actions.push({ protocol });
  const metadataChanged = JSON.stringify(old.metadata) !== JSON.stringify(current.metadata);
  if (metadataChanged) actions.push({ metaData: old.metadata });
  const removes: RemoveFile[] = toRemove.map((f) => removeFor(f, now));
  for (const r of removes) actions.push({ remove: r });
  for (const f of toAdd) actions.push({ add: { ...f, dataChange: true } });

  const size = (fs: AddFile[]) => fs.reduce((s, f) => s + Number(f.size), 0);
  const metrics: RestoreMetrics = {
    tableSizeAfterRestore: size(old.files),
    numOfFilesAfterRestore: old.numFiles,
    numRemovedFiles: toRemove.length,
    numRestoredFiles: toAdd.length,
    removedFilesSize: size(toRemove),
    restoredFilesSize: size(toAdd),
  };
  const result = await commit(ctx.engine, target.root, current, {
    operation: "RESTORE",
    operationParameters: req.version !== undefined ? { version: req.version } : { timestamp: new Date(req.timestamp!).toISOString() },
    operationMetrics: { ...metrics },
    actions,
    footprint: {
      isolationLevel: "Serializable",
      isBlindAppend: false,
      readPredicates: [true],
      readFiles: new Set(current.files.map((f) => f.path)),
      removedPaths: new Set(removes.map((r) => r.path)),
      changesMetadata: protocolChanged || metadataChanged,
      appIds: new Set(),
    },
  });
  return { version: result.version, restoredVersion: old.version, metrics };
}
