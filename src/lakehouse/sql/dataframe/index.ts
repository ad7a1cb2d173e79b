/**
 * The PySpark-like DataFrame API of the lakehouse: `DataFrame`, `Column`, the `F` functions,
 * `Window` and `DataFrameWriter`, compiling to DuckDB SQL that a `QueryRunner` (the session) runs.
 *
 * @example
 * import { F, col } from "./index.js";
 * spark.table("c360.silver.orders").groupBy("country").agg(F.sum("amount").alias("revenue")).toSQL();
 * // SELECT "country", sum("amount") AS "revenue" FROM c360.silver.orders GROUP BY "country"
 */
export { DataFrame, GroupedData, type DropNaOptions, type SortOptions } from "./dataframe.js";
export { DataFrameWriter } from "./writer.js";
export { Column, col, column, expr, lit, when, type ColumnOrName, type Literal } from "./column.js";
export { Window, WindowSpec } from "./window.js";
export { formatTable } from "./format.js";
export type { Field, FillValue } from "./plan.js";
export type { QueryResult, QueryRunner, Row, SaveMode, Value, WriteSpec } from "./runner.js";
export * as F from "./functions.js";
export * from "./functions.js";
