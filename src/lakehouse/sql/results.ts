/**
 * Command results (DESCRIBE HISTORY, MERGE metrics, SHOW TABLES …) become small DuckDB temp
 * tables, so a command's answer is a DataFrame like any query's.
 */
import { randomUUID } from "node:crypto";
import type { DuckDb } from "../engine/duckdb.js";
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

/** Creates a temp table with `rows` and returns its name. */
export async function resultTable(db: DuckDb, columns: [string, ColumnType][], rows: Record<string, unknown>[]): Promise<string> {
  const name = `__c360_result_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const cols = columns.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(", ");
  await db.run(`CREATE TEMP TABLE ${name} (${cols})`);
  if (rows.length) {
    const values = rows.map((r) => `(${columns.map(([n, t]) => literal(r[n], t)).join(", ")})`).join(", ");
    await db.run(`INSERT INTO ${name} VALUES ${values}`);
  }
  return name;
}
