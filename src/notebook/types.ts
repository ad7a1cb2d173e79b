/**
 * Every type a notebook cell may hold in a top-level variable, under one roof.
 *
 * Why: the tslab kernel re-declares each cell's top-level variables for the next cells, printing
 * their types. Its TypeScript (5.0) crashes ("Paths must either both be absolute or both be
 * relative") when a type can only be named through a module the cell did not import, e.g. the
 * `Row[]` that `collect()` returns. A namespace import of this module in the first cell makes
 * all of them nameable (`lab.Row`), and the crash disappears:
 *
 *   import type * as lab from "../dist/notebook/types.js";
 */
export type { Row, Value, QueryResult } from "../lakehouse/sql/dataframe/runner.js";
export type { SparkSession, RuntimeConfig } from "../lakehouse/sql/session.js";
export type { DeltaTable, DeltaMergeBuilder } from "../lakehouse/sql/delta-table.js";
export type { DataFrame, DataFrameWriter, GroupedData, Column, Window, WindowSpec } from "../lakehouse/sql/dataframe/index.js";
export type { Field } from "../lakehouse/sql/dataframe/plan.js";
export type { ScanInfo } from "../lakehouse/sql/query-compiler.js";
export type { LakehouseError } from "../lakehouse/errors.js";
export type {
  DataStreamReader, StreamingDataFrame, StreamingGroupedData, DataStreamWriter, StreamingQuery, StreamingQueryProgress,
  StreamingQueryStatus, Trigger, OutputMode, ForeachBatchFunction, SourceOffset,
} from "../lakehouse/streaming/index.js";
export type { StructType, StructField, DataType } from "../lakehouse/kernel/schema.js";
export type { ErrorInfo } from "./errors.js";
export type { RaceResult } from "./concurrency.js";
export type { ScanReport } from "./scan.js";
export type { TableData, TableOptions, TableSource, DataFrameLike } from "./table.js";
export type { CheckResult } from "./checks.js";
export type { CheckpointBatch, CrashPoint } from "./streaming.js";
export type { RenderedChart, VegaLiteSpec } from "./chart.js";
