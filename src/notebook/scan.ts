/**
 * `explainScan(spark, sql)`: runs a query and shows, per Delta table it read, how many data
 * files the snapshot had and how many were actually scanned after data skipping (partition
 * values and per-file min/max statistics from the `add` actions), then the DuckDB SQL the query
 * compiled to. On Databricks the same figures are in the query profile ("files pruned",
 * "files read") and in the Spark UI's scan node.
 */
import { describePredicate } from "../lakehouse/kernel/predicate.js";
import type { ScanInfo } from "../lakehouse/sql/query-compiler.js";
import type { SparkSession } from "../lakehouse/sql/session.js";
import { escapeHtml, html } from "./display.js";
import { bar, details, FONT, MONO, pre } from "./html.js";

export interface ScanReport {
  /** Rows the query returned. */
  rows: number;
  scans: { table: string; version: number; filesScanned: number; filesTotal: number; filesSkipped: number; skippingPredicate: string | null }[];
  /** The DuckDB SQL the Databricks SQL compiled to. */
  compiledSql: string;
}

/** Runs `sql` and reports files scanned vs skipped per table, without displaying anything. */
export async function scanReport(spark: SparkSession, sql: string): Promise<ScanReport> {
  const rows = await (await spark.sql(sql)).collect();
  const scans: ScanInfo[] = [...spark.lastScans];
  const compiled = await spark.compile(sql);
  return {
    rows: rows.length,
    scans: scans.map((s) => ({
      table: s.table, version: s.version, filesScanned: s.filesScanned, filesTotal: s.filesTotal, filesSkipped: s.filesTotal - s.filesScanned,
      skippingPredicate: s.predicate && s.predicate.op !== "unknown" ? describePredicate(s.predicate) : null,
    })),
    compiledSql: compiled.sql,
  };
}

/** Long file lists make compiled SQL unreadable: keep the first few paths of each list. */
function shortenSql(sql: string): string {
  return sql.replace(/\[('[^']*'(?:,\s*'[^']*'){3,})\]/g, (_m, list: string) => {
    const items = list.split(/,\s*/);
    return `[${items.slice(0, 2).join(", ")}, … ${items.length - 2} more files]`;
  });
}

/** Displays the scan report of `sql`: files scanned vs total per table, and the compiled SQL. */
export async function explainScan(spark: SparkSession, sql: string): Promise<void> {
  const r = await scanReport(spark, sql);
  const rowsHtml = r.scans.map((s) => {
    const frac = s.filesTotal ? s.filesScanned / s.filesTotal : 0;
    return `<tr><td style="padding: 3px 10px; text-align: left;">${escapeHtml(s.table)}</td><td style="padding: 3px 10px; text-align: right;">${s.version}</td>`
      + `<td style="padding: 3px 10px; text-align: right;"><b>${s.filesScanned}</b> of ${s.filesTotal}</td>`
      + `<td style="padding: 3px 10px; text-align: left;">${bar(frac, frac < 1 ? "#16a34a" : "#9ca3af")} ${s.filesSkipped} skipped</td>`
      + `<td style="padding: 3px 10px; text-align: left; ${MONO}">${escapeHtml(s.skippingPredicate ?? "none (every file may match)")}</td></tr>`;
  }).join("");
  const th = ["table", "version", "files scanned", "share of files scanned", "predicate used for skipping"].map((h) => `<th style="text-align: left; padding: 4px 10px; border-bottom: 2px solid #d1d5db; background: #f3f4f6;">${h}</th>`).join("");
  const markup = `<div style="${FONT} margin: 4px 0;"><div style="font-weight: 600;">Files scanned — ${r.rows} ${r.rows === 1 ? "row" : "rows"} returned</div>`
    + `<div style="${MONO} color: #374151; margin: 2px 0 4px;">${escapeHtml(sql.trim())}</div>`
    + `<table style="border-collapse: collapse;"><thead><tr>${th}</tr></thead><tbody>${rowsHtml || `<tr><td colspan="5" style="padding: 3px 10px;">no Delta table was read</td></tr>`}</tbody></table>`
    + details("compiled DuckDB SQL", pre(shortenSql(r.compiledSql))) + `</div>`;
  const text = [
    `Files scanned for: ${sql.trim()}`,
    ...r.scans.map((s) => `  ${s.table} v${s.version}: ${s.filesScanned} of ${s.filesTotal} files scanned, ${s.filesSkipped} skipped (skipping predicate: ${s.skippingPredicate ?? "none"})`),
    `  ${r.rows} rows returned`,
  ].join("\n");
  html(markup, text);
}
