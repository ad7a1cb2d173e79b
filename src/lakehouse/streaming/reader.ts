/**
 * `spark.readStream`: PySpark's DataStreamReader. Immutable like the rest of the API: each call
 * returns a new reader.
 *
 * @example
 *   const events = spark.readStream.format("cloudFiles")
 *     .option("cloudFiles.format", "json")
 *     .option("cloudFiles.schemaLocation", "/chk/events")
 *     .load("/landing/events");
 *   const changes = spark.readStream.option("readChangeFeed", "true").table("main.silver.customers");
 *
 * Formats: "cloudFiles" (Auto Loader, src/lakehouse/ingest), "delta" (the default, a Delta table
 * as a source: delta-source.ts), and Spark's plain file sources "json" / "csv" / "parquet" (which
 * need a schema). Where Spark's `load()` already infers the schema, this engine infers it when the
 * query starts (inference needs I/O, and `load()` stays synchronous here).
 */
import type { StructType } from "../kernel/schema.js";
import type { SparkSession } from "../sql/session.js";
import { fileSourceConfig, FileSourceFactory } from "../ingest/auto-loader.js";
import { toStructType } from "../ingest/schema.js";
import { DeltaSourceFactory } from "./delta-source.js";
import { InvalidStreamingOptionError, UnsupportedStreamingOperationError } from "./errors.js";
import { StreamingDataFrame } from "./streaming-dataframe.js";

interface ReaderState {
  format: string;
  options: Readonly<Record<string, string>>;
  schema?: StructType;
}

export class DataStreamReader {
  private readonly spark: SparkSession;
  private readonly state: ReaderState;

  /** @internal Use `spark.readStream`. */
  constructor(spark: SparkSession, state: ReaderState = { format: "delta", options: {} }) {
    this.spark = spark;
    this.state = Object.freeze({ ...state, options: Object.freeze({ ...state.options }) });
    Object.freeze(this);
  }

  private with(patch: Partial<ReaderState>): DataStreamReader {
    return new DataStreamReader(this.spark, { ...this.state, ...patch });
  }

  /** "cloudFiles" (Auto Loader), "delta" (default), "json", "csv", "parquet". */
  format(source: string): DataStreamReader {
    if (typeof source !== "string" || source.trim() === "") throw new InvalidStreamingOptionError("format() needs a source name such as \"cloudFiles\" or \"delta\".");
    return this.with({ format: source.trim().toLowerCase() });
  }

  option(key: string, value: string | number | boolean): DataStreamReader {
    return this.with({ options: { ...this.state.options, [key]: String(value) } });
  }

  options(opts: Readonly<Record<string, string | number | boolean>>): DataStreamReader {
    const next: Record<string, string> = { ...this.state.options };
    for (const [k, v] of Object.entries(opts)) next[k] = String(v);
    return this.with({ options: next });
  }

  /** The source schema as a DDL string ("id BIGINT, name STRING") or a StructType. */
  schema(schema: string | StructType): DataStreamReader {
    return this.with({ schema: toStructType(schema) });
  }

  /** A streaming DataFrame over the files or the Delta table at `path`. */
  load(path?: string): StreamingDataFrame {
    const p = path ?? Object.entries(this.state.options).find(([k]) => k.toLowerCase() === "path")?.[1];
    if (!p) throw new InvalidStreamingOptionError(`load() needs a path: spark.readStream.format("${this.state.format}")…load("/path").`);
    const fmt = this.state.format;
    if (fmt === "delta") {
      if (this.state.schema) throw new InvalidStreamingOptionError("A Delta source has the table's schema; remove .schema(…).", {}, "DELTA_UNSUPPORTED_SCHEMA_DURING_READ");
      return StreamingDataFrame.fromSource(this.spark, new DeltaSourceFactory(this.spark, { kind: "path", format: "delta", path: p }, { ...this.state.options }));
    }
    if (fmt === "cloudfiles" || fmt === "json" || fmt === "csv" || fmt === "parquet") {
      return StreamingDataFrame.fromSource(this.spark, new FileSourceFactory(this.spark, fileSourceConfig(fmt, { ...this.state.options }, this.state.schema, p)));
    }
    throw new UnsupportedStreamingOperationError(`format("${fmt}")`, `The streaming source format "${fmt}" is not supported by this local engine. Use "cloudFiles" (Auto Loader), "delta", "json", "csv" or "parquet".`, { format: fmt }, "STREAMING_UNSUPPORTED_FORMAT");
  }

  /** A streaming DataFrame over the Delta table `name` (catalog.schema.table). */
  table(name: string): StreamingDataFrame {
    if (typeof name !== "string" || name.trim() === "") throw new InvalidStreamingOptionError("table() needs a table name.");
    if (this.state.format !== "delta") throw new InvalidStreamingOptionError(`readStream.table() reads Delta tables; remove format("${this.state.format}").`);
    const m = /^delta\.`(.+)`$/.exec(name.trim());
    const ref = m ? { kind: "path" as const, format: "delta", path: m[1]! } : { kind: "name" as const, parts: name.trim().split(".") };
    return StreamingDataFrame.fromSource(this.spark, new DeltaSourceFactory(this.spark, ref, { ...this.state.options }));
  }

  json(path: string): StreamingDataFrame {
    return this.format("json").load(path);
  }
  csv(path: string): StreamingDataFrame {
    return this.format("csv").load(path);
  }
  parquet(path: string): StreamingDataFrame {
    return this.format("parquet").load(path);
  }
}
