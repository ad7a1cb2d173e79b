/**
 * Inputs of the analytics builders. Every builder takes its inputs as *relations*: a table name
 * (`"c360.silver.transactions"`, emitted verbatim, so the session resolves it to the Delta
 * table) or a DataFrame (`spark.table(…)`, `spark.sql("SELECT … FROM read_csv(…)")`, a pipeline's
 * `ctx.read(…)`), embedded as a subquery. Builders only write SQL; nothing runs until an action.
 *
 * @example
 *   relationSql("c360.silver.sessions")                        // c360.silver.sessions
 *   relationSql(await spark.sql("SELECT * FROM read_parquet('clicks/*.parquet')"))
 *   // (SELECT * FROM read_parquet('clicks/*.parquet'))
 */
import { LakehouseError } from "../../lakehouse/errors.js";
import { DataFrame, type QueryRunner } from "../../lakehouse/sql/dataframe/index.js";

/** A table name or a DataFrame. */
export type Relation = string | DataFrame;

const NAME = /^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(\.(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)){0,2}$/;

/** The relation as something that can follow FROM: a table name, or `(SELECT …)`. */
export function relationSql(rel: Relation): string {
  if (rel instanceof DataFrame) return `(${rel.toSQL()})`;
  if (typeof rel !== "string" || !NAME.test(rel.trim())) {
    throw new LakehouseError("INVALID_ARGUMENT", `An analytics input must be a table name (catalog.schema.table) or a DataFrame, got ${JSON.stringify(rel)}. To use a query, pass spark.sql("SELECT …").`, {});
  }
  return rel.trim();
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A list literal of strings: `['a', 'b']`. */
export function sqlStringList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(", ")}]`;
}

/** The SQL as a DataFrame on `runner` (a SparkSession). */
export function frame(runner: QueryRunner, sql: string): DataFrame {
  return DataFrame.fromSql(runner, sql);
}
