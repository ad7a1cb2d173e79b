/**
 * Expectations: warn keeps and counts, drop removes and counts, fail stops the update naming the
 * rule, the dataset and a bad record, leaving the table as it was. Counts go to the event log,
 * which qualitySummary reads.
 */
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import {
  Pipeline, expect, expectAll, expectAllOrDrop, expectAllOrFail, expectOrDrop, expectOrFail, qualitySummary, readFiles,
} from "../../../src/lakehouse/pipelines/index.js";
import { drop, lab, ok, query, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

const rows = [
  { id: 1, email: "ada@example.com", age: 36 },
  { id: 2, email: "bob-at-example", age: 200 },
  { id: null, email: "cy@example.com", age: 41 },
  { id: 4, email: null, age: null },
];

function pipe(expectations: ReturnType<typeof expect>[], name = "q"): Pipeline {
  return new Pipeline({ name, catalog: "main", schema: "q" })
    .streamingTable({ name: "raw", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true, schemaHints: "id BIGINT, email STRING, age BIGINT" }) })
    .streamingTable({ name: "customers", query: (ctx) => ctx.readStream("raw").select("id", "email", "age"), expectations })
    .materializedView({ name: "n", query: (ctx) => ctx.read("customers").groupBy().count() });
}

const ruleCounts = (r: Awaited<ReturnType<Pipeline["run"]>>, d = "main.q.customers") => r.flows.find((f) => f.dataset === d)!.expectations;

describe("expectation actions", () => {
  it("warn keeps every record and counts the violations", async () => {
    drop(L.landing, rows);
    const r = await ok(pipe([expect("valid_id", "id IS NOT NULL"), expect("adult_age", "age BETWEEN 18 AND 120")]).run(L.spark));
    want(ruleCounts(r)).toEqual([
      { name: "valid_id", action: "warn", passed: 3, failed: 1 },
      // NULL age: the condition is NULL, which is not a violation (Databricks semantics).
      { name: "adult_age", action: "warn", passed: 3, failed: 1 },
    ]);
    want(r.flows.find((f) => f.dataset === "main.q.customers")!.numOutputRows).toBe(4);
    want((await query(L.spark, "SELECT count(*) AS n FROM main.q.customers"))[0]!["n"]).toBe(4);
  });

  it("drop removes violating records and counts them", async () => {
    drop(L.landing, rows);
    const r = await ok(pipe([expectOrDrop("valid_id", "id IS NOT NULL"), expectOrDrop("valid_email", "email LIKE '%@%'"), expect("adult_age", "age BETWEEN 18 AND 120")]).run(L.spark));
    want(ruleCounts(r)).toEqual([
      { name: "valid_id", action: "drop", passed: 3, failed: 1 },
      { name: "valid_email", action: "drop", passed: 3, failed: 1 },
      { name: "adult_age", action: "warn", passed: 3, failed: 1 },
    ]);
    // id 2 (bad email) and the NULL id are dropped; id 4 has a NULL email: kept (NULL is not a violation).
    want((await query(L.spark, "SELECT id FROM main.q.customers ORDER BY id")).map((x) => x["id"])).toEqual([1, 4]);
    want(r.flows.find((f) => f.dataset === "main.q.customers")).toMatchObject({ numInputRows: 4, numOutputRows: 2 });
  });

  it("fail stops the update with the rule, the dataset and a bad record, leaving the table unchanged", async () => {
    drop(L.landing, [rows[0]!]);
    const p = pipe([expectOrFail("valid_age", "age < 150"), expect("valid_id", "id IS NOT NULL")]);
    await ok(p.run(L.spark));
    const before = (await L.spark.targetOf({ kind: "name", parts: ["main", "q", "customers"] })).snapshot!.version;

    drop(L.landing, [rows[2]!, rows[1]!]);
    const r = await p.run(L.spark);
    want(r.status).toBe("FAILED");
    const f = r.flows.find((x) => x.dataset === "main.q.customers")!;
    want(f.status).toBe("FAILED");
    want(f.error).toContain("EXPECTATION_VIOLATION");
    want(f.error).toContain("'valid_age'");
    want(f.error).toContain("main.q.customers");
    want(f.error).toContain(`{"id":2,"email":"bob-at-example","age":200}`);
    want(r.error).toBe(f.error);
    want(f.expectations).toEqual([{ name: "valid_age", action: "fail", passed: 1, failed: 1 }, { name: "valid_id", action: "warn", passed: 1, failed: 1 }]);
    // The downstream materialized view did not run.
    want(r.flows.find((x) => x.dataset === "main.q.n")!.status).toBe("SKIPPED");
    // The table is at its previous version, without the good record of the failing batch either.
    want((await L.spark.targetOf({ kind: "name", parts: ["main", "q", "customers"] })).snapshot!.version).toBe(before);
    want((await query(L.spark, "SELECT id FROM main.q.customers")).map((x) => x["id"])).toEqual([1]);

    // It keeps failing on the same batch until the data or the rule is fixed.
    want((await p.run(L.spark)).status).toBe("FAILED");
    const fixed = pipe([expectOrDrop("valid_age", "age < 150"), expect("valid_id", "id IS NOT NULL")]);
    await ok(fixed.run(L.spark));
    want((await query(L.spark, "SELECT id FROM main.q.customers ORDER BY id NULLS LAST")).map((x) => x["id"])).toEqual([1, null]);
  });

  it("fail on a materialized view leaves its previous contents", async () => {
    await L.spark.sql("CREATE TABLE main.default.src (id INT)");
    await L.spark.sql("INSERT INTO main.default.src VALUES (1)");
    const p = new Pipeline({ name: "mvfail", catalog: "main", schema: "mvf" })
      .materializedView({ name: "ids", query: (ctx) => ctx.read("main.default.src"), expectations: [expectOrFail("positive", "id > 0")] });
    await ok(p.run(L.spark));
    await L.spark.sql("INSERT INTO main.default.src VALUES (2), (-3)");
    const r = await p.run(L.spark);
    want(r.status).toBe("FAILED");
    want(r.error).toContain(`{"id":-3}`);
    want(await query(L.spark, "SELECT id FROM main.mvf.ids")).toEqual([{ id: 1 }]);
  });

  it("expectAll, expectAllOrDrop and expectAllOrFail apply a rule set", async () => {
    const rules = { valid_id: "id IS NOT NULL", valid_email: "email LIKE '%@%'" };
    want(expectAll(rules).map((e) => e.action)).toEqual(["warn", "warn"]);
    drop(L.landing, rows);
    const r = await ok(pipe(expectAllOrDrop(rules), "all_drop").run(L.spark));
    want(ruleCounts(r).map((e) => [e.name, e.action, e.failed])).toEqual([["valid_id", "drop", 1], ["valid_email", "drop", 1]]);
    want((await query(L.spark, "SELECT id FROM main.q.customers ORDER BY id")).map((x) => x["id"])).toEqual([1, 4]);

    const L2 = await lab();
    try {
      drop(L2.landing, rows);
      const p = new Pipeline({ name: "all_fail", catalog: "main", schema: "q" })
        .streamingTable({ name: "customers", query: (ctx) => readFiles(ctx, L2.landing, { format: "json", inferColumnTypes: true }), expectations: expectAllOrFail(rules) });
      const f = await p.run(L2.spark);
      want(f.status).toBe("FAILED");
      want(f.error).toContain("'valid_id'");
      want(f.error).toContain('"id":null');
      want(await L2.spark.metastore.getTable("main", "q", "customers")).toBeUndefined();
    } finally {
      L2.close();
    }
  });

  it("duplicate expectation names on one dataset are rejected", () => {
    want(() => new Pipeline({ name: "d", catalog: "main", schema: "d" }).materializedView({ name: "x", query: (ctx) => ctx.read("y"), expectations: [expect("a", "true"), expectOrDrop("A", "false")] }))
      .toThrow(/declares the expectation 'A' twice/);
  });

  it("expectations on temporary views (batch and streaming) are counted under the view", async () => {
    drop(L.landing, rows);
    await L.spark.sql("CREATE TABLE main.default.ref (id BIGINT, tier STRING)");
    await L.spark.sql("INSERT INTO main.default.ref VALUES (1, 'gold'), (2, NULL), (4, 'silver')");
    const p = new Pipeline({ name: "views", catalog: "main", schema: "v" })
      .temporaryView({ name: "raw", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }), expectations: [expectOrDrop("valid_id", "id IS NOT NULL")] })
      .temporaryView({ name: "tiers", query: (ctx) => ctx.read("main.default.ref"), expectations: [expectOrDrop("has_tier", "tier IS NOT NULL")] })
      .streamingTable({ name: "customers", query: (ctx) => ctx.readStream("raw").select("id", "email") })
      .materializedView({ name: "tiered", query: (ctx) => ctx.read("customers").join(ctx.read("tiers"), "id") });
    const r = await ok(p.run(L.spark));
    want(r.flows.find((f) => f.dataset === "main.v.raw")).toMatchObject({ kind: "view", numInputRows: 4, numOutputRows: 3, expectations: [{ name: "valid_id", action: "drop", passed: 3, failed: 1 }] });
    want(r.flows.find((f) => f.dataset === "main.v.tiers")).toMatchObject({ kind: "view", numOutputRows: 2, expectations: [{ name: "has_tier", action: "drop", passed: 2, failed: 1 }] });
    want((await query(L.spark, "SELECT id FROM main.v.customers ORDER BY id")).map((x) => x["id"])).toEqual([1, 2, 4]);
    want((await query(L.spark, "SELECT id, tier FROM main.v.tiered ORDER BY id"))).toEqual([{ id: 1, tier: "gold" }, { id: 4, tier: "silver" }]);
    const summary = await (await qualitySummary(L.spark, "main.v.pipeline_event_log")).collect();
    want(summary.map((s) => [s["dataset"], s["expectation"], Number(s["failed_records"])])).toEqual([["main.v.raw", "valid_id", 1], ["main.v.tiers", "has_tier", 1]]);
  });
});

describe("event log", () => {
  it("records the update, flow definitions and flow progress with data-quality metrics", async () => {
    drop(L.landing, rows);
    const p = pipe([expectOrDrop("valid_id", "id IS NOT NULL"), expect("adult_age", "age BETWEEN 18 AND 120")]);
    const r = await ok(p.run(L.spark));
    want(p.eventLog).toBe("main.q.pipeline_event_log");
    const events = await query(L.spark, `SELECT event_type, dataset, level, message, details, error FROM main.q.pipeline_event_log WHERE update_id = '${r.updateId}' ORDER BY sequence`);
    want(events.map((e) => e["event_type"])).toEqual(expectTypes());
    const progress = events.filter((e) => e["event_type"] === "flow_progress" && e["dataset"] === "main.q.customers")[0]!;
    const details = JSON.parse(String(progress["details"]));
    want(details.flow_progress.status).toBe("COMPLETED");
    want(details.flow_progress.metrics.num_output_rows).toBe(3);
    want(details.flow_progress.data_quality).toEqual({
      dropped_records: 1,
      expectations: [
        { name: "valid_id", dataset: "main.q.customers", action: "drop", passed_records: 3, failed_records: 1 },
        { name: "adult_age", dataset: "main.q.customers", action: "warn", passed_records: 3, failed_records: 1 },
      ],
    });
    // Queryable with SQL JSON functions, as notebooks do.
    want(await query(L.spark, `SELECT dataset, CAST(json_extract(details, '$.flow_progress.metrics.num_output_rows') AS BIGINT) AS n FROM main.q.pipeline_event_log WHERE event_type = 'flow_progress' AND update_id = '${r.updateId}' ORDER BY dataset`)).toEqual([
      { dataset: "main.q.customers", n: 3 }, { dataset: "main.q.n", n: 1 }, { dataset: "main.q.raw", n: 4 },
    ]);

    function expectTypes(): string[] {
      return ["create_update", "update_progress", "flow_definition", "flow_definition", "flow_definition", "flow_progress", "flow_progress", "flow_progress", "update_progress"];
    }
  });

  it("qualitySummary gives passed/failed per dataset and rule for the latest update or a given one", async () => {
    drop(L.landing, rows);
    const p = pipe([expectOrDrop("valid_id", "id IS NOT NULL"), expect("adult_age", "age BETWEEN 18 AND 120")]);
    const r1 = await ok(p.run(L.spark));
    drop(L.landing, [{ id: 7, email: "x@y.z", age: 5 }, { id: 8, email: "q@y.z", age: 30 }]);
    const r2 = await ok(p.run(L.spark));
    const latest = (await (await qualitySummary(L.spark, p.eventLog)).collect()).map((x) => ({ ...x, passed_records: Number(x["passed_records"]), failed_records: Number(x["failed_records"]) }));
    want(latest).toEqual([
      { update_id: r2.updateId, dataset: "main.q.customers", expectation: "adult_age", action: "warn", passed_records: 1, failed_records: 1, failure_rate: 0.5 },
      { update_id: r2.updateId, dataset: "main.q.customers", expectation: "valid_id", action: "drop", passed_records: 2, failed_records: 0, failure_rate: 0 },
    ]);
    const first = await (await qualitySummary(L.spark, p.eventLog, r1.updateId)).collect();
    want(first.map((x) => [x["expectation"], Number(x["passed_records"]), Number(x["failed_records"])])).toEqual([["adult_age", 3, 1], ["valid_id", 3, 1]]);
  });

  it("logs a failed update with the error", async () => {
    drop(L.landing, rows);
    const r = await pipe([expectOrFail("valid_id", "id IS NOT NULL")], "failing").run(L.spark);
    want(r.status).toBe("FAILED");
    const ev = await query(L.spark, `SELECT event_type, dataset, level, error, details FROM main.q.pipeline_event_log WHERE update_id = '${r.updateId}' AND level IN ('ERROR', 'WARN') ORDER BY sequence`);
    want(ev.map((e) => [e["event_type"], e["dataset"], e["level"]])).toEqual([
      ["flow_progress", "main.q.customers", "ERROR"], ["flow_progress", "main.q.n", "WARN"], ["update_progress", null, "ERROR"],
    ]);
    want(String(ev[0]!["error"])).toContain("valid_id");
    want(JSON.parse(String(ev[2]!["details"]))).toEqual({ update_progress: { state: "FAILED" } });
  });
});
