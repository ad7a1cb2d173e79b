/**
 * Committing to the Delta log: optimistic concurrency with put-if-absent.
 *
 *        prepare ──► attempt v = readVersion+1 ──► putIfAbsent(_delta_log/v.json)
 *                          ▲                              │ exists?
 *                          │ no conflict: v = latest+1     ▼
 *                          └──────── check each winning commit (conflict-checker)
 *                                                         │ conflict
 *                                                         ▼
 *                                               typed Concurrent…Error
 *        committed ──► checkpoint every `delta.checkpointInterval` (10) commits
 *
 * The log store guarantee we rely on (see Storage.putIfAbsent): a commit file appears whole or
 * not at all and is never overwritten, so a writer killed mid-commit leaves the table at its
 * last good version, and two writers can never both win version v.
 */
import { randomUUID } from "node:crypto";
import { LakehouseError } from "../errors.js";
import type { Action, CommitInfo } from "./actions.js";
import { checkConflicts, type TxnFootprint } from "./conflict-checker.js";
import type { Engine } from "./engine.js";
import { checkpointFileName, commitFileName, latestVersionOf, LOG_DIR } from "./log-segment.js";
import { applyActions, emptyState, type TableState } from "./replay.js";
import { listLog, readCommit, Snapshot, updateSnapshot } from "./snapshot.js";

export const ENGINE_INFO = "c360-lab/0.1.0 (Delta kernel in TypeScript on DuckDB)";

export interface CommitRequest {
  operation: string;
  operationParameters: Record<string, unknown>;
  operationMetrics?: Record<string, number | string | bigint>;
  actions: Action[];
  footprint: Omit<TxnFootprint, "readVersion" | "schema" | "partitionColumns"> & { readVersion?: number };
  userMetadata?: string;
}

export interface CommitResult {
  version: number;
  attempts: number;
  snapshot: Snapshot;
  commitInfo: CommitInfo;
}

export class TableAlreadyExistsError extends LakehouseError {
  constructor(path: string) {
    super("DELTA_TABLE_ALREADY_EXISTS", `A Delta table already exists at ${path}. Use CREATE OR REPLACE TABLE, mode("overwrite"), or choose another location.`, { path }, "42P07");
  }
}

export class CommitRetriesExhaustedError extends LakehouseError {
  constructor(path: string, attempts: number) {
    super("DELTA_MAX_COMMIT_RETRIES_EXCEEDED", `Gave up committing to ${path} after ${attempts} attempts because other writers kept winning. Retry later or reduce the number of concurrent writers.`, { path, attempts });
  }
}

const MAX_ATTEMPTS = 10_000;

function stringifyParam(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
}

export function buildCommitInfo(req: CommitRequest, readVersion: number | undefined): CommitInfo {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.operationParameters)) if (v !== undefined) params[k] = stringifyParam(v);
  const metrics: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.operationMetrics ?? {})) metrics[k] = String(v);
  const info: CommitInfo = {
    timestamp: Date.now(),
    operation: req.operation,
    operationParameters: params,
    ...(readVersion !== undefined && readVersion >= 0 ? { readVersion } : {}),
    isolationLevel: req.footprint.isolationLevel,
    isBlindAppend: req.footprint.isBlindAppend,
    operationMetrics: metrics,
    engineInfo: ENGINE_INFO,
    txnId: randomUUID(),
  };
  if (req.userMetadata) info.userMetadata = req.userMetadata;
  return info;
}

function serialize(actions: Action[]): string {
  return actions.map((a) => JSON.stringify(a)).join("\n") + "\n";
}

/**
 * Commits `req` on top of `snapshot` (or creates the table when `snapshot` is undefined).
 * Returns the committed version and the snapshot after it.
 */
export async function commit(engine: Engine, tableRoot: string, snapshot: Snapshot | undefined, req: CommitRequest): Promise<CommitResult> {
  const logDir = `${tableRoot}/${LOG_DIR}`;
  await engine.storage.mkdirs(logDir);
  const readVersion = snapshot?.version ?? -1;
  const info = buildCommitInfo(req, snapshot ? readVersion : undefined);
  const actions: Action[] = [{ commitInfo: info }, ...orderActions(req.actions)];
  const footprint: TxnFootprint = {
    ...req.footprint,
    readVersion,
    schema: snapshot?.schema ?? { type: "struct", fields: [] },
    partitionColumns: snapshot?.partitionColumns ?? [],
  };
  let attempt = readVersion + 1;
  for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts++) {
    const ok = await engine.storage.putIfAbsent(`${logDir}/${commitFileName(attempt)}`, serialize(actions));
    if (ok) {
      const committed = attempt === readVersion + 1 && snapshot
        ? nextSnapshot(snapshot, actions, attempt, info)
        : attempt === 0
          ? new Snapshot({ tableRoot, version: 0, state: stateOf(actions), timestamp: info.timestamp!, lastCommitInfo: info })
          : await updateSnapshot(engine, snapshot!);
      await maybeCheckpoint(engine, committed);
      return { version: attempt, attempts, snapshot: committed, commitInfo: info };
    }
    if (!snapshot) throw new TableAlreadyExistsError(tableRoot);
    // Lost the race: check every commit that won since our read, then try after the newest.
    const listing = await listLog(engine, tableRoot);
    const latest = latestVersionOf(listing);
    for (let v = attempt; v <= latest; v++) {
      const f = listing.commits.get(v);
      if (!f) continue;
      checkConflicts(footprint, { version: v, actions: await readCommit(engine, f) });
    }
    attempt = latest + 1;
  }
  throw new CommitRetriesExhaustedError(tableRoot, MAX_ATTEMPTS);
}

/** protocol and metaData first, then the rest in the order given. */
function orderActions(actions: Action[]): Action[] {
  const rank = (a: Action) => (a.protocol ? 0 : a.metaData ? 1 : a.txn ? 2 : 3);
  return [...actions].sort((a, b) => rank(a) - rank(b));
}

function stateOf(actions: Action[]): TableState {
  const s = emptyState();
  applyActions(s, actions);
  return s;
}

function nextSnapshot(snap: Snapshot, actions: Action[], version: number, info: CommitInfo): Snapshot {
  const state: TableState = { protocol: snap.state.protocol, metadata: snap.state.metadata, files: new Map(snap.state.files), tombstones: new Map(snap.state.tombstones), txns: new Map(snap.state.txns), domains: new Map(snap.state.domains) };
  applyActions(state, actions);
  return new Snapshot({ tableRoot: snap.tableRoot, version, state, timestamp: info.timestamp!, lastCommitInfo: info });
}

export function checkpointInterval(conf: Record<string, string>): number {
  const n = Number(conf["delta.checkpointInterval"] ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/** Milliseconds in a Delta interval string such as "interval 7 days" or "168 hours". */
export function parseInterval(s: string | undefined, fallbackMs: number): number {
  if (!s) return fallbackMs;
  const m = /^\s*(?:interval\s+)?(\d+(?:\.\d+)?)\s*(milliseconds?|ms|seconds?|s|minutes?|m|hours?|h|days?|d|weeks?|w)\s*$/i.exec(s);
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  const mult = unit.startsWith("ms") || unit.startsWith("milli") ? 1 : unit.startsWith("s") ? 1e3 : unit.startsWith("mi") || unit === "m" ? 6e4 : unit.startsWith("h") ? 3.6e6 : unit.startsWith("d") ? 8.64e7 : 6.048e8;
  return n * mult;
}

export const DEFAULT_DELETED_FILE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Writes a classic checkpoint for `snap` if its version is on the interval. */
export async function maybeCheckpoint(engine: Engine, snap: Snapshot): Promise<void> {
  if (snap.version === 0 || snap.version % checkpointInterval(snap.configuration) !== 0) return;
  await writeCheckpoint(engine, snap);
}

export async function writeCheckpoint(engine: Engine, snap: Snapshot): Promise<void> {
  const retention = parseInterval(snap.configuration["delta.deletedFileRetentionDuration"], DEFAULT_DELETED_FILE_RETENTION_MS);
  const horizon = Date.now() - retention;
  const actions: Action[] = [{ protocol: snap.protocol }, { metaData: snap.metadata }];
  for (const t of snap.txns) actions.push({ txn: t });
  for (const d of snap.domains) actions.push({ domainMetadata: d });
  for (const f of snap.files) actions.push({ add: { ...f, dataChange: false } });
  // Tombstones stay until VACUUM may delete their files, so VACUUM still sees them after a checkpoint.
  for (const r of snap.tombstones) if ((r.deletionTimestamp ?? 0) > horizon) actions.push({ remove: { ...r, dataChange: false } });
  const logDir = `${snap.tableRoot}/${LOG_DIR}`;
  const path = `${logDir}/${checkpointFileName(snap.version)}`;
  const { sizeInBytes } = await engine.writeCheckpoint(path, actions);
  const hint = { version: snap.version, size: actions.length, sizeInBytes, numOfAddFiles: snap.numFiles };
  await engine.storage.writeAtomic(`${logDir}/_last_checkpoint`, JSON.stringify(hint));
}
