/**
 * A streaming DataFrame: what `spark.readStream…load()` returns, transformed like a DataFrame and
 * run with `writeStream`.
 *
 * Spark plans a streaming query once and then executes the same plan on every micro-batch, each
 * time over the new rows only. This engine does the same with the lakehouse's own DataFrame:
 * a StreamingDataFrame wraps an ordinary (immutable) DataFrame built over a *placeholder*
 * relation — a DuckDB temp table with a unique name. Each micro-batch replaces the placeholder's
 * rows with the batch's rows, and the DataFrame's SQL runs over them unchanged. Stateless steps
 * (select, filter, withColumn, joins with static tables …) are therefore just DataFrame steps.
 *
 * Stateful operators (withWatermark, dropDuplicates, dropDuplicatesWithinWatermark, groupBy/agg)
 * cannot be expressed over one batch alone. Each one ends the current segment: its input is the
 * previous segment's output, and its output is a new placeholder that the next segment builds
 * on. The engine (query.ts, stateful.ts) runs the segments in order, keeping the operators'
 * state in the checkpoint between batches.
 *
 *   spark.readStream.format("cloudFiles")…load(p)     source → placeholder P0
 *     .filter(…).withColumn(…)                        DataFrame over P0
 *     .withWatermark("ts", "10 minutes")              watermark operator → placeholder P1
 *     .groupBy(window(col("ts"), "5 minutes")).count()  aggregation → placeholder P2
 *     .writeStream…                                   the sink gets P2's rows per batch
 *
 * Operations Structured Streaming does not allow on streams (sorting before an aggregation,
 * limit, actions such as collect/show/count, stream-stream joins and unions here) fail with a
 * typed error saying what to do instead.
 */
import { DataFrame } from "../sql/dataframe/dataframe.js";
import { Column, toColumn, type ColumnOrName } from "../sql/dataframe/column.js";
import * as F from "../sql/dataframe/functions.js";
import type { FillValue } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";
import { tempName } from "../operations/context.js";
import { parseDuration } from "./duration.js";
import { InvalidStreamingOptionError, UnsupportedStreamingOperationError } from "./errors.js";
import type { SourceFactory } from "./source.js";
import { DataStreamWriter } from "./writer.js";

type Cols = (ColumnOrName | readonly ColumnOrName[])[];

export type StatefulOp =
  | { kind: "watermark"; column: string; delayMs: number; delay: string }
  | { kind: "dedup"; subset?: readonly string[]; withinWatermark: boolean }
  | { kind: "aggregate"; keys: readonly Column[]; aggs: readonly Column[] };

/** Where the rows of a segment come from: the source, or a stateful operator over the previous segment. */
export type StreamInput =
  | { kind: "source"; factory: SourceFactory; relation: string }
  | { kind: "op"; op: StatefulOp; parent: StreamingDataFrame; relation: string };

function flat(cols: Cols): ColumnOrName[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as ColumnOrName[]) : [c as ColumnOrName]));
}

function notOnStreams(what: string, instead: string): UnsupportedStreamingOperationError {
  return new UnsupportedStreamingOperationError(what, `${what} is not supported on a streaming DataFrame. ${instead}`);
}

const ACTION = "Queries with streaming sources must be executed with writeStream.start() (or toTable()). To look at the rows, write them to a table with writeStream (trigger({ availableNow: true })) and query the table, or use foreachBatch((df, batchId) => …) to act on each micro-batch as a normal DataFrame.";

function placeholder(): string {
  return tempName("stream");
}

export class StreamingDataFrame {
  /** Always true: PySpark's `df.isStreaming`. */
  readonly isStreaming = true;
  /** @internal */
  readonly _spark: SparkSession;
  /** @internal */
  readonly _input: StreamInput;
  /** @internal the segment's DataFrame, over `_input.relation`. */
  readonly _df: DataFrame;

  /** @internal Use `spark.readStream`. */
  constructor(spark: SparkSession, input: StreamInput, df?: DataFrame) {
    this._spark = spark;
    this._input = input;
    this._df = df ?? DataFrame.fromTable(spark, input.relation);
    Object.freeze(this);
  }

  /** @internal a streaming DataFrame over a source. */
  static fromSource(spark: SparkSession, factory: SourceFactory): StreamingDataFrame {
    return new StreamingDataFrame(spark, { kind: "source", factory, relation: placeholder() });
  }

  private with(df: DataFrame): StreamingDataFrame {
    return new StreamingDataFrame(this._spark, this._input, df);
  }

  private stateful(op: StatefulOp): StreamingDataFrame {
    return new StreamingDataFrame(this._spark, { kind: "op", op, parent: this, relation: placeholder() });
  }

  // --- stateless transformations: DataFrame steps over the current segment ------------------

  select(...cols: Cols): StreamingDataFrame {
    return this.with(this._df.select(...cols));
  }
  selectExpr(...exprs: (string | readonly string[])[]): StreamingDataFrame {
    return this.with(this._df.selectExpr(...exprs));
  }
  filter(condition: Column | string): StreamingDataFrame {
    return this.with(this._df.filter(condition));
  }
  where(condition: Column | string): StreamingDataFrame {
    return this.filter(condition);
  }
  withColumn(name: string, column: Column): StreamingDataFrame {
    return this.with(this._df.withColumn(name, column));
  }
  withColumns(columns: Readonly<Record<string, Column>>): StreamingDataFrame {
    return this.with(this._df.withColumns(columns));
  }
  withColumnRenamed(existing: string, newName: string): StreamingDataFrame {
    return this.with(this._df.withColumnRenamed(existing, newName));
  }
  withColumnsRenamed(renames: Readonly<Record<string, string>>): StreamingDataFrame {
    return this.with(this._df.withColumnsRenamed(renames));
  }
  drop(...cols: (ColumnOrName | readonly ColumnOrName[])[]): StreamingDataFrame {
    return this.with(this._df.drop(...cols));
  }
  alias(name: string): StreamingDataFrame {
    return this.with(this._df.alias(name));
  }
  fillna(value: FillValue, subset?: string | readonly string[]): StreamingDataFrame {
    return this.with(this._df.fillna(value, subset));
  }
  dropna(how?: "any" | "all", thresh?: number, subset?: string | readonly string[]): StreamingDataFrame {
    return this.with(this._df.dropna(how, thresh, subset));
  }
  /** `sdf.transform(fn)` = `fn(sdf)`. */
  transform<A extends unknown[]>(fn: (df: StreamingDataFrame, ...args: A) => StreamingDataFrame, ...args: A): StreamingDataFrame {
    const out = fn(this, ...args);
    if (!(out instanceof StreamingDataFrame)) throw new InvalidStreamingOptionError("transform(): the function must return a streaming DataFrame.");
    return out;
  }
  /** A column of this frame (to tell join sides apart): `events.col("id").eq(dim.col("id"))`. */
  col(name: string): Column {
    return this._df.col(name);
  }

  /**
   * Stream-static join: the stream on the left, a static DataFrame (e.g. `spark.table("dim")`) on
   * the right. The static side is read again for every micro-batch, so it sees the table's latest
   * version, as on Databricks. Supported: inner, left (outer), left_semi, left_anti, cross.
   */
  join(other: DataFrame | StreamingDataFrame, on?: string | readonly string[] | Column | readonly Column[], how = "inner"): StreamingDataFrame {
    if (other instanceof StreamingDataFrame) {
      throw new UnsupportedStreamingOperationError("stream-stream join",
        "Joining two streaming DataFrames (a stream-stream join) is not supported by this local engine. Join the stream with a static DataFrame (spark.table(…)), or land both streams in Delta tables and join the tables in a batch query or in foreachBatch.");
    }
    const h = String(how).toLowerCase().replace(/_/g, "");
    if (["right", "rightouter", "full", "outer", "fullouter"].includes(h)) {
      throw new UnsupportedStreamingOperationError(`${how} join`,
        `A ${how} join with the streaming DataFrame on the left is not supported (Spark allows only inner, left outer, left semi and left anti stream-static joins: the static side would have to be complete for every batch). Use an inner or left join with the stream on the left.`, { how });
    }
    return this.with(this._df.join(other, on, how));
  }

  crossJoin(other: DataFrame): StreamingDataFrame {
    return this.join(other, undefined, "cross");
  }

  // --- stateful operators ----------------------------------------------------------------------

  /**
   * Declares `eventTime` (a timestamp column) as event time, and tolerates events up to
   * `delayThreshold` late: after each batch the watermark becomes max(event time seen) − delay,
   * and stateful operators downstream drop rows older than it and forget state behind it.
   */
  withWatermark(eventTime: string, delayThreshold: string): StreamingDataFrame {
    if (typeof eventTime !== "string" || eventTime === "") throw new InvalidStreamingOptionError("withWatermark() needs the name of the event-time column.");
    const delayMs = parseDuration(delayThreshold, "withWatermark delayThreshold");
    return this.stateful({ kind: "watermark", column: eventTime, delayMs, delay: delayThreshold });
  }

  /**
   * Streaming deduplication: keeps the first row of each key (the subset, or all columns) ever
   * seen. Without a watermark the keys are kept forever; with one, rows older than the watermark
   * are dropped and, when the event-time column is part of the key, old keys are forgotten.
   */
  dropDuplicates(subset?: string | readonly string[]): StreamingDataFrame {
    const list = subset === undefined ? undefined : typeof subset === "string" ? [subset] : [...subset];
    return this.stateful({ kind: "dedup", subset: list && list.length ? list : undefined, withinWatermark: false });
  }
  drop_duplicates(subset?: string | readonly string[]): StreamingDataFrame {
    return this.dropDuplicates(subset);
  }
  /** `distinct()` on a stream is `dropDuplicates()` over all columns. */
  distinct(): StreamingDataFrame {
    return this.dropDuplicates();
  }

  /**
   * Deduplicates rows whose key repeats within the watermark delay (Spark 3.5+): a key is kept in
   * state until the watermark passes its first event time + delay. Needs `withWatermark` first.
   */
  dropDuplicatesWithinWatermark(subset?: string | readonly string[]): StreamingDataFrame {
    const list = subset === undefined ? undefined : typeof subset === "string" ? [subset] : [...subset];
    return this.stateful({ kind: "dedup", subset: list && list.length ? list : undefined, withinWatermark: true });
  }

  /** Streaming aggregation; keys may include `window(col("ts"), "10 minutes")`. */
  groupBy(...cols: Cols): StreamingGroupedData {
    return new StreamingGroupedData(this, flat(cols).map(toColumn));
  }
  groupby(...cols: Cols): StreamingGroupedData {
    return this.groupBy(...cols);
  }
  /** A global aggregation (one row), supported in complete and update modes. */
  agg(...exprs: Column[]): StreamingDataFrame {
    return this.groupBy().agg(...exprs);
  }

  // --- not supported on streams ----------------------------------------------------------------

  orderBy(..._cols: unknown[]): never {
    throw notOnStreams("Sorting (orderBy/sort)", "Spark only sorts a stream after an aggregation in complete output mode. Sort when you read the sink table, or sort each micro-batch inside foreachBatch.");
  }
  sort(..._cols: unknown[]): never {
    return this.orderBy();
  }
  limit(_n: number): never {
    throw notOnStreams("limit()", "Limit the rows when reading the sink table, or inside foreachBatch.");
  }
  union(_other: unknown): never {
    throw notOnStreams("union()", "Unions of streams (and of a stream with a static DataFrame) are not supported by this local engine. Run one query per source into the same Delta table (appends from several streams are safe), or union inside foreachBatch.");
  }
  unionByName(_other: unknown, _allowMissingColumns?: boolean): never {
    return this.union(_other);
  }
  collect(): never {
    throw notOnStreams("collect()", ACTION);
  }
  show(..._args: unknown[]): never {
    throw notOnStreams("show()", ACTION);
  }
  count(): never {
    throw notOnStreams("count()", `${ACTION} For a running count use groupBy().count() with outputMode("complete").`);
  }
  take(_n: number): never {
    throw notOnStreams("take()", ACTION);
  }
  head(_n?: number): never {
    throw notOnStreams("head()", ACTION);
  }
  first(): never {
    throw notOnStreams("first()", ACTION);
  }
  get write(): never {
    throw new UnsupportedStreamingOperationError("write", `'write' can not be called on a streaming DataFrame: use 'writeStream' instead (df.writeStream.format("delta").option("checkpointLocation", …).toTable(…)).`);
  }

  /** Starts describing the streaming write: `df.writeStream.format("delta")…toTable(name)`. */
  get writeStream(): DataStreamWriter {
    return new DataStreamWriter(this);
  }
}

/** `sdf.groupBy(…)`: aggregate with agg/count/sum/avg/min/max. */
export class StreamingGroupedData {
  /** @internal Use `sdf.groupBy(…)`. */
  constructor(private readonly sdf: StreamingDataFrame, private readonly keys: readonly Column[]) {
    Object.freeze(this);
  }

  /**
   * Aggregates per group. Mergeable aggregates only — count, sum, avg/mean, min, max — because
   * the engine keeps partial results in state and merges each batch into them.
   */
  agg(...exprs: Column[]): StreamingDataFrame {
    for (const e of exprs) if (!(e instanceof Column)) throw new InvalidStreamingOptionError("agg() on a stream takes aggregate Columns such as count(\"*\"), sum(\"amount\").");
    if (exprs.length === 0) throw new InvalidStreamingOptionError("agg() needs at least one aggregate expression.");
    return new StreamingDataFrame(this.sdf._spark, { kind: "op", op: { kind: "aggregate", keys: this.keys, aggs: exprs }, parent: this.sdf, relation: placeholder() });
  }
  count(): StreamingDataFrame {
    return this.agg(F.count("*").alias("count"));
  }
  sum(...cols: string[]): StreamingDataFrame {
    return this.agg(...this.need(cols, "sum").map((c) => F.sum(c)));
  }
  avg(...cols: string[]): StreamingDataFrame {
    return this.agg(...this.need(cols, "avg").map((c) => F.avg(c)));
  }
  mean(...cols: string[]): StreamingDataFrame {
    return this.avg(...cols);
  }
  min(...cols: string[]): StreamingDataFrame {
    return this.agg(...this.need(cols, "min").map((c) => F.min(c)));
  }
  max(...cols: string[]): StreamingDataFrame {
    return this.agg(...this.need(cols, "max").map((c) => F.max(c)));
  }
  private need(cols: string[], fn: string): string[] {
    if (cols.length === 0) throw new InvalidStreamingOptionError(`${fn}() on a streaming groupBy needs the column names: groupBy(…).${fn}("amount").`);
    return cols;
  }
}


