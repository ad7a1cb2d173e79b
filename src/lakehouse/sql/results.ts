/**
 * Command results (DESCRIBE HISTORY, MERGE metrics, SHOW TABLES …) become small VALUES queries,
 * so a command's answer is a DataFrame like any query's.
 */
import { quoteIdent, quoteString } from "../engine/duckdb.js";

export type ColumnType = "VARCHAR" | "BIGINT" | "BOOLEAN" | "DOUBLE" | "TIMESTAMPTZ" | "MAP(VARCHAR, VARCHAR)" | "VARCHAR[]";

function literal(v: unknown, type: ColumnType): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${type})`;
  switch (type) {
    case "BIGINT": return `CAST(${typeof v === "bigint" ? v.toString() : String(Math.trunc(Number(v)))} AS BIGINT)`;
    case "DOUBLE": return `CAST(${Number(v)} AS DOUBLE)`;
    case "BOOLEAN": return v ? "true" : "false";
    case "TIMESTAMPTZ": return `CAST(${quoteString(new Date(v instanceof Date ? v.getTime() : Number(v)).toISOString())} AS TIMESTAMPTZ)`;
    case "MAP(VARCHAR, VARCHAR)": {
      const entries = Object.entries(v as Record<string, unknown>);
      return entries.length ? `MAP {${entries.map(([k, x]) => `${quoteString(k)}: ${quoteString(typeof x === "string" ? x : JSON.stringify(x))}`).join(", ")}}` : "CAST(MAP {} AS MAP(VARCHAR, VARCHAR))";
    }
    case "VARCHAR[]": return `CAST([${(v as unknown[]).map((x) => quoteString(String(x))).join(", ")}] AS VARCHAR[])`;
    default: return quoteString(typeof v === "string" ? v : JSON.stringify(v));
  }
}

/**
 * A self-contained SELECT holding `rows` (a VALUES list with typed columns). Nothing is created
 * in DuckDB, so command results never accumulate as temp tables.
 */
export function resultSql(columns: [string, ColumnType][], rows: Record<string, unknown>[]): string {
  const names = columns.map(([n]) => quoteIdent(n));
  if (rows.length === 0) return `SELECT ${columns.map(([n, t]) => `CAST(NULL AS ${t}) AS ${quoteIdent(n)}`).join(", ")} WHERE false`;
  const values = rows.map((r) => `(${columns.map(([n, t]) => literal(r[n], t)).join(", ")})`).join(", ");
  return `SELECT * FROM (VALUES ${values}) AS __result(${names.join(", ")})`;
}
