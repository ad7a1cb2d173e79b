/**
 * What the micro-batch engine needs from a streaming source — Spark's `SupportsAdmissionControl`
 * micro-batch source, cut down to four calls:
 *
 *   initialize()       once per run: the columns the source emits (Auto Loader infers or reads
 *                      its schema location here)
 *   latestOffset(s)    the end offset of the next batch after offset `s`, bounded by the source's
 *                      rate limit (maxFilesPerTrigger …), or null when nothing new arrived
 *   getBatch(s, e)     the rows in (s, e] — called again with the same offsets when a batch is
 *                      re-run after a crash, so it must return the same rows
 *   prepareForTriggerAvailableNow()   pins "what is available now" for Trigger.AvailableNow
 *
 * Offsets are plain JSON objects; the engine stores them in `offsets/<batchId>` and never looks
 * inside them.
 */
import type { Field } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";

export type SourceOffset = Record<string, unknown>;

/** "limited": the source's own rate limits apply; "all": everything available (Trigger.Once). */
export type ReadLimit = "limited" | "all";

export interface SourceContext {
  spark: SparkSession;
  /** `<checkpoint>/sources/<i>`: where the source keeps its own metadata. */
  metadataPath: string;
}

export interface StreamSource {
  /** As Spark's progress reports name sources, e.g. `DeltaSource[/path]`. */
  readonly description: string;
  initialize(ctx: SourceContext): Promise<Field[]>;
  prepareForTriggerAvailableNow(): Promise<void>;
  latestOffset(start: SourceOffset | null, limit: ReadLimit): Promise<SourceOffset | null>;
  /** Loads the rows in (start, end] into the DuckDB temp table `relation` (replacing it); returns the row count. */
  getBatch(start: SourceOffset | null, end: SourceOffset, relation: string): Promise<number>;
  /** Source-specific metrics for the progress report. */
  metrics?(): Record<string, string>;
}

/** A source definition (what `spark.readStream…load()` captured); each query run creates a fresh source. */
export interface SourceFactory {
  readonly description: string;
  create(): StreamSource;
}
