/**
 * The execution boundary of the DataFrame API. A DataFrame only builds SQL; the session that
 * created it implements this interface and runs that SQL (resolving table names, pruning files,
 * committing writes). Keeping the boundary this small lets the DataFrame modules stay free of
 * any session import and be tested against a bare DuckDB connection.
 */
import type { QueryResult } from "../../engine/duckdb.js";

export type { QueryResult, Row, Value } from "../../engine/duckdb.js";

/** Save modes of Spark's DataFrameWriter (`"default"` is normalised to `"errorifexists"`). */
export type SaveMode = "append" | "overwrite" | "error" | "errorifexists" | "ignore";

/** What `df.write…` asks the session to do with the rows of a SELECT. */
export interface WriteSpec {
  format: string;
  mode: SaveMode;
  options: Record<string, string>;
  partitionBy: string[];
  target: { kind: "table"; name: string } | { kind: "path"; path: string } | { kind: "insertInto"; name: string; overwrite: boolean };
}

export interface QueryRunner {
  /** Runs a SELECT written in Databricks SQL; table names are resolved by the session. */
  runQuery(sql: string): Promise<QueryResult>;
  /** Column names + DuckDB types of a SELECT without running it. */
  describeQuery(sql: string): Promise<{ name: string; type: string }[]>;
  /** Writes the rows of the SELECT `sql` as the spec says. */
  write(sql: string, spec: WriteSpec): Promise<void>;
}
