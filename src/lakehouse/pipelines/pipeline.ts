/**
 * Declarative pipelines — Databricks' Lakeflow Declarative Pipelines (formerly Delta Live Tables,
 * DLT) — on the local lakehouse.
 *
 * You declare datasets and the queries that produce them; the pipeline works out the order
 * (the DAG of who reads whom) and, on every *update* (`run`), brings each dataset up to date:
 *
 *   streaming table     a Delta table fed by one or more *flows* reading streams (Auto Loader,
 *                       another streaming table, a change feed). Each flow is a Structured
 *                       Streaming query with its own checkpoint (`<storage>/checkpoints/<flow>`),
 *                       triggered with availableNow, so an update processes only input that
 *                       arrived since the last one.
 *   materialized view   a Delta table holding the result of a batch query, recomputed on every
 *                       update (overwritten; Databricks refreshes incrementally when it can, the
 *                       local engine always recomputes fully — the result is the same).
 *   temporary view      a named query inside the pipeline, not persisted: a batch view is computed
 *                       once per update (DuckDB temp table); a streaming view is inlined into the
 *                       flows that read it.
 *   AUTO CDC flow       applies a change stream to a streaming table as SCD type 1 or 2
 *                       (auto-cdc.ts); `applyChanges` is the older name.
 *   append flow         an extra streaming query appending into a declared streaming table.
 *
 * Expectations (expectations.ts) check every record a flow writes; their counts go to the event
 * log (event-log.ts), a Delta table next to the datasets.
 *
 * How the DAG is found: every query function is called once with a *recording* FlowContext whose
 * `read(name)` / `readStream(name)` note the dependency and return lazy DataFrames (nothing is
 * read). Names that are datasets of the pipeline become edges; other names must be existing
 * tables. Cycles and unknown names fail the update before anything runs. Query functions should
 * therefore only build DataFrames (no actions) — as on Databricks, where they are also evaluated
 * before the update runs.
 *
 * Full refresh (`run(spark, { fullRefresh: true | ["dataset", …] })`): for the chosen streaming
 * tables the checkpoints (and AUTO CDC state, Auto Loader schemas) are deleted and the table is
 * truncated, so all input is reprocessed. The truncation is the first write of the update, so a
 * failing full refresh leaves the previous data (and a marker makes the next update truncate
 * before it writes). Datasets that *stream* from a fully refreshed table see its truncation as a
 * change and fail; refresh them too (as on Databricks).
 *
 * Storage (`storage`, default `<warehouse>/_pipelines/<name>`):
 *
 *   checkpoints/<flow>/            the Structured Streaming checkpoint of each streaming flow
 *                                  (flow = the dataset's qualified name, or the append/CDC flow's
 *                                  name); AUTO CDC flows keep their state in cdc_state/ inside it
 *   schemas/<dataset>/_schemas/    Auto Loader schemas of readFiles / read_files / cloud_files
 *   pending_full_refresh/<dataset> a full refresh whose truncation has not happened yet
 *
 * Datasets are Delta tables registered in the metastore under their qualified names (catalogs
 * and schemas are created when missing); temporary views are DuckDB temp tables for one update.
 *
 * Differences from Databricks, in short: flows run one after another (Databricks runs
 * independent flows in parallel); the first failure stops the update and the remaining flows are
 * SKIPPED (Databricks cancels them); a fail expectation rejects the micro-batch that holds the bad
 * record, earlier micro-batches of the same flow stay committed (the same as on Databricks, where
 * streaming tables commit per micro-batch); materialized views are always fully recomputed; there is
 * no development/production mode, no retries, no continuous mode; event-log rows are written when
 * the update ends.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LakehouseError } from "../errors.js";
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import { tempName } from "../operations/context.js";
import { DataFrame } from "../sql/dataframe/index.js";
import { DataFrameReader } from "../sql/reader.js";
import { RuntimeConfig, SparkSession } from "../sql/session.js";
import { Checkpoint } from "../streaming/checkpoint.js";
import { StreamingQueryException } from "../streaming/errors.js";
import { StreamingDataFrame } from "../streaming/streaming-dataframe.js";
import { applyCdcBatch, ensureCdcTarget, type CdcSpec } from "./auto-cdc.js";
import { EventLogWriter } from "./event-log.js";
import {
  accumulate, actionOf, evaluateBatch, ExpectationViolationError, passSql, validateExpectations,
  type Expectation, type ExpectationAction,
} from "./expectations.js";
import { nameSql, parseName, pathSql, qualifyParts } from "./names.js";
import { applyPipelineSql } from "./sql.js";

// ---------------------------------------------------------------------------------------------
// Public types

export interface FlowContext {
  spark: SparkSession;
  /** Batch read of a pipeline dataset (or any catalog table) — declares a dependency. */
  read(name: string): DataFrame;
  /** Streaming read of a pipeline dataset / table — declares a dependency. */
  readStream(name: string): StreamingDataFrame;
}

/**
 * What a query function actually receives: a FlowContext plus the dataset being defined and
 * `readFiles`, Auto Loader with a schema location the pipeline manages (as `read_files` /
 * `cloud_files` do in pipeline SQL). Use `readFiles(ctx, …)` to call it from a FlowContext.
 */
export interface PipelineFlowContext extends FlowContext {
  /** Qualified name of the dataset whose query is running. */
  readonly dataset: string;
  /**
   * Auto Loader over `path`: `format` (json, csv, parquet) plus any Auto Loader / reader options
   * (`cloudFiles.` may be left out: `{ format: "json", inferColumnTypes: true }`). The schema
   * location is `<storage>/schemas/<dataset>`.
   */
  readFiles(path: string, options?: Record<string, string | number | boolean>): StreamingDataFrame;
}

export type QueryResult = DataFrame | StreamingDataFrame | Promise<DataFrame | StreamingDataFrame>;

export interface DatasetDef {
  /** Unqualified → pipeline catalog.schema; or fully qualified c.s.t. */
  name: string;
  comment?: string;
  query: (ctx: FlowContext) => QueryResult;
  expectations?: Expectation[];
  partitionBy?: string[];
  tableProperties?: Record<string, string>;
}

export interface StreamingTableTargetDef {
  name: string;
  comment?: string;
  expectations?: Expectation[];
  partitionBy?: string[];
  tableProperties?: Record<string, string>;
}

export interface TemporaryViewDef {
  name: string;
  query: DatasetDef["query"];
  expectations?: Expectation[];
}

export interface AutoCdcDef {
  target: string;
  /** A pipeline dataset or table, read as a stream of changes. */
  source: string;
  keys: string[];
  /** The column (or SQL expression) ordering the changes of a key. */
  sequenceBy: string;
  /** SQL condition marking a change as a delete. */
  applyAsDeletes?: string;
  /** SQL condition marking a change as a truncate of the whole table (SCD1 only). */
  applyAsTruncates?: string;
  exceptColumns?: string[];
  storedAs: "SCD1" | "SCD2";
  trackHistoryColumns?: string[];
  ignoreNullUpdates?: boolean;
  /** Flow name (SQL CREATE FLOW name); default the target name. */
  name?: string;
  /** Only these source columns go to the target (SQL COLUMNS (…)). */
  columns?: string[];
  /** SCD2: track history on every column except these (SQL TRACK HISTORY ON * EXCEPT (…)). */
  trackHistoryExceptColumns?: string[];
}

export interface AppendFlowDef {
  /** Flow name; default `<target>__append_<n>`. */
  name?: string;
  /** A declared streaming table. */
  target: string;
  query: DatasetDef["query"];
}

export interface FlowResult {
  dataset: string;
  kind: "streaming_table" | "materialized_view" | "view" | "auto_cdc";
  status: "COMPLETED" | "FAILED" | "SKIPPED";
  numInputRows: number;
  numOutputRows: number;
  expectations: { name: string; action: ExpectationAction; passed: number; failed: number }[];
  durationMs: number;
  error?: string;
  /** The flow's name (differs from `dataset` for AUTO CDC and append flows). */
  flow?: string;
}

export interface UpdateResult {
  updateId: string;
  fullRefresh: boolean;
  status: "COMPLETED" | "FAILED";
  flows: FlowResult[];
  durationMs: number;
  /** The error that failed the update. */
  error?: string;
  /** The datasets fully refreshed, when a selection was given. */
  fullRefreshSelection?: string[];
}

export interface PipelineOptions {
  name: string;
  catalog: string;
  schema: string;
  /** Default <warehouse>/_pipelines/<name> (checkpoints, CDC state, Auto Loader schemas). */
  storage?: string;
  /** Event log table; default <catalog>.<schema>.pipeline_event_log. */
  eventLog?: string;
}

export interface PipelineGraph {
  nodes: { name: string; kind: string }[];
  edges: [string, string][];
}

/** Auto Loader from a FlowContext (see PipelineFlowContext.readFiles). */
export function readFiles(ctx: FlowContext, path: string, options?: Record<string, string | number | boolean>): StreamingDataFrame {
  const c = ctx as Partial<PipelineFlowContext>;
  if (typeof c.readFiles !== "function") throw new LakehouseError("INVALID_ARGUMENT", "readFiles() needs the FlowContext a pipeline passes to a query function.", {});
  return c.readFiles(path, options);
}

// ---------------------------------------------------------------------------------------------
// Internal model

type Declared = "table" | "streaming_table" | "materialized_view" | "view";
type DatasetKind = "streaming_table" | "materialized_view" | "view";

interface DatasetNode {
  name: string;
  order: number;
  declared: Declared;
  comment?: string;
  expectations: Expectation[];
  partitionBy: string[];
  tableProperties: Record<string, string>;
  query?: DatasetDef["query"];
}

interface FlowNode {
  name: string;
  target: string;
  type: "dataset" | "append" | "auto_cdc";
  order: number;
  query?: DatasetDef["query"];
  cdc?: AutoCdcDef;
}

interface Dep {
  /** Qualified dataset/table name, or `delta.`path``. */
  name: string;
  dataset: boolean;
  streaming: boolean;
  /** For tables: the qualified parts; for paths: the path. */
  parts?: [string, string, string];
  path?: string;
}

interface Recording {
  deps: Dep[];
  result?: "batch" | "stream";
  error?: string;
  pending?: Promise<void>;
}

type Ref = { kind: "dataset"; name: string } | { kind: "table"; name: string; parts: [string, string, string] } | { kind: "path"; path: string; name: string };

interface ViewCheck {
  view: DatasetNode;
  /** The view's rows before its drop rules. */
  sdf: StreamingDataFrame;
  result: FlowResult;
}

const isPromise = (x: unknown): x is Promise<unknown> => !!x && typeof (x as { then?: unknown }).then === "function";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A session-less stand-in for graph() before any run: builders work, actions reject. */
function recordingSession(): SparkSession {
  const stub = Object.create(SparkSession.prototype) as SparkSession;
  Object.defineProperty(stub, "read", { value: new DataFrameReader(stub) });
  Object.defineProperty(stub, "conf", { value: new RuntimeConfig() });
  return stub;
}

// ---------------------------------------------------------------------------------------------

export class Pipeline {
  readonly name: string;
  readonly catalog: string;
  readonly schema: string;
  private readonly storageOpt?: string;
  private readonly eventLogOpt?: string;
  private readonly datasets = new Map<string, DatasetNode>();
  private readonly flows: FlowNode[] = [];
  private counter = 0;
  private lastSpark: SparkSession | undefined;

  constructor(opts: PipelineOptions) {
    if (!opts || typeof opts.name !== "string" || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(opts.name)) {
      throw new LakehouseError("INVALID_ARGUMENT", `A pipeline needs a name of letters, digits, '_', '-' or '.', got '${String(opts?.name)}'.`, {});
    }
    for (const k of ["catalog", "schema"] as const) {
      if (typeof opts[k] !== "string" || !/^[A-Za-z0-9_]+$/.test(opts[k])) {
        throw new LakehouseError("INVALID_ARGUMENT", `Pipeline ${opts.name}: the default ${k} must be a plain name, got '${String(opts[k])}'.`, {});
      }
    }
    this.name = opts.name;
    this.catalog = opts.catalog.toLowerCase();
    this.schema = opts.schema.toLowerCase();
    this.storageOpt = opts.storage;
    this.eventLogOpt = opts.eventLog;
  }

  /** The event log table (qualified). */
  get eventLog(): string {
    const ref = parseName(this.eventLogOpt ?? "pipeline_event_log");
    if (ref.kind !== "name") throw new LakehouseError("INVALID_ARGUMENT", "The event log must be a table name, not a path.", {});
    return qualifyParts(ref.parts, this.catalog, this.schema).join(".");
  }

  /** Where checkpoints, CDC state and Auto Loader schemas live. */
  storageFor(spark: SparkSession): string {
    return this.storageOpt ?? join(spark.warehouse, "_pipelines", this.name);
  }

  // --- definitions -----------------------------------------------------------------------------

  /** Qualified name of a dataset name. */
  qualify(name: string): string {
    const ref = parseName(name);
    if (ref.kind !== "name") throw new LakehouseError("INVALID_ARGUMENT", `A dataset needs a table name, not a path (${name}).`, { name });
    return qualifyParts(ref.parts, this.catalog, this.schema).join(".");
  }

  private addDataset(declared: Declared, def: { name: string; comment?: string; query?: DatasetDef["query"]; expectations?: Expectation[]; partitionBy?: string[]; tableProperties?: Record<string, string> }): this {
    if (!def || typeof def !== "object") throw new LakehouseError("INVALID_ARGUMENT", "A dataset definition is an object { name, query, … }.", {});
    const name = this.qualify(def.name);
    if (this.datasets.has(name)) {
      throw new LakehouseError("DUPLICATE_DATASET", `Pipeline ${this.name} already defines the dataset ${name}. Each dataset is defined once; to write into a streaming table from several queries use appendFlow().`, { dataset: name });
    }
    if (this.flows.some((f) => f.name === name)) {
      throw new LakehouseError("DUPLICATE_FLOW", `Pipeline ${this.name} already has a flow named ${name}; a dataset's own flow takes the dataset's name. Rename the other flow.`, { flow: name });
    }
    if (def.query !== undefined && typeof def.query !== "function") {
      throw new LakehouseError("INVALID_ARGUMENT", `Dataset ${name}: query must be a function (ctx) => DataFrame | StreamingDataFrame.`, { dataset: name });
    }
    if (declared !== "streaming_table" && !def.query) throw new LakehouseError("INVALID_ARGUMENT", `Dataset ${name} needs a query function.`, { dataset: name });
    for (const [k, v] of Object.entries(def.tableProperties ?? {})) {
      if (typeof v !== "string") throw new LakehouseError("INVALID_ARGUMENT", `Dataset ${name}: table property ${k} must be a string.`, { dataset: name });
    }
    const node: DatasetNode = {
      name, order: this.counter++, declared, comment: def.comment, expectations: validateExpectations(name, def.expectations),
      partitionBy: [...(def.partitionBy ?? [])], tableProperties: { ...(def.tableProperties ?? {}) }, query: def.query,
    };
    this.datasets.set(name, node);
    if (def.query) this.flows.push({ name, target: name, type: "dataset", order: this.counter++, query: def.query });
    return this;
  }

  /** `@dp.table`: a streaming table if the query returns a StreamingDataFrame, else a materialized view. */
  table(def: DatasetDef): this {
    return this.addDataset("table", def);
  }

  /** `@dp.materialized_view`: recomputed from its inputs on every update (here: fully). */
  materializedView(def: DatasetDef): this {
    return this.addDataset("materialized_view", def);
  }

  /** A streaming table fed by its query: each update processes only new input. */
  streamingTable(def: DatasetDef): this {
    return this.addDataset("streaming_table", def);
  }

  /** `dp.create_streaming_table`: a streaming table without a query, the target of AUTO CDC / append flows. */
  createStreamingTable(def: StreamingTableTargetDef): this {
    return this.addDataset("streaming_table", { ...def, query: undefined });
  }

  /** `@dp.temporary_view`: a named query, not persisted, inlined into the flows that read it. */
  temporaryView(def: TemporaryViewDef): this {
    return this.addDataset("view", def);
  }

  /** `dp.create_auto_cdc_flow`: applies a change stream to a streaming table (SCD type 1 or 2). */
  createAutoCdcFlow(def: AutoCdcDef): this {
    if (!def || typeof def !== "object") throw new LakehouseError("INVALID_ARGUMENT", "createAutoCdcFlow() takes { target, source, keys, sequenceBy, storedAs, … }.", {});
    const target = this.qualify(def.target);
    if (!Array.isArray(def.keys) || def.keys.length === 0) throw new LakehouseError("INVALID_ARGUMENT", `AUTO CDC into ${target}: keys must list at least one column.`, { target });
    if (typeof def.sequenceBy !== "string" || def.sequenceBy.trim() === "") throw new LakehouseError("INVALID_ARGUMENT", `AUTO CDC into ${target}: sequenceBy (the column ordering the changes) is required.`, { target });
    if (def.storedAs !== "SCD1" && def.storedAs !== "SCD2") throw new LakehouseError("INVALID_ARGUMENT", `AUTO CDC into ${target}: storedAs must be "SCD1" or "SCD2".`, { target });
    if (def.storedAs === "SCD2" && def.applyAsTruncates) throw new LakehouseError("INVALID_ARGUMENT", `AUTO CDC into ${target}: APPLY AS TRUNCATE WHEN is only supported for SCD type 1.`, { target });
    if (typeof def.source !== "string" || def.source.trim() === "") throw new LakehouseError("INVALID_ARGUMENT", `AUTO CDC into ${target}: source is required.`, { target });
    let name = def.name ? this.qualify(def.name) : target;
    if (this.flows.some((f) => f.name === name)) {
      if (def.name) throw new LakehouseError("DUPLICATE_FLOW", `Pipeline ${this.name} already has a flow named ${name}.`, { flow: name });
      name = `${target}__cdc_${this.flows.filter((f) => f.target === target).length}`;
    }
    this.flows.push({ name, target, type: "auto_cdc", order: this.counter++, cdc: { ...def, target } });
    return this;
  }

  /** Older name of createAutoCdcFlow (`dlt.apply_changes`). */
  applyChanges(def: AutoCdcDef): this {
    return this.createAutoCdcFlow(def);
  }

  /** `@dp.append_flow`: one more streaming query appending into a declared streaming table. */
  appendFlow(def: AppendFlowDef): this {
    if (!def || typeof def.query !== "function") throw new LakehouseError("INVALID_ARGUMENT", "appendFlow() takes { target, query, name? }.", {});
    const target = this.qualify(def.target);
    const name = def.name ? this.qualify(def.name) : `${target}__append_${this.flows.filter((f) => f.target === target).length}`;
    if (this.flows.some((f) => f.name === name)) throw new LakehouseError("DUPLICATE_FLOW", `Pipeline ${this.name} already has a flow named ${name}.`, { flow: name });
    this.flows.push({ name, target, type: "append", order: this.counter++, query: def.query });
    return this;
  }

  /** The SQL form: CREATE OR REFRESH STREAMING TABLE / MATERIALIZED VIEW / TEMPORARY VIEW, AUTO CDC, … (see sql.ts). */
  sql(text: string): this {
    applyPipelineSql(this, text);
    return this;
  }

  // --- names and recording -----------------------------------------------------------------------

  /** What a name read by a flow refers to. */
  private resolveRef(name: string): Ref {
    const ref = parseName(name);
    if (ref.kind === "path") return { kind: "path", path: ref.path, name: pathSql(ref.path) };
    const parts = qualifyParts(ref.parts, this.catalog, this.schema);
    const q = parts.join(".");
    if (this.datasets.has(q)) return { kind: "dataset", name: q };
    return { kind: "table", name: q, parts };
  }

  private depOf(r: Ref, streaming: boolean): Dep {
    if (r.kind === "dataset") return { name: r.name, dataset: true, streaming };
    if (r.kind === "path") return { name: r.name, dataset: false, streaming, path: r.path };
    return { name: r.name, dataset: false, streaming, parts: r.parts };
  }

  private recordingContext(spark: SparkSession, dataset: string, rec: Recording, stack: string[]): PipelineFlowContext {
    const self = this;
    return {
      spark,
      dataset,
      read(name: string): DataFrame {
        const r = self.resolveRef(name);
        rec.deps.push(self.depOf(r, false));
        return DataFrame.fromTable(spark, r.kind === "path" ? r.name : nameSql(r.name.split(".")));
      },
      readStream(name: string): StreamingDataFrame {
        const r = self.resolveRef(name);
        rec.deps.push(self.depOf(r, true));
        if (r.kind === "dataset") {
          const node = self.datasets.get(r.name)!;
          if (node.declared === "view" && node.query && !stack.includes(node.name)) {
            try {
              const out = node.query(self.recordingContext(spark, node.name, { deps: [] }, [...stack, node.name]));
              if (out instanceof StreamingDataFrame) return out;
              if (isPromise(out)) out.catch(() => undefined);
            } catch {
              // The view's own recording reports its problems.
            }
          }
        }
        return spark.readStream.table(r.kind === "path" ? r.name : nameSql(r.name.split(".")));
      },
      readFiles(path: string, options?: Record<string, string | number | boolean>): StreamingDataFrame {
        // Only the configuration is built while recording; nothing is read or written there.
        return self.autoLoader(spark, path, options, join(tmpdir(), "c360-pipeline-recording"));
      },
    };
  }

  /** Runs every query function once against a recording context. */
  private record(spark: SparkSession): Map<FlowNode, Recording> {
    const out = new Map<FlowNode, Recording>();
    for (const f of this.flows) {
      const rec: Recording = { deps: [] };
      out.set(f, rec);
      if (f.type === "auto_cdc") {
        rec.deps.push(this.depOf(this.resolveRef(f.cdc!.source), true));
        rec.result = "stream";
        continue;
      }
      try {
        const res = f.query!(this.recordingContext(spark, f.target, rec, [f.target]));
        if (isPromise(res)) {
          rec.pending = res.then(
            (v) => { rec.result = v instanceof StreamingDataFrame ? "stream" : v instanceof DataFrame ? "batch" : undefined; },
            (e) => { rec.error = message(e); },
          );
        } else rec.result = res instanceof StreamingDataFrame ? "stream" : res instanceof DataFrame ? "batch" : undefined;
      } catch (e) {
        rec.error = message(e);
      }
    }
    return out;
  }

  private kindOf(node: DatasetNode, recs: Map<FlowNode, Recording>): DatasetKind | "table" {
    if (node.declared !== "table") return node.declared;
    const f = this.flows.find((x) => x.target === node.name && x.type === "dataset");
    const r = f ? recs.get(f)?.result : undefined;
    return r === "stream" ? "streaming_table" : r === "batch" ? "materialized_view" : "table";
  }

  private edgesOf(recs: Map<FlowNode, Recording>): [string, string][] {
    const edges: [string, string][] = [];
    const seen = new Set<string>();
    for (const f of this.flows) {
      for (const d of recs.get(f)?.deps ?? []) {
        if (!d.dataset) continue;
        const key = `${d.name}\u0000${f.target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push([d.name, f.target]);
      }
    }
    return edges;
  }

  /**
   * The DAG: datasets (kind streaming_table, materialized_view, view, or table while the kind of a
   * `table()` whose query is async is not known yet) and the edges "read by". Query functions run
   * against a recording context (nothing is read); `spark` defaults to the session of the last run.
   */
  graph(spark?: SparkSession): PipelineGraph {
    const recs = this.record(spark ?? this.lastSpark ?? recordingSession());
    for (const r of recs.values()) r.pending?.catch(() => undefined);
    const nodes = [...this.datasets.values()].sort((a, b) => a.order - b.order).map((n) => ({ name: n.name, kind: this.kindOf(n, recs) }));
    return { nodes, edges: this.edgesOf(recs) };
  }

  /** Datasets in dependency order; throws PIPELINE_CYCLE naming a cycle. */
  private topoOrder(edges: [string, string][]): DatasetNode[] {
    const nodes = [...this.datasets.values()].sort((a, b) => a.order - b.order);
    const indeg = new Map(nodes.map((n) => [n.name, 0]));
    const out = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
    for (const [a, b] of edges) {
      if (a === b) throw new LakehouseError("PIPELINE_CYCLE", `The pipeline ${this.name} has a cycle: ${a} reads itself. A dataset cannot depend on its own output; read its source instead.`, { cycle: [a, a] });
      out.get(a)!.push(b);
      indeg.set(b, indeg.get(b)! + 1);
    }
    const order: DatasetNode[] = [];
    const ready = nodes.filter((n) => indeg.get(n.name) === 0);
    while (ready.length) {
      ready.sort((a, b) => a.order - b.order);
      const n = ready.shift()!;
      order.push(n);
      for (const m of out.get(n.name)!) {
        indeg.set(m, indeg.get(m)! - 1);
        if (indeg.get(m) === 0) ready.push(this.datasets.get(m)!);
      }
    }
    if (order.length < nodes.length) {
      // Walk backwards along remaining edges until a node repeats: that is a cycle.
      const left = new Set(nodes.filter((n) => !order.includes(n)).map((n) => n.name));
      const into = new Map<string, string>();
      for (const [a, b] of edges) if (left.has(a) && left.has(b)) into.set(b, a);
      let cur = [...left][0]!;
      const path: string[] = [];
      while (!path.includes(cur)) {
        path.push(cur);
        cur = into.get(cur)!;
      }
      let cycle = path.slice(path.indexOf(cur)).reverse();
      // Start at the dataset defined first, so the message is stable.
      const first = cycle.reduce((m, n, i) => (this.datasets.get(n)!.order < this.datasets.get(cycle[m]!)!.order ? i : m), 0);
      cycle = [...cycle.slice(first), ...cycle.slice(0, first)];
      cycle.push(cycle[0]!);
      throw new LakehouseError("PIPELINE_CYCLE", `The pipeline ${this.name} has a cycle: ${cycle.join(" → ")}. Datasets must form a DAG; break the cycle by reading a source table instead of a downstream dataset.`, { cycle });
    }
    return order;
  }

  /** Resolves kinds, validates the graph (cycles, unknown names, flow targets) and orders the flows. */
  private async plan(spark: SparkSession): Promise<{ order: FlowNode[]; kinds: Map<string, DatasetKind | "table">; deps: Map<FlowNode, Dep[]> }> {
    const recs = this.record(spark);
    await Promise.all([...recs.values()].map((r) => r.pending));
    // A table() whose query could not be recorded gets its kind when it runs.
    const kinds = new Map<string, DatasetKind | "table">();
    for (const n of this.datasets.values()) kinds.set(n.name, this.kindOf(n, recs));
    const recordedResult = (name: string) => {
      const f = this.flows.find((x) => x.target === name && x.type === "dataset");
      return f ? recs.get(f)?.result : undefined;
    };
    for (const f of this.flows) {
      const rec = recs.get(f)!;
      const k = kinds.get(f.target);
      if (f.type === "dataset" && k === "streaming_table" && rec.result === "batch") {
        throw new LakehouseError("PIPELINE_INVALID_QUERY", `${f.target} is a streaming table, but its query returns a batch DataFrame. Read the source with ctx.readStream(…) (or Auto Loader), or declare a materialized view.`, { dataset: f.target });
      }
      if (f.type !== "auto_cdc" && k === "materialized_view" && rec.result === "stream") {
        throw new LakehouseError("PIPELINE_INVALID_QUERY", `${f.target} is a materialized view, but its query returns a streaming DataFrame. Declare a streaming table for streaming queries, or read the source with ctx.read(…).`, { dataset: f.target });
      }
      for (const d of rec.deps) {
        if (!d.dataset) continue;
        const dk = kinds.get(d.name);
        if (d.streaming && dk === "materialized_view") {
          throw new LakehouseError("PIPELINE_INVALID_READ", `${f.name} streams from ${d.name}, a materialized view. A materialized view is rewritten on every update, so it cannot be read as a stream: read it with ctx.read(…) in a materialized view, or make ${d.name} a streaming table.`, { flow: f.name, dataset: d.name });
        }
        const vr = dk === "view" ? recordedResult(d.name) : undefined;
        if (vr !== undefined && d.streaming !== (vr === "stream")) {
          throw new LakehouseError("PIPELINE_INVALID_READ", d.streaming
            ? `${f.name} reads the view ${d.name} as a stream, but the view is a batch query. Read it with ctx.read(…) in a materialized view, or make the view read a stream.`
            : `${f.name} reads the view ${d.name} with a batch read, but the view reads a stream. Read it with ctx.readStream(…) in a streaming table.`, { flow: f.name, view: d.name });
        }
      }
    }
    for (const f of this.flows) {
      const node = this.datasets.get(f.target);
      if (f.type === "dataset") continue;
      const what = f.type === "auto_cdc" ? "AUTO CDC flow" : "append flow";
      if (!node) {
        throw new LakehouseError("PIPELINE_UNKNOWN_DATASET", `The ${what} ${f.name} writes into ${f.target}, which the pipeline does not define. Declare it first: createStreamingTable({ name: "${f.target}" }) (SQL: CREATE OR REFRESH STREAMING TABLE ${f.target};).`, { flow: f.name, target: f.target });
      }
      if (kinds.get(f.target) !== "streaming_table") {
        throw new LakehouseError("PIPELINE_INVALID_FLOW_TARGET", `The ${what} ${f.name} writes into ${f.target}, a ${kinds.get(f.target)!.replace("_", " ")} (or a dataset whose query does not stream). Flows can only write into streaming tables.`, { flow: f.name, target: f.target });
      }
      if (f.type === "auto_cdc" && this.flows.some((x) => x.target === f.target && x.type !== "auto_cdc")) {
        throw new LakehouseError("PIPELINE_INVALID_FLOW_TARGET", `${f.target} is the target of an AUTO CDC flow, so no other (query or append) flow may write into it. Declare it with createStreamingTable() and give it only AUTO CDC flows.`, { target: f.target });
      }
    }
    const edges = this.edgesOf(recs);
    const order = this.topoOrder(edges);
    // Unknown dependencies: names that are neither datasets nor existing tables.
    const missing: string[] = [];
    const deps = new Map<FlowNode, Dep[]>();
    for (const f of this.flows) {
      const list = recs.get(f)!.deps;
      deps.set(f, list);
      for (const d of list) {
        if (d.dataset) continue;
        const exists = d.path
          ? (await spark.targetOf({ kind: "path", format: "delta", path: d.path }, false)).snapshot !== undefined
          : (await spark.metastore.getTable(...d.parts!)) !== undefined;
        if (!exists) missing.push(`${f.name} reads ${d.name}`);
      }
    }
    if (missing.length) {
      throw new LakehouseError("PIPELINE_UNKNOWN_DEPENDENCY", `Pipeline ${this.name} reads names that are neither datasets of the pipeline nor existing tables: ${[...new Set(missing)].join("; ")}. Define the dataset in the pipeline, create the table, or fix the name (datasets: ${[...this.datasets.keys()].join(", ")}).`, { missing });
    }
    const flowOrder: FlowNode[] = [];
    for (const n of order) flowOrder.push(...this.flows.filter((f) => f.target === n.name).sort((a, b) => a.order - b.order));
    return { order: flowOrder, kinds, deps };
  }

  /** Auto Loader with a pipeline-managed schema location. */
  private autoLoader(spark: SparkSession, path: string, options: Record<string, string | number | boolean> | undefined, schemaLocation: string): StreamingDataFrame {
    const opts: Record<string, string> = {};
    for (const [k, v] of Object.entries(options ?? {})) {
      const lk = k.toLowerCase();
      if (lk === "format" || lk === "cloudfiles.format") opts["cloudFiles.format"] = String(v);
      else if (lk.startsWith("cloudfiles.")) opts[k] = String(v);
      else if (CLOUD_FILES_KEYS.has(lk)) opts[`cloudFiles.${k}`] = String(v);
      else opts[k] = String(v);
    }
    if (!opts["cloudFiles.format"]) throw new LakehouseError("INVALID_ARGUMENT", `readFiles(${path}): give the file format, e.g. { format: "json" }.`, { path });
    if (!Object.keys(opts).some((k) => k.toLowerCase() === "cloudfiles.schemalocation")) opts["cloudFiles.schemaLocation"] = schemaLocation;
    return spark.readStream.format("cloudFiles").options(opts).load(path);
  }

  // --- running -------------------------------------------------------------------------------------

  /** Runs one update: every flow in dependency order. Validation errors throw; flow errors give status FAILED. */
  async run(spark: SparkSession, opts: { fullRefresh?: boolean | string[] } = {}): Promise<UpdateResult> {
    this.lastSpark = spark;
    const t0 = Date.now();
    const { order, kinds, deps } = await this.plan(spark);
    let selection: Set<string>;
    const fr = opts.fullRefresh;
    if (fr === true) selection = new Set(this.datasets.keys());
    else if (Array.isArray(fr)) {
      selection = new Set();
      for (const n of fr) {
        const r = this.resolveRef(n);
        if (r.kind !== "dataset") throw new LakehouseError("PIPELINE_UNKNOWN_DATASET", `fullRefresh names ${n}, which is not a dataset of pipeline ${this.name} (datasets: ${[...this.datasets.keys()].join(", ")}).`, { name: n });
        selection.add(r.name);
      }
    } else selection = new Set();
    const update = new UpdateRun(this, spark, kinds, selection);
    const log = update.log;
    log.add({ event_type: "create_update", message: `Update ${update.updateId} started by API_CALL.`, details: { create_update: { cause: "API_CALL", full_refresh: fr === true, full_refresh_selection: Array.isArray(fr) ? [...selection] : [] } } });
    log.add({ event_type: "update_progress", message: `Update ${update.updateId} is RUNNING.`, details: { update_progress: { state: "RUNNING" } } });
    for (const f of order) {
      log.add({
        event_type: "flow_definition", dataset: f.target, flow_name: f.name, message: `Flow '${f.name}' is defined as ${f.type === "auto_cdc" ? "AUTO CDC" : f.type === "append" ? "an append flow" : kinds.get(f.target)!.replace("_", " ")}.`,
        details: { flow_definition: { output_dataset: f.target, input_datasets: [...new Set(deps.get(f)!.map((d) => d.name))], flow_type: f.type === "auto_cdc" ? "AUTO_CDC" : f.type === "append" ? "APPEND" : kinds.get(f.target)!.toUpperCase() } },
      });
    }
    let error: string | undefined;
    try {
      try {
        await update.prepare();
      } catch (e) {
        error = message(e);
      }
      for (const f of order) {
        if (error !== undefined) {
          update.skip(f);
          continue;
        }
        const r = await update.runFlow(f);
        if (r.status === "FAILED") error = r.error;
      }
    } catch (e) {
      error ??= message(e);
    } finally {
      try {
        await update.finish(error);
      } finally {
        await update.cleanup();
      }
    }
    return {
      updateId: update.updateId, fullRefresh: selection.size > 0, status: error === undefined ? "COMPLETED" : "FAILED", flows: update.results, durationMs: Date.now() - t0,
      ...(error !== undefined ? { error } : {}), ...(Array.isArray(fr) ? { fullRefreshSelection: [...selection] } : {}),
    };
  }

  /** @internal for UpdateRun */
  _internals() {
    return {
      datasets: this.datasets, flows: this.flows,
      resolveRef: (n: string) => this.resolveRef(n),
      autoLoader: (spark: SparkSession, path: string, o: Record<string, string | number | boolean> | undefined, loc: string) => this.autoLoader(spark, path, o, loc),
    };
  }
}

/** Auto Loader option names that read_files/readFiles accept without the cloudFiles. prefix. */
const CLOUD_FILES_KEYS = new Set([
  "schemalocation", "schemahints", "infercolumntypes", "schemaevolutionmode", "maxfilespertrigger", "maxbytespertrigger",
  "includeexistingfiles", "allowoverwrites", "usenotifications", "partitioncolumns", "validateoptions", "useincrementallisting", "backfillinterval", "maxfileage",
]);

// ---------------------------------------------------------------------------------------------
// One update

class UpdateRun {
  readonly updateId = randomUUID();
  readonly log: EventLogWriter;
  readonly results: FlowResult[] = [];
  private readonly storage: string;
  private readonly viewRelations = new Map<string, string>();
  private readonly streamViews = new Map<string, { sdf: StreamingDataFrame; checks: ViewCheck[]; result: FlowResult }>();
  private readonly temps: string[] = [];
  /** Streaming tables whose first write of this update must replace the table (full refresh). */
  private readonly truncate = new Set<string>();
  private readonly done = new Set<string>();
  /** Records removed by drop rules, per flow result. */
  private readonly dropped = new WeakMap<FlowResult, number>();
  private readonly p: ReturnType<Pipeline["_internals"]>;

  constructor(private readonly pipeline: Pipeline, private readonly spark: SparkSession, private readonly kinds: Map<string, DatasetKind | "table">, private readonly refresh: Set<string>) {
    this.log = new EventLogWriter(pipeline.eventLog, pipeline.name, this.updateId);
    this.storage = pipeline.storageFor(spark);
    this.p = pipeline._internals();
  }

  private checkpointDir(flow: string): string {
    return join(this.storage, "checkpoints", flow);
  }

  private schemaDir(dataset: string): string {
    return join(this.storage, "schemas", dataset);
  }

  /** Catalogs and schemas of the persisted datasets and of the event log. */
  async prepare(): Promise<void> {
    const names = [...this.p.datasets.values()].filter((d) => this.kinds.get(d.name) !== "view").map((d) => d.name);
    names.push(this.pipeline.eventLog);
    const ms = this.spark.metastore;
    for (const n of new Set(names.map((x) => x.split(".").slice(0, 2).join(".")))) {
      const [c, s] = n.split(".") as [string, string];
      if (!(await ms.catalogExists(c))) await ms.createCatalog(c, true);
      await ms.createSchema(c, s, true);
    }
  }

  private newResult(f: FlowNode, kind: FlowResult["kind"]): FlowResult {
    const node = this.p.datasets.get(f.target)!;
    return {
      dataset: f.target, flow: f.name, kind, status: "COMPLETED", numInputRows: 0, numOutputRows: 0,
      expectations: node.expectations.map((e) => ({ name: e.name, action: actionOf(e), passed: 0, failed: 0 })), durationMs: 0,
    };
  }

  private resultKind(f: FlowNode): FlowResult["kind"] {
    if (f.type === "auto_cdc") return "auto_cdc";
    const k = this.kinds.get(f.target)!;
    return k === "table" ? "materialized_view" : k;
  }

  skip(f: FlowNode): void {
    const r = this.newResult(f, this.resultKind(f));
    r.status = "SKIPPED";
    this.results.push(r);
    this.logFlow(f, r, {});
  }

  private addDropped(r: FlowResult, n: number): void {
    this.dropped.set(r, (this.dropped.get(r) ?? 0) + n);
  }

  private logFlow(f: FlowNode, r: FlowResult, extra: Record<string, number>): void {
    const details: Record<string, unknown> = {
      flow_progress: {
        status: r.status,
        metrics: { num_output_rows: r.numOutputRows, num_input_rows: r.numInputRows, ...extra },
        ...(r.expectations.length ? {
          data_quality: {
            dropped_records: this.dropped.get(r) ?? 0,
            expectations: r.expectations.map((e) => ({ name: e.name, dataset: r.dataset, action: e.action, passed_records: e.passed, failed_records: e.failed })),
          },
        } : {}),
      },
    };
    const msg = r.status === "COMPLETED" ? `Flow '${f.name}' has COMPLETED.` : r.status === "SKIPPED" ? `Flow '${f.name}' was SKIPPED because the update stopped.` : `Flow '${f.name}' has FAILED.`;
    this.log.add({ event_type: "flow_progress", level: r.status === "FAILED" ? "ERROR" : r.status === "SKIPPED" ? "WARN" : "METRICS", dataset: f.target, flow_name: f.name, message: msg, details, error: r.error ?? null });
  }

  /** A FlowContext for running a query: reads resolve to tables, batch views to their temp table, streaming views inline. */
  private context(dataset: string, checks: ViewCheck[]): PipelineFlowContext {
    const { spark, p } = this;
    const self = this;
    return {
      spark,
      dataset,
      read(name: string): DataFrame {
        const r = p.resolveRef(name);
        if (r.kind === "path") return DataFrame.fromTable(spark, r.name);
        if (r.kind === "dataset" && self.kinds.get(r.name) === "view") {
          const rel = self.viewRelations.get(r.name);
          if (rel) return DataFrame.fromTable(spark, rel);
          if (self.streamViews.has(r.name)) throw new LakehouseError("PIPELINE_INVALID_READ", `${r.name} is a streaming view (its query reads a stream); read it with readStream("${name}") in a streaming table.`, { view: r.name });
          throw new LakehouseError("PIPELINE_INVALID_READ", `The view ${r.name} has not been computed in this update.`, { view: r.name });
        }
        return DataFrame.fromTable(spark, nameSql(r.name.split(".")));
      },
      readStream(name: string): StreamingDataFrame {
        const r = p.resolveRef(name);
        if (r.kind === "dataset" && self.kinds.get(r.name) === "view") {
          const v = self.streamViews.get(r.name);
          if (!v) {
            throw new LakehouseError("PIPELINE_INVALID_READ", `${r.name} is a batch view (its query returns a DataFrame); read it with read("${name}") in a materialized view, or make the view read a stream.`, { view: r.name });
          }
          checks.push(...v.checks);
          return v.sdf;
        }
        return spark.readStream.table(r.kind === "path" ? r.name : nameSql(r.name.split(".")));
      },
      readFiles(path: string, options?: Record<string, string | number | boolean>): StreamingDataFrame {
        return p.autoLoader(spark, path, options, self.schemaDir(dataset));
      },
    };
  }

  private async stage(sql: string, kind = "pl"): Promise<string> {
    const name = tempName(kind);
    this.temps.push(name);
    await this.spark.db.run(`CREATE TEMP TABLE ${name} AS ${sql}`);
    return name;
  }

  private async dropTemp(name: string): Promise<void> {
    await this.spark.db.run(`DROP TABLE IF EXISTS ${name}`);
    const i = this.temps.indexOf(name);
    if (i >= 0) this.temps.splice(i, 1);
  }

  /** Stages a batch DataFrame (resolved and compiled by the session). */
  private async stageFrame(df: DataFrame): Promise<string> {
    await df.resolve();
    return this.stage((await this.spark.compile(df.toSQL())).sql);
  }

  /** Counts the expectations of the streaming views a flow reads, over the current micro-batch. */
  private async evaluateChecks(checks: ViewCheck[]): Promise<void> {
    for (const c of checks) {
      const rel = await this.stageFrame(c.sdf._df);
      try {
        const q = await evaluateBatch(this.spark, c.view.name, rel, c.view.expectations);
        accumulate(c.result.expectations, q.perRule);
        this.addDropped(c.result, q.rows - q.kept);
        c.result.numInputRows += q.rows;
        c.result.numOutputRows += q.kept;
      } catch (e) {
        if (e instanceof ExpectationViolationError) {
          accumulate(c.result.expectations, e.perRule);
          c.result.status = "FAILED";
          c.result.error = e.message;
        }
        throw e;
      } finally {
        await this.dropTemp(rel);
      }
    }
  }

  /** Runs a streaming DataFrame to the end of its available input (availableNow) with foreachBatch. */
  private async runStream(sdf: StreamingDataFrame, checkpoint: string, onBatch: (df: DataFrame, batchId: number, queryId: string) => Promise<void>): Promise<number> {
    const cp = new Checkpoint(this.spark.engine.storage, checkpoint);
    const queryId = await cp.queryId();
    const q = await sdf.writeStream.option("checkpointLocation", checkpoint).trigger({ availableNow: true }).foreachBatch((df, id) => onBatch(df, id, queryId)).start();
    try {
      await q.awaitTermination();
    } catch (e) {
      const cause = e instanceof StreamingQueryException ? e.cause : e;
      if (cause instanceof LakehouseError && (cause.code === "DELTA_SOURCE_TABLE_IGNORE_CHANGES" || cause.code === "DELTA_SOURCE_IGNORE_DELETE" || cause.code === "DIFFERENT_DELTA_TABLE_READ_BY_STREAMING_SOURCE")) {
        cause.message += " In a pipeline this happens when a table this flow streams from was fully refreshed or is a materialized view: fully refresh this dataset too (run(spark, { fullRefresh: [...] })), or read it with read() in a materialized view.";
      }
      throw cause;
    }
    return q.recentProgress.reduce((s, x) => s + x.numInputRows, 0);
  }

  /**
   * runStream for a flow that checks expectations: a batch rejected by a fail expectation still
   * has its per-rule counts recorded (once, here), and the error reaching the flow carries none,
   * so the flow-level handler does not count them again.
   */
  private async runCountedStream(node: DatasetNode, r: FlowResult, sdf: StreamingDataFrame, checkpoint: string, onBatch: (df: DataFrame, batchId: number, queryId: string) => Promise<void>): Promise<number> {
    return this.runStream(sdf, checkpoint, async (df, batchId, queryId) => {
      try {
        await onBatch(df, batchId, queryId);
      } catch (e) {
        if (e instanceof ExpectationViolationError) accumulate(r.expectations, e.perRule);
        throw e;
      }
    }).catch((e) => {
      if (e instanceof ExpectationViolationError && e.dataset === node.name) e.perRule = [];
      throw e;
    });
  }

  /** For a stream that produced no batch: its output, empty, as a temp table (undefined when unknowable). */
  private async probeEmpty(sdf: StreamingDataFrame): Promise<string | undefined> {
    if (sdf._input.kind !== "source") return undefined;
    const dir = join(this.spark.engine.scratchDir, `pipeline-probe-${randomUUID()}`);
    const rel = sdf._input.relation;
    try {
      const source = sdf._input.factory.create();
      const fields = await source.initialize({ spark: this.spark, metadataPath: dir });
      const cols = fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`);
      await this.spark.db.run(`CREATE OR REPLACE TEMP TABLE ${rel} AS SELECT ${cols.length ? cols.join(", ") : "NULL AS __empty"} WHERE false`);
      await sdf._df.resolve();
      return await this.stage(`SELECT * FROM (${(await this.spark.compile(sdf._df.toSQL())).sql}) AS __p WHERE false`);
    } catch {
      return undefined;
    } finally {
      await this.spark.db.run(`DROP TABLE IF EXISTS ${rel}`).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.spark.targetOf({ kind: "name", parts: name.split(".") }, false)).snapshot !== undefined;
  }

  private deltaOptions(node: DatasetNode): Record<string, string> {
    return Object.fromEntries(Object.entries(node.tableProperties).filter(([k]) => k.startsWith("delta.")));
  }

  /** Marks a truncation still owed by a full refresh (it survives a failed update). */
  private pendingFile(dataset: string): string {
    return join(this.storage, "pending_full_refresh", dataset);
  }

  private settleTruncation(dataset: string): void {
    this.truncate.delete(dataset);
    rmSync(this.pendingFile(dataset), { force: true });
  }

  /**
   * Full refresh of a streaming table: forget checkpoints, AUTO CDC state and Auto Loader schemas,
   * then truncate — AUTO CDC targets at once, others with their first write of the update (so a
   * failing full refresh keeps the old rows; the marker file makes the next update finish it).
   */
  private async beginTarget(node: DatasetNode): Promise<void> {
    if (this.done.has(node.name)) return;
    this.done.add(node.name);
    if (this.kinds.get(node.name) !== "streaming_table") return;
    const pending = existsSync(this.pendingFile(node.name));
    if (!this.refresh.has(node.name) && !pending) return;
    if (this.refresh.has(node.name)) {
      for (const f of this.p.flows.filter((x) => x.target === node.name)) rmSync(this.checkpointDir(f.name), { recursive: true, force: true });
      rmSync(this.schemaDir(node.name), { recursive: true, force: true });
    }
    if (!(await this.exists(node.name))) {
      this.settleTruncation(node.name);
      return;
    }
    if (this.p.flows.some((x) => x.target === node.name && x.type === "auto_cdc")) {
      await this.spark.sql(`DELETE FROM ${nameSql(node.name.split("."))}`);
      this.settleTruncation(node.name);
      return;
    }
    mkdirSync(join(this.storage, "pending_full_refresh"), { recursive: true });
    writeFileSync(this.pendingFile(node.name), `${this.updateId}\n`);
    this.truncate.add(node.name);
  }

  /** After the last flow of a persisted dataset: pending truncation, table properties, comment. */
  private async endTarget(node: DatasetNode): Promise<void> {
    const last = this.p.flows.filter((x) => x.target === node.name).sort((a, b) => b.order - a.order)[0];
    const current = this.results[this.results.length - 1];
    if (!last || current?.flow !== last.name || current.status !== "COMPLETED") return;
    const sqlName = nameSql(node.name.split("."));
    if (this.truncate.has(node.name)) {
      if (await this.exists(node.name)) await this.spark.sql(`DELETE FROM ${sqlName}`);
      this.settleTruncation(node.name);
    }
    const target = await this.spark.targetOf({ kind: "name", parts: node.name.split(".") }, false);
    if (!target.snapshot) return;
    const diff = Object.entries(node.tableProperties).filter(([k, v]) => target.snapshot!.configuration[k] !== v);
    if (diff.length) await this.spark.sql(`ALTER TABLE ${sqlName} SET TBLPROPERTIES (${diff.map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`).join(", ")})`);
    if (node.comment !== undefined) {
      const [c, s, t] = node.name.split(".") as [string, string, string];
      const entry = await this.spark.metastore.getTable(c, s, t);
      if (entry && entry.comment !== node.comment) {
        const { createdAt: _c, format: _f, ...rest } = entry;
        await this.spark.metastore.registerTable({ ...rest, comment: node.comment }, true);
      }
    }
  }

  async runFlow(f: FlowNode): Promise<FlowResult> {
    const node = this.p.datasets.get(f.target)!;
    const t0 = Date.now();
    const extra: Record<string, number> = {};
    const checks: ViewCheck[] = [];
    let r: FlowResult | undefined;
    try {
      // Dataset flows: build the query first, so a table() whose kind recording could not tell is resolved.
      let out: DataFrame | StreamingDataFrame | undefined;
      if (f.type !== "auto_cdc") {
        try {
          out = await this.query(f, checks);
        } finally {
          if (this.kinds.get(f.target) === "table" && out) this.kinds.set(f.target, out instanceof StreamingDataFrame ? "streaming_table" : "materialized_view");
          r = this.newResult(f, this.resultKind(f));
        }
      } else r = this.newResult(f, "auto_cdc");
      await this.beginTarget(node);
      const kind = r.kind;
      if (f.type === "auto_cdc") await this.runCdc(f, node, r, extra);
      else if (kind === "materialized_view") await this.runMaterializedView(node, out!, r);
      else if (kind === "view") {
        if (await this.runView(node, out!, checks, r)) {
          // A streaming view is counted by the flows that read it and reported when the update ends.
          r.durationMs = Date.now() - t0;
          this.results.push(r);
          return r;
        }
      } else await this.runStreamingTable(f, node, out!, checks, r);
    } catch (e) {
      r ??= this.newResult(f, this.resultKind(f));
      r.status = "FAILED";
      r.error = message(e);
      if (e instanceof ExpectationViolationError && e.dataset === node.name) accumulate(r.expectations, e.perRule);
    }
    r.durationMs = Date.now() - t0;
    this.results.push(r);
    if (r.status === "COMPLETED" && r.kind !== "view") {
      try {
        await this.endTarget(node);
      } catch (e) {
        r.status = "FAILED";
        r.error = message(e);
      }
    }
    this.logFlow(f, r, extra);
    return r;
  }

  private async query(f: FlowNode, checks: ViewCheck[]): Promise<DataFrame | StreamingDataFrame> {
    const out = await f.query!(this.context(f.target, checks));
    if (!(out instanceof DataFrame) && !(out instanceof StreamingDataFrame)) {
      throw new LakehouseError("PIPELINE_INVALID_QUERY", `The query of ${f.name} returned ${out === null ? "null" : typeof out}, not a DataFrame or StreamingDataFrame.`, { flow: f.name });
    }
    return out;
  }

  private async runMaterializedView(node: DatasetNode, out: DataFrame | StreamingDataFrame, r: FlowResult): Promise<void> {
    if (out instanceof StreamingDataFrame) {
      throw new LakehouseError("PIPELINE_INVALID_QUERY", `${node.name} is a materialized view, but its query returns a streaming DataFrame. Use streamingTable() (or table()) for streaming queries, or read the source with ctx.read().`, { dataset: node.name });
    }
    const rel = await this.stageFrame(out);
    try {
      const q = await evaluateBatch(this.spark, node.name, rel, node.expectations);
      accumulate(r.expectations, q.perRule);
      this.addDropped(r, q.rows - q.kept);
      r.numInputRows = q.rows;
      await this.spark.write(`SELECT * FROM ${rel} WHERE ${q.keepSql}`, {
        format: "delta", mode: "overwrite", options: { overwriteSchema: "true", ...this.deltaOptions(node) }, partitionBy: node.partitionBy, target: { kind: "table", name: nameSql(node.name.split(".")) },
      });
      r.numOutputRows = q.kept;
    } finally {
      await this.dropTemp(rel);
    }
  }

  /** Returns true for a streaming view (inlined later), false after computing a batch view. */
  private async runView(node: DatasetNode, out: DataFrame | StreamingDataFrame, checks: ViewCheck[], r: FlowResult): Promise<boolean> {
    if (out instanceof StreamingDataFrame) {
      const drops = node.expectations.filter((e) => actionOf(e) === "drop");
      const sdf = drops.length ? out.filter(drops.map((e) => passSql(e.condition)).join(" AND ")) : out;
      this.streamViews.set(node.name, { sdf, checks: [...checks, { view: node, sdf: out, result: r }], result: r });
      return true;
    }
    const rel = await this.stageFrame(out);
    try {
      const q = await evaluateBatch(this.spark, node.name, rel, node.expectations);
      accumulate(r.expectations, q.perRule);
      this.addDropped(r, q.rows - q.kept);
      r.numInputRows = q.rows;
      r.numOutputRows = q.kept;
      this.viewRelations.set(node.name, await this.stage(`SELECT * FROM ${rel} WHERE ${q.keepSql}`, "pview"));
    } finally {
      await this.dropTemp(rel);
    }
    return false;
  }

  private async runStreamingTable(f: FlowNode, node: DatasetNode, out: DataFrame | StreamingDataFrame, checks: ViewCheck[], r: FlowResult): Promise<void> {
    if (!(out instanceof StreamingDataFrame)) {
      throw new LakehouseError("PIPELINE_INVALID_QUERY", `${node.name} is a streaming table, but the query of ${f.name} returns a batch DataFrame. Read the source with ctx.readStream(…) (or Auto Loader), or use materializedView().`, { dataset: node.name });
    }
    const target = nameSql(node.name.split("."));
    r.numInputRows = await this.runCountedStream(node, r, out, this.checkpointDir(f.name), async (df, batchId, queryId) => {
      await this.evaluateChecks(checks);
      const rel = await this.stageFrame(df);
      try {
        const q = await evaluateBatch(this.spark, node.name, rel, node.expectations);
        accumulate(r.expectations, q.perRule);
        this.addDropped(r, q.rows - q.kept);
        const overwrite = this.truncate.has(node.name);
        await this.spark.write(`SELECT * FROM ${rel} WHERE ${q.keepSql}`, {
          format: "delta", mode: overwrite ? "overwrite" : "append",
          options: { txnAppId: queryId, txnVersion: String(batchId), mergeSchema: "true", ...(overwrite ? { overwriteSchema: "true" } : {}), ...this.deltaOptions(node) },
          partitionBy: node.partitionBy, target: { kind: "table", name: target },
        });
        if (overwrite) this.settleTruncation(node.name);
        r.numOutputRows += q.kept;
      } finally {
        await this.dropTemp(rel);
      }
    });
    if (!(await this.exists(node.name))) {
      const empty = await this.probeEmpty(out);
      if (empty) {
        await this.spark.write(`SELECT * FROM ${empty}`, { format: "delta", mode: "append", options: this.deltaOptions(node), partitionBy: node.partitionBy, target: { kind: "table", name: target } });
        await this.dropTemp(empty);
      }
    }
  }

  private async runCdc(f: FlowNode, node: DatasetNode, r: FlowResult, extra: Record<string, number>): Promise<void> {
    const cdc = f.cdc!;
    const checks: ViewCheck[] = [];
    const src = this.context(node.name, checks).readStream(cdc.source);
    const cp = this.checkpointDir(f.name);
    const spec: CdcSpec = {
      flowName: f.name, target: nameSql(node.name.split(".")), keys: cdc.keys, sequenceBy: cdc.sequenceBy, applyAsDeletes: cdc.applyAsDeletes, applyAsTruncates: cdc.applyAsTruncates,
      columns: cdc.columns, exceptColumns: cdc.exceptColumns, storedAs: cdc.storedAs, trackHistoryColumns: cdc.trackHistoryColumns,
      trackHistoryExceptColumns: cdc.trackHistoryExceptColumns, ignoreNullUpdates: cdc.ignoreNullUpdates, statePath: join(cp, "cdc_state"),
    };
    extra["num_upserted_rows"] = 0;
    extra["num_deleted_rows"] = 0;
    r.numInputRows = await this.runCountedStream(node, r, src, cp, async (df) => {
      await this.evaluateChecks(checks);
      const rel = await this.stageFrame(df);
      let kept = rel;
      try {
        const q = await evaluateBatch(this.spark, node.name, rel, node.expectations);
        accumulate(r.expectations, q.perRule);
        this.addDropped(r, q.rows - q.kept);
        if (q.keepSql !== "true") kept = await this.stage(`SELECT * FROM ${rel} WHERE ${q.keepSql}`);
        await ensureCdcTarget(this.spark, spec, kept, node.partitionBy, node.tableProperties);
        const res = await applyCdcBatch(this.spark, spec, kept);
        extra["num_upserted_rows"]! += res.upserts;
        extra["num_deleted_rows"]! += res.deletes;
        r.numOutputRows += res.upserts + res.deletes;
      } finally {
        if (kept !== rel) await this.dropTemp(kept);
        await this.dropTemp(rel);
      }
    });
    if (!(await this.exists(node.name))) {
      const empty = await this.probeEmpty(src);
      if (empty) {
        await ensureCdcTarget(this.spark, spec, empty, node.partitionBy, node.tableProperties);
        await this.dropTemp(empty);
      }
    }
  }

  /** Reports streaming views, ends the update and writes the event log. */
  async finish(error: string | undefined): Promise<void> {
    for (const [name, v] of this.streamViews) {
      const f = this.p.flows.find((x) => x.target === name && x.type === "dataset")!;
      this.logFlow(f, v.result, {});
    }
    const state = error === undefined ? "COMPLETED" : "FAILED";
    this.log.add({ event_type: "update_progress", level: error === undefined ? "INFO" : "ERROR", message: `Update ${this.updateId} is ${state}.`, details: { update_progress: { state } }, error: error ?? null });
    await this.log.flush(this.spark);
  }

  async cleanup(): Promise<void> {
    for (const t of [...this.temps, ...this.viewRelations.values()]) await this.spark.db.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    this.temps.length = 0;
    this.viewRelations.clear();
  }
}
