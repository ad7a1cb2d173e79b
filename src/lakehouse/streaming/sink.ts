/**
 * Streaming sinks: where each micro-batch's result goes.
 *
 *   Delta (`format("delta")`, toTable / start(path)): every batch is one Delta commit through the
 *     session's write path, carrying Delta's transaction identifier `txn` with appId = the query id
 *     and version = the batch id. A batch that the table already holds (the process died after the
 *     Delta commit but before `commits/N`) is skipped on the re-run: exactly-once. Append mode
 *     appends; complete mode overwrites the table with the full result; update mode is refused, as
 *     by Delta (upserts go through foreachBatch + MERGE).
 *   foreachBatch(fn): calls `fn(batchDf, batchId)` with the batch as an ordinary DataFrame.
 *     At-least-once: after a crash the same batch id comes again, so make `fn` idempotent (e.g.
 *     df.write.option("txnAppId", …).option("txnVersion", batchId), or MERGE).
 *   console: prints each batch like Spark's console sink.
 */
import { DataFrame } from "../sql/dataframe/dataframe.js";
import type { WriteSpec } from "../sql/dataframe/runner.js";
import type { SparkSession } from "../sql/session.js";
import { UnsupportedStreamingOperationError } from "./errors.js";
import type { OutputMode } from "./stateful.js";

export interface SinkContext {
  spark: SparkSession;
  queryId: string;
}

export interface StreamSink {
  readonly description: string;
  /** Checks the output mode before the query starts. */
  validate(mode: OutputMode): void;
  /** Writes the rows of temp table `relation` as batch `batchId`; returns rows written (-1 unknown). */
  addBatch(ctx: SinkContext, batchId: number, relation: string, mode: OutputMode): Promise<number>;
}

export class DeltaSink implements StreamSink {
  readonly description: string;
  constructor(private readonly target: WriteSpec["target"] & { kind: "table" | "path" }, private readonly options: Record<string, string>, private readonly partitionBy: string[]) {
    this.description = `DeltaSink[${target.kind === "table" ? target.name : target.path}]`;
  }

  validate(mode: OutputMode): void {
    if (mode === "update") {
      throw new UnsupportedStreamingOperationError("update output mode with a Delta sink",
        "Data source delta does not support Update output mode. Use outputMode(\"append\") or (\"complete\"), or upsert each micro-batch with foreachBatch((df, batchId) => DeltaTable.forName(…).merge(…)).",
        {}, "STREAMING_OUTPUT_MODE_UNSUPPORTED");
    }
  }

  async addBatch(ctx: SinkContext, batchId: number, relation: string, mode: OutputMode): Promise<number> {
    const opt = (k: string) => Object.entries(this.options).find(([x]) => x.toLowerCase() === k.toLowerCase())?.[1];
    const options: Record<string, string> = { txnAppId: ctx.queryId, txnVersion: String(batchId) };
    for (const k of ["mergeSchema", "overwriteSchema", "userMetadata", "maxRecordsPerFile"]) {
      const v = opt(k);
      if (v !== undefined) options[k] = v;
    }
    for (const [k, v] of Object.entries(this.options)) if (k.startsWith("delta.")) options[k] = v;
    const n = Number((await ctx.spark.db.query(`SELECT count(*) AS n FROM ${relation}`)).rows[0]!["n"]);
    await ctx.spark.write(`SELECT * FROM ${relation}`, {
      format: "delta",
      mode: mode === "complete" ? "overwrite" : "append",
      options,
      partitionBy: this.partitionBy,
      target: this.target,
    });
    return n;
  }
}

export type ForeachBatchFunction = (df: DataFrame, batchId: number) => unknown | Promise<unknown>;

export class ForeachBatchSink implements StreamSink {
  readonly description = "ForeachBatchSink";
  constructor(private readonly fn: ForeachBatchFunction) {}
  validate(): void {}
  async addBatch(ctx: SinkContext, batchId: number, relation: string): Promise<number> {
    await this.fn(DataFrame.fromTable(ctx.spark, relation), batchId);
    return -1;
  }
}

export class ConsoleSink implements StreamSink {
  readonly description = "ConsoleSink";
  constructor(private readonly numRows: number, private readonly truncate: boolean) {}
  validate(): void {}
  async addBatch(ctx: SinkContext, batchId: number, relation: string): Promise<number> {
    console.log(`-------------------------------------------\nBatch: ${batchId}\n-------------------------------------------`);
    await DataFrame.fromTable(ctx.spark, relation).show(this.numRows, this.truncate);
    return -1;
  }
}
