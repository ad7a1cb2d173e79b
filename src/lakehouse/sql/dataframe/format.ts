/**
 * Text rendering of `df.show()`, cell for cell like Spark's `Dataset.showString`: `+---+`
 * borders, right-aligned cells when truncating (left-aligned with `truncate = false`), strings
 * cut to 20 characters with `...`, `NULL` for nulls, doubles as Java prints them (`2.0`,
 * `1.0E7`), timestamps as `yyyy-MM-dd HH:mm:ss` in UTC, and the `only showing top 20 rows`
 * footer.
 *
 * @example
 * +---+-----+
 * | id| name|
 * +---+-----+
 * |  1|Alice|
 * +---+-----+
 * only showing top 1 row
 */
import type { Row, Value } from "./runner.js";
import { isArray, isMap, isStruct, type DataType } from "../../kernel/schema.js";
import { timestampText } from "./column.js";
import { sparkType } from "./types.js";

/** Java's `Double.toString`: `2.0`, `0.5`, `1.0E7`, `1.0E-4`. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes(".") || s.includes("e") ? s : `${s}.0`;
  }
  const [mant, exp] = v.toExponential().split("e") as [string, string];
  return `${mant.includes(".") ? mant : `${mant}.0`}E${Number(exp)}`;
}

function dateText(d: Date): string {
  return timestampText(d).slice(0, 10);
}

/** A value as Spark's `show()` prints it, guided by the column's type where the JS value is ambiguous. */
export function cellText(v: Value | undefined, t: DataType | undefined): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "string") return v;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") {
    if (typeof t === "string") {
      if (t === "double" || t === "float") return javaDouble(v);
      const dec = /^decimal\((\d+),(\d+)\)$/.exec(t);
      if (dec) return v.toFixed(Number(dec[2]));
    }
    return Number.isInteger(v) ? String(v) : javaDouble(v);
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return "NULL";
    if (t === "date") return dateText(v);
    const text = timestampText(v);
    return text.includes(".") ? text.replace(/0+$/, "") : text;
  }
  if (v instanceof Uint8Array) return `[${[...v].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ")}]`;
  if (Array.isArray(v)) {
    const et = t !== undefined && isArray(t) ? t.elementType : undefined;
    return `[${v.map((x) => cellText(x, et)).join(", ")}]`;
  }
  if (t !== undefined && isMap(t)) {
    return `{${Object.entries(v).map(([k, x]) => `${k} -> ${cellText(x, t.valueType)}`).join(", ")}}`;
  }
  const fields = t !== undefined && isStruct(t) ? t.fields : undefined;
  return `{${Object.entries(v).map(([k, x]) => cellText(x, fields?.find((f) => f.name === k)?.type)).join(", ")}}`;
}

/** Spark escapes control characters so that a cell stays on one line. */
function escapeMeta(s: string): string {
  return s.replace(/[\n\r\t\f\b\u000B\u0007]/g, (c) =>
    ({ "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\b": "\\b", "\u000B": "\\v", "\u0007": "\\a" })[c]!);
}

function cut(s: string, truncate: number): string {
  if (truncate > 0 && s.length > truncate) return truncate < 4 ? s.slice(0, truncate) : `${s.slice(0, truncate - 3)}...`;
  return s;
}

/**
 * The text `show()` prints. `rows` may hold one row more than `n`: that is how the footer knows
 * there is more to see.
 */
export function showString(
  columns: readonly { name: string; type: string }[], rows: readonly Row[], n: number, truncate: boolean | number, vertical = false,
): string {
  const limit = truncate === true ? 20 : truncate === false ? 0 : Math.max(0, Math.trunc(truncate));
  const types = columns.map((c) => sparkType(c.type));
  const shown = rows.slice(0, n);
  const names = columns.map((c) => escapeMeta(c.name));
  const data = shown.map((r) => columns.map((c, j) => cut(escapeMeta(cellText(r[c.name], types[j])), limit)));
  const lines: string[] = [];
  if (!vertical) {
    const widths = names.map((h, j) => Math.max(3, h.length, ...data.map((row) => row[j]!.length)));
    const pad = (s: string, w: number) => (limit > 0 ? s.padStart(w) : s.padEnd(w));
    const sep = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
    lines.push(sep, `|${names.map((h, j) => pad(h, widths[j]!)).join("|")}|`, sep);
    for (const row of data) lines.push(`|${row.map((c, j) => pad(c, widths[j]!)).join("|")}|`);
    lines.push(sep);
  } else {
    const nameWidth = Math.max(3, ...names.map((h) => h.length));
    const dataWidth = Math.max(3, ...data.flatMap((row) => row.map((c) => c.length)));
    data.forEach((row, i) => {
      lines.push(`-RECORD ${i}`.padEnd(nameWidth + dataWidth + 5, "-"));
      row.forEach((c, j) => lines.push(` ${names[j]!.padEnd(nameWidth)} | ${c.padEnd(dataWidth)} `));
    });
    if (data.length === 0) lines.push("(0 rows)");
  }
  if (rows.length > n) lines.push(`only showing top ${n} ${n === 1 ? "row" : "rows"}`);
  return lines.join("\n");
}

/**
 * An ASCII table of query rows in `show()`'s layout, without a footer: for results that are
 * already in memory (the CLI). Columns may be names, or names with DuckDB types for exact
 * number and date rendering.
 */
export function formatTable(columns: readonly (string | { name: string; type: string })[], rows: readonly Row[], truncate: boolean | number = true): string {
  const cols = columns.map((c) => (typeof c === "string" ? { name: c, type: "" } : c));
  return showString(cols, rows, rows.length, truncate);
}
