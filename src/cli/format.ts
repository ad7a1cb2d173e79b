/**
 * Output formats of the CLI: an ASCII table (as PySpark's show()), JSON (an array of row
 * objects; 64-bit integers printed with every digit) and CSV.
 */
import type { QueryResult } from "../lakehouse/engine/duckdb.js";
import { formatTable } from "../lakehouse/sql/dataframe/index.js";

/** JSON text where bigints keep all digits (JSON numbers have no size limit). */
export function toJson(value: unknown, indent = 2): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") {
      marks.push(v.toString());
      return `__c360_big_${marks.length - 1}__`;
    }
    if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
    return v;
  }, indent);
  return text.replace(/"__c360_big_(\d+)__"/g, (_m, i) => marks[Number(i)]!);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : typeof v === "object" && !(v instanceof Uint8Array) ? toJson(v, 0) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatResult(res: QueryResult, format: "table" | "json" | "csv"): string {
  if (format === "json") return toJson(res.rows);
  if (format === "csv") {
    const names = res.columns.map((c) => c.name);
    return [names.map(csvCell).join(","), ...res.rows.map((r) => names.map((n) => csvCell(r[n])).join(","))].join("\n");
  }
  // DDL answers with an empty one-column frame (see statements.ts): say so plainly.
  if (res.columns.length === 0 || (res.rows.length === 0 && res.columns.length === 1 && res.columns[0]!.name === "result")) return "OK";
  return formatTable(res.columns.map((c) => c.name), res.rows, false);
}
