/**
 * Running the Customer 360 pipeline: `runCustomer360(spark, opts)` for code and notebooks, and
 * `c360 pipeline run [--full-refresh] [--scale f] [--source dir]` for the command line.
 *
 * One run is one pipeline update: new source files are ingested by the bronze streaming tables
 * (files already ingested are skipped, so a second run without new files writes nothing to
 * them), the AUTO CDC flows apply the new changes, and the materialized views are recomputed.
 * `fullRefresh` rebuilds every table from all the files.
 *
 * With `scale`, the source data is first generated at that scale (datasets/README.md) into
 * `<warehouse>/_sources/scale-<f>`, unless that folder already holds a generation with the same
 * scale (its manifest says so), so repeated runs do not regenerate.
 */
import { existsSync, readFileSync } from "node:fs";
import { LakehouseError } from "../../lakehouse/errors.js";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { formatTable, type Row } from "../../lakehouse/sql/dataframe/index.js";
import { SparkSession } from "../../lakehouse/sql/session.js";
import { qualitySummary, type UpdateResult } from "../../lakehouse/pipelines/index.js";
import { DEFAULT_BATCHES, DEFAULT_SEED, formatDatagenReport, generateDatasets } from "../datagen/index.js";
import { customer360Pipeline, customer360TableList, customer360Tables } from "./definition.js";

export interface RunCustomer360Options {
  /** Source directory (default datasets/sample). Ignored when `scale` is given. */
  sourceDir?: string;
  /** Rebuild every table from scratch. */
  fullRefresh?: boolean;
  /** Generate the sources at this scale into <warehouse>/_sources/scale-<f> first. */
  scale?: number;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
}

export interface RunCustomer360Result {
  update: UpdateResult;
  /** Every table of the pipeline with its row count (0 when it does not exist). */
  tables: { name: string; rows: number }[];
  /** The data-quality summary of the update: one row per dataset and expectation. */
  quality: Row[];
}

/** The sample committed with the project. */
export const DEFAULT_SOURCE_DIR = "datasets/sample";

/** datasets/sample under the working directory, else the one shipped next to this package. */
function defaultSourceDir(): string {
  const local = resolve(DEFAULT_SOURCE_DIR);
  if (existsSync(local)) return local;
  const shipped = join(import.meta.dirname, "..", "..", "..", DEFAULT_SOURCE_DIR);
  return existsSync(shipped) ? shipped : local;
}

/** Where `scale` puts generated sources. */
export function generatedSourceDir(warehouse: string, scale: number): string {
  return join(warehouse, "_sources", `scale-${scale}`);
}

function alreadyGenerated(dir: string, scale: number): boolean {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) return false;
  try {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as { scale?: number; seed?: number; batches?: number };
    return m.scale === scale && m.seed === DEFAULT_SEED && m.batches === DEFAULT_BATCHES;
  } catch {
    return false;
  }
}

async function rowCount(spark: SparkSession, name: string): Promise<number> {
  const [c, s, t] = name.split(".") as [string, string, string];
  if (!(await spark.metastore.getTable(c, s, t))) return 0;
  const r = await (await spark.sql(`SELECT count(*) AS n FROM ${name}`)).collect();
  return Number(r[0]?.["n"] ?? 0);
}

/** Runs one update of the Customer 360 pipeline and reports what it built. */
export async function runCustomer360(spark: SparkSession, opts: RunCustomer360Options = {}): Promise<RunCustomer360Result> {
  const log = opts.log ?? (() => {});
  let sourceDir = opts.sourceDir !== undefined ? resolve(opts.sourceDir) : defaultSourceDir();
  if (opts.scale !== undefined) {
    sourceDir = generatedSourceDir(spark.warehouse, opts.scale);
    if (alreadyGenerated(sourceDir, opts.scale)) log(`sources: scale ${opts.scale} already generated in ${sourceDir}`);
    else {
      log(`sources: generating scale ${opts.scale} into ${sourceDir} …`);
      const report = await generateDatasets({ scale: opts.scale, out: sourceDir });
      for (const line of formatDatagenReport(report).split("\n")) log(`  ${line}`);
    }
  }
  if (!existsSync(sourceDir)) throw new LakehouseError("C360_SOURCE_NOT_FOUND", `The source directory ${sourceDir} does not exist (expected crm/, transactions/, clickstream/, support_tickets/ inside). Generate one with: c360 datagen --scale 0.01 --out <dir>.`, { sourceDir });
  log(`pipeline customer_360: ${opts.fullRefresh ? "full refresh" : "update"} from ${sourceDir}`);
  const pipeline = customer360Pipeline({ sourceDir });
  const started = performance.now();
  const update = await pipeline.run(spark, { fullRefresh: opts.fullRefresh ?? false });
  log(`update ${update.updateId} ${update.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const tables: { name: string; rows: number }[] = [];
  for (const name of customer360TableList()) tables.push({ name, rows: await rowCount(spark, name) });
  const quality = await (await qualitySummary(spark, customer360Tables().eventLog, update.updateId)).collect();
  return { update, tables, quality };
}

/** The tables as text: name, rows. */
export function formatTables(tables: { name: string; rows: number }[]): string {
  return formatTable(["table", "rows"], tables.map((t) => ({ table: t.name, rows: BigInt(t.rows) })), false);
}

/** The quality summary as text. */
export function formatQuality(quality: Row[]): string {
  const rows = quality.map((q) => ({
    dataset: q["dataset"] ?? null,
    expectation: q["expectation"] ?? null,
    action: q["action"] ?? null,
    passed: q["passed_records"] ?? null,
    failed: q["failed_records"] ?? null,
    failure_pct: q["failure_rate"] === null || q["failure_rate"] === undefined ? null : `${(Number(q["failure_rate"]) * 100).toFixed(2)}%`,
  }));
  return formatTable(["dataset", "expectation", "action", "passed", "failed", "failure_pct"], rows, false);
}

function parseScale(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 50) throw new LakehouseError("INVALID_ARGUMENT", `--scale must be a number in (0, 50], got "${v}". Try --scale 0.1.`, { scale: v });
  return n;
}

/**
 * Adds `pipeline run [--full-refresh] [--scale f] [--source dir]` to a commander program (under
 * an existing `pipeline` command if there is one). The warehouse is the program's global
 * `--warehouse` option (or C360_WAREHOUSE, or ./.c360/warehouse). Prints the tables with row
 * counts and the data-quality summary; a failed update sets a non-zero exit code.
 */
export function registerPipelineCommand(program: Command): Command {
  const group = program.commands.find((c) => c.name() === "pipeline")
    ?? program.command("pipeline").description("the Customer 360 medallion pipeline (bronze → silver → gold)");
  group
    .command("run")
    .description("run one update of the Customer 360 pipeline and print the tables built and the data-quality summary")
    .option("--full-refresh", "rebuild every table from all source files")
    .option("--scale <f>", "generate the sources at this scale (1 ≈ 100k customers) into <warehouse>/_sources first", parseScale)
    .option("--source <dir>", `source directory (default ${DEFAULT_SOURCE_DIR})`)
    .action(async (opts: { fullRefresh?: boolean; scale?: number; source?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { warehouse?: string };
      const spark = await SparkSession.create({ ...(globals.warehouse ? { warehouse: globals.warehouse } : {}) });
      try {
        const r = await runCustomer360(spark, {
          ...(opts.source ? { sourceDir: opts.source } : {}),
          ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
          fullRefresh: opts.fullRefresh ?? false,
          log: (line) => console.log(line),
        });
        console.log("");
        console.log(formatTables(r.tables));
        console.log("");
        console.log("data quality (expectations of this update):");
        console.log(r.quality.length ? formatQuality(r.quality) : "(no expectation was evaluated: no new data)");
        if (r.update.status !== "COMPLETED") {
          console.error(`pipeline update ${r.update.updateId} ${r.update.status}${r.update.error ? `: ${r.update.error}` : ""}`);
          process.exitCode = 1;
        }
      } catch (e) {
        console.error(`pipeline run failed: ${(e as Error).message}`);
        process.exitCode = 1;
      } finally {
        spark.stop();
      }
    });
  return program;
}
