/**
 * The micro-batch engine and the StreamingQuery handle (Spark's MicroBatchExecution).
 *
 * A query runs as a loop of triggers. Each trigger that has work runs one micro-batch N:
 *
 *   1. plan     ask the source for the end offset of new data (latestOffset), bounded by its
 *               rate limit; nothing new and no watermark to advance → idle, wait for the next trigger
 *   2. WAL      write `offsets/N` {batchWatermarkMs, batchTimestampMs} + the source's end offset
 *   3. read     the source loads the rows in (previous end, this end] into the source placeholder
 *   4. execute  every segment of the streaming DataFrame runs over its placeholder; stateful
 *               operators read state version N and write version N+1 (stateful.ts)
 *   5. sink     the result goes to the sink (Delta: one commit carrying txn(appId = query id,
 *               version = N))
 *   6. commit   write `commits/N` with the watermark the next batch will use
 *
 * A restart reads the two logs: a batch with offsets but no commit is re-run first, with exactly
 * the same offsets and watermark, and the Delta sink skips it if its txn is already in the table.
 * That is how a crash anywhere in 2–6 neither loses nor duplicates rows.
 *
 * Triggers, as in Spark: the default runs batches back to back (polling every
 * spark.sql.streaming.pollingDelay ms, default 100, when idle); `processingTime` runs one
 * trigger per interval; `availableNow` processes what is available at start in as many batches as
 * the rate limits need (plus a final no-data batch when the watermark moved), then stops; `once`
 * runs a single batch (re-running an unfinished batch counts as that batch, as in Spark).
 *
 * Local differences: a batch runs to completion before `stop()` takes effect (Spark interrupts
 * it); one source per query (no unions/joins of streams); state lives in Parquet snapshots,
 * not RocksDB; there is no continuous processing.
 *
 * Fault injection for tests: the environment variable C360_STREAMING_FAULT =
 * `exitAfterOffsets:<batchId>` or `exitAfterSink:<batchId>` makes the process exit at that point
 * of that batch, and `streamingTestHooks` lets in-process tests throw there.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import type { Field } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";
import { Checkpoint, type OffsetSeq } from "./checkpoint.js";
import { StreamingQueryException, UnsupportedStreamingOperationError } from "./errors.js";
import type { StreamSink } from "./sink.js";
import type { SourceOffset, StreamSource } from "./source.js";
import { AggregateExec, DedupExec, makeExec, WatermarkExec, type OperatorExec, type OutputMode, type StateOperatorProgress, type WatermarkSpec } from "./stateful.js";
import type { StreamingDataFrame } from "./streaming-dataframe.js";

export type TriggerSpec =
  | { kind: "default" }
  | { kind: "processingTime"; intervalMs: number }
  | { kind: "availableNow" }
  | { kind: "once" };

/** Spark's StreamingQueryProgress (the JSON `query.lastProgress` returns). */
export interface StreamingQueryProgress {
  id: string;
  runId: string;
  name: string | null;
  timestamp: string;
  batchId: number;
  batchDuration: number;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  durationMs: {
    addBatch: number;
    getBatch: number;
    latestOffset: number;
    queryPlanning: number;
    triggerExecution: number;
    walCommit: number;
    commitOffsets: number;
  };
  eventTime?: { watermark: string; max?: string; min?: string; avg?: string };
  stateOperators: StateOperatorProgress[];
  sources: {
    description: string;
    startOffset: SourceOffset | null;
    endOffset: SourceOffset | null;
    latestOffset: SourceOffset | null;
    numInputRows: number;
    inputRowsPerSecond: number;
    processedRowsPerSecond: number;
    metrics: Record<string, string>;
  }[];
  sink: { description: string; numOutputRows: number; metrics: Record<string, string> };
}

export interface StreamingQueryStatus {
  message: string;
  isDataAvailable: boolean;
  isTriggerActive: boolean;
}

export interface QuerySpec {
  sdf: StreamingDataFrame;
  sink: StreamSink;
  outputMode: OutputMode;
  trigger: TriggerSpec;
  checkpointLocation: string;
  name: string | null;
}

/** Hooks for in-process fault-injection tests: throwing from one simulates a crash at that point. */
export const streamingTestHooks: {
  afterOffsets?: (batchId: number) => void | Promise<void>;
  afterSink?: (batchId: number) => void | Promise<void>;
} = {};

const activeCheckpoints = new Set<string>();
const activeRelations = new WeakMap<SparkSession, Set<string>>();
/** Columns a streaming DataFrame's placeholder had when its plan was first resolved. */
const resolvedWith = new WeakMap<object, string>();

function faultPoint(point: "exitAfterOffsets" | "exitAfterSink", batchId: number): void {
  const f = process.env["C360_STREAMING_FAULT"];
  if (f === `${point}:${batchId}`) process.exit(86);
}

interface Segment {
  sdf: StreamingDataFrame;
  relation: string;
  exec?: OperatorExec;
  bare: boolean;
  fields: Field[];
}

function chain(sdf: StreamingDataFrame): StreamingDataFrame[] {
  const out: StreamingDataFrame[] = [];
  for (let s: StreamingDataFrame | undefined = sdf; s; s = s._input.kind === "op" ? s._input.parent : undefined) out.unshift(s);
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class StreamingQuery {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  private readonly spark: SparkSession;
  private readonly spec: QuerySpec;
  private readonly checkpoint: Checkpoint;
  private source!: StreamSource;
  private segments: Segment[] = [];
  private active = true;
  private stopRequested = false;
  private error: StreamingQueryException | null = null;
  private readonly progressLog: StreamingQueryProgress[] = [];
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private statusValue: StreamingQueryStatus = { message: "Initializing sources", isDataAvailable: false, isTriggerActive: false };
  private readonly relations = new Set<string>();

  // Batch bookkeeping.
  private nextBatchId = 0;
  private lastEnd: SourceOffset | null = null;
  private currentWatermarkMs = 0;
  private lastBatchWatermarkMs = 0;
  private pending: { batchId: number; start: SourceOffset | null; end: SourceOffset | null; watermarkMs: number } | undefined;
  private lastTriggerStart = -1;
  private readonly opWatermarks = new Map<WatermarkExec, number>();

  private constructor(spark: SparkSession, spec: QuerySpec, checkpoint: Checkpoint, id: string) {
    this.spark = spark;
    this.spec = spec;
    this.checkpoint = checkpoint;
    this.id = id;
    this.runId = randomUUID();
    this.name = spec.name;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** @internal Use `df.writeStream…start()` / `toTable()`. */
  static async start(spark: SparkSession, spec: QuerySpec): Promise<StreamingQuery> {
    const root = spec.checkpointLocation;
    if (activeCheckpoints.has(root)) {
      throw new LakehouseError("CONCURRENT_QUERY", `Another streaming query with the checkpoint location ${root} is already active in this session. Stop it first (query.stop()), or use another checkpointLocation.`, { checkpointLocation: root });
    }
    const checkpoint = new Checkpoint(spark.engine.storage, root);
    activeCheckpoints.add(root);
    let q: StreamingQuery | undefined;
    try {
      const id = await checkpoint.queryId();
      q = new StreamingQuery(spark, spec, checkpoint, id);
      await q.initialize();
    } catch (e) {
      activeCheckpoints.delete(root);
      if (q) await q.cleanup();
      throw e;
    }
    void q.loop();
    return q;
  }

  // --- setup ---------------------------------------------------------------------------------

  private claim(relation: string): void {
    let set = activeRelations.get(this.spark);
    if (!set) activeRelations.set(this.spark, (set = new Set()));
    if (set.has(relation)) {
      throw new LakehouseError("STREAMING_DATAFRAME_IN_USE", "This streaming DataFrame is already used by an active query of this session. Build it again with spark.readStream…load() for a second query, or stop the first one.", {});
    }
    set.add(relation);
    this.relations.add(relation);
  }

  private async createEmpty(relation: string, fields: Field[]): Promise<void> {
    const cols = fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`);
    await this.spark.db.run(`CREATE OR REPLACE TEMP TABLE ${relation} AS SELECT ${cols.length ? cols.join(", ") : "NULL AS __empty"} WHERE false`);
  }

  private async initialize(): Promise<void> {
    const { spark, spec } = this;
    spec.sink.validate(spec.outputMode);
    const sdfs = chain(spec.sdf);
    const first = sdfs[0]!._input;
    if (first.kind !== "source") throw new LakehouseError("INTERNAL_ERROR", "A streaming DataFrame without a source.", {});
    for (const s of sdfs) this.claim(s._input.relation);

    const aggs = sdfs.filter((s) => s._input.kind === "op" && s._input.op.kind === "aggregate").length;
    if (aggs > 1) {
      throw new UnsupportedStreamingOperationError("multiple streaming aggregations", "Multiple streaming aggregations are not supported with streaming DataFrames. Aggregate once in the stream, and aggregate the result table again in a batch query (or in a second stream reading that table's change feed).", {}, "STREAMING_MULTIPLE_AGGREGATIONS");
    }
    if (spec.outputMode === "complete" && aggs === 0) {
      throw new UnsupportedStreamingOperationError("complete output mode without aggregation", "Complete output mode not supported when there are no streaming aggregations on streaming DataFrames: without an aggregation the whole result would be every row ever seen. Use outputMode(\"append\").", {}, "STREAMING_OUTPUT_MODE_UNSUPPORTED");
    }

    this.source = first.factory.create();
    const sourceFields = await this.source.initialize({ spark, metadataPath: this.checkpoint.sourceDir(0) });
    let stateId = 0;
    let seenAggregate = false;
    const watermarks: WatermarkExec[] = [];
    for (let i = 0; i < sdfs.length; i++) {
      const sdf = sdfs[i]!;
      const input = sdf._input;
      let inFields: Field[];
      let exec: OperatorExec | undefined;
      if (input.kind === "source") {
        inFields = sourceFields;
      } else {
        exec = makeExec(input.op, input.relation);
        const parent = this.segments[i - 1]!;
        if (seenAggregate && input.op.kind !== "watermark") {
          throw new UnsupportedStreamingOperationError(`${input.op.kind === "dedup" ? "dropDuplicates" : "aggregation"} after an aggregation`, "A stateful operator after a streaming aggregation is not supported by this local engine. Write the aggregation to a table and process that table in another query.", {}, "STREAMING_UNSUPPORTED_OPERATION");
        }
        let wm: WatermarkSpec | undefined;
        for (let j = watermarks.length - 1; j >= 0 && !wm; j--) {
          const w = watermarks[j]!;
          const op = w.op as { column: string; delayMs: number };
          if (parent.fields.some((f) => f.name.toLowerCase() === op.column.toLowerCase())) wm = { column: op.column, delayMs: op.delayMs };
        }
        const stateful = exec instanceof DedupExec || exec instanceof AggregateExec;
        if (stateful) exec.stateId = stateId++;
        const parentSql = parent.bare ? parent.relation : `(${(await spark.compile(parent.sdf._df.toSQL())).sql}) AS __in`;
        inFields = await exec.prepare(spark, parent.fields, wm, spec.outputMode, stateful ? this.checkpoint.stateDir(exec.stateId!) : undefined, parentSql);
        if (exec instanceof WatermarkExec) watermarks.push(exec);
        if (exec instanceof AggregateExec) seenAggregate = true;
      }
      await this.createEmpty(input.relation, inFields);
      const signature = JSON.stringify(inFields);
      const bare = sdf._df._node.op === "table";
      const before = resolvedWith.get(input);
      if (before !== undefined && before !== signature && !bare) {
        throw new LakehouseError("STREAMING_SOURCE_SCHEMA_CHANGED", "The columns of this streaming DataFrame's input changed since it was built (the source schema evolved). Define the stream again with spark.readStream…load() and its transformations — as re-running the notebook cell does on Databricks — then start it.", {});
      }
      resolvedWith.set(input, signature);
      await sdf._df.resolve();
      const fields = bare ? inFields : await sdf._df.schema();
      this.segments.push({ sdf, relation: input.relation, exec, bare, fields });
    }

    // Resume from the checkpoint.
    const cp = this.checkpoint;
    const lastOffsets = await cp.offsets.latest();
    const lastCommit = await cp.commits.latest();
    if (lastOffsets !== undefined) {
      const seq = (await cp.readOffsets(lastOffsets))!;
      if (seq.offsets.length !== 1) {
        throw new LakehouseError("STREAMING_CHECKPOINT_SOURCES_MISMATCH", `The checkpoint at ${cp.root} was written by a query with ${seq.offsets.length} sources; this query has 1. Use a new checkpoint location for a changed query.`, {});
      }
      if (lastCommit === lastOffsets) {
        const c = (await cp.readCommit(lastCommit))!;
        this.nextBatchId = lastOffsets + 1;
        this.lastEnd = seq.offsets[0] ?? null;
        this.currentWatermarkMs = c.nextBatchWatermarkMs;
        this.lastBatchWatermarkMs = seq.metadata.batchWatermarkMs;
      } else {
        const prev = lastOffsets > 0 ? await cp.readOffsets(lastOffsets - 1) : undefined;
        const prevCommit = lastOffsets > 0 ? await cp.readCommit(lastOffsets - 1) : undefined;
        this.pending = { batchId: lastOffsets, start: prev?.offsets[0] ?? null, end: seq.offsets[0] ?? null, watermarkMs: seq.metadata.batchWatermarkMs };
        this.nextBatchId = lastOffsets;
        this.lastEnd = prev?.offsets[0] ?? null;
        this.currentWatermarkMs = seq.metadata.batchWatermarkMs;
        this.lastBatchWatermarkMs = prevCommit ? (prev?.metadata.batchWatermarkMs ?? 0) : 0;
      }
    }
    for (const w of watermarks) this.opWatermarks.set(w, this.currentWatermarkMs);
    this.statusValue = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
  }

  // --- the trigger loop ----------------------------------------------------------------------

  private async loop(): Promise<void> {
    const trigger = this.spec.trigger;
    const poll = Number(this.spark.conf.get("spark.sql.streaming.pollingDelay") ?? 100);
    try {
      if (trigger.kind === "availableNow") await this.source.prepareForTriggerAvailableNow();
      while (!this.stopRequested) {
        const start = Date.now();
        const did = await this.runTrigger();
        if (trigger.kind === "once") break;
        if (did === "idle") {
          this.statusValue = { message: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
          for (const w of this.idleWaiters.splice(0)) w();
          if (trigger.kind === "availableNow") break;
        }
        const interval = trigger.kind === "processingTime" ? trigger.intervalMs : 0;
        const wait = interval > 0 ? Math.max(0, interval - (Date.now() - start)) : did === "idle" ? poll : 0;
        if (wait > 0 && !this.stopRequested) await new Promise<void>((r) => {
          const t = setTimeout(r, wait);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        this.wake = undefined;
      }
      await this.finish(null);
    } catch (e) {
      await this.finish(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private needsNoDataBatch(): boolean {
    if (this.currentWatermarkMs <= this.lastBatchWatermarkMs || this.lastEnd === null) return false;
    return this.segments.some((s) => (s.exec instanceof DedupExec || s.exec instanceof AggregateExec) && this.opWatermarks.size > 0);
  }

  private async runTrigger(): Promise<"data" | "nodata" | "idle"> {
    this.statusValue = { message: "Getting offsets from " + this.source.description, isDataAvailable: false, isTriggerActive: true };
    if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      await this.runBatch(p.batchId, p.start, p.end, p.watermarkMs, true, 0);
      return "data";
    }
    const t0 = Date.now();
    const end = await this.source.latestOffset(this.lastEnd, this.spec.trigger.kind === "once" ? "all" : "limited");
    const latestOffsetMs = Date.now() - t0;
    if (end) {
      await this.runBatch(this.nextBatchId, this.lastEnd, end, this.currentWatermarkMs, false, latestOffsetMs);
      return "data";
    }
    if (this.spec.trigger.kind !== "once" && this.needsNoDataBatch()) {
      await this.runBatch(this.nextBatchId, this.lastEnd, this.lastEnd, this.currentWatermarkMs, false, latestOffsetMs);
      return "nodata";
    }
    return "idle";
  }

  private async runBatch(batchId: number, start: SourceOffset | null, end: SourceOffset | null, watermarkMs: number, rerun: boolean, latestOffsetMs: number): Promise<void> {
    const { spark, spec } = this;
    const triggerStart = Date.now();
    this.statusValue = { message: "Processing new data", isDataAvailable: true, isTriggerActive: true };
    const d = { addBatch: 0, getBatch: 0, latestOffset: latestOffsetMs, queryPlanning: 0, triggerExecution: 0, walCommit: 0, commitOffsets: 0 };
    let t = Date.now();
    if (!rerun) {
      const seq: OffsetSeq = { metadata: { batchWatermarkMs: watermarkMs, batchTimestampMs: triggerStart, conf: { "spark.sql.streaming.multipleWatermarkPolicy": "min" } }, offsets: [end] };
      await this.checkpoint.writeOffsets(batchId, seq);
    }
    d.walCommit = Date.now() - t;
    faultPoint("exitAfterOffsets", batchId);
    await streamingTestHooks.afterOffsets?.(batchId);

    const temps: string[] = [];
    let numInputRows = 0;
    let numOutputRows = 0;
    try {
      t = Date.now();
      const sourceRel = this.segments[0]!.relation;
      const noData = end === null || JSON.stringify(start) === JSON.stringify(end);
      if (noData) await this.createEmpty(sourceRel, await spark.db.describe(`SELECT * FROM ${sourceRel}`));
      else numInputRows = await this.source.getBatch(start, end, sourceRel);
      d.getBatch = Date.now() - t;

      t = Date.now();
      const env = { spark, batchId, watermarkMs, outputMode: spec.outputMode };
      let current = "";
      for (let i = 0; i < this.segments.length; i++) {
        const seg = this.segments[i]!;
        if (seg.exec) await seg.exec.execute(env, current);
        if (seg.bare) {
          current = seg.relation;
        } else {
          const p = Date.now();
          const sql = (await spark.compile(seg.sdf._df.toSQL())).sql;
          d.queryPlanning += Date.now() - p;
          current = `${seg.relation}_out`;
          temps.push(current);
          await spark.db.run(`CREATE OR REPLACE TEMP TABLE ${current} AS ${sql}`);
        }
      }
      numOutputRows = await spec.sink.addBatch({ spark, queryId: this.id }, batchId, current, spec.outputMode);
      d.addBatch = Date.now() - t - d.queryPlanning;
    } finally {
      for (const x of temps) await spark.db.run(`DROP TABLE IF EXISTS ${x}`);
    }
    faultPoint("exitAfterSink", batchId);
    await streamingTestHooks.afterSink?.(batchId);

    // The watermark for the next batch.
    let eventTime: StreamingQueryProgress["eventTime"];
    const candidates: number[] = [];
    for (const [w, prev] of this.opWatermarks) {
      const s = w.stats;
      const wm = s ? Math.max(prev, Math.floor(s.maxUs / 1000) - w.delayMs) : prev;
      this.opWatermarks.set(w, wm);
      candidates.push(wm);
      if (s) eventTime = { watermark: iso(watermarkMs), max: iso(Math.floor(s.maxUs / 1000)), min: iso(Math.floor(s.minUs / 1000)), avg: iso(Math.floor(s.avgUs / 1000)) };
    }
    if (this.opWatermarks.size && !eventTime) eventTime = { watermark: iso(watermarkMs) };
    const nextWatermark = candidates.length ? Math.max(this.currentWatermarkMs, Math.min(...candidates)) : this.currentWatermarkMs;

    t = Date.now();
    await this.checkpoint.writeCommit(batchId, { nextBatchWatermarkMs: nextWatermark });
    d.commitOffsets = Date.now() - t;
    this.lastEnd = end;
    this.nextBatchId = batchId + 1;
    this.lastBatchWatermarkMs = watermarkMs;
    this.currentWatermarkMs = nextWatermark;
    const retain = Number(spark.conf.get("spark.sql.streaming.minBatchesToRetain") ?? 100);
    if (batchId + 1 > retain) {
      await this.checkpoint.offsets.purge(batchId + 1 - retain);
      await this.checkpoint.commits.purge(batchId + 1 - retain);
    }

    d.triggerExecution = Date.now() - triggerStart + latestOffsetMs;
    const sinceLast = this.lastTriggerStart >= 0 ? (triggerStart - this.lastTriggerStart) / 1000 : Infinity;
    this.lastTriggerStart = triggerStart;
    const inputRate = Number.isFinite(sinceLast) && sinceLast > 0 ? numInputRows / sinceLast : 0;
    const processedRate = numInputRows / Math.max(d.triggerExecution, 1) * 1000;
    const progress: StreamingQueryProgress = {
      id: this.id, runId: this.runId, name: this.name, timestamp: iso(triggerStart), batchId, batchDuration: d.triggerExecution,
      numInputRows, inputRowsPerSecond: inputRate, processedRowsPerSecond: processedRate, durationMs: d,
      ...(eventTime ? { eventTime } : {}),
      stateOperators: this.segments.flatMap((s) => (s.exec?.progress ? [{ ...s.exec.progress }] : [])),
      sources: [{
        description: this.source.description, startOffset: start, endOffset: end, latestOffset: end, numInputRows,
        inputRowsPerSecond: inputRate, processedRowsPerSecond: processedRate, metrics: this.source.metrics?.() ?? {},
      }],
      sink: { description: spec.sink.description, numOutputRows, metrics: {} },
    };
    this.progressLog.push(progress);
    const keep = Number(spark.conf.get("spark.sql.streaming.numRecentProgressUpdates") ?? 100);
    if (this.progressLog.length > keep) this.progressLog.splice(0, this.progressLog.length - keep);
  }

  private async finish(error: Error | null): Promise<void> {
    if (error) this.error = new StreamingQueryException(this.id, this.runId, error);
    this.active = false;
    this.statusValue = { message: error ? "Terminated with exception: " + error.message : "Stopped", isDataAvailable: false, isTriggerActive: false };
    await this.cleanup();
    activeCheckpoints.delete(this.checkpoint.root);
    for (const w of this.idleWaiters.splice(0)) w();
    this.resolveDone();
  }

  private async cleanup(): Promise<void> {
    const set = activeRelations.get(this.spark);
    for (const r of this.relations) {
      set?.delete(r);
      try {
        await this.spark.db.run(`DROP TABLE IF EXISTS ${r}`);
        await this.spark.db.run(`DROP TABLE IF EXISTS ${r}_out`);
      } catch {
        // The session may already be stopped.
      }
    }
    this.relations.clear();
  }

  // --- the public handle ---------------------------------------------------------------------

  /** True until the query stops, finishes (availableNow/once) or fails. */
  get isActive(): boolean {
    return this.active;
  }

  /**
   * Waits for the query to terminate. Resolves true when it has; with `timeoutMs`, resolves false
   * if it is still running by then. Throws StreamingQueryException if the query failed.
   */
  async awaitTermination(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs === undefined) await this.done;
    else {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([this.done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
      clearTimeout(timer);
      if (!finished) return false;
    }
    if (this.error) throw this.error;
    return true;
  }

  /** Stops the query (the batch in flight, if any, completes first). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake?.();
    await this.done;
  }

  /**
   * Waits until every row available now has been processed (the source reports nothing new).
   * For tests and notebooks with a running (default/processingTime) query.
   */
  async processAllAvailable(): Promise<void> {
    if (!this.active) {
      if (this.error) throw this.error;
      return;
    }
    await new Promise<void>((r) => this.idleWaiters.push(r));
    if (this.error) throw this.error;
  }

  /** The most recent progress report, or null before the first batch. */
  get lastProgress(): StreamingQueryProgress | null {
    return this.progressLog[this.progressLog.length - 1] ?? null;
  }

  /** The last progress reports (up to spark.sql.streaming.numRecentProgressUpdates, default 100). */
  get recentProgress(): StreamingQueryProgress[] {
    return [...this.progressLog];
  }

  get status(): StreamingQueryStatus {
    return { ...this.statusValue };
  }

  /** The exception that terminated the query, or null. */
  exception(): StreamingQueryException | null {
    return this.error;
  }

  /** Where the checkpoint lives. */
  get checkpointLocation(): string {
    return this.checkpoint.root;
  }

  /** @internal */
  static defaultCheckpoint(spark: SparkSession, name: string | null): string | undefined {
    const base = spark.conf.get("spark.sql.streaming.checkpointLocation");
    return base ? join(base, name ?? randomUUID()) : undefined;
  }
}
