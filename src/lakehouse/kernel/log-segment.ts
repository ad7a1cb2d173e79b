/**
 * Finding the files that make up one version of a table: the newest complete checkpoint at or
 * below the version, then every commit after it. `_last_checkpoint` is only a hint, so the
 * directory listing is the source of truth (a stale hint must not hide newer checkpoints).
 */
import { LakehouseError } from "../errors.js";
import type { FileInfo } from "./engine.js";

export const LOG_DIR = "_delta_log";

export interface CheckpointRef {
  version: number;
  /** All parts, ordered. Classic checkpoints have one part. */
  files: FileInfo[];
}

export interface LogListing {
  commits: Map<number, FileInfo>;
  checkpoints: CheckpointRef[];
}

export interface LogSegment {
  version: number;
  checkpoint?: CheckpointRef;
  /** Commits after the checkpoint (or from 0), ascending and contiguous. */
  commits: FileInfo[];
}

export class TableNotFoundError extends LakehouseError {
  constructor(path: string) {
    super("DELTA_TABLE_NOT_FOUND", `No Delta table at ${path}: it has no _delta_log commits. Create it first (CREATE TABLE … or df.write.format("delta").save(path)) or check the path.`, { path });
  }
}

export class VersionNotFoundError extends LakehouseError {
  constructor(requested: number, earliest: number, latest: number) {
    super("DELTA_VERSION_NOT_FOUND", `Cannot time travel Delta table to version ${requested}. Available versions: [${earliest}, ${latest}]. Pick a version in that range (DESCRIBE HISTORY lists them).`, { requested, earliest, latest });
  }
}

export class LogCorruptError extends LakehouseError {
  constructor(file: string, detail: string) {
    super("DELTA_LOG_CORRUPT", `The transaction log file ${file} is unreadable: ${detail}. Restore the file from a backup, or RESTORE the table to an earlier version that does not need it.`, { file });
  }
}

export function commitFileName(version: number): string {
  return `${String(version).padStart(20, "0")}.json`;
}

export function checkpointFileName(version: number): string {
  return `${String(version).padStart(20, "0")}.checkpoint.parquet`;
}

const COMMIT_RE = /^(\d{20})\.json$/;
const CLASSIC_CP_RE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTI_CP_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

/** Classifies a `_delta_log` listing. Unknown entries (.crc, .tmp/, V2 sidecars) are ignored. */
export function classifyLog(entries: FileInfo[]): LogListing {
  const commits = new Map<number, FileInfo>();
  const multi = new Map<string, { version: number; total: number; parts: Map<number, FileInfo> }>();
  const checkpoints: CheckpointRef[] = [];
  for (const e of entries) {
    let m = COMMIT_RE.exec(e.name);
    if (m) { commits.set(Number(m[1]), e); continue; }
    m = CLASSIC_CP_RE.exec(e.name);
    if (m) { checkpoints.push({ version: Number(m[1]), files: [e] }); continue; }
    m = MULTI_CP_RE.exec(e.name);
    if (m) {
      const key = `${m[1]}/${m[3]}`;
      const entry = multi.get(key) ?? { version: Number(m[1]), total: Number(m[3]), parts: new Map() };
      entry.parts.set(Number(m[2]), e);
      multi.set(key, entry);
    }
  }
  for (const set of multi.values()) {
    // A multi-part checkpoint with a missing part is incomplete (a writer died): skip it.
    if (set.parts.size !== set.total) continue;
    const files = [...set.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
    checkpoints.push({ version: set.version, files });
  }
  checkpoints.sort((a, b) => a.version - b.version);
  return { commits, checkpoints };
}

export function latestVersionOf(listing: LogListing): number {
  let latest = -1;
  for (const v of listing.commits.keys()) latest = Math.max(latest, v);
  for (const c of listing.checkpoints) latest = Math.max(latest, c.version);
  return latest;
}

/** The oldest version that can still be reconstructed (log cleanup may have removed early commits). */
export function earliestVersionOf(listing: LogListing): number {
  if (listing.commits.has(0)) return 0;
  const cp = listing.checkpoints[0];
  if (cp) return cp.version;
  let min = Infinity;
  for (const v of listing.commits.keys()) min = Math.min(min, v);
  return Number.isFinite(min) ? min : -1;
}

export function buildSegment(listing: LogListing, tablePath: string, target?: number): LogSegment {
  const latest = latestVersionOf(listing);
  if (latest < 0) throw new TableNotFoundError(tablePath);
  const version = target ?? latest;
  const earliest = earliestVersionOf(listing);
  if (version > latest || version < earliest || version < 0) throw new VersionNotFoundError(version, Math.max(earliest, 0), latest);
  let checkpoint: CheckpointRef | undefined;
  for (const cp of listing.checkpoints) if (cp.version <= version) checkpoint = cp;
  const from = checkpoint ? checkpoint.version + 1 : 0;
  const commits: FileInfo[] = [];
  for (let v = from; v <= version; v++) {
    const f = listing.commits.get(v);
    if (!f) {
      throw new LakehouseError("DELTA_VERSIONS_NOT_CONTIGUOUS", `Versions are not contiguous: ${LOG_DIR}/${commitFileName(v)} is missing while later commits exist. The log was damaged; restore the file or RESTORE to a version before ${v}.`, { missing: v });
    }
    commits.push(f);
  }
  return { version, checkpoint, commits };
}
