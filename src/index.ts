/** Public API of the c360-lab lakehouse library. */
export { SparkSession, RuntimeConfig } from "./lakehouse/sql/session.js";
export { DeltaTable, DeltaMergeBuilder } from "./lakehouse/sql/delta-table.js";
export { DataFrame, DataFrameWriter, GroupedData, Column, Window, WindowSpec, col, lit, expr, when, F, formatTable } from "./lakehouse/sql/dataframe/index.js";
export { LakehouseError, ParseError } from "./lakehouse/errors.js";
export * from "./lakehouse/kernel/conflict-checker.js";
export { validateTable, type Violation } from "./lakehouse/kernel/validate.js";
