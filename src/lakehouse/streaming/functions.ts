/**
 * Event-time windows: PySpark's `F.window(timeColumn, windowDuration)`, the grouping key of
 * windowed streaming aggregations.
 *
 *   events.withWatermark("ts", "10 minutes")
 *         .groupBy(window(col("ts"), "10 minutes"), col("country"))
 *         .agg(count("*").alias("n"))
 *
 * Like Spark, the column is a struct `window` with fields `start` and `end` (end exclusive),
 * aligned to the Unix epoch (plus `startTime` when given). It compiles to DuckDB's
 * `time_bucket(INTERVAL …, ts, origin)`; timestamps are instants (TIMESTAMPTZ) as everywhere in
 * the lakehouse. Only tumbling windows are supported: a slide shorter than the window (sliding
 * windows, where one row falls in several windows) fails with a typed error.
 */
import { Column, derive, toColumn, type ColumnOrName } from "../sql/dataframe/column.js";
import { parseDuration } from "./duration.js";
import { UnsupportedStreamingOperationError } from "./errors.js";

export interface WindowInfo {
  /** SQL of the time column the window is computed from. */
  timeSql: string;
  /** Its plain column name, when it is a column reference. */
  timeColumn?: string;
  durationMs: number;
}

const windows = new Map<string, WindowInfo>();

/** The window a key column computes, if it is one made by `window()` (also after `.alias()`). */
export function windowInfo(c: Column): WindowInfo | undefined {
  return windows.get(c._s.sql);
}

/** An interval literal; `to_microseconds` takes a BIGINT, so windows of a day and more parse too. */
function micros(ms: number): string {
  return `to_microseconds(CAST(${Math.round(ms * 1000)} AS BIGINT))`;
}

/**
 * A tumbling event-time window of `windowDuration` ("10 minutes", "1 hour") over a timestamp
 * column, as a struct column `window` { start, end }.
 */
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column {
  const ts = toColumn(timeColumn);
  const size = parseDuration(windowDuration, "window duration");
  if (size <= 0) throw new UnsupportedStreamingOperationError("window()", `The window duration must be positive, got '${windowDuration}'.`);
  if (slideDuration !== undefined && parseDuration(slideDuration, "slide duration") !== size) {
    throw new UnsupportedStreamingOperationError("sliding windows",
      `Sliding windows (slideDuration '${slideDuration}' shorter than windowDuration '${windowDuration}') are not supported by this local engine. Use a tumbling window (leave slideDuration out), or aggregate per tumbling window of the slide size and combine the windows in a later step.`);
  }
  const offset = startTime === undefined ? 0 : parseDuration(startTime, "window startTime");
  const origin = `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + ${micros(offset)})`;
  const tsSql = `CAST(${ts._s.sql} AS TIMESTAMPTZ)`;
  const start = `time_bucket(${micros(size)}, ${tsSql}, ${origin})`;
  const sql = `CASE WHEN ${ts._s.sql} IS NULL THEN NULL ELSE {'start': ${start}, 'end': ${start} + ${micros(size)}} END`;
  const info: WindowInfo = { timeSql: ts._s.sql, timeColumn: ts._s.ref && ts._s.ref.parts.length === 1 ? ts._s.ref.parts[0] : undefined, durationMs: size };
  windows.set(sql, info);
  return derive([ts], sql, "window");
}
