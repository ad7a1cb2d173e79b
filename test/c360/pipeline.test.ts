/**
 * The Customer 360 medallion pipeline on the pipeline framework, over a copy of the committed
 * sample in a temporary landing folder:
 *
 *   update 1  batches 1–3 of every source (a fresh warehouse)
 *   update 2  nothing new: the streaming tables write nothing
 *   update 3  batch 4 lands: only its files are ingested; late rows, out-of-order CDC changes
 *             and the CRM's second changes are applied on top of the earlier updates
 *   update 4  full refresh: the same tables, rebuilt from all the files in one go
 *
 * and checks every named table, the SCD2 customer history, the CDC-applied tickets against the
 * raw feed, and the data-quality summary's expectation counts against the sample's manifest.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SparkSession } from "../../src/lakehouse/sql/session.js";
import type { Row } from "../../src/lakehouse/sql/dataframe/index.js";
import { customer360Pipeline, customer360TableList, customer360Tables } from "../../src/c360/pipeline/definition.js";
import { registerPipelineCommand, runCustomer360, type RunCustomer360Result } from "../../src/c360/pipeline/run.js";
import { removeDir, tempDir } from "../helpers.js";

const SAMPLE = join(import.meta.dirname, "../../datasets/sample");
const FOLDERS = ["crm", "transactions", "clickstream", "support_tickets"];
const manifest = JSON.parse(readFileSync(join(SAMPLE, "manifest.json"), "utf8")) as {
  sources: { source: string; files: { path: string; batch: number; rows: number }[]; anomalies: Record<string, number>; facts: Record<string, number> }[];
};
const src = (name: string) => manifest.sources.find((s) => s.source === name)!;
const rowsIn = (name: string, batches: number[]) => src(name).files.filter((f) => batches.includes(f.batch)).reduce((a, f) => a + f.rows, 0);

const T = customer360Tables();
const STREAMING = [...Object.values(T.bronze), T.silver.crm_customers_clean, T.silver.crm_quarantine, T.silver.support_ticket_changes];

let dir: string;
let landing: string;
let spark: SparkSession;
const updates: RunCustomer360Result[] = [];
const countsAfter: Record<string, number>[] = [];
const versionsAfter: Record<string, number>[] = [];

/** Copies batch `b` of every source into the landing folder. */
function land(b: number): void {
  for (const folder of FOLDERS) {
    mkdirSync(join(landing, folder), { recursive: true });
    for (const f of readdirSync(join(SAMPLE, folder))) {
      if (f.includes(`_batch_${String(b).padStart(4, "0")}.`)) cpSync(join(SAMPLE, folder, f), join(landing, folder, f));
    }
  }
}

async function rows(sql: string): Promise<Row[]> {
  return (await spark.sql(sql)).collect();
}
async function one(sql: string): Promise<Row> {
  return (await rows(sql))[0]!;
}
const num = (v: unknown) => Number(v);

async function snapshot(): Promise<{ counts: Record<string, number>; versions: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const versions: Record<string, number> = {};
  for (const name of customer360TableList()) {
    counts[name] = num((await one(`SELECT count(*) AS n FROM ${name}`))["n"]);
    versions[name] = (await spark.targetOf({ kind: "name", parts: name.split(".") })).snapshot!.version;
  }
  return { counts, versions };
}

async function update(fullRefresh = false): Promise<RunCustomer360Result> {
  const r = await runCustomer360(spark, { sourceDir: landing, fullRefresh });
  expect(r.update.status, r.update.error).toBe("COMPLETED");
  updates.push(r);
  const s = await snapshot();
  countsAfter.push(s.counts);
  versionsAfter.push(s.versions);
  return r;
}

/** Quality summary rows of one update as {dataset.expectation: {passed, failed, action}}. */
function quality(r: RunCustomer360Result): Record<string, { passed: number; failed: number; action: string }> {
  return Object.fromEntries(r.quality.map((q) => [`${String(q["dataset"])}.${String(q["expectation"])}`, { passed: num(q["passed_records"]), failed: num(q["failed_records"]), action: String(q["action"]) }]));
}

beforeAll(async () => {
  dir = tempDir("c360-pipeline-");
  landing = join(dir, "landing");
  spark = await SparkSession.create({ warehouse: join(dir, "warehouse") });
  land(1);
  land(2);
  land(3);
  await update();
  await update();
  land(4);
  await update();
}, 600_000);

afterAll(() => {
  spark?.stop();
  if (dir) removeDir(dir);
});

describe("Customer 360 pipeline: incremental updates", () => {
  it("declares every table of the medallion", () => {
    const names = customer360TableList();
    for (const t of [
      "c360.bronze.crm_customers", "c360.bronze.transactions", "c360.bronze.clickstream", "c360.bronze.support_tickets",
      "c360.silver.customers", "c360.silver.customers_scd2", "c360.silver.crm_quarantine", "c360.silver.transactions",
      "c360.silver.sessions", "c360.silver.support_tickets",
      "c360.gold.customer_360", "c360.gold.customer_rfm", "c360.gold.revenue_daily", "c360.gold.revenue_monthly", "c360.gold.churn_features",
    ]) expect(names).toContain(t);
    // The DAG, found by the framework from ctx.read / ctx.readStream, without running anything.
    const g = customer360Pipeline({ sourceDir: landing }).graph();
    expect(g.nodes.map((n) => n.name).sort()).toEqual([...names].sort());
    const kind = Object.fromEntries(g.nodes.map((n) => [n.name, n.kind]));
    for (const t of STREAMING) expect(kind[t], t).toBe("streaming_table");
    for (const t of Object.values(T.gold)) expect(kind[t], t).toBe("materialized_view");
    for (const edge of [
      [T.bronze.crm_customers, T.silver.crm_customers_clean], [T.bronze.crm_customers, T.silver.crm_quarantine],
      [T.silver.crm_customers_clean, T.silver.customers_scd2], [T.silver.customers_scd2, T.silver.customers],
      [T.silver.customers, T.silver.transactions], [T.bronze.transactions, T.silver.transactions],
      [T.silver.support_ticket_changes, T.silver.support_tickets], [T.gold.customer_rfm, T.gold.customer_360],
    ]) expect(g.edges).toContainEqual(edge);
  });

  it("builds every named table with rows", () => {
    for (const u of [0, 2]) {
      for (const [name, n] of Object.entries(countsAfter[u]!)) expect(n, `${name} after update ${u + 1}`).toBeGreaterThan(0);
    }
    expect(updates[0]!.tables.map((t) => t.name)).toEqual(customer360TableList());
  });

  it("ingests each file once, with _rescued_data, _source_file and _ingested_at", async () => {
    expect(countsAfter[0]![T.bronze.crm_customers]).toBe(rowsIn("crm", [1, 2, 3]));
    expect(countsAfter[0]![T.bronze.transactions]).toBe(rowsIn("transactions", [1, 2, 3]));
    expect(countsAfter[0]![T.bronze.clickstream]).toBe(rowsIn("clickstream", [1, 2, 3]));
    expect(countsAfter[0]![T.bronze.support_tickets]).toBe(rowsIn("support_tickets", [1, 2, 3]));
    const files = await rows(`SELECT regexp_extract(_source_file, 'batch_(\\d+)', 1) AS batch, count(*) AS n, count(_rescued_data) AS rescued,
        count(*) FILTER (WHERE _ingested_at IS NULL) AS no_time
      FROM ${T.bronze.crm_customers} GROUP BY 1 ORDER BY 1`);
    expect(files.map((f) => [f["batch"], num(f["n"])])).toEqual(src("crm").files.map((f) => [String(f.batch).padStart(4, "0"), f.rows]));
    for (const f of files) {
      expect(num(f["rescued"])).toBe(4);
      expect(num(f["no_time"])).toBe(0);
    }
  });

  it("writes nothing to the streaming tables when no new file arrived", () => {
    const flows = updates[1]!.update.flows;
    for (const f of flows.filter((x) => x.kind === "streaming_table" || x.kind === "auto_cdc")) {
      expect(f.numOutputRows, f.flow ?? f.dataset).toBe(0);
    }
    expect(flows.filter((x) => x.kind === "streaming_table").length).toBe(STREAMING.length);
    for (const t of STREAMING) {
      expect(countsAfter[1]![t], t).toBe(countsAfter[0]![t]);
      expect(versionsAfter[1]![t], `${t} got a new version`).toBe(versionsAfter[0]![t]);
    }
    for (const t of [T.silver.customers_scd2, T.silver.support_tickets]) expect(countsAfter[1]![t], t).toBe(countsAfter[0]![t]);
  });

  it("processes only the new batch when one lands", async () => {
    for (const [name, source] of [[T.bronze.crm_customers, "crm"], [T.bronze.transactions, "transactions"], [T.bronze.clickstream, "clickstream"], [T.bronze.support_tickets, "support_tickets"]] as const) {
      expect(countsAfter[2]![name]! - countsAfter[1]![name]!, name).toBe(rowsIn(source, [4]));
      const newest = await one(`SELECT count(*) AS n, count(*) FILTER (WHERE _source_file LIKE '%batch_0004%') AS b4 FROM ${name}
        WHERE _ingested_at > (SELECT max(_ingested_at) FROM ${name} WHERE _source_file NOT LIKE '%batch_0004%')`);
      expect(num(newest["n"]), name).toBe(rowsIn(source, [4]));
      expect(num(newest["b4"]), name).toBe(num(newest["n"]));
    }
  });
});

describe("Customer 360 pipeline: silver and gold contents", () => {
  it("quarantines the malformed CRM lines and keeps every valid one", async () => {
    const crm = src("crm");
    const malformed = ["malformed_truncated_json", "malformed_non_numeric_customer_id", "malformed_invalid_date", "malformed_wrong_type_boolean"].reduce((a, k) => a + crm.anomalies[k]!, 0);
    expect(countsAfter[2]![T.silver.crm_quarantine]).toBe(malformed);
    expect(countsAfter[2]![T.silver.crm_customers_clean]).toBe(crm.facts["valid_lines"]);
    const rules = await rows(`SELECT rule, count(*) AS n FROM (SELECT unnest(failed_rules) AS rule FROM ${T.silver.crm_quarantine}) GROUP BY 1 ORDER BY 1`);
    expect(rules.map((r) => r["rule"])).toEqual(["parsable_record", "valid_customer_id", "valid_marketing_opt_in", "valid_signup_date", "valid_updated_at"]);
  });

  it("keeps SCD2 history: valid_to of a version is valid_from of the next, exactly one current row", async () => {
    const crm = src("crm");
    const s = await one(`SELECT count(*) AS versions, count(DISTINCT customer_id) AS customers, count(*) FILTER (WHERE is_current) AS current,
        count(*) FILTER (WHERE is_current <> (valid_to IS NULL)) AS inconsistent FROM ${T.silver.customers}`);
    expect(num(s["customers"])).toBe(crm.facts["distinct_customers"]);
    expect(num(s["current"])).toBe(crm.facts["distinct_customers"]);
    expect(num(s["versions"])).toBe(crm.facts["valid_lines"]);
    expect(num(s["inconsistent"])).toBe(0);
    // A customer with several changes, some in the same batch.
    const busy = await one(`SELECT customer_id FROM ${T.silver.customers} GROUP BY 1 ORDER BY count(*) DESC, customer_id LIMIT 1`);
    const history = await rows(`SELECT valid_from, valid_to, is_current, email, address_key FROM (
        SELECT *, coalesce(street, '') || '|' || coalesce(city, '') AS address_key FROM ${T.silver.customers}) WHERE customer_id = ${String(busy["customer_id"])} ORDER BY valid_from`);
    expect(history.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i + 1 < history.length; i++) {
      expect((history[i]!["valid_to"] as Date).getTime()).toBe((history[i + 1]!["valid_from"] as Date).getTime());
      expect(history[i]!["is_current"]).toBe(false);
    }
    expect(history.filter((h) => h["is_current"]).length).toBe(1);
    expect(history[history.length - 1]!["is_current"]).toBe(true);
    expect(history[history.length - 1]!["valid_to"]).toBeNull();
    // No customer has overlapping or gapped versions.
    const gaps = await one(`SELECT count(*) AS n FROM (
        SELECT valid_to, lead(valid_from) OVER (PARTITION BY customer_id ORDER BY valid_from) AS next_from FROM ${T.silver.customers})
      WHERE next_from IS NOT NULL AND valid_to IS DISTINCT FROM next_from`);
    expect(num(gaps["n"])).toBe(0);
  });

  it("applies the ticket change feed by sequence_num, with deletes, whatever the arrival order", async () => {
    const expected = await rows(`SELECT ticket_id, status, sequence_num FROM read_json('${SAMPLE}/support_tickets/*.json', format = 'newline_delimited')
      QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY sequence_num DESC) = 1 AND operation <> 'DELETE' ORDER BY ticket_id`);
    const got = await rows(`SELECT ticket_id, status, sequence_num FROM ${T.silver.support_tickets} ORDER BY ticket_id`);
    expect(got.map((r) => [num(r["ticket_id"]), r["status"], num(r["sequence_num"])])).toEqual(expected.map((r) => [num(r["ticket_id"]), r["status"], num(r["sequence_num"])]));
    const t = src("support_tickets");
    expect(got.length).toBe(t.facts["tickets"]! - t.anomalies["deletes"]!);
    const cols = (await (await spark.sql(`SELECT * FROM ${T.silver.support_tickets} LIMIT 0`)).columns());
    expect(cols).toEqual(expect.arrayContaining(["sentiment_score", "sentiment_label", "body", "customer_id"]));
    expect(cols).not.toContain("operation");
  });

  it("cleans transactions with expectations: duplicates, bad amounts and unknown currencies gone", async () => {
    const t = src("transactions");
    const bad = t.anomalies["negative_amount"]! + t.anomalies["empty_amount"]! + t.anomalies["na_amount"]! + t.anomalies["huge_amount"]!;
    const r = await one(`SELECT count(*) AS n, count(DISTINCT transaction_id) AS ids, count(*) FILTER (WHERE NOT is_known_customer) AS unknown,
        count(*) FILTER (WHERE amount_usd IS NULL) AS no_usd FROM ${T.silver.transactions}`);
    expect(num(r["n"])).toBe(t.facts["distinct_transactions"]! - bad);
    expect(num(r["ids"])).toBe(num(r["n"]));
    expect(num(r["unknown"])).toBe(t.anomalies["unknown_customer_id"]);
    expect(num(r["no_usd"])).toBe(0);
  });

  it("builds gold tables keyed by customer_id", async () => {
    const crm = src("crm");
    for (const name of [T.gold.customer_360, T.gold.customer_rfm, T.gold.churn_features]) {
      const k = await one(`SELECT count(*) AS n, count(DISTINCT customer_id) AS ids FROM ${name}`);
      expect(num(k["ids"]), name).toBe(num(k["n"]));
    }
    expect(countsAfter[2]![T.gold.customer_360]).toBe(crm.facts["distinct_customers"]);
    expect(countsAfter[2]![T.gold.customer_rfm]).toBe(src("transactions").facts["distinct_buyers"]);
    const rev = await one(`SELECT (SELECT sum(revenue_usd) FROM ${T.gold.revenue_daily}) AS daily, (SELECT sum(revenue_usd) FROM ${T.gold.revenue_monthly}) AS monthly,
        (SELECT sum(amount_usd) FROM ${T.silver.transactions}) AS silver`);
    expect(num(rev["daily"])).toBeCloseTo(num(rev["silver"]), 2);
    expect(num(rev["monthly"])).toBeCloseTo(num(rev["silver"]), 2);
    const seg = await rows(`SELECT DISTINCT rfm_segment FROM ${T.gold.customer_360}`);
    expect(seg.map((s) => s["rfm_segment"])).toContain("No Orders");
  });
});

describe("Customer 360 pipeline: data quality", () => {
  it("reports expectation counts per dataset in the quality summary", () => {
    const crm = src("crm");
    const t = src("transactions");
    const q1 = quality(updates[0]!);
    // Batches 1–3: one malformed line of each kind per batch.
    expect(q1[`${T.bronze.crm_customers}.rescued_data_empty`]).toEqual({ passed: rowsIn("crm", [1, 2, 3]) - 12, failed: 12, action: "warn" });
    expect(q1[`${T.silver.crm_customers_clean}.parsable_record`]).toMatchObject({ failed: 3, action: "drop" });
    expect(q1[`${T.silver.crm_customers_clean}.valid_customer_id`]).toMatchObject({ failed: 6 });
    expect(q1[`${T.silver.crm_customers_clean}.valid_signup_date`]).toMatchObject({ failed: 6 });
    expect(q1[`${T.silver.crm_customers_clean}.valid_marketing_opt_in`]).toMatchObject({ failed: 6 });
    expect(q1[`${T.silver.crm_customers_clean}.valid_updated_at`]).toMatchObject({ failed: 3 });
    // Update 3 carries batch 4 for the streaming tables, and all the data for the views.
    const q3 = quality(updates[2]!);
    expect(q3[`${T.bronze.crm_customers}.rescued_data_empty`]).toEqual({ passed: rowsIn("crm", [4]) - 4, failed: 4, action: "warn" });
    const bad = t.anomalies["negative_amount"]! + t.anomalies["empty_amount"]! + t.anomalies["na_amount"]! + t.anomalies["huge_amount"]!;
    expect(q3[`${T.silver.transactions}.valid_amount`]).toEqual({ passed: t.facts["distinct_transactions"]! - bad, failed: bad, action: "drop" });
    expect(q3[`${T.silver.transactions}.known_currency`]).toMatchObject({ failed: 0, action: "drop" });
    expect(q3[`${T.silver.transactions}.known_customer`]).toMatchObject({ failed: t.anomalies["unknown_customer_id"], action: "warn" });
    expect(q3[`${T.silver.support_ticket_changes}.valid_operation`]).toMatchObject({ passed: rowsIn("support_tickets", [4]), failed: 0 });
    expect(crm.anomalies["malformed_truncated_json"]).toBe(4);
  });
});

describe("Customer 360 pipeline: full refresh and the command", () => {
  it("a full refresh rebuilds the same tables from all files", async () => {
    const r = await update(true);
    const full = countsAfter[3]!;
    for (const name of customer360TableList()) expect(full[name], name).toBe(countsAfter[2]![name]);
    const q = quality(r);
    expect(q[`${T.bronze.crm_customers}.rescued_data_empty`]).toMatchObject({ failed: 16 });
    expect(q[`${T.silver.crm_customers_clean}.valid_customer_id`]).toMatchObject({ failed: 8 });
  }, 300_000);

  it("`pipeline run` prints the tables and the quality summary", async () => {
    const program = new Command();
    program.option("-w, --warehouse <dir>").exitOverride();
    registerPipelineCommand(program);
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const warehouse = join(dir, "cli-warehouse");
    try {
      // No --source: the committed sample.
      await program.parseAsync(["node", "c360", "--warehouse", warehouse, "pipeline", "run"]);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const text = out.join("\n");
    expect(process.exitCode ?? 0).toBe(0);
    expect(text).toContain(`update from ${SAMPLE}`);
    for (const name of customer360TableList()) expect(text).toMatch(new RegExp(`\\|${name.replace(/\./g, "\\.")}\\s*\\|[1-9]\\d*\\s*\\|`));
    expect(text).toContain("valid_amount");
    expect(text).toContain("known_customer");
  }, 300_000);

  it("`pipeline run --scale f` generates the sources into the warehouse first; a failure exits non-zero", async () => {
    const program = new Command();
    program.option("-w, --warehouse <dir>").exitOverride();
    registerPipelineCommand(program);
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const err = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    const warehouse = join(dir, "scale-warehouse");
    let failedCode: number | string | undefined;
    try {
      await program.parseAsync(["node", "c360", "--warehouse", warehouse, "pipeline", "run", "--scale", "0.002"]);
      expect(process.exitCode ?? 0).toBe(0);
      await program.parseAsync(["node", "c360", "--warehouse", warehouse, "pipeline", "run", "--source", join(dir, "no-such-dir")]);
      failedCode = process.exitCode;
    } finally {
      process.exitCode = 0;
      log.mockRestore();
      err.mockRestore();
    }
    const text = out.join("\n");
    expect(text).toContain(`generating scale 0.002 into ${join(warehouse, "_sources", "scale-0.002")}`);
    expect(readdirSync(join(warehouse, "_sources", "scale-0.002"))).toEqual(expect.arrayContaining(["crm", "transactions", "clickstream", "support_tickets", "manifest.json"]));
    expect(text).toContain("c360.gold.customer_360");
    expect(failedCode).toBe(1);
    expect(text).toContain("pipeline run failed");
  }, 300_000);
});
