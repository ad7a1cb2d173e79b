/**
 * `showTable`: a query result as a rich HTML table (column names with their Spark types, row
 * count, NULLs marked) with a `df.show()`-style text fallback.
 *
 * @example
 *   await showTable(spark.sql("SELECT * FROM c360.silver.customers"), { limit: 5 });
 *   await showTable(rows, { title: "plain objects work too" });
 */
import { formatTable } from "../lakehouse/sql/dataframe/format.js";
import { simpleString } from "../lakehouse/sql/dataframe/types.js";
import type { Row } from "../lakehouse/sql/dataframe/runner.js";
import { escapeHtml, html } from "./display.js";
import { FONT, MONO } from "./html.js";
import { cellString, guessType, isNumeric, type ColumnInfo } from "./values.js";

/** What `showTable` accepts: a DataFrame (or the promise `spark.sql` returns), or rows. */
export type TableSource = DataFrameLike | Promise<DataFrameLike> | readonly Row[] | { columns: readonly ColumnInfo[]; rows: readonly Row[] };

/** The part of the DataFrame API the helpers use (any lakehouse DataFrame has it). */
export interface DataFrameLike {
  schema(): Promise<{ name: string; type: string }[]>;
  limit(n: number): DataFrameLike;
  collect(): Promise<Row[]>;
  count(): Promise<number>;
}

export interface TableOptions {
  /** Rows to show (default 20). */
  limit?: number;
  /** A heading above the table. */
  title?: string;
  /** Count all rows of a DataFrame (one more query; default true). */
  count?: boolean;
  /** Characters kept per cell (default 60; false keeps everything). */
  truncate?: number | false;
  /** Only these columns, in this order. */
  columns?: string[];
}

export interface TableData {
  columns: ColumnInfo[];
  rows: Row[];
  /** Rows in the whole result, when known. */
  total: number | undefined;
}

function isDataFrame(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && typeof (x as DataFrameLike).collect === "function" && typeof (x as DataFrameLike).schema === "function";
}

/** Reads the columns and the first `limit` rows of a source. */
export async function tableData(source: TableSource, opts: TableOptions = {}): Promise<TableData> {
  const limit = opts.limit ?? 20;
  const src = await source;
  let columns: ColumnInfo[];
  let rows: Row[];
  let total: number | undefined;
  if (isDataFrame(src)) {
    const schema = await src.schema();
    columns = schema.map((f) => ({ name: f.name, type: simpleString(f.type), duckType: f.type }));
    rows = await src.limit(limit).collect();
    total = opts.count === false ? undefined : rows.length < limit ? rows.length : await src.count();
  } else if (Array.isArray(src)) {
    const all = src as readonly Row[];
    const names = [...new Set(all.flatMap((r) => Object.keys(r)))];
    columns = names.map((n) => ({ name: n, type: guessType(all.map((r) => r[n])) }));
    rows = all.slice(0, limit);
    total = all.length;
  } else {
    const t = src as { columns: readonly ColumnInfo[]; rows: readonly Row[] };
    columns = [...t.columns];
    rows = t.rows.slice(0, limit);
    total = t.rows.length;
  }
  if (opts.columns) {
    const wanted = opts.columns.map((n) => columns.find((c) => c.name === n) ?? { name: n, type: "void" });
    columns = wanted;
  }
  return { columns, rows, total };
}

function cut(s: string, n: number | false): { shown: string; full?: string } {
  if (n === false || s.length <= n) return { shown: s };
  return { shown: `${s.slice(0, Math.max(1, n - 1))}…`, full: s };
}

/** Summary line: "902 rows × 7 columns (showing the first 20)". */
export function summaryLine(t: TableData): string {
  const n = t.total;
  const rows = n === undefined ? `${t.rows.length}+ rows` : `${n.toLocaleString("en-US")} ${n === 1 ? "row" : "rows"}`;
  const cols = `${t.columns.length} ${t.columns.length === 1 ? "column" : "columns"}`;
  const partial = n === undefined || n > t.rows.length ? ` (showing the first ${t.rows.length})` : "";
  return `${rows} × ${cols}${partial}`;
}

/** The HTML and text renderings of a table. */
export function renderTable(t: TableData, opts: { title?: string; truncate?: number | false; textTruncate?: number | false } = {}): { html: string; text: string } {
  const truncate = opts.truncate ?? 60;
  const textTruncate = opts.textTruncate ?? truncate;
  const th = t.columns.map((c) =>
    `<th style="text-align: left; padding: 4px 10px; border-bottom: 2px solid #d1d5db; background: #f3f4f6; white-space: nowrap;">${escapeHtml(c.name)}`
    + `<div style="${MONO} font-weight: normal; color: #6b7280; font-size: 11px;">${escapeHtml(c.type)}</div></th>`).join("");
  const body = t.rows.map((r, i) => {
    const tds = t.columns.map((c) => {
      const v = r[c.name];
      if (v === null || v === undefined) return `<td style="padding: 3px 10px; color: #9ca3af; font-style: italic;">NULL</td>`;
      const { shown, full } = cut(cellString(v, c), truncate);
      const align = isNumeric(v) ? "right" : "left";
      return `<td style="padding: 3px 10px; text-align: ${align}; white-space: pre-wrap;"${full ? ` title="${escapeHtml(full)}"` : ""}>${escapeHtml(shown)}</td>`;
    }).join("");
    return `<tr style="background: ${i % 2 ? "#fafafa" : "white"};">${tds}</tr>`;
  }).join("");
  const summary = summaryLine(t);
  const title = opts.title ? `<div style="font-weight: 600; margin-bottom: 2px;">${escapeHtml(opts.title)}</div>` : "";
  const markup = `<div style="${FONT} margin: 4px 0;">${title}`
    + `<div style="overflow-x: auto;"><table style="border-collapse: collapse; ${MONO} margin: 0;"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`
    + `<div style="color: #6b7280; font-size: 12px; margin-top: 2px;">${escapeHtml(summary)}</div></div>`;
  const ascii = formatTable(t.columns.map((c) => ({ name: c.name, type: c.duckType ?? "" })), t.rows, textTruncate);
  const text = [opts.title, ascii, summary].filter((x) => x).join("\n");
  return { html: markup, text };
}

/**
 * Shows a DataFrame, the promise of one (`spark.sql(…)`), or an array of row objects as a table
 * with its row count and column types.
 */
export async function showTable(source: TableSource, opts: TableOptions = {}): Promise<void> {
  const t = await tableData(source, opts);
  const r = renderTable(t, opts);
  html(r.html, r.text);
}
