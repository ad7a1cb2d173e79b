export { DataFrame, DataFrameWriter, formatTable } from "./dataframe.js";
export type { QueryRunner, WriteSpec } from "./runner.js";
