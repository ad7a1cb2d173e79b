/**
 * The SQL form: each statement builds the same datasets and flows as the TypeScript API, and
 * running both gives the same tables, counts and graph.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import { Pipeline, expect, expectOrDrop, expectOrFail, readFiles, type UpdateResult } from "../../../src/lakehouse/pipelines/index.js";
import { col, count, sum } from "../../../src/lakehouse/sql/dataframe/index.js";
import { drop, lab, ok, query, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

const orders = () => join(L.landing, "orders");
const changes = () => join(L.landing, "changes");

function landOrders(): void {
  drop(orders(), [
    { order_id: 1, customer_id: 10, amount: 25.5, status: "paid" },
    { order_id: 2, customer_id: 11, amount: -3, status: "paid" },
    { order_id: null, customer_id: 12, amount: 8, status: "refunded" },
    { order_id: 4, customer_id: 10, amount: 4.5, status: "weird" },
  ]);
}

/** The summary of an update that should not depend on how the pipeline was declared. */
function shape(r: UpdateResult, schema: string) {
  return r.flows.map((f) => ({ ...f, dataset: f.dataset.replace(`main.${schema}.`, ""), flow: f.flow?.replace(`main.${schema}.`, ""), durationMs: 0 }));
}

describe("pipeline SQL", () => {
  it("streaming tables, materialized views and views with constraints match the TypeScript API", async () => {
    landOrders();
    await L.spark.sql("CREATE TABLE main.default.customers (customer_id BIGINT, country STRING)");
    await L.spark.sql("INSERT INTO main.default.customers VALUES (10, 'FR'), (11, 'DE'), (12, 'FR')");

    const sqlForm = new Pipeline({ name: "sql_form", catalog: "main", schema: "s" }).sql(`
      -- Bronze: Auto Loader through read_files
      CREATE OR REFRESH STREAMING TABLE orders_raw
      COMMENT 'Orders as they land'
      TBLPROPERTIES ('quality' = 'bronze')
      AS SELECT * FROM STREAM read_files('${orders()}', format => 'json');

      CREATE TEMPORARY VIEW paid_orders (
        CONSTRAINT known_status EXPECT (status IN ("paid", "refunded"))
      ) AS SELECT * FROM STREAM(LIVE.orders_raw) WHERE status <> 'refunded';

      CREATE OR REFRESH STREAMING TABLE orders (
        order_id BIGINT,
        CONSTRAINT valid_id EXPECT (order_id IS NOT NULL) ON VIOLATION DROP ROW,
        CONSTRAINT positive EXPECT (amount > 0),
        CONSTRAINT sane EXPECT (amount < 1000000) ON VIOLATION FAIL UPDATE
      )
      PARTITIONED BY (country)
      AS SELECT o.order_id, o.customer_id, o.amount, c.country
         FROM STREAM(paid_orders) AS o
         LEFT JOIN main.default.customers c ON o.customer_id = c.customer_id;

      CREATE OR REFRESH MATERIALIZED VIEW revenue_by_country (
        CONSTRAINT has_country EXPECT (country IS NOT NULL) ON VIOLATION DROP ROW
      ) AS
      WITH per AS (SELECT country, amount FROM orders)
      SELECT country, sum(amount) AS revenue, count(*) AS n FROM per GROUP BY country
    `);

    const tsForm = new Pipeline({ name: "ts_form", catalog: "main", schema: "t" })
      .streamingTable({ name: "orders_raw", comment: "Orders as they land", tableProperties: { quality: "bronze" }, query: (ctx) => readFiles(ctx, orders(), { format: "json", inferColumnTypes: true }) })
      .temporaryView({ name: "paid_orders", expectations: [expect("known_status", "status IN ('paid', 'refunded')")], query: (ctx) => ctx.readStream("orders_raw").filter("status <> 'refunded'") })
      .streamingTable({
        name: "orders", partitionBy: ["country"],
        expectations: [expectOrDrop("valid_id", "order_id IS NOT NULL"), expect("positive", "amount > 0"), expectOrFail("sane", "amount < 1000000")],
        query: (ctx) => ctx.readStream("paid_orders").alias("o").join(ctx.read("main.default.customers").alias("c"), col("o.customer_id").eq(col("c.customer_id")), "left")
          .select(col("o.order_id"), col("o.customer_id"), col("o.amount"), col("c.country")),
      })
      .materializedView({
        name: "revenue_by_country", expectations: [expectOrDrop("has_country", "country IS NOT NULL")],
        query: (ctx) => ctx.read("orders").groupBy("country").agg(sum("amount").alias("revenue"), count("*").alias("n")),
      });

    want(sqlForm.graph(L.spark)).toEqual({
      nodes: [
        { name: "main.s.orders_raw", kind: "streaming_table" }, { name: "main.s.paid_orders", kind: "view" },
        { name: "main.s.orders", kind: "streaming_table" }, { name: "main.s.revenue_by_country", kind: "materialized_view" },
      ],
      edges: [["main.s.orders_raw", "main.s.paid_orders"], ["main.s.paid_orders", "main.s.orders"], ["main.s.orders", "main.s.revenue_by_country"]],
    });
    want(tsForm.graph(L.spark).edges.map(([a, b]) => [a.replace("main.t.", ""), b.replace("main.t.", "")]))
      .toEqual(sqlForm.graph(L.spark).edges.map(([a, b]) => [a.replace("main.s.", ""), b.replace("main.s.", "")]));

    const rs = await ok(sqlForm.run(L.spark));
    const rt = await ok(tsForm.run(L.spark));
    want(shape(rs, "s")).toEqual(shape(rt, "t"));
    want(rs.flows.find((f) => f.dataset === "main.s.paid_orders")!.expectations).toEqual([{ name: "known_status", action: "warn", passed: 2, failed: 1 }]);
    want(rs.flows.find((f) => f.dataset === "main.s.orders")!.expectations).toEqual([
      { name: "valid_id", action: "drop", passed: 3, failed: 0 },
      { name: "positive", action: "warn", passed: 2, failed: 1 },
      { name: "sane", action: "fail", passed: 3, failed: 0 },
    ]);
    for (const t of ["orders", "revenue_by_country"]) {
      const order = t === "orders" ? "order_id" : "country";
      want(await query(L.spark, `SELECT * FROM main.s.${t} ORDER BY ${order}`)).toEqual(await query(L.spark, `SELECT * FROM main.t.${t} ORDER BY ${order}`));
    }
    want(await query(L.spark, "SELECT country, CAST(revenue AS DOUBLE) AS revenue, n FROM main.s.revenue_by_country ORDER BY country")).toEqual([
      { country: "DE", revenue: -3, n: 1 }, { country: "FR", revenue: 30, n: 2 },
    ]);
    want((await query(L.spark, "DESCRIBE DETAIL main.s.orders"))[0]!["partitionColumns"]).toEqual(["country"]);
    want((await L.spark.metastore.getTable("main", "s", "orders_raw"))!.comment).toBe("Orders as they land");

    // Incremental in both forms.
    drop(orders(), [{ order_id: 5, customer_id: 11, amount: 10, status: "paid" }]);
    const rs2 = await ok(sqlForm.run(L.spark));
    const rt2 = await ok(tsForm.run(L.spark));
    want(shape(rs2, "s")).toEqual(shape(rt2, "t"));
    want(rs2.flows.find((f) => f.dataset === "main.s.orders")!.numOutputRows).toBe(1);
  });

  it("AUTO CDC (CREATE FLOW … AS AUTO CDC INTO) and APPLY CHANGES INTO match createAutoCdcFlow", async () => {
    drop(changes(), [
      { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
      { id: 1, name: "Ada", city: "Lyon", op: "UPDATE", seq: 5 },
      { id: 2, name: "Bob", city: "Rome", op: "INSERT", seq: 1 },
      { id: 2, name: null, city: null, op: "DELETE", seq: 4 },
    ]);
    const bronze = `CREATE OR REFRESH STREAMING TABLE changes AS SELECT * FROM STREAM read_files('${changes()}', format => 'json', schemaHints => 'id BIGINT, seq BIGINT')`;
    const sqlForm = new Pipeline({ name: "cdc_sql", catalog: "main", schema: "cs" }).sql(`
      ${bronze};
      CREATE OR REFRESH STREAMING TABLE customers_history;
      CREATE FLOW history_flow AS AUTO CDC INTO customers_history
        FROM STREAM(changes)
        KEYS (id)
        APPLY AS DELETE WHEN op = "DELETE"
        SEQUENCE BY seq
        COLUMNS * EXCEPT (op, seq, _rescued_data)
        STORED AS SCD TYPE 2;
      CREATE OR REFRESH STREAMING TABLE customers;
      APPLY CHANGES INTO LIVE.customers
        FROM STREAM(LIVE.changes)
        KEYS (id)
        APPLY AS DELETE WHEN op = 'DELETE'
        SEQUENCE BY seq
        COLUMNS * EXCEPT (op, seq, _rescued_data)
        STORED AS SCD TYPE 1;
    `);
    const cdc = { keys: ["id"], sequenceBy: "seq", applyAsDeletes: "op = 'DELETE'", exceptColumns: ["op", "seq", "_rescued_data"] };
    const tsForm = new Pipeline({ name: "cdc_ts", catalog: "main", schema: "ct" })
      .streamingTable({ name: "changes", query: (ctx) => readFiles(ctx, changes(), { format: "json", inferColumnTypes: true, schemaHints: "id BIGINT, seq BIGINT" }) })
      .createStreamingTable({ name: "customers_history" })
      .createAutoCdcFlow({ name: "history_flow", target: "customers_history", source: "changes", ...cdc, storedAs: "SCD2" })
      .createStreamingTable({ name: "customers" })
      .applyChanges({ target: "customers", source: "changes", ...cdc, storedAs: "SCD1" });

    want(sqlForm.graph(L.spark).edges).toEqual([["main.cs.changes", "main.cs.customers_history"], ["main.cs.changes", "main.cs.customers"]]);
    for (const round of [1, 2]) {
      if (round === 2) drop(changes(), [{ id: 1, name: "Ada", city: "Nice", op: "UPDATE", seq: 3 }, { id: 3, name: "Cy", city: "Oslo", op: "INSERT", seq: 2 }]);
      const rs = await ok(sqlForm.run(L.spark));
      const rt = await ok(tsForm.run(L.spark));
      want(shape(rs, "cs")).toEqual(shape(rt, "ct"));
      for (const [t, order] of [["customers_history", "id, __START_AT"], ["customers", "id"]] as const) {
        want(await query(L.spark, `SELECT * FROM main.cs.${t} ORDER BY ${order}`)).toEqual(await query(L.spark, `SELECT * FROM main.ct.${t} ORDER BY ${order}`));
      }
    }
    want(await query(L.spark, "SELECT id, city, __START_AT AS s, __END_AT AS e FROM main.cs.customers_history ORDER BY id, s")).toEqual([
      { id: 1, city: "Paris", s: 1, e: 3 }, { id: 1, city: "Nice", s: 3, e: 5 }, { id: 1, city: "Lyon", s: 5, e: null },
      { id: 2, city: "Rome", s: 1, e: 4 }, { id: 3, city: "Oslo", s: 2, e: null },
    ]);
    want(await query(L.spark, "SELECT id, city FROM main.cs.customers ORDER BY id")).toEqual([{ id: 1, city: "Lyon" }, { id: 3, city: "Oslo" }]);
  });

  it("the other spellings: FLOW AUTO CDC on the table, TRACK HISTORY ON, append flows, cloud_files, LIVE TABLE", async () => {
    drop(changes(), [
      { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
      { id: 1, name: "Ada L.", city: "Paris", op: "UPDATE", seq: 2 },
      { id: 1, name: "Ada L.", city: "Lyon", op: "UPDATE", seq: 3 },
    ]);
    drop(join(L.landing, "extra"), [{ id: 9, name: "Zed", city: "Faro", op: "INSERT", seq: 1 }]);
    const p = new Pipeline({ name: "spellings", catalog: "main", schema: "sp" }).sql(`
      CREATE OR REFRESH STREAMING LIVE TABLE changes
      AS SELECT * FROM cloud_files('${changes()}', 'json', map('cloudFiles.inferColumnTypes', 'true'));
      CREATE FLOW extra AS INSERT INTO changes BY NAME
        SELECT * FROM STREAM read_files('${join(L.landing, "extra")}', format => 'json');
      CREATE OR REFRESH STREAMING TABLE dim_customer
        FLOW AUTO CDC
        FROM STREAM changes
        KEYS (id)
        SEQUENCE BY seq
        COLUMNS (id, name, city)
        STORED AS SCD TYPE 2
        TRACK HISTORY ON (city);
      CREATE OR REFRESH LIVE TABLE cities AS SELECT DISTINCT city FROM LIVE.dim_customer WHERE __END_AT IS NULL
    `);
    want(p.graph(L.spark).nodes.map((n) => n.kind)).toEqual(["streaming_table", "streaming_table", "materialized_view"]);
    await ok(p.run(L.spark));
    want(await query(L.spark, "SELECT id, name, city, __START_AT AS s, __END_AT AS e FROM main.sp.dim_customer ORDER BY id, s")).toEqual([
      { id: 1, name: "Ada L.", city: "Paris", s: 1, e: 3 },
      { id: 1, name: "Ada L.", city: "Lyon", s: 3, e: null },
      { id: 9, name: "Zed", city: "Faro", s: 1, e: null },
    ]);
    want((await query(L.spark, "SELECT city FROM main.sp.cities ORDER BY city")).map((r) => r["city"])).toEqual(["Faro", "Lyon"]);
  });

  it("read_files in a batch query reads the files with DuckDB; back-quoted names work", async () => {
    drop(orders(), [{ order_id: 1, amount: 2 }, { order_id: 2, amount: 3 }]);
    drop(join(orders(), "sub"), [{ order_id: 3, amount: 4 }]);
    const p = new Pipeline({ name: "batch_files", catalog: "main", schema: "bf" }).sql(`
      CREATE OR REFRESH MATERIALIZED VIEW \`Order_Totals\` (CONSTRAINT \`has rows\` EXPECT (n > 0) ON VIOLATION FAIL UPDATE)
      AS SELECT count(*) AS n, sum(amount) AS total FROM read_files('${orders()}', format => 'json')
    `);
    const r = await ok(p.run(L.spark));
    want(r.flows[0]!.expectations).toEqual([{ name: "has rows", action: "fail", passed: 1, failed: 0 }]);
    want(await query(L.spark, "SELECT n, CAST(total AS BIGINT) AS total FROM main.bf.order_totals")).toEqual([{ n: 3, total: 9 }]);
  });

  it("dependencies come from FROM/JOIN table references, not CTEs, functions or strings", () => {
    const p = new Pipeline({ name: "deps", catalog: "main", schema: "d" }).sql(`
      CREATE OR REFRESH MATERIALIZED VIEW a AS SELECT 1 AS id, TIMESTAMP '2024-01-01 00:00:00' AS ts;
      CREATE OR REFRESH MATERIALIZED VIEW b AS SELECT 2 AS id;
      CREATE OR REFRESH MATERIALIZED VIEW c AS
        WITH b AS (SELECT * FROM a)  -- the CTE b shadows the dataset b
        SELECT extract(year FROM b.ts) AS y, 'FROM b' AS s FROM b
        JOIN (SELECT id FROM LIVE.a) AS x USING (id), main.d.a AS z
    `);
    want(p.graph().edges).toEqual([["main.d.a", "main.d.c"]]);
  });

  it("reports syntax errors with the position and the statement's syntax", () => {
    const bad = (sql: string) => {
      try {
        new Pipeline({ name: "bad", catalog: "main", schema: "b" }).sql(sql);
      } catch (e) {
        want(e).toBeInstanceOf(LakehouseError);
        return (e as LakehouseError).message;
      }
      throw new Error("expected a syntax error");
    };
    want(bad("CREATE OR REFRESH STREAMING TABLE t AS SELECT * FROM main.default.x")).toMatch(/reads no stream.*STREAM\(source\)/);
    want(bad("CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT * FROM STREAM(x)")).toMatch(/reads a stream/);
    want(bad("CREATE OR REFRESH STREAMING TABLE t (CONSTRAINT c EXPECT (x > 0) ON VIOLATION DELETE ROW) AS SELECT * FROM STREAM(s)"))
      .toMatch(/Expected DROP ROW or FAIL UPDATE at line 1, column \d+ near 'DELETE'/);
    want(bad("APPLY CHANGES INTO t FROM STREAM(s) KEYS (id) STORED AS SCD TYPE 3")).toMatch(/SCD TYPE 1 or 2.*Syntax: CREATE FLOW/);
    want(bad("APPLY CHANGES INTO t FROM STREAM(s) KEYS (id)")).toMatch(/needs SEQUENCE BY/);
    want(bad("DROP TABLE x")).toMatch(/Unsupported pipeline statement/);
  });
});
