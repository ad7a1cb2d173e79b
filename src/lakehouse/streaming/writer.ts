/**
 * `df.writeStream`: PySpark's DataStreamWriter. Immutable; `toTable(name)` / `start(path?)`
 * start the query and resolve to its StreamingQuery once the source is initialized and the
 * query analyzed (PySpark returns synchronously; here start is async because setting up reads
 * the checkpoint and may infer a schema).
 *
 * @example
 *   const q = await events.writeStream
 *     .format("delta")
 *     .outputMode("append")
 *     .option("checkpointLocation", "/chk/bronze_events")
 *     .trigger({ availableNow: true })
 *     .toTable("main.bronze.events");
 *   await q.awaitTermination();
 *   q.lastProgress?.numInputRows;
 */
import { isAbsolute, join, resolve } from "node:path";
import { parseDuration } from "./duration.js";
import { InvalidStreamingOptionError, UnsupportedStreamingOperationError } from "./errors.js";
import { StreamingQuery, type TriggerSpec } from "./query.js";
import { ConsoleSink, DeltaSink, ForeachBatchSink, type ForeachBatchFunction, type StreamSink } from "./sink.js";
import type { OutputMode } from "./stateful.js";
import type { StreamingDataFrame } from "./streaming-dataframe.js";

/** PySpark's `trigger(availableNow=True)`, `trigger(once=True)`, `trigger(processingTime="10 seconds")`. */
export type Trigger =
  | { availableNow: true }
  | { once: true }
  | { processingTime: string | number }
  | { continuous: string };

interface WriterState {
  format: string;
  outputMode: OutputMode;
  options: Readonly<Record<string, string>>;
  partitionBy: readonly string[];
  trigger: TriggerSpec;
  queryName: string | null;
  foreachBatch?: ForeachBatchFunction;
}

const MODES: Record<string, OutputMode> = { append: "append", update: "update", complete: "complete" };

export class DataStreamWriter {
  private readonly sdf: StreamingDataFrame;
  private readonly state: WriterState;

  /** @internal Use `sdf.writeStream`. */
  constructor(sdf: StreamingDataFrame, state: WriterState = { format: "delta", outputMode: "append", options: {}, partitionBy: [], trigger: { kind: "default" }, queryName: null }) {
    this.sdf = sdf;
    this.state = Object.freeze({ ...state, options: Object.freeze({ ...state.options }), partitionBy: Object.freeze([...state.partitionBy]) });
    Object.freeze(this);
  }

  private with(patch: Partial<WriterState>): DataStreamWriter {
    return new DataStreamWriter(this.sdf, { ...this.state, ...patch });
  }

  /** "delta" (default), "console". */
  format(source: string): DataStreamWriter {
    if (typeof source !== "string" || source.trim() === "") throw new InvalidStreamingOptionError("format() needs a sink name such as \"delta\".");
    return this.with({ format: source.trim().toLowerCase() });
  }

  /** "append" (default): new rows only; "complete": the whole result every batch; "update": changed rows. */
  outputMode(mode: string): DataStreamWriter {
    const m = MODES[String(mode).toLowerCase()];
    if (!m) throw new InvalidStreamingOptionError(`Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'.`, { mode });
    return this.with({ outputMode: m });
  }

  option(key: string, value: string | number | boolean): DataStreamWriter {
    return this.with({ options: { ...this.state.options, [key]: String(value) } });
  }

  options(opts: Readonly<Record<string, string | number | boolean>>): DataStreamWriter {
    const next: Record<string, string> = { ...this.state.options };
    for (const [k, v] of Object.entries(opts)) next[k] = String(v);
    return this.with({ options: next });
  }

  partitionBy(...cols: (string | readonly string[])[]): DataStreamWriter {
    const list = cols.flatMap((c) => (Array.isArray(c) ? (c as string[]) : [c as string]));
    for (const c of list) if (typeof c !== "string" || c === "") throw new InvalidStreamingOptionError("partitionBy() takes column names.");
    return this.with({ partitionBy: list });
  }

  queryName(name: string): DataStreamWriter {
    if (typeof name !== "string" || name.trim() === "") throw new InvalidStreamingOptionError("queryName() needs a name.");
    return this.with({ queryName: name.trim() });
  }

  trigger(t: Trigger): DataStreamWriter {
    if (!t || typeof t !== "object") throw new InvalidStreamingOptionError("trigger() takes { availableNow: true }, { once: true } or { processingTime: \"10 seconds\" }.");
    const keys = Object.keys(t).filter((k) => (t as Record<string, unknown>)[k] !== undefined && (t as Record<string, unknown>)[k] !== false);
    if (keys.length !== 1) throw new InvalidStreamingOptionError("Only one trigger can be set: { availableNow: true }, { once: true } or { processingTime: \"10 seconds\" }.", { trigger: t });
    if ("continuous" in t) {
      throw new UnsupportedStreamingOperationError("continuous trigger", "Continuous processing is not supported by this local engine (nor by Databricks for most sinks). Use { processingTime: \"1 second\" } for low latency.", {}, "STREAMING_UNSUPPORTED_TRIGGER");
    }
    if ("availableNow" in t) return this.with({ trigger: { kind: "availableNow" } });
    if ("once" in t) return this.with({ trigger: { kind: "once" } });
    if ("processingTime" in t) return this.with({ trigger: { kind: "processingTime", intervalMs: parseDuration(t.processingTime, "processingTime") } });
    throw new InvalidStreamingOptionError("trigger() takes { availableNow: true }, { once: true } or { processingTime: \"10 seconds\" }.", { trigger: t });
  }

  /** Runs `fn(batchDf, batchId)` for every micro-batch (at-least-once: make it idempotent). */
  foreachBatch(fn: ForeachBatchFunction): DataStreamWriter {
    if (typeof fn !== "function") throw new InvalidStreamingOptionError("foreachBatch() takes a function (df, batchId) => ….");
    return this.with({ foreachBatch: fn, format: "foreachbatch" });
  }

  /** Not supported: use foreachBatch. */
  foreach(_writer: unknown): never {
    throw new UnsupportedStreamingOperationError("foreach()", "Row-by-row foreach writers are not supported by this local engine. Use foreachBatch((df, batchId) => …) and handle the batch as a DataFrame.", {}, "STREAMING_UNSUPPORTED_OPERATION");
  }

  /** Starts the query writing into the catalog table `name` (created on the first batch when missing). */
  async toTable(name: string): Promise<StreamingQuery> {
    if (typeof name !== "string" || name.trim() === "") throw new InvalidStreamingOptionError("toTable() needs a table name.");
    if (this.state.format !== "delta") throw new InvalidStreamingOptionError(`toTable() writes Delta tables; remove format("${this.state.format}") (or use start() for foreachBatch/console).`);
    return this.run(new DeltaSink({ kind: "table", name: name.trim() }, { ...this.state.options }, [...this.state.partitionBy]));
  }

  /** Starts the query: a Delta table at `path` (or the "path" option), or the foreachBatch/console sink. */
  async start(path?: string): Promise<StreamingQuery> {
    const fmt = this.state.format;
    if (fmt === "foreachbatch") return this.run(new ForeachBatchSink(this.state.foreachBatch!));
    if (fmt === "console") {
      const n = Number(this.opt("numRows") ?? 20);
      return this.run(new ConsoleSink(n, this.opt("truncate") !== "false"));
    }
    if (fmt === "delta") {
      const p = path ?? this.opt("path");
      if (!p) throw new InvalidStreamingOptionError("start() needs a path for a Delta sink: start(\"/path/to/table\"), option(\"path\", …), or use toTable(name).");
      return this.run(new DeltaSink({ kind: "path", path: p }, { ...this.state.options }, [...this.state.partitionBy]));
    }
    throw new UnsupportedStreamingOperationError(`format("${fmt}")`, `The streaming sink "${fmt}" is not supported by this local engine. Use "delta" (toTable/start(path)), foreachBatch, or "console".${fmt === "memory" ? " For a memory-sink style check, write to a Delta table with trigger({ availableNow: true }) and query it." : ""}`, { format: fmt }, "STREAMING_UNSUPPORTED_FORMAT");
  }

  private opt(key: string): string | undefined {
    return Object.entries(this.state.options).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  }

  private async run(sink: StreamSink): Promise<StreamingQuery> {
    const spark = this.sdf._spark;
    let checkpoint = this.opt("checkpointLocation") ?? StreamingQuery.defaultCheckpoint(spark, this.state.queryName);
    if (!checkpoint) {
      if (sink instanceof ConsoleSink) checkpoint = join(spark.engine.scratchDir, "streaming-checkpoints", `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
      else {
        throw new InvalidStreamingOptionError(`checkpointLocation must be specified either through option("checkpointLocation", …) or spark.conf.set("spark.sql.streaming.checkpointLocation", …). The checkpoint is what lets the query restart where it stopped, exactly once.`, {}, "CHECKPOINT_LOCATION_REQUIRED");
      }
    }
    const cp = checkpoint.replace(/^file:(\/\/)?/, "");
    return StreamingQuery.start(spark, {
      sdf: this.sdf, sink, outputMode: this.state.outputMode, trigger: this.state.trigger,
      checkpointLocation: isAbsolute(cp) ? cp : resolve(cp), name: this.state.queryName,
    });
  }
}
