/** What a DataFrame needs from the session: run, describe and write SQL. */
import type { QueryResult } from "../../engine/duckdb.js";

export interface WriteSpec {
  format: string;
  mode: "append" | "overwrite" | "error" | "errorifexists" | "ignore";
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
