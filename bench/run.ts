/**
 * Benchmarks of the Delta Lake core against plain DuckDB, measured in the same run.
 *
 *   npx tsx bench/run.ts          (or: npm run bench, which builds first)
 *   BENCH_QUICK=1 npx tsx bench/run.ts   smaller data, fewer runs, no result files written
 *
 * Each benchmark warms up once, then takes the median of N runs, and reports the absolute
 * milliseconds of the lakehouse path, of its DuckDB baseline, and their ratio. Results go to
 * bench/results/<ISO timestamp>.json and bench/results/latest.md. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SparkSession } from "../src/lakehouse/sql/session.js";
import { DataFrame } from "../src/lakehouse/sql/dataframe/index.js";
import { loadSnapshot } from "../src/lakehouse/kernel/snapshot.js";
import { dataFilePath } from "../src/lakehouse/engine/scan.js";
import type { QueryResult, Row } from "../src/lakehouse/engine/duckdb.js";

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

const QUICK = process.env["BENCH_QUICK"] === "1";
const ROWS = QUICK ? 500_000 : 5_000_000;
const ROWS_PER_FILE = QUICK ? 10_000 : 100_000; // 50 files either way
const LOOKUP_ID = Math.floor(ROWS * 0.8642468); // 4,321,234 for 5M rows
const MERGE_ROWS = QUICK ? 5_000 : 50_000;
const APPEND_HIGH = QUICK ? 200 : 1_000; // "version 1,000"
const APPEND_LOW = 10; // "version 10"
const APPEND_SAMPLES = 10;
const FILL_BUDGET_MS = 150_000; // give up creating versions after this long
const RUNS = { scan: QUICK ? 5 : 31, lookup: QUICK ? 7 : 25, merge: QUICK ? 3 : 5, snapshot: 5 };

const TABLE = "main.default.sales";
const APPEND_TABLE = "main.default.appends";
const DUCK_MERGE_TABLE = "bench_merge_target";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface BenchResult {
  name: string;
  ms: number;
  baselineMs: number;
  ratio: number;
  target: string;
  pass: boolean;
  extra: Record<string, unknown>;
}

const now = () => performance.now();
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = now();
  await fn();
  return now() - t;
}

/** Warm-up once each, then N runs alternating which side goes first; medians of both. */
async function paired(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number) {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      as.push(await time(a));
      bs.push(await time(b));
    } else {
      bs.push(await time(b));
      as.push(await time(a));
    }
  }
  return { a: median(as), b: median(bs), aSamples: as.map((x) => round(x)), bSamples: bs.map((x) => round(x)) };
}

/** Warm-up once, then the median of N runs. */
async function repeat(fn: () => Promise<unknown>, runs: number) {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) xs.push(await time(fn));
  return { median: median(xs), samples: xs.map((x) => round(x)) };
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const num = (v: unknown) => Number(v as number | bigint | string);
const log = (msg: string) => console.log(`[bench ${((now() - START) / 1000).toFixed(1)}s] ${msg}`);
const START = now();

async function tableRoot(spark: SparkSession, name: string): Promise<string> {
  return (await spark.resolveTable({ kind: "name", parts: name.split(".") })).root;
}

/** Data files of the table's latest snapshot, in id order (from the min/max stats). */
async function dataFiles(spark: SparkSession, name: string): Promise<string[]> {
  const root = await tableRoot(spark, name);
  const snap = await loadSnapshot(spark.engine, root);
  const minId = (stats: string | null | undefined) => Number((JSON.parse(stats ?? "{}") as { minValues?: { id?: number } }).minValues?.id ?? 0);
  const withStats = snap.files.filter((f) => (JSON.parse(f.stats ?? "{}") as { maxValues?: { id?: number } }).maxValues?.id !== undefined).length;
  if (withStats < snap.files.length) console.warn(`warning: only ${withStats}/${snap.files.length} files of ${name} have min/max stats for id; data skipping cannot prune the others`);
  return [...snap.files].sort((a, b) => minId(a.stats) - minId(b.stats)).map((f) => dataFilePath(snap.tableRoot, f.path));
}

async function sqlRows(spark: SparkSession, sql: string): Promise<Row[]> {
  return (await spark.sql(sql)).collect();
}

async function insertRow(spark: SparkSession, i: number): Promise<void> {
  await spark.sql(`INSERT INTO ${APPEND_TABLE} VALUES (${i}, 'row-${i}')`);
}

// ---------------------------------------------------------------------------------------------
// Benchmarks
// ---------------------------------------------------------------------------------------------

const SOURCE_SQL = `SELECT range AS id, range % 1000 AS customer_id, (range % 9973) / 100.0 AS amount, 'r' || (range % 50) AS region FROM range(${ROWS})`;

async function buildTable(spark: SparkSession, name: string, sql: string): Promise<number> {
  return time(() => DataFrame.fromSql(spark, sql).write.format("delta").mode("overwrite").option("maxRecordsPerFile", ROWS_PER_FILE).saveAsTable(name));
}

async function benchAggregate(spark: SparkSession, files: string[]): Promise<BenchResult> {
  const agg = "SELECT customer_id % 10 AS k, sum(amount) AS total, count(*) AS n FROM";
  const deltaSql = `${agg} ${TABLE} GROUP BY 1`;
  const rawSql = `${agg} read_parquet([${files.map(sqlString).join(", ")}]) GROUP BY 1`;

  const d = (await sqlRows(spark, deltaSql)).sort((x, y) => num(x["k"]) - num(y["k"]));
  const r = (await spark.db.query(rawSql)).rows.sort((x, y) => num(x["k"]) - num(y["k"]));
  const same = d.length === r.length && d.every((row, i) => num(row["n"]) === num(r[i]!["n"]) && Math.abs(num(row["total"]) - num(r[i]!["total"])) <= 1e-6 * Math.abs(num(r[i]!["total"])));
  if (!same) throw new Error("aggregate: Delta and raw DuckDB results differ");
  const scans = spark.lastScans.map((s) => ({ ...s }));

  const m = await paired(() => sqlRows(spark, deltaSql), () => spark.db.query(rawSql), RUNS.scan);
  const compile = await repeat(() => spark.compile(deltaSql), RUNS.scan);
  const ratio = m.a / m.b;
  return {
    name: "1. aggregate scan (GROUP BY over all files)",
    ms: round(m.a), baselineMs: round(m.b), ratio: round(ratio, 3), target: "ratio <= 1.10", pass: ratio <= 1.1,
    extra: { rows: ROWS, files: files.length, filesScanned: scans[0]?.filesScanned, filesTotal: scans[0]?.filesTotal, compileMs: round(compile.median), runs: RUNS.scan, samples: m.aSamples, baselineSamples: m.bSamples, resultsMatch: same },
  };
}

async function benchPointLookup(spark: SparkSession, files: string[]): Promise<BenchResult> {
  const deltaSql = `SELECT * FROM ${TABLE} WHERE id = ${LOOKUP_ID}`;
  const rawSql = `SELECT * FROM read_parquet([${files.map(sqlString).join(", ")}]) WHERE id = ${LOOKUP_ID}`;

  const d = await sqlRows(spark, deltaSql);
  const scan = { ...spark.lastScans[0]! };
  const r = (await spark.db.query(rawSql)).rows;
  if (d.length !== 1 || r.length !== 1 || num(d[0]!["id"]) !== LOOKUP_ID) throw new Error(`point lookup: expected one row with id ${LOOKUP_ID} (delta ${d.length}, raw ${r.length})`);

  const m = await paired(() => sqlRows(spark, deltaSql), () => spark.db.query(rawSql), RUNS.lookup);
  const compile = await repeat(() => spark.compile(deltaSql), RUNS.lookup);
  // The baseline is a raw full scan: every row of every file read and filtered. DuckDB's
  // own filter pushdown would prune row groups from footer stats, so it is switched off for
  // this one measurement (the pruned DuckDB read above is reported too).
  await spark.db.run("SET disabled_optimizers = 'filter_pushdown'");
  let fullScan: { median: number };
  try {
    fullScan = await repeat(() => spark.db.query(rawSql), RUNS.lookup);
  } finally {
    await spark.db.run("RESET disabled_optimizers");
  }
  // The floor: DuckDB reading just the one file that holds the id.
  const fileIdx = Math.floor(LOOKUP_ID / ROWS_PER_FILE);
  const oneFile = await repeat(() => spark.db.query(`SELECT * FROM read_parquet(${sqlString(files[fileIdx]!)}) WHERE id = ${LOOKUP_ID}`), RUNS.lookup);
  const ratio = m.a / fullScan.median;
  const pruned = scan.filesScanned === 1;
  return {
    name: "2. point lookup on sorted id (file skipping)",
    ms: round(m.a), baselineMs: round(fullScan.median), ratio: round(ratio, 3), target: "ratio <= 0.25 vs raw full scan, and 1 file scanned", pass: ratio <= 0.25 && pruned,
    extra: { id: LOOKUP_ID, filesScanned: scan.filesScanned, filesTotal: scan.filesTotal, compileMs: round(compile.median), rawOneFileMs: round(oneFile.median), duckdbPrunedReadMs: round(m.b), ratioVsDuckdbPrunedRead: round(m.a / m.b, 3), runs: RUNS.lookup, samples: m.aSamples, prunedBaselineSamples: m.bSamples },
  };
}

async function benchMerge(spark: SparkSession, files: string[]): Promise<BenchResult> {
  const half = MERGE_ROWS / 2;
  const stride = Math.floor(ROWS / half); // matching ids spread evenly over every file
  const source = `SELECT CAST(CASE WHEN range < ${half} THEN range * ${stride} + 17 ELSE ${ROWS} + range END AS BIGINT) AS id, CAST(range % 1000 AS BIGINT) AS customer_id, CAST(1.5 AS DOUBLE) AS amount, 'merged' AS region FROM range(${MERGE_ROWS})`;
  const fileList = `read_parquet([${files.map(sqlString).join(", ")}])`;
  const mergeSql = (target: string) => `MERGE INTO ${target} AS t USING (${source}) AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`;

  let copy = 0;
  let previous: string | undefined;
  const freshDelta = async () => {
    if (previous) {
      const root = await tableRoot(spark, previous);
      await spark.sql(`DROP TABLE IF EXISTS ${previous}`);
      rmSync(root, { recursive: true, force: true });
    }
    const name = `main.default.merge_copy_${copy++}`;
    await buildTable(spark, name, `SELECT * FROM ${fileList}`);
    previous = name;
    return name;
  };
  const freshDuck = () => spark.db.run(`CREATE OR REPLACE TABLE ${DUCK_MERGE_TABLE} AS SELECT * FROM ${fileList}`);

  const deltaMs: number[] = [];
  const duckMs: number[] = [];
  const copyMs: number[] = [];
  let metrics: Record<string, unknown> = {};
  let filesBefore = 0;
  let checked = false;
  for (let i = 0; i <= RUNS.merge; i++) {
    // Untimed setup: a fresh copy of each target.
    const c0 = now();
    const name = await freshDelta();
    copyMs.push(now() - c0);
    filesBefore = (await loadSnapshot(spark.engine, await tableRoot(spark, name))).numFiles;
    await freshDuck();

    const runDelta = () => time(() => spark.sql(mergeSql(name)));
    const runDuck = () => time(() => spark.db.query(mergeSql(DUCK_MERGE_TABLE)));
    let d: number;
    let b: number;
    if (i % 2 === 0) {
      d = await runDelta();
      b = await runDuck();
    } else {
      b = await runDuck();
      d = await runDelta();
    }
    if (i > 0) {
      deltaMs.push(d);
      duckMs.push(b);
    }

    const hist = await sqlRows(spark, `DESCRIBE HISTORY ${name} LIMIT 1`);
    metrics = (hist[0]?.["operationMetrics"] ?? {}) as Record<string, unknown>;
    if (!checked) {
      const expected = ROWS + half;
      const dn = num((await sqlRows(spark, `SELECT count(*) AS n FROM ${name}`))[0]!["n"]);
      const bn = num((await spark.db.query(`SELECT count(*) AS n FROM ${DUCK_MERGE_TABLE}`)).rows[0]!["n"]);
      const du = num((await sqlRows(spark, `SELECT count(*) AS n FROM ${name} WHERE region = 'merged'`))[0]!["n"]);
      if (dn !== expected || bn !== expected || du !== MERGE_ROWS) throw new Error(`merge: expected ${expected} rows (${MERGE_ROWS} merged), got delta ${dn} (${du} merged), duckdb ${bn}`);
      checked = true;
    }
  }
  // Leave no copy behind.
  if (previous) {
    const root = await tableRoot(spark, previous);
    await spark.sql(`DROP TABLE IF EXISTS ${previous}`);
    rmSync(root, { recursive: true, force: true });
  }
  await spark.db.run(`DROP TABLE IF EXISTS ${DUCK_MERGE_TABLE}`);

  const ms = median(deltaMs);
  const base = median(duckMs);
  const pick = (k: string) => (metrics[k] === undefined ? undefined : num(metrics[k]));
  return {
    name: `3. MERGE ${MERGE_ROWS.toLocaleString("en-US")} upserts into ${ROWS.toLocaleString("en-US")} rows`,
    ms: round(ms), baselineMs: round(base), ratio: round(ms / base, 3), target: "report (no target)", pass: true,
    extra: {
      sourceRows: MERGE_ROWS, matched: half, inserted: MERGE_ROWS - half,
      filesTotalBefore: filesBefore,
      numTargetFilesRemoved: pick("numTargetFilesRemoved"), numTargetFilesAdded: pick("numTargetFilesAdded"),
      numTargetRowsUpdated: pick("numTargetRowsUpdated"), numTargetRowsInserted: pick("numTargetRowsInserted"), numTargetRowsCopied: pick("numTargetRowsCopied"),
      scanTimeMs: pick("scanTimeMs"), rewriteTimeMs: pick("rewriteTimeMs"), executionTimeMs: pick("executionTimeMs"),
      untimedCopyMs: round(median(copyMs)), runs: RUNS.merge, samples: deltaMs.map((x) => round(x)), baselineSamples: duckMs.map((x) => round(x)),
    },
  };
}

async function benchAppends(spark: SparkSession, warehouse: string, scratch: string): Promise<BenchResult[]> {
  await spark.sql(`CREATE TABLE ${APPEND_TABLE} (id BIGINT, v STRING)`); // version 0
  const root = await tableRoot(spark, APPEND_TABLE);
  let next = 0; // the id of the next row
  const version = async () => (await spark.snapshotOf(root)).version;

  // Reused session: `spark`, whose cached snapshot is brought forward by each commit.
  const warm = async () => {
    const xs: number[] = [];
    const from = await version();
    for (let i = 0; i < APPEND_SAMPLES; i++) xs.push(await time(() => insertRow(spark, next++)));
    return { median: median(xs), samples: xs.map((x) => round(x)), versions: `${from}->${await version()}` };
  };
  // Cold: a new SparkSession per append (new DuckDB, empty snapshot cache), so the append
  // includes loading the snapshot (listing _delta_log, reading the checkpoint, replaying).
  const cold = async () => {
    const total: number[] = [];
    const create: number[] = [];
    const append: number[] = [];
    const from = await version();
    for (let i = 0; i < APPEND_SAMPLES; i++) {
      const t0 = now();
      const s = await SparkSession.create({ warehouse, scratchDir: scratch });
      const t1 = now();
      await insertRow(s, next++);
      const t2 = now();
      s.stop();
      create.push(t1 - t0);
      append.push(t2 - t1);
      total.push(t2 - t0);
    }
    return { median: median(total), createMs: round(median(create)), appendMs: round(median(append)), samples: total.map((x) => round(x)), versions: `${from}->${await version()}` };
  };
  const snapshotLoad = () => repeat(() => loadSnapshot(spark.engine, root), RUNS.snapshot);

  // Fill to APPEND_LOW (untimed), then measure around version 10. One warm-up of each kind first.
  while ((await version()) < APPEND_LOW - 2) await insertRow(spark, next++);
  await insertRow(spark, next++); // warm-up (reused)
  {
    const s = await SparkSession.create({ warehouse, scratchDir: scratch });
    await insertRow(s, next++); // warm-up (cold)
    s.stop();
  }
  const lowWarm = await warm();
  const lowCold = await cold();
  const lowSnap = await snapshotLoad();
  log(`appends around v${APPEND_LOW}: reused ${round(lowWarm.median)} ms, cold ${round(lowCold.median)} ms`);

  // Create versions up to APPEND_HIGH with the reused session.
  const fillFrom = await version();
  const f0 = now();
  let timedOut = false;
  while ((await version()) < APPEND_HIGH) {
    await insertRow(spark, next++);
    if (now() - f0 > FILL_BUDGET_MS) {
      timedOut = true;
      break;
    }
  }
  const fillMs = now() - f0;
  const reached = await version();
  log(`created versions ${fillFrom}->${reached} in ${(fillMs / 1000).toFixed(1)} s${timedOut ? " (stopped: time budget)" : ""}`);

  const highWarm = await warm();
  const highCold = await cold();
  const highSnap = await snapshotLoad();
  const numFiles = (await loadSnapshot(spark.engine, root)).numFiles;
  log(`appends around v${reached}: reused ${round(highWarm.median)} ms, cold ${round(highCold.median)} ms`);

  const fill = { fromVersion: fillFrom, toVersion: reached, fillMs: round(fillMs), msPerCommit: round(fillMs / Math.max(1, reached - fillFrom)), stoppedByTimeBudget: timedOut };
  const warmRatio = highWarm.median / lowWarm.median;
  const coldRatio = highCold.median / lowCold.median;
  return [
    {
      name: `4a. append at v${reached} vs v${APPEND_LOW} (reused session)`,
      ms: round(highWarm.median), baselineMs: round(lowWarm.median), ratio: round(warmRatio, 3), target: "ratio <= 2.0", pass: warmRatio <= 2 && !timedOut,
      extra: { highVersions: highWarm.versions, lowVersions: lowWarm.versions, samples: highWarm.samples, baselineSamples: lowWarm.samples, dataFilesAtHigh: numFiles, fill },
    },
    {
      name: `4b. append at v${reached} vs v${APPEND_LOW} (cold SparkSession.create + append)`,
      ms: round(highCold.median), baselineMs: round(lowCold.median), ratio: round(coldRatio, 3), target: "ratio <= 2.0", pass: coldRatio <= 2 && !timedOut,
      extra: {
        highVersions: highCold.versions, lowVersions: lowCold.versions,
        createMs: { high: highCold.createMs, low: lowCold.createMs }, appendOnlyMs: { high: highCold.appendMs, low: lowCold.appendMs },
        loadSnapshotMs: { high: round(highSnap.median), low: round(lowSnap.median) },
        samples: highCold.samples, baselineSamples: lowCold.samples,
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

function fmtMs(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function note(b: BenchResult): string {
  const e = b.extra as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (b.name.startsWith("1.")) return `${e["filesScanned"]}/${e["filesTotal"]} files; compile ${e["compileMs"]} ms`;
  if (b.name.startsWith("2.")) return `${e["filesScanned"]}/${e["filesTotal"]} files scanned; vs DuckDB's own row-group-pruned read ${e["duckdbPrunedReadMs"]} ms: ${e["ratioVsDuckdbPrunedRead"]}x; compile ${e["compileMs"]} ms; raw 1-file read ${e["rawOneFileMs"]} ms`;
  if (b.name.startsWith("3.")) return `files rewritten ${e["numTargetFilesRemoved"]}/${e["filesTotalBefore"]}, added ${e["numTargetFilesAdded"]}`;
  if (b.name.startsWith("4a.")) return `${e["fill"]["toVersion"] - e["fill"]["fromVersion"]} commits in ${(e["fill"]["fillMs"] / 1000).toFixed(1)} s (${e["fill"]["msPerCommit"]} ms each)`;
  if (b.name.startsWith("4b.")) return `append-only ${e["appendOnlyMs"]["high"]} vs ${e["appendOnlyMs"]["low"]} ms; loadSnapshot ${e["loadSnapshotMs"]["high"]} vs ${e["loadSnapshotMs"]["low"]} ms`;
  return "";
}

function markdown(results: BenchResult[], meta: Record<string, unknown>): string {
  const lines = [
    `# Benchmark results (${meta["date"]})`,
    "",
    `Node ${meta["node"]}, DuckDB ${meta["duckdb"]}, ${(meta["machine"] as { cpus: number }).cpus} CPUs, ${(meta["machine"] as { totalmemGB: number }).totalmemGB} GB RAM, total ${meta["totalSeconds"]} s. Medians; ratio = lakehouse / baseline (lower is better).`,
    "",
    "| Benchmark | Lakehouse ms | Baseline ms | Ratio | Target | Pass | Notes |",
    "|---|---:|---:|---:|---|:---:|---|",
    ...results.map((b) => `| ${b.name} | ${fmtMs(b.ms)} | ${fmtMs(b.baselineMs)} | ${b.ratio.toFixed(2)} | ${b.target} | ${b.pass ? "yes" : "**no**"} | ${note(b)} |`),
    "",
    "Baselines: 1 plain DuckDB `read_parquet` over the same files; 2 the raw full scan (`read_parquet` over all files with DuckDB's filter pushdown off, so every row is read), with DuckDB's own footer-pruned read in the notes; 3 DuckDB's native `MERGE INTO` on an in-memory table with the same rows; 4 the same append at version 10.",
    "",
  ];
  return lines.join("\n");
}

function printTable(results: BenchResult[]): void {
  const rows = results.map((b) => [b.name, fmtMs(b.ms), fmtMs(b.baselineMs), b.ratio.toFixed(2), b.target, b.pass ? "yes" : "NO", note(b)]);
  const head = ["benchmark", "ms", "baseline ms", "ratio", "target", "pass", "notes"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log("");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log("");
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), "c360-bench-"));
  const warehouse = join(dir, "warehouse");
  const scratch = join(dir, "scratch");
  mkdirSync(scratch, { recursive: true });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let spark: SparkSession | undefined;
  try {
    spark = await SparkSession.create({ warehouse, scratchDir: scratch });
    const duckdb = String((await spark.db.query("SELECT version() AS v")).rows[0]!["v"]);
    log(`temp dir ${dir}; DuckDB ${duckdb}; ${ROWS.toLocaleString("en-US")} rows${QUICK ? " (QUICK mode)" : ""}`);

    const buildMs = await buildTable(spark, TABLE, SOURCE_SQL);
    const files = await dataFiles(spark, TABLE);
    log(`built ${TABLE}: ${files.length} files in ${(buildMs / 1000).toFixed(1)} s`);

    const results: BenchResult[] = [];
    const step = async (label: string, fn: () => Promise<BenchResult | BenchResult[]>) => {
      log(`${label}…`);
      const r = await fn();
      for (const x of Array.isArray(r) ? r : [r]) {
        results.push(x);
        log(`${x.name}: ${fmtMs(x.ms)} ms vs ${fmtMs(x.baselineMs)} ms (ratio ${x.ratio.toFixed(2)})`);
      }
    };
    await step("aggregate scan", () => benchAggregate(spark!, files));
    await step("point lookup", () => benchPointLookup(spark!, files));
    await step("merge", () => benchMerge(spark!, files));
    await step("appends", async () => {
      // A dedicated session, so the reused-session appends do not share DuckDB with the 5M-row work above.
      const s = await SparkSession.create({ warehouse, scratchDir: scratch });
      try {
        return await benchAppends(s, warehouse, scratch);
      } finally {
        s.stop();
      }
    });
    (results[0]!.extra as Record<string, unknown>)["buildMs"] = round(buildMs);

    const date = new Date();
    const meta = {
      date: date.toISOString(),
      node: process.version,
      duckdb,
      machine: { platform: `${os.platform()} ${os.release()} ${os.arch()}`, cpuModel: os.cpus()[0]?.model, cpus: os.cpus().length, totalmem: os.totalmem(), totalmemGB: round(os.totalmem() / 2 ** 30, 1) },
      config: { quick: QUICK, rows: ROWS, rowsPerFile: ROWS_PER_FILE, mergeRows: MERGE_ROWS, appendHigh: APPEND_HIGH, appendLow: APPEND_LOW, runs: RUNS },
      totalSeconds: round((now() - START) / 1000, 1),
    };
    printTable(results);

    if (QUICK) {
      console.log("QUICK mode: result files not written.");
    } else {
      const outDir = fileURLToPath(new URL("./results/", import.meta.url));
      mkdirSync(outDir, { recursive: true });
      const stamp = meta.date.replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
      const json = join(outDir, `${stamp}.json`);
      writeFileSync(json, JSON.stringify({ ...meta, benchmarks: results }, null, 2) + "\n");
      writeFileSync(join(outDir, "latest.md"), markdown(results, meta));
      console.log(`wrote ${json} and ${join(outDir, "latest.md")} (${meta.totalSeconds} s total)`);
    }
  } finally {
    try {
      spark?.stop();
    } catch {
      /* already closed */
    }
    cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
