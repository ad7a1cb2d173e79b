/**
 * The session: the TypeScript counterpart of a PySpark `SparkSession` on Databricks, and the
 * single choke point of the lakehouse. Every statement (spark.sql), every DataFrame action and
 * every write passes through here: names are resolved against the metastore, table reads
 * become scans of Delta snapshots (query-compiler.ts), writes become Delta operations.
 *
 * @example
 *   const spark = await SparkSession.builder().warehouse("./.c360/warehouse").getOrCreate();
 *   await spark.sql("CREATE TABLE main.default.people (id BIGINT, name STRING) USING DELTA");
 *   await spark.sql("INSERT INTO main.default.people VALUES (1, 'Ada')");
 *   (await spark.sql("SELECT * FROM main.default.people VERSION AS OF 1")).show();
 */
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { LakehouseError } from "../errors.js";
import { DuckDb, quoteString, type QueryResult } from "../engine/duckdb.js";
import { DuckDbEngine } from "../engine/duckdb-engine.js";
import { buildScanSql, type ScanContext } from "../engine/scan.js";
import { skipFiles } from "../kernel/data-skipping.js";
import type { Predicate } from "../kernel/predicate.js";
import { loadSnapshot, updateSnapshot, Snapshot } from "../kernel/snapshot.js";
import { TableNotFoundError } from "../kernel/log-segment.js";
import { DEFAULT_CATALOG, DEFAULT_SCHEMA, Metastore, NoSuchObjectError, type TableEntry } from "../catalog/metastore.js";
import type { OpContext, TableTarget } from "../operations/context.js";
import { compileQuery, type ScanInfo } from "./query-compiler.js";
import type { TableRef, TimeTravel } from "./parser/ast.js";
import { DataFrame } from "./dataframe/index.js";
import type { QueryRunner, WriteSpec } from "./dataframe/runner.js";
import { executeStatement } from "./statements.js";
import { DataFrameReader } from "./reader.js";
import { registerSparkFunctions } from "./spark-functions.js";
import { DataStreamReader } from "../streaming/reader.js";

export interface SessionOptions {
  /** Where managed tables and the metastore live. Default ./.c360/warehouse. */
  warehouse?: string;
  /** Scratch space for temporary files (schema files, staging). */
  scratchDir?: string;
  conf?: Record<string, string>;
}

/** A resolved table: where it lives and how messages name it. */
export interface ResolvedTable {
  root: string;
  name: string;
  entry?: TableEntry;
  parts?: [string, string, string];
}

interface CompileCache {
  resolve(ref: TableRef): Promise<ResolvedTable>;
  snapshot(root: string): Promise<Snapshot>;
}

export class RuntimeConfig {
  private readonly values = new Map<string, string>();
  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }
  get(key: string, fallback?: string): string | undefined {
    return this.values.get(key) ?? fallback;
  }
  set(key: string, value: string | number | boolean): void {
    this.values.set(key, String(value));
  }
  unset(key: string): void {
    this.values.delete(key);
  }
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

class Builder {
  private opts: SessionOptions = {};
  warehouse(dir: string): this {
    this.opts.warehouse = dir;
    return this;
  }
  config(key: string, value: string | number | boolean): this {
    (this.opts.conf ??= {})[key] = String(value);
    return this;
  }
  appName(_name: string): this {
    return this;
  }
  getOrCreate(): Promise<SparkSession> {
    return SparkSession.create(this.opts);
  }
}

export class SparkSession implements QueryRunner {
  readonly conf: RuntimeConfig;
  readonly metastore: Metastore;
  readonly read: DataFrameReader;
  /** Files scanned by the last query, per table (the notebooks show this). */
  lastScans: ScanInfo[] = [];
  private currentCatalogName = DEFAULT_CATALOG;
  private currentSchemaName = DEFAULT_SCHEMA;
  private readonly snapshots = new Map<string, { snap: Snapshot; stamp: string }>();

  private ownsScratch = false;

  private constructor(readonly db: DuckDb, readonly engine: DuckDbEngine, metastore: Metastore, conf: RuntimeConfig) {
    this.metastore = metastore;
    this.conf = conf;
    this.read = new DataFrameReader(this);
  }

  static builder(): Builder {
    return new Builder();
  }

  static async create(opts: SessionOptions = {}): Promise<SparkSession> {
    const warehouse = resolve(opts.warehouse ?? process.env["C360_WAREHOUSE"] ?? "./.c360/warehouse");
    const scratch = opts.scratchDir ?? join(tmpdir(), `c360-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(scratch, { recursive: true });
    const db = await DuckDb.open();
    await registerSparkFunctions(db);
    const engine = new DuckDbEngine(db, scratch);
    const metastore = new Metastore(warehouse);
    await metastore.ensureDefaults();
    const spark = new SparkSession(db, engine, metastore, new RuntimeConfig(opts.conf));
    spark.ownsScratch = opts.scratchDir === undefined;
    return spark;
  }

  get warehouse(): string {
    return this.metastore.warehouse;
  }

  /** @internal the context operations run in. */
  get opContext(): OpContext {
    return { db: this.db, engine: this.engine, scan: this.scanContext, conf: (k) => this.conf.get(k) };
  }

  get scanContext(): ScanContext {
    return { db: this.db, storage: this.engine.storage, scratchDir: this.engine.scratchDir };
  }

  currentCatalog(): string {
    return this.currentCatalogName;
  }
  currentDatabase(): string {
    return this.currentSchemaName;
  }
  /** @internal */
  setCurrent(catalog: string | undefined, schema: string | undefined): void {
    if (catalog) {
      this.currentCatalogName = catalog.toLowerCase();
      if (!schema) this.currentSchemaName = DEFAULT_SCHEMA;
    }
    if (schema) this.currentSchemaName = schema.toLowerCase();
  }

  /** Runs one Databricks SQL statement (or a script of several; the last result is returned). */
  async sql(text: string): Promise<DataFrame> {
    return executeStatement(this, text);
  }

  table(name: string): DataFrame {
    return DataFrame.fromTable(this, name);
  }

  /** Structured Streaming sources: `spark.readStream.format("cloudFiles")…load(path)` (see ../streaming). */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /** Fully qualified [catalog, schema, table] for 1–3 name parts. */
  qualify(parts: string[]): [string, string, string] {
    const p = parts.map((x) => x.toLowerCase());
    if (p.length === 3) return [p[0]!, p[1]!, p[2]!];
    if (p.length === 2) return [this.currentCatalogName, p[0]!, p[1]!];
    if (p.length === 1) return [this.currentCatalogName, this.currentSchemaName, p[0]!];
    throw new LakehouseError("INVALID_IDENTIFIER", `'${parts.join(".")}' is not a valid table name. Use catalog.schema.table.`, {});
  }

  /** Where a table reference lives; `mustExist` fails with TABLE_OR_VIEW_NOT_FOUND. */
  async resolveTable(ref: TableRef, mustExist = true): Promise<ResolvedTable> {
    if (ref.kind === "path") {
      const root = isAbsolute(ref.path) ? ref.path : resolve(ref.path.replace(/^file:(\/\/)?/, ""));
      return { root, name: `delta.\`${ref.path}\`` };
    }
    const parts = this.qualify(ref.parts);
    const entry = await this.metastore.getTable(...parts);
    const name = parts.join(".");
    if (!entry) {
      if (mustExist) throw new NoSuchObjectError("TABLE", name, `Verify the spelling and that the table exists (SHOW TABLES IN ${parts[0]}.${parts[1]}); the current schema is ${this.currentCatalogName}.${this.currentSchemaName}.`);
      return { root: this.metastore.managedLocation(...parts), name, parts };
    }
    return { root: entry.location, name, entry, parts };
  }

  /** Latest snapshot of a table, refreshed cheaply from a cached one. */
  async snapshotOf(root: string, tt?: { version?: number; timestamp?: number }): Promise<Snapshot> {
    if (tt && (tt.version !== undefined || tt.timestamp !== undefined)) return loadSnapshot(this.engine, root, tt);
    const cached = this.snapshots.get(root);
    // A cached snapshot is only extended if its own commit file is still the one it was read
    // from: a table deleted and re-created at the same path (full refresh, DROP + CREATE) must be
    // reloaded, not patched.
    const valid = cached && (await this.commitStamp(cached.snap)) === cached.stamp;
    const snap = valid ? await updateSnapshot(this.engine, cached.snap) : await loadSnapshot(this.engine, root);
    await this.rememberSnapshot(snap);
    return snap;
  }

  /** Identity of the commit file a snapshot ends with (mtime + size), or "" if it is gone. */
  private async commitStamp(snap: Snapshot): Promise<string> {
    try {
      const st = await this.engine.storage.stat(`${snap.tableRoot}/_delta_log/${String(snap.version).padStart(20, "0")}.json`);
      return `${st.mtime}:${st.size}`;
    } catch {
      return "";
    }
  }

  /** @internal remembers the snapshot a commit produced, so the next read needs no log listing. */
  async rememberSnapshot(snap: Snapshot): Promise<void> {
    const cached = this.snapshots.get(snap.tableRoot);
    if (cached && cached.snap.version > snap.version && cached.stamp === (await this.commitStamp(cached.snap))) return;
    this.snapshots.set(snap.tableRoot, { snap, stamp: await this.commitStamp(snap) });
  }

  /** @internal forgets a table (DROP, REPLACE). */
  forgetSnapshot(root: string): void {
    this.snapshots.delete(root);
  }

  /** A target for operations: the table and its current snapshot (if it exists yet). */
  async targetOf(ref: TableRef, mustExist = true): Promise<TableTarget & { resolved: ResolvedTable }> {
    const resolved = await this.resolveTable(ref, mustExist);
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await this.snapshotOf(resolved.root);
    } catch (e) {
      // A missing log is fine only when the caller is about to create the table.
      if (!(e instanceof TableNotFoundError) || mustExist) throw e;
    }
    return { root: resolved.root, name: resolved.name, snapshot, resolved };
  }

  async parseTimeTravel(tt: TimeTravel | undefined): Promise<{ version?: number; timestamp?: number } | undefined> {
    if (!tt) return undefined;
    if (tt.version !== undefined) return { version: tt.version };
    if (tt.timestamp !== undefined) {
      const r = await this.db.query(`SELECT epoch_ms(CAST((${tt.timestamp}) AS TIMESTAMPTZ)) AS ms`);
      return { timestamp: Number(r.rows[0]!["ms"]) };
    }
    return undefined;
  }

  /** A scan of a table for a query, pruned by `predicate`. */
  async scan(ref: TableRef, tt: TimeTravel | undefined, predicate: Predicate | undefined, cache?: CompileCache): Promise<{ sql: string; info: ScanInfo }> {
    const resolved = cache ? await cache.resolve(ref) : await this.resolveTable(ref);
    const snap = !tt && cache ? await cache.snapshot(resolved.root) : await this.snapshotOf(resolved.root, await this.parseTimeTravel(tt));
    const { files, total } = skipFiles(snap.files, predicate, snap.schema, snap.partitionColumns);
    const sql = await buildScanSql(this.scanContext, snap, { files });
    return { sql, info: { table: resolved.name, version: snap.version, filesScanned: files.length, filesTotal: total, ...(predicate ? { predicate } : {}) } };
  }

  /** Compiles a Databricks SELECT to DuckDB SQL (exposed so learners can see it). */
  async compile(sql: string): Promise<{ sql: string; scans: ScanInfo[] }> {
    // One query names a table several times (existence, columns, scan): resolve each once.
    const resolved = new Map<string, Promise<ResolvedTable>>();
    const snaps = new Map<string, Promise<Snapshot>>();
    const cache: CompileCache = {
      resolve: (ref) => {
        const key = ref.kind === "path" ? `path:${ref.path}` : this.qualify(ref.parts).join(".");
        let p = resolved.get(key);
        if (!p) resolved.set(key, (p = this.resolveTable(ref)));
        return p;
      },
      snapshot: (root) => {
        let p = snaps.get(root);
        if (!p) snaps.set(root, (p = this.snapshotOf(root)));
        return p;
      },
    };
    return compileQuery({
      parse: (q) => this.parseSql(q),
      isCatalogTable: async (parts) => {
        if (parts.length > 3) return false;
        try {
          await cache.resolve({ kind: "name", parts });
          return true;
        } catch (e) {
          if (e instanceof NoSuchObjectError) return false;
          throw e;
        }
      },
      columnsOf: async (ref) => {
        const r = await cache.resolve(ref);
        return (await cache.snapshot(r.root)).schema.fields.map((f) => f.name);
      },
      scanSql: (ref, tt, p) => this.scan(ref, tt, p, cache),
      changesSql: async (table, start, end) => {
        const { changeDataSql } = await import("../operations/cdf.js");
        const ref: TableRef = /^\/|^[a-z]+:\//i.test(table) ? { kind: "path", format: "delta", path: table } : { kind: "name", parts: table.split(".") };
        const target = await this.targetOf(ref);
        const asOpt = async (v: number | string | undefined, which: "start" | "end") => {
          if (v === undefined) return {};
          if (typeof v === "number" || /^\d+$/.test(String(v))) return { [`${which}Version`]: Number(v) };
          const r = await this.db.query(`SELECT epoch_ms(CAST(${quoteString(String(v))} AS TIMESTAMPTZ)) AS ms`);
          return { [`${which}Timestamp`]: Number(r.rows[0]!["ms"]) };
        };
        return changeDataSql(this.opContext, target, { ...(await asOpt(start, "start")), ...(await asOpt(end, "end")) } as never);
      },
    }, sql);
  }

  private readonly parsed = new Map<string, unknown>();

  /** DuckDB's parse tree of a query; the same text always parses the same, so trees are cached. */
  private async parseSql(q: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const hit = this.parsed.get(q);
    if (hit) return hit;
    const r = await this.db.query(`SELECT json_serialize_sql(${quoteString(q)}) AS j`);
    const tree = JSON.parse(String(r.rows[0]!["j"]));
    if (this.parsed.size >= 256) this.parsed.delete(this.parsed.keys().next().value!);
    this.parsed.set(q, tree);
    return tree;
  }

  // ---- QueryRunner (what DataFrames call) ----

  async runQuery(sql: string): Promise<QueryResult> {
    const compiled = await this.compile(sql);
    this.lastScans = compiled.scans;
    return this.db.query(compiled.sql);
  }

  async describeQuery(sql: string): Promise<{ name: string; type: string }[]> {
    const compiled = await this.compile(sql);
    return this.db.describe(compiled.sql);
  }

  async write(sql: string, spec: WriteSpec): Promise<void> {
    const { writeDataFrame } = await import("./df-writer.js");
    await writeDataFrame(this, sql, spec);
  }

  /** Releases DuckDB. The session cannot be used afterwards. */
  stop(): void {
    this.db.close();
    if (this.ownsScratch) rmSync(this.engine.scratchDir, { recursive: true, force: true });
  }
}
