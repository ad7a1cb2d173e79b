/**
 * Values at the notebook boundary. DuckDB hands back BIGINT as `bigint`, timestamps as `Date`,
 * maps and structs as objects; JSON.stringify and Vega choke on bigint, and every timestamp
 * must read the same in a table, a chart and a log view (UTC, like the lakehouse prints them).
 */
import { cellText } from "../lakehouse/sql/dataframe/format.js";
import { sparkType } from "../lakehouse/sql/dataframe/types.js";
import type { Row } from "../lakehouse/sql/dataframe/runner.js";

/** A column as the notebook helpers show it: its name and its Spark type name. */
export interface ColumnInfo {
  name: string;
  /** Spark type name (bigint, string, timestamp, decimal(10,2), map<string,string> …). */
  type: string;
  /** DuckDB type, when known: guides number and date formatting. */
  duckType?: string;
}

/** A value converted for JSON and Vega: bigint → number (or string when too large), Date → ISO text. */
export function plain(v: unknown): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return [...v].map((b) => b.toString(16).padStart(2, "0")).join("");
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Rows converted with `plain`, ready for JSON.stringify or a Vega-Lite `data.values`. */
export function plainRows(rows: readonly Row[]): Record<string, unknown>[] {
  return rows.map((r) => plain(r) as Record<string, unknown>);
}

/** JSON text that survives bigint and Date values. */
export function toJson(v: unknown, indent = 2): string {
  return JSON.stringify(plain(v), null, indent) ?? "undefined";
}

/** The Spark type name a JS value suggests, for rows that come without a schema. */
export function guessType(values: readonly unknown[]): string {
  const v = values.find((x) => x !== null && x !== undefined);
  if (v === undefined) return "void";
  if (typeof v === "bigint") return "bigint";
  if (typeof v === "number") return values.every((x) => x === null || x === undefined || Number.isInteger(x)) ? "int" : "double";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  if (v instanceof Date) return "timestamp";
  if (Array.isArray(v)) return "array";
  return "struct";
}

/** The text of one cell, as `df.show()` prints it (UTC timestamps, Java-style doubles, NULL). */
export function cellString(v: unknown, col: ColumnInfo | undefined): string {
  const t = col?.duckType ? sparkType(col.duckType) : undefined;
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array) && !Array.isArray(v) && !t) {
    return JSON.stringify(plain(v));
  }
  return cellText(v as never, t);
}

/** True for values that read best right-aligned. */
export function isNumeric(v: unknown): boolean {
  return typeof v === "number" || typeof v === "bigint";
}
