/**
 * The pipeline graph: dependencies found by running the query functions against a recording
 * context, flows run in topological order, cycles and unknown names fail before anything runs.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import { Pipeline, readFiles } from "../../../src/lakehouse/pipelines/index.js";
import { count, sum } from "../../../src/lakehouse/sql/dataframe/index.js";
import { drop, lab, ok, query, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

async function failure(p: Promise<unknown>): Promise<LakehouseError> {
  try {
    await p;
  } catch (e) {
    want(e).toBeInstanceOf(LakehouseError);
    return e as LakehouseError;
  }
  throw new Error("expected an error");
}

/** A medallion pipeline over three schemas, declared downstream-first to prove the order is computed. */
function medallion(): Pipeline {
  return new Pipeline({ name: "medallion", catalog: "c360", schema: "silver" })
    .materializedView({ name: "c360.gold.revenue_by_city", query: (ctx) => ctx.read("orders_enriched").groupBy("city").agg(sum("amount").alias("revenue"), count("*").alias("orders")) })
    .streamingTable({
      name: "orders_enriched",
      query: (ctx) => ctx.readStream("c360.bronze.orders_raw").join(ctx.read("customers"), "customer_id", "left").select("order_id", "customer_id", "city", "amount"),
    })
    .materializedView({ name: "customers", query: (ctx) => ctx.read("c360.bronze.customers_raw").select("customer_id", "city") })
    .streamingTable({ name: "c360.bronze.orders_raw", query: (ctx) => readFiles(ctx, join(L.landing, "orders"), { format: "json", inferColumnTypes: true }) })
    .materializedView({ name: "c360.bronze.customers_raw", query: (ctx) => ctx.spark.sql("SELECT 1 AS customer_id, 'Paris' AS city UNION ALL SELECT 2, 'Rome'") as never });
}

describe("pipeline graph", () => {
  it("finds the DAG from read()/readStream() calls and runs flows in dependency order", async () => {
    // spark.sql is async: a query function may return a promise.
    const p = new Pipeline({ name: "medallion", catalog: "c360", schema: "silver" })
      .materializedView({ name: "c360.gold.revenue_by_city", query: (ctx) => ctx.read("orders_enriched").groupBy("city").agg(sum("amount").alias("revenue"), count("*").alias("orders")) })
      .streamingTable({
        name: "orders_enriched",
        query: (ctx) => ctx.readStream("c360.bronze.orders_raw").join(ctx.read("customers"), "customer_id", "left").select("order_id", "customer_id", "city", "amount"),
      })
      .materializedView({ name: "customers", query: (ctx) => ctx.read("c360.bronze.customers_raw").select("customer_id", "city") })
      .streamingTable({ name: "c360.bronze.orders_raw", query: (ctx) => readFiles(ctx, join(L.landing, "orders"), { format: "json", inferColumnTypes: true }) })
      .materializedView({ name: "c360.bronze.customers_raw", query: (ctx) => ctx.spark.sql("SELECT 1 AS customer_id, 'Paris' AS city UNION ALL SELECT 2, 'Rome'") });
    const g = p.graph(L.spark);
    want(g.nodes).toEqual([
      { name: "c360.gold.revenue_by_city", kind: "materialized_view" },
      { name: "c360.silver.orders_enriched", kind: "streaming_table" },
      { name: "c360.silver.customers", kind: "materialized_view" },
      { name: "c360.bronze.orders_raw", kind: "streaming_table" },
      { name: "c360.bronze.customers_raw", kind: "materialized_view" },
    ]);
    want(g.edges).toEqual([
      ["c360.silver.orders_enriched", "c360.gold.revenue_by_city"],
      ["c360.bronze.orders_raw", "c360.silver.orders_enriched"],
      ["c360.silver.customers", "c360.silver.orders_enriched"],
      ["c360.bronze.customers_raw", "c360.silver.customers"],
    ]);

    drop(join(L.landing, "orders"), [{ order_id: 10, customer_id: 1, amount: 5 }, { order_id: 11, customer_id: 2, amount: 7 }, { order_id: 12, customer_id: 1, amount: 3 }]);
    const r = await ok(p.run(L.spark));
    want(r.flows.map((f) => f.dataset)).toEqual([
      "c360.bronze.orders_raw", "c360.bronze.customers_raw", "c360.silver.customers", "c360.silver.orders_enriched", "c360.gold.revenue_by_city",
    ]);
    want(r.flows.map((f) => f.kind)).toEqual(["streaming_table", "materialized_view", "materialized_view", "streaming_table", "materialized_view"]);
    want(await query(L.spark, "SELECT city, CAST(revenue AS BIGINT) AS revenue, orders FROM c360.gold.revenue_by_city ORDER BY city")).toEqual([
      { city: "Paris", revenue: 8, orders: 2 }, { city: "Rome", revenue: 7, orders: 1 },
    ]);
    // Datasets live in the schemas they name; the schemas are created.
    want((await query(L.spark, "SHOW TABLES IN c360.bronze")).map((t) => t["tableName"]).sort()).toEqual(["customers_raw", "orders_raw"]);
  });

  it("table() is a streaming table when its query streams, else a materialized view", () => {
    const p = new Pipeline({ name: "kinds", catalog: "main", schema: "k" })
      .table({ name: "s", query: (ctx) => ctx.readStream("main.default.src") })
      .table({ name: "m", query: (ctx) => ctx.read("s") })
      .temporaryView({ name: "v", query: (ctx) => ctx.read("m") });
    want(p.graph(L.spark).nodes).toEqual([
      { name: "main.k.s", kind: "streaming_table" }, { name: "main.k.m", kind: "materialized_view" }, { name: "main.k.v", kind: "view" },
    ]);
    // Without a session (before any run) the graph is still available.
    want(p.graph().edges).toEqual([["main.k.s", "main.k.m"], ["main.k.m", "main.k.v"]]);
  });

  it("a cycle fails before anything runs, naming the datasets", async () => {
    const p = new Pipeline({ name: "cyclic", catalog: "main", schema: "cyc" })
      .materializedView({ name: "seed", query: (ctx) => ctx.spark.table("main.default.nothing_needed_here") })
      .materializedView({ name: "a", query: (ctx) => ctx.read("c").union(ctx.read("seed")) })
      .materializedView({ name: "b", query: (ctx) => ctx.read("a") })
      .materializedView({ name: "c", query: (ctx) => ctx.read("b") });
    const e = await failure(p.run(L.spark));
    want(e.code).toBe("PIPELINE_CYCLE");
    want(e.message).toContain("main.cyc.a → main.cyc.b → main.cyc.c → main.cyc.a");
    // Nothing ran: no schema, no table, no event log.
    want(await L.spark.metastore.schemaExists("main", "cyc")).toBe(false);
    want(existsSync(join(L.spark.warehouse, "_pipelines", "cyclic"))).toBe(false);
  });

  it("an unknown dependency fails before anything runs, naming the flow and the name", async () => {
    await L.spark.sql("CREATE TABLE main.default.known (id INT)");
    const p = new Pipeline({ name: "unknown", catalog: "main", schema: "unk" })
      .materializedView({ name: "ok", query: (ctx) => ctx.read("main.default.known") })
      .materializedView({ name: "bad", query: (ctx) => ctx.read("ok").join(ctx.read("main.default.missing_table"), "id") });
    const e = await failure(p.run(L.spark));
    want(e.code).toBe("PIPELINE_UNKNOWN_DEPENDENCY");
    want(e.message).toContain("main.unk.bad reads main.default.missing_table");
    want(await L.spark.metastore.schemaExists("main", "unk")).toBe(false);
  });

  it("flows into undeclared targets and duplicate datasets are rejected", async () => {
    const p = new Pipeline({ name: "x", catalog: "main", schema: "x" })
      .createAutoCdcFlow({ target: "nowhere", source: "main.default.src", keys: ["id"], sequenceBy: "seq", storedAs: "SCD1" });
    await L.spark.sql("CREATE TABLE main.default.src (id INT, seq INT)");
    want((await failure(p.run(L.spark))).code).toBe("PIPELINE_UNKNOWN_DATASET");
    want(() => new Pipeline({ name: "y", catalog: "main", schema: "y" }).createStreamingTable({ name: "t" }).createStreamingTable({ name: "main.y.t" })).toThrow(/already defines the dataset main\.y\.t/);
  });

  it("wrong read modes fail before anything runs", async () => {
    await L.spark.sql("CREATE TABLE main.default.src (id INT)");
    const streamFromMv = new Pipeline({ name: "m1", catalog: "main", schema: "m1" })
      .materializedView({ name: "mv", query: (ctx) => ctx.read("main.default.src") })
      .streamingTable({ name: "st", query: (ctx) => ctx.readStream("mv") });
    const e1 = await failure(streamFromMv.run(L.spark));
    want(e1.code).toBe("PIPELINE_INVALID_READ");
    want(e1.message).toContain("streams from main.m1.mv, a materialized view");
    const batchQueryInStreamingTable = new Pipeline({ name: "m2", catalog: "main", schema: "m2" })
      .streamingTable({ name: "st", query: (ctx) => ctx.read("main.default.src") });
    want((await failure(batchQueryInStreamingTable.run(L.spark))).message).toContain("main.m2.st is a streaming table, but its query returns a batch DataFrame");
    const streamOfBatchView = new Pipeline({ name: "m3", catalog: "main", schema: "m3" })
      .temporaryView({ name: "v", query: (ctx) => ctx.read("main.default.src") })
      .streamingTable({ name: "st", query: (ctx) => ctx.readStream("v") });
    want((await failure(streamOfBatchView.run(L.spark))).message).toContain("reads the view main.m3.v as a stream, but the view is a batch query");
    want(await L.spark.metastore.schemaExists("main", "m1")).toBe(false);
  });

  it("a table() whose query cannot be recorded gets its kind when it runs", async () => {
    await L.spark.sql("CREATE TABLE main.default.src (id INT, v INT)");
    await L.spark.sql("INSERT INTO main.default.src VALUES (1, 10), (2, 20)");
    const p = new Pipeline({ name: "late", catalog: "main", schema: "late" })
      .materializedView({ name: "base", query: (ctx) => ctx.read("main.default.src") })
      // Looks at the upstream's columns (an action) before building its DataFrame: not recordable on the first run.
      .table({ name: "wide", query: async (ctx) => {
        const df = ctx.read("base");
        const cols = await df.columns();
        return df.select(...cols.filter((c) => c !== "v"));
      } });
    want(p.graph(L.spark).nodes[1]).toEqual({ name: "main.late.wide", kind: "table" });
    const r = await ok(p.run(L.spark));
    want(r.flows.map((f) => [f.dataset, f.kind])).toEqual([["main.late.base", "materialized_view"], ["main.late.wide", "materialized_view"]]);
    want(await query(L.spark, "SELECT * FROM main.late.wide ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("the medallion example declares datasets across schemas", () => {
    want(medallion().graph(L.spark).nodes.map((n) => n.name)).toContain("c360.bronze.orders_raw");
  });
});
