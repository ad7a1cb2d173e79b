/**
 * A Snapshot is one version of a table: protocol, metadata, schema and the live data files.
 * Loading one lists `_delta_log`, picks a log segment, reads the checkpoint (through the
 * engine) and replays the commits after it. `update()` moves a snapshot forward by applying only
 * the commits that appeared since, which keeps appends at version 1,000 as cheap as at 10.
 */
import { LakehouseError } from "../errors.js";
import type { Action, AddFile, CommitInfo, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from "./actions.js";
import type { Engine, FileInfo } from "./engine.js";
import { buildSegment, classifyLog, commitFileName, earliestVersionOf, latestVersionOf, LOG_DIR, LogCorruptError, type LogListing } from "./log-segment.js";
import { applyActions, commitTimestamp, emptyState, parseCommit, type TableState } from "./replay.js";
import { parseSchemaString, type StructType } from "./schema.js";
import { checkReadable } from "./table-features.js";

export interface SnapshotInit {
  tableRoot: string;
  version: number;
  state: TableState;
  /** Timestamp (ms) of this version's commit. */
  timestamp: number;
  lastCommitInfo?: CommitInfo;
}

export class Snapshot {
  readonly tableRoot: string;
  readonly version: number;
  readonly protocol: Protocol;
  readonly metadata: Metadata;
  readonly schema: StructType;
  readonly timestamp: number;
  readonly lastCommitInfo?: CommitInfo;
  /** @internal replay state; treat as read-only. */
  readonly state: TableState;

  constructor(init: SnapshotInit) {
    const { state } = init;
    if (!state.protocol || !state.metadata) {
      throw new LogCorruptError(`${init.tableRoot}/${LOG_DIR}`, `version ${init.version} has no ${state.protocol ? "metaData" : "protocol"} action`);
    }
    this.tableRoot = init.tableRoot;
    this.version = init.version;
    this.state = state;
    this.protocol = state.protocol;
    this.metadata = state.metadata;
    this.schema = parseSchemaString(state.metadata.schemaString);
    this.timestamp = init.timestamp;
    this.lastCommitInfo = init.lastCommitInfo;
  }

  get files(): AddFile[] {
    return [...this.state.files.values()];
  }
  get numFiles(): number {
    return this.state.files.size;
  }
  get tombstones(): RemoveFile[] {
    return [...this.state.tombstones.values()];
  }
  get partitionColumns(): string[] {
    return this.metadata.partitionColumns;
  }
  get configuration(): Record<string, string> {
    return this.metadata.configuration ?? {};
  }
  get columnMappingMode(): "none" | "name" | "id" {
    const m = this.configuration["delta.columnMapping.mode"];
    return m === "name" || m === "id" ? m : "none";
  }
  txnVersion(appId: string): number | undefined {
    return this.state.txns.get(appId)?.version;
  }
  get txns(): Txn[] {
    return [...this.state.txns.values()];
  }
  get domains(): DomainMetadata[] {
    return [...this.state.domains.values()];
  }
}

export interface LoadOptions {
  version?: number;
  /** Epoch ms: the latest version committed at or before it. */
  timestamp?: number;
}

export async function listLog(engine: Engine, tableRoot: string): Promise<LogListing> {
  return classifyLog(await engine.storage.list(`${tableRoot}/${LOG_DIR}`, { withStats: false }));
}

/** Commit time: from commitInfo when the writer recorded it, else the commit file's mtime. */
async function timestampOf(engine: Engine, info: CommitInfo | undefined, file: FileInfo): Promise<number> {
  if (info?.inCommitTimestamp !== undefined || info?.timestamp !== undefined) return commitTimestamp(info, -1);
  return file.mtime >= 0 ? file.mtime : (await engine.storage.stat(file.path)).mtime;
}

export async function readCommit(engine: Engine, file: FileInfo): Promise<Action[]> {
  let text: string;
  try {
    text = await engine.storage.readText(file.path);
  } catch (e) {
    throw new LogCorruptError(file.path, (e as Error).message);
  }
  return parseCommit(text, (detail) => {
    throw new LogCorruptError(file.path, detail);
  });
}

export async function loadSnapshot(engine: Engine, tableRoot: string, opts: LoadOptions = {}): Promise<Snapshot> {
  const listing = await listLog(engine, tableRoot);
  let version = opts.version;
  if (opts.timestamp !== undefined) version = await versionAtTimestamp(engine, tableRoot, listing, opts.timestamp);
  const segment = buildSegment(listing, tableRoot, version);
  const state = emptyState();
  if (segment.checkpoint) {
    let actions: Action[];
    try {
      actions = await engine.readCheckpointActions(segment.checkpoint.files.map((f) => f.path));
    } catch (e) {
      if (e instanceof LakehouseError) throw e;
      throw new LogCorruptError(segment.checkpoint.files[0]!.path, (e as Error).message);
    }
    applyActions(state, actions);
  }
  let timestamp = segment.checkpoint ? (await engine.storage.stat(segment.checkpoint.files[0]!.path)).mtime : 0;
  let lastInfo: CommitInfo | undefined;
  for (const file of segment.commits) {
    lastInfo = applyActions(state, await readCommit(engine, file));
  }
  const lastFile = segment.commits[segment.commits.length - 1] ?? listing.commits.get(segment.version);
  if (segment.commits.length === 0 && lastFile) lastInfo = (await readCommit(engine, lastFile)).find((a) => a.commitInfo)?.commitInfo;
  if (lastFile) timestamp = await timestampOf(engine, lastInfo, lastFile);
  const snap = new Snapshot({ tableRoot, version: segment.version, state, timestamp, lastCommitInfo: lastInfo });
  checkReadable(snap.protocol, tableRoot);
  return snap;
}

function cloneState(s: TableState): TableState {
  return { protocol: s.protocol, metadata: s.metadata, files: new Map(s.files), tombstones: new Map(s.tombstones), txns: new Map(s.txns), domains: new Map(s.domains) };
}

/**
 * Returns a snapshot at the latest version, reusing `snap` and applying only newer commits.
 * Checks for the next commit file first so an unchanged table costs one existence check.
 */
export async function updateSnapshot(engine: Engine, snap: Snapshot): Promise<Snapshot> {
  const next = `${snap.tableRoot}/${LOG_DIR}/${commitFileName(snap.version + 1)}`;
  if (!(await engine.storage.exists(next))) return snap;
  const listing = await listLog(engine, snap.tableRoot);
  const latest = latestVersionOf(listing);
  const state = cloneState(snap.state);
  let timestamp = snap.timestamp;
  let lastInfo = snap.lastCommitInfo;
  for (let v = snap.version + 1; v <= latest; v++) {
    const f = listing.commits.get(v);
    if (!f) return loadSnapshot(engine, snap.tableRoot);
    lastInfo = applyActions(state, await readCommit(engine, f));
    timestamp = await timestampOf(engine, lastInfo, f);
  }
  const out = new Snapshot({ tableRoot: snap.tableRoot, version: latest, state, timestamp, lastCommitInfo: lastInfo });
  checkReadable(out.protocol, snap.tableRoot);
  return out;
}

export interface CommitRecord {
  version: number;
  timestamp: number;
  info?: CommitInfo;
  actions: Action[];
}

/** Reads the commits in [from, to] that still exist, ascending. */
export async function readCommits(engine: Engine, tableRoot: string, from: number, to: number, listing?: LogListing): Promise<CommitRecord[]> {
  const l = listing ?? (await listLog(engine, tableRoot));
  const out: CommitRecord[] = [];
  let prevTs = -Infinity;
  for (let v = Math.max(from, 0); v <= to; v++) {
    const f = l.commits.get(v);
    if (!f) continue;
    const actions = await readCommit(engine, f);
    const info = actions.find((a) => a.commitInfo)?.commitInfo;
    // Delta makes commit times monotonic so time travel is well defined even with clock skew.
    const ts = Math.max(await timestampOf(engine, info, f), prevTs + 1);
    prevTs = ts;
    out.push({ version: v, timestamp: ts, info, actions });
  }
  return out;
}

export class TimestampOutOfRangeError extends LakehouseError {
  constructor(code: string, message: string, params: Record<string, unknown>) {
    super(code, message, params);
  }
}

/** The latest version whose commit timestamp is at or before `ts` (Delta's TIMESTAMP AS OF). */
export async function versionAtTimestamp(engine: Engine, tableRoot: string, listing: LogListing, ts: number): Promise<number> {
  const earliest = earliestVersionOf(listing);
  const latest = latestVersionOf(listing);
  const commits = await readCommits(engine, tableRoot, earliest, latest, listing);
  if (commits.length === 0) throw new VersionNotFoundErrorForTs(ts);
  const first = commits[0]!;
  const last = commits[commits.length - 1]!;
  const iso = (n: number) => new Date(n).toISOString();
  if (ts < first.timestamp) {
    throw new TimestampOutOfRangeError("DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION", `The provided timestamp (${iso(ts)}) is before the earliest version available to this table (${iso(first.timestamp)}). Use a timestamp after ${iso(first.timestamp)}.`, { ts, earliest: first.timestamp });
  }
  if (ts > last.timestamp) {
    throw new TimestampOutOfRangeError("DELTA_TIMESTAMP_GREATER_THAN_COMMIT", `The provided timestamp (${iso(ts)}) is after the latest version available to this table (${iso(last.timestamp)}). Use a timestamp before or at ${iso(last.timestamp)}.`, { ts, latest: last.timestamp });
  }
  let version = first.version;
  for (const c of commits) if (c.timestamp <= ts) version = c.version;
  return version;
}

class VersionNotFoundErrorForTs extends LakehouseError {
  constructor(ts: number) {
    super("DELTA_TABLE_NOT_FOUND", `The table has no readable commits to resolve timestamp ${new Date(ts).toISOString()}. Check the table path.`, { ts });
  }
}
