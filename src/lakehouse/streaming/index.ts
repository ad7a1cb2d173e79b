/**
 * Structured Streaming on the local lakehouse: `spark.readStream` → StreamingDataFrame →
 * `writeStream` → StreamingQuery, run as micro-batches over DuckDB with Spark's checkpoint
 * layout, plus Auto Loader (`format("cloudFiles")`, in ../ingest).
 *
 * @example
 *   import { window } from "./streaming/index.js";
 *   const q = await spark.readStream.format("cloudFiles")
 *     .option("cloudFiles.format", "json").option("cloudFiles.schemaLocation", chk)
 *     .load(landing)
 *     .writeStream.option("checkpointLocation", chk).trigger({ availableNow: true })
 *     .toTable("main.bronze.events");
 *   await q.awaitTermination();
 */
export { DataStreamReader } from "./reader.js";
export { StreamingDataFrame, StreamingGroupedData, type StatefulOp, type StreamInput } from "./streaming-dataframe.js";
export { DataStreamWriter, type Trigger } from "./writer.js";
export { StreamingQuery, streamingTestHooks, type StreamingQueryProgress, type StreamingQueryStatus } from "./query.js";
export { window } from "./functions.js";
export { parseDuration } from "./duration.js";
export type { OutputMode, StateOperatorProgress } from "./stateful.js";
export type { ForeachBatchFunction } from "./sink.js";
export type { SourceOffset, StreamSource } from "./source.js";
export {
  DeltaSourceChangeError, InvalidStreamingOptionError, StreamingQueryException, UnknownFieldException, UnsupportedStreamingOperationError,
} from "./errors.js";
