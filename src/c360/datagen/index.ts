/**
 * `generateDatasets`: the Customer 360 source data sets of a fictional retailer, generated in
 * DuckDB SQL and written as batches of files:
 *
 *   <out>/crm/customers_batch_0001.json          CRM profiles, JSON lines
 *   <out>/transactions/transactions_batch_0001.csv  orders, CSV with header
 *   <out>/clickstream/clickstream_batch_0001.parquet  web/app events, Parquet
 *   <out>/support_tickets/tickets_cdc_batch_0001.json  ticket changes (CDC), JSON lines
 *   <out>/manifest.json                           what was written (no timings: deterministic)
 *
 * Scale 1 is about 100k customers, 2M transactions, 10M click events and 200k ticket changes.
 * The same seed, scale and batch count give byte-identical files (see context.ts for how).
 * datasets/README.md documents every field and every planted anomaly.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { DuckDb } from "../../lakehouse/engine/duckdb.js";
import { batchBounds, createMacros, sizesFor, type Ctx, type SourceReport, type Sizes } from "./context.js";
import { prepareOut } from "./files.js";
import { generateCrm } from "./crm.js";
import { generateTransactions } from "./transactions.js";
import { generateClickstream } from "./clickstream.js";
import { generateTickets } from "./tickets.js";
import { LakehouseError } from "../../lakehouse/errors.js";

export type { SourceReport, FileReport } from "./context.js";
export { hashTree } from "./files.js";

export const DEFAULT_SEED = 360;
export const DEFAULT_BATCHES = 4;

export interface DatagenOptions {
  /** 1 ≈ 100k customers, 2M transactions, 10M click events, 200k ticket changes. */
  scale: number;
  /** Output directory (created if missing). */
  out: string;
  /** Default 360. */
  seed?: number;
  /** Batches per source, default 4: batch 1 is the initial load, later ones new and changed records. */
  batches?: number;
  /** Worker threads for building the rows (files are always written with one thread). Default 2. */
  threads?: number;
}

export interface DatagenReport {
  seed: number;
  scale: number;
  batches: number;
  /** Absolute output directory. */
  out: string;
  duckdbVersion: string;
  sizes: Sizes;
  /** Time window of each batch: [from, to) in UTC. */
  windows: { batch: number; from: string; to: string }[];
  sources: SourceReport[];
  totalRows: number;
  totalBytes: number;
  /** Wall-clock time of the generation, in milliseconds (not part of manifest.json). */
  elapsedMs: number;
  /** Time per source, in milliseconds (not part of manifest.json). */
  timingsMs: Record<string, number>;
}

function check(opts: DatagenOptions): { seed: number; batches: number; threads: number } {
  if (!Number.isFinite(opts.scale) || opts.scale <= 0 || opts.scale > 50) throw new RangeError(`datagen: scale must be a number in (0, 50], got ${opts.scale}`);
  if (!opts.out) throw new RangeError("datagen: an output directory is required");
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`datagen: seed must be an integer, got ${seed}`);
  const batches = opts.batches ?? DEFAULT_BATCHES;
  if (!Number.isInteger(batches) || batches < 1 || batches > 24) throw new RangeError(`datagen: batches must be an integer from 1 to 24, got ${batches}`);
  const threads = opts.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`datagen: threads must be a positive integer, got ${threads}`);
  return { seed, batches, threads };
}

export async function generateDatasets(opts: DatagenOptions): Promise<DatagenReport> {
  const started = performance.now();
  const { seed, batches, threads } = check(opts);
  const out = resolve(opts.out);
  prepareOut(out);
  const db = await DuckDb.open();
  try {
    await db.run(`SET threads = ${threads}`);
    await db.run("SET preserve_insertion_order = true");
    const version = String((await db.query("SELECT version() AS v")).rows[0]!["v"]);
    const bounds = batchBounds(batches);
    const ctx: Ctx = { db, seed, scale: opts.scale, batches, out, sizes: sizesFor(opts.scale), bounds, threads };
    await createMacros(ctx);
    const sources: SourceReport[] = [];
    const timings: Record<string, number> = {};
    for (const gen of [generateCrm, generateTransactions, generateClickstream, generateTickets]) {
      // Rows are built in parallel into tables ordered by unique keys; each COPY runs on one
      // thread so the files come out the same on every run.
      const t0 = performance.now();
      await db.run(`SET threads = ${threads}`);
      const rep = await gen(ctx);
      sources.push(rep);
      timings[rep.source] = Math.round(performance.now() - t0);
      // Sources share only the macros: free this one's tables before the next.
      for (const t of (await db.query("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")).rows) await db.run(`DROP TABLE "${String(t["table_name"])}"`);
    }
    const windows = bounds.slice(0, batches).map((from, i) => ({ batch: i + 1, from, to: bounds[i + 1]! }));
    const report: DatagenReport = {
      seed,
      scale: opts.scale,
      batches,
      out,
      duckdbVersion: version,
      sizes: ctx.sizes,
      windows,
      sources,
      totalRows: sources.reduce((s, x) => s + x.rows, 0),
      totalBytes: sources.reduce((s, x) => s + x.files.reduce((t, f) => t + f.bytes, 0), 0),
      elapsedMs: 0,
      timingsMs: timings,
    };
    const { out: _out, elapsedMs: _ms, timingsMs: _t, ...manifest } = report;
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ generator: "c360 datagen", ...manifest }, null, 2) + "\n");
    report.elapsedMs = Math.round(performance.now() - started);
    return report;
  } finally {
    db.close();
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** The report as text: one block per source with files, rows and anomalies. */
export function formatDatagenReport(r: DatagenReport): string {
  const lines: string[] = [];
  lines.push(`c360 datagen: scale ${r.scale}, seed ${r.seed}, ${r.batches} batches → ${r.out}`);
  lines.push(`batch windows (UTC): ${r.windows.map((w) => `${w.batch}: ${w.from.slice(0, 10)} … ${w.to.slice(0, 10)}`).join("; ")}`);
  for (const s of r.sources) {
    lines.push("");
    const ms = r.timingsMs[s.source];
    lines.push(`${s.source} (${s.format}): ${s.rows.toLocaleString("en-US")} rows in ${s.files.length} files, ${mb(s.files.reduce((t, f) => t + f.bytes, 0))}${ms === undefined ? "" : `, ${(ms / 1000).toFixed(1)} s`}`);
    for (const f of s.files) lines.push(`  ${f.path.padEnd(48)} ${String(f.rows).padStart(10)} rows ${mb(f.bytes).padStart(10)}`);
    lines.push(`  facts:     ${Object.entries(s.facts).map(([k, v]) => `${k}=${v}`).join(", ")}`);
    lines.push(`  anomalies: ${Object.entries(s.anomalies).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  }
  lines.push("");
  lines.push(`total: ${r.totalRows.toLocaleString("en-US")} rows, ${mb(r.totalBytes)}, generated in ${(r.elapsedMs / 1000).toFixed(1)} s (DuckDB ${r.duckdbVersion})`);
  return lines.join("\n");
}

function parseNumber(name: string, integer: boolean) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new LakehouseError("INVALID_ARGUMENT", `--${name} must be ${integer ? "an integer" : "a number"}, got "${v}"`);
    return n;
  };
}

/** Adds `datagen --scale <f> --out <dir> [--seed n] [--batches n] [--json]` to a commander program. */
export function registerDatagenCommand(program: Command): Command {
  return program
    .command("datagen")
    .description("generate the Customer 360 source data sets (CRM JSON, transactions CSV, clickstream Parquet, ticket CDC JSON) in batches")
    .requiredOption("--scale <f>", "size: 1 ≈ 100k customers, 2M transactions, 10M click events, 200k ticket changes", parseNumber("scale", false))
    .requiredOption("--out <dir>", "output directory")
    .option("--seed <n>", "random seed", parseNumber("seed", true), DEFAULT_SEED)
    .option("--batches <n>", "batches per source", parseNumber("batches", true), DEFAULT_BATCHES)
    .option("--json", "print the report as JSON")
    .action(async (opts: { scale: number; out: string; seed: number; batches: number; json?: boolean }) => {
      const report = await generateDatasets({ scale: opts.scale, out: opts.out, seed: opts.seed, batches: opts.batches });
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatDatagenReport(report));
    });
}
