/**
 * The Change Data Feed: `table_changes('t', start[, end])`, the row-level changes of each
 * commit in a version range, as one DuckDB SELECT.
 *
 * With `delta.enableChangeDataFeed = true`, writers record what every commit changed
 * (PROTOCOL.md "Change Data Files"). Reading it back, per commit:
 *   - a commit with `cdc` actions: its changes are exactly the rows of those `_change_data`
 *     files, which carry a `_change_type` column (`insert`, `delete`, `update_preimage`,
 *     `update_postimage`); their partition values come from the `cdc` action, as for data files;
 *   - any other commit: each `add` with dataChange=true contributes its rows as `insert`, each
 *     `remove` with dataChange=true the rows of the removed file as `delete` (appends and
 *     whole-file deletes need no change files, the data files already say it all). Commits
 *     whose actions all have dataChange=false (OPTIMIZE, VACUUM) contribute nothing. When a
 *     commit swaps a file's deletion vector (remove + add of the same path), only the rows that
 *     differ between the two views of the file are changes.
 * Every row also gets `_commit_version` and `_commit_timestamp` (the commit's timestamp, as
 * DESCRIBE HISTORY shows it). Rows use the schema of the last version read; columns a file
 * lacks read as NULL.
 *
 * The feed only exists for commits made while the property was on: reading a range that
 * includes a commit made without it fails (DELTA_MISSING_CHANGE_DATA) rather than returning an
 * incomplete feed. A timestamp range maps to versions like Databricks does: the start is the
 * first commit at or after the start timestamp, the end the last commit at or before the end one.
 */
import { LakehouseError } from "../errors.js";
import type { AddFile, Metadata, Protocol, RemoveFile } from "../kernel/actions.js";
import { earliestVersionOf, latestVersionOf, type LogListing } from "../kernel/log-segment.js";
import { emptyState } from "../kernel/replay.js";
import { schemaToString, toDuckType, type StructType } from "../kernel/schema.js";
import { listLog, loadSnapshot, readCommits, Snapshot, type CommitRecord } from "../kernel/snapshot.js";
import { buildScanSql, dataFilePath } from "../engine/scan.js";
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import type { OpContext, TableTarget } from "./context.js";

export interface ChangeDataRequest {
  startVersion?: number;
  endVersion?: number;
  /** Epoch milliseconds. */
  startTimestamp?: number;
  /** Epoch milliseconds. */
  endTimestamp?: number;
}

export const CHANGE_TYPE_COL = "_change_type";
export const COMMIT_VERSION_COL = "_commit_version";
export const COMMIT_TIMESTAMP_COL = "_commit_timestamp";
const CDF_PROPERTY = "delta.enableChangeDataFeed";

export class MissingChangeDataError extends LakehouseError {
  constructor(table: string, start: number, end: number, version: number) {
    super("DELTA_MISSING_CHANGE_DATA", `Error getting change data for range [${start}, ${end}] of ${table}: change data was not recorded for version ${version}, because ${CDF_PROPERTY} was not true when it was committed. Read a range that starts after the change data feed was enabled (DESCRIBE HISTORY shows the SET TBLPROPERTIES commit); to record changes from now on, run ALTER TABLE ${table} SET TBLPROPERTIES (${CDF_PROPERTY} = true).`, { start, end, version }, "KD002");
  }
}

export class InvalidCdfRangeError extends LakehouseError {
  constructor(start: number, end: number) {
    super("DELTA_INVALID_CDC_RANGE", `CDC range from start ${start} to end ${end} was invalid: the end cannot be before the start. Swap the bounds, or leave the end out to read up to the latest version.`, { start, end }, "22003");
  }
}

export class CdfStartAfterLatestError extends LakehouseError {
  constructor(table: string, start: number, latest: number) {
    super("DELTA_VERSION_NOT_FOUND", `Cannot read change data of ${table} from version ${start}: the start version cannot be greater than the latest version of the table (${latest}). Start at or before version ${latest} (DESCRIBE HISTORY lists the versions).`, { start, latest }, "22003");
  }
}

export class CdfCommitMissingError extends LakehouseError {
  constructor(table: string, version: number) {
    super("DELTA_VERSION_NOT_FOUND", `Cannot read change data of ${table} for version ${version}: its commit file is no longer in the transaction log (log cleanup removes commits older than delta.logRetentionDuration). Read a range starting after version ${version}.`, { version }, "22003");
  }
}

export class CdfInvalidOptionError extends LakehouseError {
  constructor(message: string) {
    super("INVALID_CDC_OPTION", message, {}, "42K03");
  }
}

export class CdfTimestampOutOfRangeError extends LakehouseError {
  constructor(code: string, message: string, params: Record<string, unknown>) {
    super(code, message, params, "22003");
  }
}

export class ChangeDataFileNotFoundError extends LakehouseError {
  constructor(path: string, version: number) {
    super("DELTA_CHANGE_DATA_FILE_NOT_FOUND", `File ${path}, referenced by version ${version} of the transaction log, cannot be found. VACUUM deletes files once they are older than the retention period, and change data files with them. Read a more recent range of versions.`, { path, version }, "42K03");
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A snapshot-shaped object whose "live files" are the files to read, for buildScanSql. */
function readerSnapshot(root: string, version: number, protocol: Protocol, metadata: Metadata, schema: StructType, files: AddFile[]): Snapshot {
  const state = emptyState();
  state.protocol = protocol;
  state.metadata = { ...metadata, schemaString: schemaToString(schema) };
  files.forEach((f, i) => state.files.set(`${i}\u0000${f.path}`, f));
  return new Snapshot({ tableRoot: root, version, state, timestamp: 0 });
}

function asAdd(r: RemoveFile): AddFile {
  return {
    path: r.path,
    partitionValues: r.partitionValues ?? {},
    size: Number(r.size ?? 0),
    modificationTime: 0,
    dataChange: true,
    ...(r.deletionVector ? { deletionVector: r.deletionVector } : {}),
  };
}

/** Resolves the version range from versions and/or timestamps. */
async function resolveRange(ctx: OpContext, target: TableTarget, req: ChangeDataRequest, listing: LogListing): Promise<{ start: number; end: number; commits?: CommitRecord[] }> {
  const latest = latestVersionOf(listing);
  const earliest = earliestVersionOf(listing);
  if (req.startVersion !== undefined && req.startTimestamp !== undefined) {
    throw new CdfInvalidOptionError("Cannot specify both a start version and a start timestamp for a change data query. Use either startingVersion or startingTimestamp.");
  }
  if (req.endVersion !== undefined && req.endTimestamp !== undefined) {
    throw new CdfInvalidOptionError("Cannot specify both an end version and an end timestamp for a change data query. Use either endingVersion or endingTimestamp.");
  }
  if (req.startVersion === undefined && req.startTimestamp === undefined) {
    throw new CdfInvalidOptionError(`A change data query needs a start: table_changes('${target.name}', <startVersion or startTimestamp>[, <end>]).`);
  }
  for (const v of [req.startVersion, req.endVersion]) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new CdfInvalidOptionError(`Change data versions must be non-negative integers, got ${v}. DESCRIBE HISTORY lists the versions.`);
  }
  let commits: CommitRecord[] | undefined;
  let start = req.startVersion ?? 0;
  let end = req.endVersion ?? latest;
  if (req.startTimestamp !== undefined || req.endTimestamp !== undefined) {
    // Timestamps are made monotonic over the whole log, as for TIMESTAMP AS OF.
    let from = earliest;
    for (const v of listing.commits.keys()) from = Math.min(from, v);
    commits = await readCommits(ctx.engine, target.root, from, latest, listing);
    const first = commits[0];
    const last = commits[commits.length - 1];
    if (!first || !last) throw new CdfStartAfterLatestError(target.name, start, latest);
    if (req.startTimestamp !== undefined) {
      const ts = req.startTimestamp;
      const c = commits.find((x) => x.timestamp >= ts);
      if (!c) throw new CdfTimestampOutOfRangeError("DELTA_TIMESTAMP_GREATER_THAN_COMMIT", `The provided timestamp (${iso(ts)}) is after the latest version available to this table (${iso(last.timestamp)}). Use a timestamp before or at ${iso(last.timestamp)}.`, { ts, latest: last.timestamp });
      start = c.version;
    }
    if (req.endTimestamp !== undefined) {
      const ts = req.endTimestamp;
      const before = commits.filter((x) => x.timestamp <= ts);
      if (before.length === 0) throw new CdfTimestampOutOfRangeError("DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION", `The provided timestamp (${iso(ts)}) is before the earliest version available to this table (${iso(first.timestamp)}). Use a timestamp after ${iso(first.timestamp)}.`, { ts, earliest: first.timestamp });
      end = before[before.length - 1]!.version;
    }
  }
  if (start > latest) throw new CdfStartAfterLatestError(target.name, start, latest);
  // Delta reads up to the latest version when the end is beyond it.
  end = Math.min(end, latest);
  if (end < start) throw new InvalidCdfRangeError(start, end);
  return { start, end, commits: commits?.filter((c) => c.version >= start && c.version <= end) };
}

/** The SELECT returning the table's columns plus _change_type, _commit_version and _commit_timestamp. */
export async function changeDataSql(ctx: OpContext, target: TableTarget, req: ChangeDataRequest): Promise<string> {
  const listing = await listLog(ctx.engine, target.root);
  const { start, end, commits: pre } = await resolveRange(ctx, target, req, listing);
  // The metaData in effect at each commit decides whether it recorded change data.
  const startSnap = await loadSnapshot(ctx.engine, target.root, { version: start });
  const endSnap = target.snapshot?.version === end ? target.snapshot : await loadSnapshot(ctx.engine, target.root, { version: end });
  const commits = pre ?? (await readCommits(ctx.engine, target.root, start, end, listing));
  const seen = new Set(commits.map((c) => c.version));
  for (let v = start; v <= end; v++) if (!seen.has(v)) throw new CdfCommitMissingError(target.name, v);

  const schema = endSnap.schema;
  const cdcSchema: StructType = { type: "struct", fields: [...schema.fields, { name: CHANGE_TYPE_COL, type: "string", nullable: true, metadata: {} }] };
  const cols = schema.fields.map((f) => quoteIdent(f.name)).join(", ");
  const root = target.root;
  let meta = startSnap.metadata;
  const parts: string[] = [];

  const checkExists = async (files: { path: string }[], version: number) => {
    for (const f of files) {
      const p = dataFilePath(root, f.path);
      if (!(await ctx.engine.storage.exists(p))) throw new ChangeDataFileNotFoundError(p, version);
    }
  };
  const scan = async (files: AddFile[], version: number, withChangeType: boolean) =>
    buildScanSql(ctx.scan, readerSnapshot(root, version, endSnap.protocol, endSnap.metadata, withChangeType ? cdcSchema : schema, files), { files });

  for (const c of commits) {
    for (const a of c.actions) if (a.metaData) meta = a.metaData;
    if ((meta.configuration ?? {})[CDF_PROPERTY] !== "true") throw new MissingChangeDataError(target.name, start, end, c.version);
    const extra = `CAST(${c.version} AS BIGINT) AS ${COMMIT_VERSION_COL}, CAST(${quoteString(iso(c.timestamp))} AS TIMESTAMPTZ) AS ${COMMIT_TIMESTAMP_COL}`;
    const cdcs = c.actions.flatMap((a) => (a.cdc ? [a.cdc] : []));
    if (cdcs.length) {
      await checkExists(cdcs, c.version);
      const files: AddFile[] = cdcs.map((x) => ({ path: x.path, partitionValues: x.partitionValues ?? {}, size: Number(x.size), modificationTime: 0, dataChange: false }));
      parts.push(`SELECT ${cols}, CAST(${CHANGE_TYPE_COL} AS VARCHAR) AS ${CHANGE_TYPE_COL}, ${extra} FROM (${await scan(files, c.version, true)}) AS __cdc`);
      continue;
    }
    const adds = c.actions.flatMap((a) => (a.add && a.add.dataChange ? [a.add] : []));
    const removes = c.actions.flatMap((a) => (a.remove && a.remove.dataChange ? [a.remove] : []));
    if (adds.length === 0 && removes.length === 0) continue;
    // A remove without partition values (extendedFileMetadata off) takes them from the add it removes.
    const previous = endSnap.partitionColumns.length && c.version > 0 && removes.some((r) => !r.partitionValues)
      ? await loadSnapshot(ctx.engine, root, { version: c.version - 1 })
      : undefined;
    const removedAdds = removes.map((r) => {
      const a = asAdd(r);
      if (!r.partitionValues && previous) a.partitionValues = previous.files.find((f) => f.path === r.path)?.partitionValues ?? {};
      return a;
    });
    await checkExists([...adds, ...removedAdds], c.version);
    // Same path removed and re-added with another deletion vector: only the difference changed.
    const addPaths = new Set(adds.map((a) => a.path));
    const removePaths = new Set(removedAdds.map((r) => r.path));
    const swapped = new Set([...addPaths].filter((p) => removePaths.has(p)));
    const plainAdds = adds.filter((a) => !swapped.has(a.path));
    const plainRemoves = removedAdds.filter((r) => !swapped.has(r.path));
    if (plainAdds.length) parts.push(`SELECT ${cols}, 'insert' AS ${CHANGE_TYPE_COL}, ${extra} FROM (${await scan(plainAdds, c.version, false)}) AS __ins`);
    if (plainRemoves.length) parts.push(`SELECT ${cols}, 'delete' AS ${CHANGE_TYPE_COL}, ${extra} FROM (${await scan(plainRemoves, c.version, false)}) AS __del`);
    for (const p of swapped) {
      const before = await scan(removedAdds.filter((r) => r.path === p), c.version, false);
      const after = await scan(adds.filter((a) => a.path === p), c.version, false);
      parts.push(`SELECT ${cols}, 'delete' AS ${CHANGE_TYPE_COL}, ${extra} FROM ((SELECT ${cols} FROM (${before}) AS __b) EXCEPT ALL (SELECT ${cols} FROM (${after}) AS __a)) AS __dvdel`);
      parts.push(`SELECT ${cols}, 'insert' AS ${CHANGE_TYPE_COL}, ${extra} FROM ((SELECT ${cols} FROM (${after}) AS __a) EXCEPT ALL (SELECT ${cols} FROM (${before}) AS __b)) AS __dvins`);
    }
  }

  if (parts.length === 0) {
    const nulls = schema.fields.map((f) => `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`);
    return `SELECT ${[...nulls, `CAST(NULL AS VARCHAR) AS ${CHANGE_TYPE_COL}`, `CAST(NULL AS BIGINT) AS ${COMMIT_VERSION_COL}`, `CAST(NULL AS TIMESTAMPTZ) AS ${COMMIT_TIMESTAMP_COL}`].join(", ")} WHERE false`;
  }
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join("\nUNION ALL\n");
}
