/**
 * A Delta table as a streaming source: `spark.readStream.table("t")` or
 * `spark.readStream.format("delta").load(path)`.
 *
 * What Delta does, and this source does the same way:
 *   - Without a starting option the first batches read the table's snapshot at the version the
 *     stream started from (its files, `isStartingVersion: true`), then every later commit.
 *     `startingVersion` (a version or "latest") / `startingTimestamp` skip the snapshot and
 *     read the commits from that version on.
 *   - Each commit contributes the files it added with dataChange=true: the appended rows.
 *     A commit that also removes data (UPDATE, DELETE, MERGE, overwrite) cannot be expressed as
 *     appends, so the stream FAILS (DELTA_SOURCE_TABLE_IGNORE_CHANGES, or
 *     DELTA_SOURCE_IGNORE_DELETE for pure deletes) unless `skipChangeCommits` is true (skip such
 *     commits entirely), `ignoreDeletes` (skip commits that only delete) or the deprecated
 *     `ignoreChanges` (re-emit rewritten files: duplicates downstream). Commits with only
 *     dataChange=false actions (OPTIMIZE) contribute nothing.
 *   - `readChangeFeed: true` emits the change data feed instead: every row change with
 *     `_change_type` (insert, delete, update_preimage, update_postimage), `_commit_version` and
 *     `_commit_timestamp` — the initial snapshot as inserts. Needs delta.enableChangeDataFeed.
 *   - Rate limits: `maxFilesPerTrigger` (default 1000) and `maxBytesPerTrigger` (soft). Like
 *     Delta, a large commit can be split over batches; with readChangeFeed whole commits are
 *     admitted (at least one per batch).
 *   - The offset is Delta's: {sourceVersion, reservoirId (table id), reservoirVersion, index,
 *     isStartingVersion}, meaning "everything up to file `index` of version `reservoirVersion`
 *     has been read".
 *   - A schema change (new metaData) after the stream started fails the stream
 *     (DELTA_SCHEMA_CHANGED_WITH_VERSION); restarting picks up the new schema.
 *
 * All reads go through the session: the snapshot and log via `spark.snapshotOf`/the session's
 * engine, rows via the session's scan SQL and change-data SQL.
 */
import { LakehouseError } from "../errors.js";
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import { buildScanSql } from "../engine/scan.js";
import type { AddFile } from "../kernel/actions.js";
import { emptyState } from "../kernel/replay.js";
import { parseSchemaString, schemaToString, toDuckType, typeEquals, type StructType } from "../kernel/schema.js";
import { listLog, readCommits, Snapshot, type CommitRecord } from "../kernel/snapshot.js";
import { latestVersionOf } from "../kernel/log-segment.js";
import { changeDataSql, CHANGE_TYPE_COL, COMMIT_TIMESTAMP_COL, COMMIT_VERSION_COL } from "../operations/cdf.js";
import type { TableTarget } from "../operations/context.js";
import type { TableRef } from "../sql/parser/ast.js";
import type { Field } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";
import { DeltaSourceChangeError, InvalidStreamingOptionError } from "./errors.js";
import type { ReadLimit, SourceContext, SourceFactory, SourceOffset, StreamSource } from "./source.js";

export interface DeltaOffset extends SourceOffset {
  sourceVersion: 1;
  reservoirId: string;
  reservoirVersion: number;
  index: number;
  isStartingVersion: boolean;
}

interface Position {
  version: number;
  index: number;
  isStartingVersion: boolean;
}

interface Unit {
  pos: Position;
  /** A data file (snapshot file or appended file). */
  file?: AddFile;
  /** A whole commit (readChangeFeed). */
  commit?: CommitRecord;
  weight: number;
  bytes: number;
}

// Options a Delta source does not know are ignored, as Spark does; these are known but not supported here.
const UNSUPPORTED: Record<string, string> = {
  witheventtimeorder: "withEventTimeOrder is not supported by this local engine: the initial snapshot is read in file order. Leave it out.",
  schematrackinglocation: "schemaTrackingLocation (non-additive schema evolution with column mapping) is not supported by this local engine. Restart the stream after a schema change instead.",
  excluderegex: "excludeRegex is not supported by this local engine. Filter the rows in the query instead.",
};

function parseBytes(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(v);
  if (!m) throw new InvalidStreamingOptionError(`maxBytesPerTrigger: cannot parse '${v}'. Use a number of bytes or a size such as "10m" or "1g".`, { value: v });
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  return Number(m[1]) * mult;
}

function cmp(a: Position, b: Position): number {
  if (a.isStartingVersion !== b.isStartingVersion && a.version === b.version) return a.isStartingVersion ? -1 : 1;
  return a.version - b.version || a.index - b.index;
}

/** The columns of `schema` with DuckDB types. */
function fieldsOf(schema: StructType): Field[] {
  return schema.fields.map((f) => ({ name: f.name, type: toDuckType(f.type) }));
}

export class DeltaSourceFactory implements SourceFactory {
  readonly description: string;
  constructor(private readonly spark: SparkSession, private readonly ref: TableRef, private readonly options: Record<string, string>) {
    this.description = `DeltaSource[${ref.kind === "path" ? ref.path : ref.parts.join(".")}]`;
    for (const k of Object.keys(options)) {
      const lk = k.toLowerCase();
      if (UNSUPPORTED[lk]) throw new InvalidStreamingOptionError(UNSUPPORTED[lk]!, { option: k }, "STREAMING_UNSUPPORTED_OPTION");
    }
    // Validate eagerly, as readStream does on Databricks.
    new DeltaSource(spark, ref, options);
  }
  create(): StreamSource {
    return new DeltaSource(this.spark, this.ref, this.options);
  }
}

export class DeltaSource implements StreamSource {
  description: string;
  private readonly readChangeFeed: boolean;
  private readonly skipChangeCommits: boolean;
  private readonly ignoreDeletes: boolean;
  private readonly ignoreChanges: boolean;
  private readonly maxFiles: number;
  private readonly maxBytes: number | undefined;
  private readonly startingVersion: number | "latest" | undefined;
  private readonly startingTimestamp: string | undefined;
  private target!: TableTarget;
  private tableId = "";
  private readSchema!: StructType;
  private startVersion = 0;
  private initialVersion: number | undefined;
  private capVersion: number | undefined;
  private readonly commitCache = new Map<number, CommitRecord>();
  private readonly snapshotFiles = new Map<number, { snap: Snapshot; files: AddFile[] }>();

  constructor(private readonly spark: SparkSession, private readonly ref: TableRef, options: Record<string, string>) {
    const opt = (k: string): string | undefined => Object.entries(options).find(([x]) => x.toLowerCase() === k.toLowerCase())?.[1];
    const bool = (k: string): boolean => {
      const v = opt(k);
      if (v === undefined) return false;
      if (!/^(true|false)$/i.test(v)) throw new InvalidStreamingOptionError(`Option ${k} must be "true" or "false", got '${v}'.`, { option: k, value: v });
      return v.toLowerCase() === "true";
    };
    this.description = `DeltaSource[${ref.kind === "path" ? ref.path : ref.parts.join(".")}]`;
    this.readChangeFeed = bool("readChangeFeed") || bool("readChangeData");
    this.skipChangeCommits = bool("skipChangeCommits");
    this.ignoreDeletes = bool("ignoreDeletes");
    this.ignoreChanges = bool("ignoreChanges");
    const mf = opt("maxFilesPerTrigger");
    this.maxFiles = mf === undefined ? 1000 : Number(mf);
    if (!Number.isInteger(this.maxFiles) || this.maxFiles <= 0) throw new InvalidStreamingOptionError(`maxFilesPerTrigger must be a positive integer, got '${mf}'.`, { value: mf });
    const mb = opt("maxBytesPerTrigger");
    this.maxBytes = mb === undefined ? undefined : parseBytes(mb);
    const sv = opt("startingVersion");
    if (sv !== undefined) {
      if (sv.toLowerCase() === "latest") this.startingVersion = "latest";
      else if (/^\d+$/.test(sv.trim())) this.startingVersion = Number(sv);
      else throw new InvalidStreamingOptionError(`startingVersion must be a version number or "latest", got '${sv}'.`, { value: sv });
    }
    this.startingTimestamp = opt("startingTimestamp");
    if (this.startingVersion !== undefined && this.startingTimestamp !== undefined) {
      throw new InvalidStreamingOptionError("Please either provide 'startingVersion' or 'startingTimestamp', not both.", {}, "DELTA_STARTING_VERSION_AND_TIMESTAMP_BOTH_SET");
    }
  }

  async initialize(_ctx: SourceContext): Promise<Field[]> {
    const target = await this.spark.targetOf(this.ref);
    if (!target.snapshot) throw new LakehouseError("DELTA_TABLE_NOT_FOUND", `${target.name} is not a Delta table yet. Create it before starting the stream.`, { table: target.name });
    this.target = target;
    const snap = target.snapshot;
    this.tableId = snap.metadata.id;
    this.readSchema = snap.schema;
    this.startVersion = snap.version;
    this.description = `DeltaSource[${target.root}]`;
    const fields = fieldsOf(this.readSchema);
    if (this.readChangeFeed) {
      fields.push({ name: CHANGE_TYPE_COL, type: "VARCHAR" }, { name: COMMIT_VERSION_COL, type: "BIGINT" }, { name: COMMIT_TIMESTAMP_COL, type: "TIMESTAMP WITH TIME ZONE" });
    }
    return fields;
  }

  async prepareForTriggerAvailableNow(): Promise<void> {
    this.capVersion = await this.latestVersion();
  }

  private async latestVersion(): Promise<number> {
    return latestVersionOf(await listLog(this.spark.engine, this.target.root));
  }

  private async commit(v: number): Promise<CommitRecord | undefined> {
    let c = this.commitCache.get(v);
    if (!c) {
      c = (await readCommits(this.spark.engine, this.target.root, v, v))[0];
      if (c) this.commitCache.set(v, c);
    }
    return c;
  }

  private async snapshotAt(version: number): Promise<{ snap: Snapshot; files: AddFile[] }> {
    let s = this.snapshotFiles.get(version);
    if (!s) {
      const snap = await this.spark.snapshotOf(this.target.root, { version });
      // Delta reads the initial snapshot in modification-time order.
      const files = [...snap.files].sort((a, b) => a.modificationTime - b.modificationTime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      s = { snap, files };
      this.snapshotFiles.set(version, s);
    }
    return s;
  }

  private toPosition(o: SourceOffset): Position {
    const d = o as Partial<DeltaOffset>;
    if (d.reservoirId !== this.tableId) {
      throw new LakehouseError("DIFFERENT_DELTA_TABLE_READ_BY_STREAMING_SOURCE",
        `The streaming query was reading from an unexpected Delta table (id = '${this.tableId}'). It used to read from another Delta table (id = '${String(d.reservoirId)}') according to the checkpoint. This happens when the code now reads another table, or the table was deleted and re-created. Revert the change, or start with a new checkpoint location to read from scratch.`,
        { tableId: this.tableId, checkpointTableId: d.reservoirId });
    }
    return { version: Number(d.reservoirVersion), index: Number(d.index), isStartingVersion: d.isStartingVersion === true };
  }

  private toOffset(p: Position): DeltaOffset {
    return { sourceVersion: 1, reservoirId: this.tableId, reservoirVersion: p.version, index: p.index, isStartingVersion: p.isStartingVersion };
  }

  /** Where reading begins when the checkpoint has no offset yet. */
  private async initialPosition(): Promise<Position> {
    const latest = await this.latestVersion();
    if (this.startingVersion === "latest") return { version: latest + 1, index: -1, isStartingVersion: false };
    if (typeof this.startingVersion === "number") {
      if (this.startingVersion > latest) {
        throw new LakehouseError("DELTA_VERSION_NOT_FOUND", `Cannot start the stream at version ${this.startingVersion} of ${this.target.name}: the latest version is ${latest}. Use startingVersion ≤ ${latest}, or "latest".`, { startingVersion: this.startingVersion, latest });
      }
      return { version: this.startingVersion, index: -1, isStartingVersion: false };
    }
    if (this.startingTimestamp !== undefined) {
      const r = await this.spark.db.query(`SELECT epoch_ms(CAST(${quoteString(this.startingTimestamp)} AS TIMESTAMPTZ)) AS ms`);
      const ts = Number(r.rows[0]!["ms"]);
      const commits = await readCommits(this.spark.engine, this.target.root, 0, latest);
      const c = commits.find((x) => x.timestamp >= ts);
      return { version: c ? c.version : latest + 1, index: -1, isStartingVersion: false };
    }
    // The snapshot at the version the stream started from, then the commits after it.
    this.initialVersion ??= this.startVersion;
    return { version: this.initialVersion, index: -1, isStartingVersion: true };
  }

  /** The units (files, or commits with readChangeFeed) of version `v` after the snapshot phase. */
  private async unitsOf(v: number): Promise<Unit[]> {
    const c = await this.commit(v);
    if (!c) return [];
    for (const a of c.actions) {
      if (a.metaData && v > this.startVersion) {
        const next = parseSchemaString(a.metaData.schemaString);
        const same = next.fields.length === this.readSchema.fields.length && next.fields.every((f, i) => f.name === this.readSchema.fields[i]!.name && typeEquals(f.type, this.readSchema.fields[i]!.type));
        if (!same) {
          throw new LakehouseError("DELTA_SCHEMA_CHANGED_WITH_VERSION",
            `Detected schema change in version ${v} of ${this.target.name}: streaming source schema ${schemaToString(this.readSchema)}, new schema ${a.metaData.schemaString}. Restart the query: it then reads with the new schema (your sink may need option("mergeSchema", "true")).`,
            { version: v });
        }
      }
    }
    const adds = c.actions.flatMap((a) => (a.add && a.add.dataChange ? [a.add] : []));
    const removes = c.actions.flatMap((a) => (a.remove && a.remove.dataChange ? [a.remove] : []));
    if (this.readChangeFeed) {
      const cdcs = c.actions.filter((a) => a.cdc).length;
      const n = adds.length + removes.length + cdcs;
      if (n === 0) return [];
      return [{ pos: { version: v, index: 0, isStartingVersion: false }, commit: c, weight: n, bytes: adds.reduce((s, a) => s + a.size, 0) }];
    }
    let files = adds;
    if (removes.length) {
      if (this.skipChangeCommits) return [];
      if (this.ignoreChanges) files = adds;
      else if (this.ignoreDeletes && adds.length === 0) return [];
      else if (adds.length === 0) {
        throw new DeltaSourceChangeError("DELTA_SOURCE_IGNORE_DELETE",
          `Detected deleted data (for example ${removes[0]!.path}) from streaming source at version ${v}. This is currently not supported. If you'd like to ignore deletes, set the option 'ignoreDeletes' to 'true' (or 'skipChangeCommits' to 'true' to skip every commit that changes existing data). The source table can be found at path ${this.target.root}.`,
          { version: v, path: this.target.root, file: removes[0]!.path });
      } else {
        const op = c.info?.operation ? ` (${c.info.operation})` : "";
        throw new DeltaSourceChangeError("DELTA_SOURCE_TABLE_IGNORE_CHANGES",
          `Detected a data update${op} (for example ${removes[0]!.path}) in the source table at version ${v}. This is currently not supported. If this is going to happen regularly and you are okay to skip changes, set the option 'skipChangeCommits' to 'true'. If you would like the data update to be reflected, restart this query with a fresh checkpoint directory, or read the change data feed with option('readChangeFeed', 'true'). The source table can be found at path ${this.target.root}.`,
          { version: v, path: this.target.root, operation: c.info?.operation });
      }
    }
    return files.map((f, i) => ({ pos: { version: v, index: i, isStartingVersion: false }, file: f, weight: 1, bytes: f.size }));
  }

  /** Units after `after` (exclusive) up to `last` (inclusive, or the latest/capped version), calling `take` until it returns false. */
  private async walk(after: Position, last: Position | undefined, take: (u: Unit) => boolean, more: () => boolean = () => true): Promise<void> {
    const lastVersion = last?.version ?? this.capVersion ?? (await this.latestVersion());
    let v = after.version;
    if (after.isStartingVersion) {
      const { files } = await this.snapshotAt(after.version);
      for (let i = after.index + 1; i < files.length; i++) {
        const u: Unit = { pos: { version: after.version, index: i, isStartingVersion: true }, file: files[i], weight: 1, bytes: files[i]!.size };
        if (last && cmp(u.pos, last) > 0) return;
        if (!take(u)) return;
      }
      v = after.version + 1;
      after = { version: v, index: -1, isStartingVersion: false };
    }
    for (; v <= lastVersion; v++) {
      // Stop before reading a commit the batch cannot take (it may be one that fails the stream).
      if (!more()) return;
      for (const u of await this.unitsOf(v)) {
        if (v === after.version && u.pos.index <= after.index) continue;
        if (last && cmp(u.pos, last) > 0) return;
        if (!take(u)) return;
      }
    }
  }

  async latestOffset(start: SourceOffset | null, limit: ReadLimit): Promise<SourceOffset | null> {
    const after = start ? this.toPosition(start) : await this.initialPosition();
    let end: Position | undefined;
    let files = 0;
    let bytes = 0;
    await this.walk(after, undefined, (u) => {
      if (limit === "limited" && files > 0) {
        if (this.readChangeFeed ? files + u.weight > this.maxFiles : files >= this.maxFiles) return false;
        if (this.maxBytes !== undefined && bytes >= this.maxBytes) return false;
      }
      end = u.pos;
      files += u.weight;
      bytes += u.bytes;
      return true;
    }, () => limit === "all" || this.readChangeFeed || (files < this.maxFiles && (this.maxBytes === undefined || bytes < this.maxBytes)));
    return end ? this.toOffset(end) : null;
  }

  async getBatch(start: SourceOffset | null, end: SourceOffset, relation: string): Promise<number> {
    const after = start ? this.toPosition(start) : await this.initialPosition();
    const last = this.toPosition(end);
    const units: Unit[] = [];
    await this.walk(after, last, (u) => {
      units.push(u);
      return true;
    });
    const parts: string[] = [];
    const cols = this.readSchema.fields;
    const project = (sql: string, have: StructType, extra: string[] = []) => {
      const names = new Set(have.fields.map((f) => f.name.toLowerCase()));
      const list = cols.map((f) => names.has(f.name.toLowerCase()) ? `CAST(${quoteIdent(f.name)} AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}` : `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`);
      return `SELECT ${[...list, ...extra].join(", ")} FROM (${sql}) AS __src`;
    };
    // Snapshot files.
    const snapUnits = units.filter((u) => u.pos.isStartingVersion);
    if (snapUnits.length) {
      const { snap } = await this.snapshotAt(snapUnits[0]!.pos.version);
      const sql = await buildScanSql(this.spark.scanContext, snap, { files: snapUnits.map((u) => u.file!) });
      const extra = this.readChangeFeed
        ? [`'insert' AS ${CHANGE_TYPE_COL}`, `CAST(${snap.version} AS BIGINT) AS ${COMMIT_VERSION_COL}`, `CAST(${quoteString(new Date(snap.timestamp).toISOString())} AS TIMESTAMPTZ) AS ${COMMIT_TIMESTAMP_COL}`]
        : [];
      parts.push(project(sql, snap.schema, extra));
    }
    const commitUnits = units.filter((u) => !u.pos.isStartingVersion);
    if (commitUnits.length && this.readChangeFeed) {
      const first = commitUnits[0]!.pos.version;
      const lastV = commitUnits[commitUnits.length - 1]!.pos.version;
      const target = await this.spark.targetOf({ kind: "path", format: "delta", path: this.target.root });
      target.name = this.target.name;
      const sql = await changeDataSql(this.spark.opContext, target, { startVersion: first, endVersion: lastV });
      const endSnap = await this.spark.snapshotOf(this.target.root, { version: lastV });
      parts.push(project(sql, endSnap.schema, [CHANGE_TYPE_COL, COMMIT_VERSION_COL, COMMIT_TIMESTAMP_COL].map(quoteIdent)));
    } else if (commitUnits.length) {
      const current = this.target.snapshot!;
      const state = emptyState();
      state.protocol = current.protocol;
      state.metadata = { ...current.metadata, schemaString: schemaToString(this.readSchema) };
      const files = commitUnits.map((u) => u.file!);
      files.forEach((f, i) => state.files.set(`${i}\u0000${f.path}`, f));
      const reader = new Snapshot({ tableRoot: this.target.root, version: last.version, state, timestamp: 0 });
      parts.push(project(await buildScanSql(this.spark.scanContext, reader, { files }), this.readSchema));
    }
    const fields = fieldsOf(this.readSchema);
    if (this.readChangeFeed) fields.push({ name: CHANGE_TYPE_COL, type: "VARCHAR" }, { name: COMMIT_VERSION_COL, type: "BIGINT" }, { name: COMMIT_TIMESTAMP_COL, type: "TIMESTAMPTZ" });
    const body = parts.length
      ? parts.map((p) => `(${p})`).join(" UNION ALL ")
      : `SELECT ${fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`).join(", ")} WHERE false`;
    await this.spark.db.run(`CREATE OR REPLACE TEMP TABLE ${relation} AS ${body}`);
    const r = await this.spark.db.query(`SELECT count(*) AS n FROM ${relation}`);
    return Number(r.rows[0]!["n"]);
  }
}
