/**
 * Streaming tables are incremental (each update processes only new input, with a checkpoint per
 * flow), full refresh truncates and reprocesses, materialized views are recomputed every update.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import { Pipeline, expect as expectation, expectOrFail, readFiles } from "../../../src/lakehouse/pipelines/index.js";
import { streamingTestHooks } from "../../../src/lakehouse/streaming/index.js";
import { col, count, lit } from "../../../src/lakehouse/sql/dataframe/index.js";
import { drop, lab, ok, query, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

const version = async (t: string) => (await L.spark.targetOf({ kind: "name", parts: t.split(".") })).snapshot!.version;
const ids = async (t: string) => (await query(L.spark, `SELECT id FROM ${t} ORDER BY id`)).map((r) => r["id"]);
const flow = (r: { flows: { dataset: string }[] }, d: string) => r.flows.find((f) => f.dataset === d) as { numInputRows: number; numOutputRows: number; status: string };

function bronzeSilver(extra?: (p: Pipeline) => Pipeline): Pipeline {
  const p = new Pipeline({ name: "inc", catalog: "main", schema: "lab" })
    .streamingTable({ name: "bronze", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }) })
    .streamingTable({ name: "silver", query: (ctx) => ctx.readStream("bronze").select(col("id"), col("v").multiply(10).alias("v10")) })
    .materializedView({ name: "stats", query: (ctx) => ctx.read("silver").agg(count("*").alias("n")) });
  return extra ? extra(p) : p;
}

describe("streaming tables", () => {
  it("an update processes only the files that arrived since the last one", async () => {
    drop(L.landing, [{ id: 1, v: 1 }, { id: 2, v: 2 }]);
    const p = bronzeSilver();
    const r1 = await ok(p.run(L.spark));
    want([flow(r1, "main.lab.bronze").numOutputRows, flow(r1, "main.lab.silver").numOutputRows]).toEqual([2, 2]);
    want(await ids("main.lab.silver")).toEqual([1, 2]);
    want(existsSync(join(L.spark.warehouse, "_pipelines", "inc", "checkpoints", "main.lab.bronze", "commits", "0"))).toBe(true);

    // Nothing new: no rows processed, no new table version.
    const vb = await version("main.lab.bronze");
    const vs = await version("main.lab.silver");
    const r2 = await ok(p.run(L.spark));
    for (const d of ["main.lab.bronze", "main.lab.silver"]) want(flow(r2, d)).toMatchObject({ numInputRows: 0, numOutputRows: 0, status: "COMPLETED" });
    want([await version("main.lab.bronze"), await version("main.lab.silver")]).toEqual([vb, vs]);

    // One new file: only its row flows through.
    drop(L.landing, [{ id: 3, v: 3 }]);
    const r3 = await ok(p.run(L.spark));
    want([flow(r3, "main.lab.bronze").numInputRows, flow(r3, "main.lab.silver").numOutputRows]).toEqual([1, 1]);
    want(await ids("main.lab.silver")).toEqual([1, 2, 3]);
    want(await query(L.spark, "SELECT v10 FROM main.lab.silver WHERE id = 3")).toEqual([{ v10: 30 }]);
    // The materialized view was recomputed from all of silver.
    want(await query(L.spark, "SELECT n FROM main.lab.stats")).toEqual([{ n: 3 }]);
  });

  it("a crash between the Delta commit and the checkpoint commit neither loses nor duplicates rows", async () => {
    drop(L.landing, [{ id: 1, v: 1 }, { id: 2, v: 2 }]);
    const p = bronzeSilver();
    let crashes = 1;
    streamingTestHooks.afterSink = () => {
      if (crashes-- > 0) throw new Error("simulated crash after the sink");
    };
    try {
      const r1 = await p.run(L.spark);
      want(r1.status).toBe("FAILED");
      want(r1.error).toContain("simulated crash");
      want(r1.flows.map((f) => f.status)).toEqual(["FAILED", "SKIPPED", "SKIPPED"]);
      // The batch reached the table before the crash.
      want(await ids("main.lab.bronze")).toEqual([1, 2]);
    } finally {
      delete streamingTestHooks.afterSink;
    }
    // The restart re-runs the unfinished batch; the Delta transaction id makes its write a no-op.
    await ok(p.run(L.spark));
    want(await ids("main.lab.bronze")).toEqual([1, 2]);
    want(await ids("main.lab.silver")).toEqual([1, 2]);
  });

  it("full refresh truncates, forgets the checkpoints and reprocesses all input", async () => {
    const f1 = drop(L.landing, [{ id: 1, v: 1 }]);
    drop(L.landing, [{ id: 2, v: 2 }]);
    const p = bronzeSilver();
    await ok(p.run(L.spark));
    drop(L.landing, [{ id: 3, v: 3 }]);
    await ok(p.run(L.spark));
    want(await ids("main.lab.bronze")).toEqual([1, 2, 3]);

    // The source retained only some files: a full refresh rebuilds from what is there now.
    rmSync(f1);
    const r = await ok(p.run(L.spark, { fullRefresh: true }));
    want(r.fullRefresh).toBe(true);
    want(flow(r, "main.lab.bronze").numInputRows).toBe(2);
    want(await ids("main.lab.bronze")).toEqual([2, 3]);
    want(await ids("main.lab.silver")).toEqual([2, 3]);
    want(await query(L.spark, "SELECT n FROM main.lab.stats")).toEqual([{ n: 2 }]);
    // The table was replaced in place (same table, a new version), and keeps working incrementally.
    drop(L.landing, [{ id: 4, v: 4 }]);
    const r2 = await ok(p.run(L.spark));
    want(flow(r2, "main.lab.bronze").numInputRows).toBe(1);
    want(await ids("main.lab.silver")).toEqual([2, 3, 4]);
  });

  it("a full refresh that fails keeps the old rows, and the next update finishes it without duplicates", async () => {
    drop(L.landing, [{ id: 1, v: 1 }, { id: 2, v: -2 }]);
    const make = (strict: boolean) => new Pipeline({ name: "frf", catalog: "main", schema: "frf" }).streamingTable({
      name: "t", expectations: [strict ? expectOrFail("positive", "v > 0") : expectation("positive", "v > 0")],
      query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }),
    });
    await ok(make(false).run(L.spark));
    want(await ids("main.frf.t")).toEqual([1, 2]);
    const failed = await make(true).run(L.spark, { fullRefresh: true });
    want(failed.status).toBe("FAILED");
    want(await ids("main.frf.t")).toEqual([1, 2]);
    // The checkpoint is gone, so everything is read again: the pending truncation must happen first.
    drop(L.landing, [{ id: 3, v: 3 }]);
    const r = await ok(make(false).run(L.spark));
    want(flow(r, "main.frf.t").numInputRows).toBe(3);
    want(await ids("main.frf.t")).toEqual([1, 2, 3]);
    want(existsSync(join(L.spark.warehouse, "_pipelines", "frf", "pending_full_refresh", "main.frf.t"))).toBe(false);
  });

  it("full refresh of selected datasets leaves the others incremental", async () => {
    drop(L.landing, [{ id: 1, v: 1 }, { id: 2, v: 2 }]);
    const p = bronzeSilver((x) => x.streamingTable({ name: "audit", query: (ctx) => ctx.readStream("bronze").select("id") }));
    await ok(p.run(L.spark));
    const r = await ok(p.run(L.spark, { fullRefresh: ["silver"] }));
    want(r.fullRefreshSelection).toEqual(["main.lab.silver"]);
    want(flow(r, "main.lab.bronze").numInputRows).toBe(0);
    want(flow(r, "main.lab.audit").numInputRows).toBe(0);
    want(flow(r, "main.lab.silver").numInputRows).toBe(2);
    want(await ids("main.lab.silver")).toEqual([1, 2]);
    want(await ids("main.lab.audit")).toEqual([1, 2]);
  });

  it("a full refresh picks up a changed query (new schema)", async () => {
    drop(L.landing, [{ id: 1, v: 1 }]);
    await ok(bronzeSilver().run(L.spark));
    const changed = new Pipeline({ name: "inc", catalog: "main", schema: "lab" })
      .streamingTable({ name: "bronze", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }) })
      .streamingTable({ name: "silver", query: (ctx) => ctx.readStream("bronze").select(col("id"), lit("x").alias("tag")) });
    await ok(changed.run(L.spark, { fullRefresh: ["silver"] }));
    want(await query(L.spark, "SELECT * FROM main.lab.silver")).toEqual([{ id: 1, tag: "x" }]);
  });

  it("materialized views are recomputed from their inputs on every update", async () => {
    await L.spark.sql("CREATE TABLE main.default.prices (sku STRING, price INT)");
    await L.spark.sql("INSERT INTO main.default.prices VALUES ('a', 1), ('b', 2)");
    const p = new Pipeline({ name: "mv", catalog: "main", schema: "mv" })
      .materializedView({ name: "expensive", query: (ctx) => ctx.read("main.default.prices").filter("price >= 2") });
    const r1 = await ok(p.run(L.spark));
    want(flow(r1, "main.mv.expensive")).toMatchObject({ numInputRows: 1, numOutputRows: 1 });
    await L.spark.sql("UPDATE main.default.prices SET price = 5 WHERE sku = 'a'");
    await L.spark.sql("DELETE FROM main.default.prices WHERE sku = 'b'");
    await L.spark.sql("INSERT INTO main.default.prices VALUES ('c', 9)");
    await ok(p.run(L.spark));
    want(await query(L.spark, "SELECT sku, price FROM main.mv.expensive ORDER BY sku")).toEqual([{ sku: "a", price: 5 }, { sku: "c", price: 9 }]);
  });

  it("creates an empty streaming table when its source has no rows yet, so downstream datasets run", async () => {
    await L.spark.sql("CREATE TABLE main.default.events (id INT, kind STRING)");
    const p = new Pipeline({ name: "empty", catalog: "main", schema: "e" })
      .streamingTable({ name: "events", query: (ctx) => ctx.readStream("main.default.events").filter("kind <> 'noise'") })
      .materializedView({ name: "counts", query: (ctx) => ctx.read("events").groupBy("kind").agg(count("*").alias("n")) });
    await ok(p.run(L.spark));
    want(await (await L.spark.sql("SELECT * FROM main.e.events")).columns()).toEqual(["id", "kind"]);
    want(await query(L.spark, "SELECT * FROM main.e.counts")).toEqual([]);
    await L.spark.sql("INSERT INTO main.default.events VALUES (1, 'click'), (2, 'noise')");
    await ok(p.run(L.spark));
    want(await query(L.spark, "SELECT kind, n FROM main.e.counts")).toEqual([{ kind: "click", n: 1 }]);
  });

  it("applies partitioning, table properties and the comment", async () => {
    drop(L.landing, [{ id: 1, v: 1, day: "2024-01-01" }]);
    const p = new Pipeline({ name: "props", catalog: "main", schema: "p" }).streamingTable({
      name: "events", comment: "Raw events", partitionBy: ["day"], tableProperties: { quality: "bronze", "delta.appendOnly": "true" },
      query: (ctx) => readFiles(ctx, L.landing, { format: "json" }),
    });
    await ok(p.run(L.spark));
    const detail = (await query(L.spark, "DESCRIBE DETAIL main.p.events"))[0]!;
    want(detail["partitionColumns"]).toEqual(["day"]);
    const props = Object.fromEntries((await query(L.spark, "SHOW TBLPROPERTIES main.p.events")).map((r) => [r["key"], r["value"]]));
    want(props).toMatchObject({ quality: "bronze", "delta.appendOnly": "true" });
    want((await L.spark.metastore.getTable("main", "p", "events"))!.comment).toBe("Raw events");
  });

  it("append flows write several streams into one streaming table; temporary views are not persisted", async () => {
    drop(join(L.landing, "eu"), [{ id: 1, v: 1 }]);
    drop(join(L.landing, "us"), [{ id: 2, v: 2 }, { id: 3, v: 3 }]);
    const p = new Pipeline({ name: "append", catalog: "main", schema: "ap" })
      .temporaryView({ name: "us_raw", query: (ctx) => readFiles(ctx, join(L.landing, "us"), { format: "json", inferColumnTypes: true }) })
      .createStreamingTable({ name: "all_regions" })
      .appendFlow({ name: "from_eu", target: "all_regions", query: (ctx) => readFiles(ctx, join(L.landing, "eu"), { format: "json", inferColumnTypes: true }).withColumn("region", lit("eu")) })
      .appendFlow({ name: "from_us", target: "all_regions", query: (ctx) => ctx.readStream("us_raw").withColumn("region", lit("us")) });
    const r = await ok(p.run(L.spark));
    want(r.flows.map((f) => [f.flow, f.kind, f.numOutputRows])).toEqual([
      ["main.ap.us_raw", "view", 2], ["main.ap.from_eu", "streaming_table", 1], ["main.ap.from_us", "streaming_table", 2],
    ]);
    want(await query(L.spark, "SELECT id, region FROM main.ap.all_regions ORDER BY id")).toEqual([
      { id: 1, region: "eu" }, { id: 2, region: "us" }, { id: 3, region: "us" },
    ]);
    want(await L.spark.metastore.getTable("main", "ap", "us_raw")).toBeUndefined();
    drop(join(L.landing, "us"), [{ id: 4, v: 4 }]);
    const r2 = await ok(p.run(L.spark));
    want(r2.flows.map((f) => f.numOutputRows)).toEqual([1, 0, 1]);
  });
});
