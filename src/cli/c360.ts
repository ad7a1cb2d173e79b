#!/usr/bin/env node
/**
 * `c360`: the lakehouse command line. Every command opens a session on the warehouse
 * (default ./.c360/warehouse, or --warehouse / C360_WAREHOUSE) and goes through it, exactly as
 * notebooks and pipelines do. Failures print one line and exit non-zero.
 */
import { Command, Option } from "commander";
import { LakehouseError } from "../lakehouse/errors.js";
import { SparkSession } from "../lakehouse/sql/session.js";
import type { TableRef } from "../lakehouse/sql/parser/ast.js";
import { tableSummary } from "../lakehouse/operations/detail.js";
import { describeHistory } from "../lakehouse/operations/history.js";
import { executeVacuum } from "../lakehouse/operations/vacuum.js";
import { formatResult, toJson } from "./format.js";
import { runDemo } from "./demo.js";
import { registerDatagenCommand } from "../c360/datagen/index.js";
import { registerPipelineCommand } from "../c360/pipeline/run.js";

function tableRef(arg: string): TableRef {
  // A path (absolute, ./relative, or delta.`…`) or a catalog name.
  const m = /^delta\.`(.+)`$/.exec(arg);
  if (m) return { kind: "path", format: "delta", path: m[1]! };
  if (arg.includes("/") || arg.startsWith(".")) return { kind: "path", format: "delta", path: arg };
  return { kind: "name", parts: arg.split(".") };
}

async function withSession<T>(opts: { warehouse?: string }, fn: (spark: SparkSession) => Promise<T>): Promise<T> {
  const spark = await SparkSession.create({ warehouse: opts.warehouse });
  try {
    return await fn(spark);
  } finally {
    spark.stop();
  }
}

const program = new Command();
program
  .name("c360")
  .description("Customer 360 Lakehouse Lab: Delta Lake tables, Databricks SQL and pipelines on your laptop.")
  .version("0.1.0")
  .addOption(new Option("-w, --warehouse <dir>", "warehouse directory for managed tables and the metastore").env("C360_WAREHOUSE").default("./.c360/warehouse"))
  .showHelpAfterError();

program
  .command("sql")
  .description("run Databricks SQL statements (separate several with ;) and print the last result")
  .argument("<statement>", "e.g. \"SELECT * FROM main.default.people VERSION AS OF 1\"")
  .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
  .action(async (statement: string, opts: { format: "table" | "json" | "csv" }) => {
    await withSession(program.opts(), async (spark) => {
      const df = await spark.sql(statement);
      const res = await spark.runQuery(df.toSQL());
      console.log(formatResult(res, opts.format));
    });
  });

const delta = program.command("delta").description("inspect and maintain Delta tables");

delta
  .command("describe")
  .description("summary of a table: version, files, live rows, partitioning, schema, protocol")
  .argument("<table>", "catalog.schema.table or a path")
  .option("--json", "print JSON")
  .action(async (table: string, opts: { json?: boolean }) => {
    await withSession(program.opts(), async (spark) => {
      const target = await spark.targetOf(tableRef(table));
      const s = await tableSummary(spark.opContext, target.snapshot!);
      if (opts.json) console.log(toJson(s));
      else {
        console.log(`${target.name} @ version ${s.version}: ${s.numFiles} files, ${s.numRecords} rows, protocol ${s.minReaderVersion}/${s.minWriterVersion}`);
        if (s.partitionColumns.length) console.log(`partitioned by ${s.partitionColumns.join(", ")}`);
        for (const c of s.schema) console.log(`  ${c.name}: ${typeof c.type === "string" ? c.type : JSON.stringify(c.type)}${c.nullable ? "" : " NOT NULL"}`);
      }
    });
  });

delta
  .command("history")
  .description("the table's commits, newest first (DESCRIBE HISTORY)")
  .argument("<table>", "catalog.schema.table or a path")
  .option("--json", "print JSON")
  .option("-n, --limit <n>", "only the newest n commits", (v) => Number(v))
  .action(async (table: string, opts: { json?: boolean; limit?: number }) => {
    await withSession(program.opts(), async (spark) => {
      const target = await spark.targetOf(tableRef(table));
      const rows = await describeHistory(spark.opContext, target, opts.limit);
      if (opts.json) console.log(toJson(rows));
      else {
        const res = { columns: ["version", "timestamp", "operation", "operationParameters", "operationMetrics"].map((name) => ({ name, type: "VARCHAR" })), rows: rows.map((r) => ({ ...r, timestamp: r.timestamp, operationParameters: toJson(r.operationParameters, 0), operationMetrics: toJson(r.operationMetrics, 0) })) as never };
        console.log(formatResult(res, "table"));
      }
    });
  });

delta
  .command("vacuum")
  .description("delete data files no longer referenced and older than the retention (default 7 days)")
  .argument("<table>", "catalog.schema.table or a path")
  .option("--retain-hours <n>", "retention in hours", (v) => Number(v))
  .option("--dry-run", "list the files that would be deleted, delete nothing")
  .action(async (table: string, opts: { retainHours?: number; dryRun?: boolean }) => {
    await withSession(program.opts(), async (spark) => {
      const target = await spark.targetOf(tableRef(table));
      const res = await executeVacuum(spark.opContext, target, { retainHours: opts.retainHours, dryRun: opts.dryRun === true });
      if (opts.dryRun) {
        console.log(`Found ${res.files.length} files to delete (dry run):`);
        for (const f of res.files.slice(0, 1000)) console.log(f);
      } else console.log(`Deleted ${res.numDeletedFiles} files from ${target.name}.`);
    });
  });

program
  .command("demo")
  .description("a tour of the Delta core on a small customer table: MERGE, data skipping, time travel, change data feed, history")
  .action(async () => {
    await withSession(program.opts(), (spark) => runDemo(spark));
  });

registerDatagenCommand(program);
registerPipelineCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  const msg = e instanceof LakehouseError ? e.message : e instanceof Error ? `[INTERNAL_ERROR] ${e.message}` : String(e);
  process.stderr.write(`c360: ${msg.split("\n")[0]}\n`);
  process.exitCode = 1;
});
