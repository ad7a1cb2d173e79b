/**
 * What every source generator shares: the DuckDB connection, the seed, the sizes derived from
 * the scale, the batch windows, and the SQL macros that make the data deterministic.
 *
 * Randomness is `hash(seed, key, salt)` mapped to [0, 1): a pure function of its arguments, so
 * the rows do not depend on thread scheduling (DuckDB's random() does). Only exact arithmetic
 * (+ - * /, floor) is applied to those numbers, never sin/exp/log/pow, whose last bit can differ
 * between math libraries; so the same seed and scale give the same bytes on any machine running
 * the same DuckDB version.
 */
import type { DuckDb } from "../../lakehouse/engine/duckdb.js";
import { COUNTRIES } from "./vocab.js";

/** The data covers calendar year 2024 (UTC); customers signed up from 2016 on. */
export const PERIOD_START = "2024-01-01 00:00:00";
export const PERIOD_END = "2025-01-01 00:00:00";
export const PERIOD_DAYS = 366;
export const SPAN_SECONDS = PERIOD_DAYS * 86400;
export const HISTORY_START = "2016-01-01 00:00:00";

/** Retail seasonality: share of the year's volume per month, in percent (adds up to 100). */
const MONTH_WEIGHTS = [7, 6.5, 7.5, 7.5, 8, 8, 8, 8.5, 7.5, 8, 11, 12.5];
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface Sizes {
  customers: number;
  /** Customers who signed up before the period (all in batch 1). */
  oldCustomers: number;
  transactions: number;
  /** Target number of click events; visits are derived from it. */
  clickEvents: number;
  tickets: number;
}

export interface FileReport {
  /** Path relative to the output directory, with forward slashes. */
  path: string;
  batch: number;
  rows: number;
  bytes: number;
}

export interface SourceReport {
  source: "crm" | "transactions" | "clickstream" | "support_tickets";
  format: "jsonl" | "csv" | "parquet";
  files: FileReport[];
  rows: number;
  /** Planted anomalies: kind → number of rows (or lines) carrying it. */
  anomalies: Record<string, number>;
  /** Other facts worth printing (distinct customers, sessions, tickets…). */
  facts: Record<string, number>;
}

export interface Ctx {
  db: DuckDb;
  seed: number;
  scale: number;
  batches: number;
  out: string;
  sizes: Sizes;
  /** Batch window boundaries as 'YYYY-MM-DD HH:MM:SS', batches + 1 of them. */
  bounds: string[];
  /** Threads for building tables (files are written with one). */
  threads: number;
}

export function sqlStr(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlList(items: readonly (string | number)[]): string {
  return `[${items.map((x) => (typeof x === "number" ? String(x) : sqlStr(x))).join(", ")}]`;
}

/** A list of indices 0..n-1, each repeated by its integer weight: pick() from it is a weighted draw. */
export function weightedIndexList(weights: readonly number[]): string {
  const out: number[] = [];
  weights.forEach((w, i) => {
    for (let k = 0; k < w; k++) out.push(i);
  });
  return sqlList(out);
}

export function sizesFor(scale: number): Sizes {
  const customers = Math.max(60, Math.round(100_000 * scale));
  return {
    customers,
    oldCustomers: Math.round(customers * 0.7),
    transactions: Math.max(300, Math.round(2_000_000 * scale)),
    clickEvents: Math.max(1_500, Math.round(10_000_000 * scale)),
    tickets: Math.max(40, Math.round((200_000 * scale) / 3.6)),
  };
}

function isoDay(day: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + day * 86400_000);
  return d.toISOString().slice(0, 10) + " 00:00:00";
}

/**
 * Batch 1 is the initial load (the first half of the year); the rest of the year is split evenly
 * between the later batches. Boundaries snap to the first of a month when that keeps them apart.
 */
export function batchBounds(batches: number): string[] {
  const fr: number[] = [0];
  for (let k = 1; k <= batches; k++) fr.push(batches === 1 ? 1 : 0.5 + (0.5 * (k - 1)) / (batches - 1));
  let days = fr.map((f) => Math.round(f * PERIOD_DAYS));
  const monthStarts: number[] = [];
  for (let m = 0, d = 0; m <= 12; d += MONTH_DAYS[m] ?? 0, m++) monthStarts.push(d);
  const snapped = days.map((d) => monthStarts.reduce((best, s) => (Math.abs(s - d) < Math.abs(best - d) ? s : best), 0));
  if (new Set(snapped).size === snapped.length) days = snapped;
  return days.map(isoDay);
}

/**
 * Macros, created once per generation:
 * - h(key, salt), h3(key, key2, salt): a well-mixed 64-bit hash of (seed, key…, salt);
 * - u(key, salt), u3(key, key2, salt): the same mapped to a uniform number in [0, 1);
 * - pick(list, x): the element of list at fraction x;
 * - tmonth(p), tweek(t), tday(t), tclamp(t): the stages of yearFractionSql();
 * - ts_at(sec): the timestamp PERIOD_START + sec seconds (millisecond precision);
 * - batch_of(ts): the batch whose window holds ts;
 * - win_start(b), win_len(b): window of batch b (timestamp, seconds);
 * - cty(c): the country index (0-based into COUNTRIES) of customer index c;
 * - cust_at(x, r): a customer index that existed at year fraction x, skewed towards old, loyal
 *   customers by r (uniform); a third of the customers are dormant (their draws go to an older
 *   customer), so some never buy, click or call, and the oldest fifth accounts for about half
 *   of the activity;
 * - cust_id(c): the customer_id of customer index c.
 */
export async function createMacros(ctx: Ctx): Promise<void> {
  const { db, seed, sizes, bounds, batches } = ctx;
  const S = `${Math.trunc(seed)}::BIGINT`;
  // DuckDB combines hash arguments almost linearly (two salts give correlated values), so the
  // combined hash is hashed once more, which mixes every bit.
  await db.run(`CREATE MACRO h(a, b) AS hash(hash(${S}, (a)::BIGINT, b))`);
  await db.run(`CREATE MACRO h3(a, a2, b) AS hash(hash(${S}, (a)::BIGINT, (a2)::BIGINT, b))`);
  await db.run(`CREATE MACRO u(a, b) AS h(a, b) / 18446744073709551616.0`);
  await db.run(`CREATE MACRO u3(a, a2, b) AS h3(a, a2, b) / 18446744073709551616.0`);
  await db.run(`CREATE MACRO pick(l, x) AS l[1 + floor((x) * len(l))::BIGINT]`);

  // Piecewise-linear inverse of the monthly cumulative volume.
  let cum = 0;
  let dayStart = 0;
  const arms: string[] = [];
  MONTH_WEIGHTS.forEach((w, m) => {
    const lo = cum / 100;
    const hi = (cum + w) / 100;
    const len = MONTH_DAYS[m]! * 86400;
    arms.push(`WHEN p < ${hi} THEN ${dayStart * 86400} + (p - ${lo}) * ${len / (w / 100)}`);
    cum += w;
    dayStart += MONTH_DAYS[m]!;
  });
  await db.run(`CREATE MACRO tmonth(p) AS CASE ${arms.join(" ")} ELSE ${SPAN_SECONDS - 1} END`);
  // A periodic parabola standing in for sine: wave(h) in [-1, 1], slope at most 8 per period.
  await db.run(`CREATE MACRO wave(h) AS CASE WHEN h - floor(h) < 0.5 THEN 16 * (h - floor(h)) * (0.5 - (h - floor(h))) ELSE -16 * ((h - floor(h)) - 0.5) * (1 - (h - floor(h))) END`);
  // t + A*P/8*wave(t/P - phase) is monotonic for A < 1 and its density peaks where wave falls
  // fastest. The weekly warp (Saturday peak; 2024-01-01 is a Monday) is applied first and the
  // daily one (19:00 UTC peak) last, so the daily peak is not smeared by the weekly shift.
  await db.run(`CREATE MACRO tweek(t) AS t + 0.3 * 604800 / 8 * wave(t / 604800 - ${5.5 / 7 - 0.5})`);
  await db.run(`CREATE MACRO tday(t) AS t + 0.6 * 86400 / 8 * wave(t / 86400 - ${19 / 24 - 0.5})`);
  await db.run(`CREATE MACRO tclamp(t) AS greatest(0, least(${SPAN_SECONDS - 1}, t))`);
  await db.run(`CREATE MACRO ts_at(sec) AS TIMESTAMP '${PERIOD_START}' + to_milliseconds(floor((sec) * 1000)::BIGINT)`);

  const arms2: string[] = [];
  for (let b = 1; b < batches; b++) arms2.push(`WHEN ts < TIMESTAMP '${bounds[b]}' THEN ${b}`);
  await db.run(`CREATE MACRO batch_of(ts) AS ${arms2.length ? `CASE ${arms2.join(" ")} ELSE ${batches} END` : "1"}`);
  await db.run(`CREATE MACRO win_start(b) AS ${sqlList(bounds.slice(0, batches))}[b]::TIMESTAMP`);
  const lens = bounds.slice(0, batches).map((s, i) => (Date.parse(bounds[i + 1]!.replace(" ", "T") + "Z") - Date.parse(s.replace(" ", "T") + "Z")) / 1000);
  await db.run(`CREATE MACRO win_len(b) AS ${sqlList(lens)}[b]`);

  await db.run(`CREATE MACRO cty(c) AS pick(${weightedIndexList(COUNTRIES.map((c) => c.weight))}, u(c, 'country'))`);
  const newCustomers = sizes.customers - sizes.oldCustomers;
  await db.run(`CREATE MACRO cust_at0(x, r) AS floor((${sizes.oldCustomers} + floor((x) * ${newCustomers})) * (r) * (0.15 + 0.85 * (r)))::BIGINT`);
  // A third of the customers are dormant: their activity goes to an older customer instead.
  await db.run(`CREATE MACRO cust_at(x, r) AS CASE WHEN u(cust_at0(x, r), 'dormant') < 0.33 THEN cust_at0(x, r) // 2 ELSE cust_at0(x, r) END`);
  await db.run(`CREATE MACRO cust_id(c) AS (1000001 + (c))::BIGINT`);
}

/**
 * `SELECT <key>, sec FROM range(n)`: the moment, in seconds since PERIOD_START, of the key-th of
 * n events spread over the year: monotonic in the key, with monthly seasonality (November and
 * December peak), a weekend peak every week and an evening peak every day. The warps run in
 * separate stages so DuckDB does not expand the macros into one another.
 */
export function yearFractionSql(key: string, n: number, salt: string): string {
  return `SELECT ${key}, tclamp(tday(t1)) AS sec FROM (
    SELECT ${key}, tweek(t0) AS t1 FROM (
      SELECT ${key}, tmonth((${key} + u(${key}, ${sqlStr(salt)})) / ${n}) AS t0 FROM range(${n}) r(${key})))`;
}

/** Writes one query's rows as raw text lines (one VARCHAR column, no quoting). */
export async function copyLines(db: DuckDb, select: string, file: string): Promise<void> {
  await db.run(`COPY (${select}) TO ${sqlStr(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')`);
}

/** Files are written by one thread, so their bytes never depend on scheduling. */
export async function singleThreaded(db: DuckDb): Promise<void> {
  await db.run("SET threads = 1");
}
