/**
 * Round trips through the session: what Databricks SQL writes reads back identically, at every
 * version; the log we write is valid Delta (checked by reading it back with the kernel and by
 * the structural checks below); errors are the typed ones learners will meet on Databricks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { DeltaTable } from "../../../src/lakehouse/sql/delta-table.js";
import { DataFrame } from "../../../src/lakehouse/sql/dataframe/index.js";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import { removeDir, tempDir } from "../../helpers.js";

let spark: SparkSession;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  spark = await SparkSession.create({ warehouse: join(dir, "wh") });
});
afterAll(() => {
  spark.stop();
  removeDir(dir);
});

async function rows(sql: string) {
  return (await spark.sql(sql)).collect();
}

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(() => undefined, (e) => e);
  expect(err, `expected ${code}`).toBeInstanceOf(LakehouseError);
  expect((err as LakehouseError).code).toBe(code);
  return err as LakehouseError;
}

function logLines(root: string): Record<string, any>[][] {
  const log = join(root, "_delta_log");
  return readdirSync(log).filter((f) => /^\d{20}\.json$/.test(f)).sort().map((f) => readFileSync(join(log, f), "utf8").trim().split("\n").map((l) => JSON.parse(l)));
}

describe("session round trip", () => {
  it("creates, inserts, time travels and keeps every version", async () => {
    await spark.sql("CREATE TABLE main.default.people (id BIGINT NOT NULL, name STRING, amount DECIMAL(10,2)) USING DELTA");
    await spark.sql("INSERT INTO main.default.people VALUES (1, 'Ada', 10.50), (2, 'Grace', 20.25)");
    await spark.sql("INSERT INTO main.default.people VALUES (9007199254740993, 'Big', 99999999.99)");
    await spark.sql("UPDATE main.default.people SET amount = amount + 1 WHERE id = 1");
    await spark.sql("DELETE FROM main.default.people WHERE name = 'Grace'");
    expect(await rows("SELECT id, name, amount FROM main.default.people ORDER BY id")).toEqual([
      { id: 1n, name: "Ada", amount: "11.50" },
      { id: 9007199254740993n, name: "Big", amount: "99999999.99" },
    ]);
    expect(await rows("SELECT count(*) AS n FROM main.default.people VERSION AS OF 1")).toEqual([{ n: 2n }]);
    expect(await rows("SELECT amount FROM main.default.people@v2 WHERE id = 1")).toEqual([{ amount: "10.50" }]);
    const hist = await rows("DESCRIBE HISTORY main.default.people");
    expect(hist.map((h) => h["operation"])).toEqual(["DELETE", "UPDATE", "WRITE", "WRITE", "CREATE TABLE"]);
    const root = (await spark.resolveTable({ kind: "name", parts: ["main", "default", "people"] })).root;
    const commits = logLines(root);
    expect(commits.length).toBe(5);
    // Version 0 holds protocol and metaData; every commit starts with commitInfo; adds carry stats.
    expect(commits[0]!.some((a) => a.protocol) && commits[0]!.some((a) => a.metaData)).toBe(true);
    for (const c of commits) expect(Object.keys(c[0]!)).toEqual(["commitInfo"]);
    const adds = commits.flat().filter((a) => a.add).map((a) => a.add);
    for (const a of adds) expect(JSON.parse(a.stats).numRecords).toBeTypeOf("number");
    const big = adds.find((a) => a.stats.includes("9007199254740993"));
    expect(big.stats).toMatch(/"maxValues":\{[^}]*"id":9007199254740993[,}]/);
  });

  it("enforces the schema and constraints, leaving the table at its last version", async () => {
    await spark.sql("CREATE TABLE main.default.orders (id BIGINT NOT NULL, amount DOUBLE) USING DELTA");
    await spark.sql("ALTER TABLE main.default.orders ADD CONSTRAINT positive CHECK (amount > 0)");
    const before = (await rows("DESCRIBE HISTORY main.default.orders")).length;
    await expectCode(spark.sql("INSERT INTO main.default.orders VALUES (1, -5.0)"), "DELTA_VIOLATE_CONSTRAINT_WITH_VALUES");
    await expectCode(spark.sql("INSERT INTO main.default.orders VALUES (NULL, 5.0)"), "DELTA_NOT_NULL_CONSTRAINT_VIOLATED");
    const err = await expectCode(DataFrame.fromSql(spark, "SELECT 1::BIGINT AS id, 2.0::DOUBLE AS amount, 'x' AS extra").write.mode("append").saveAsTable("main.default.orders"), "DELTA_METADATA_MISMATCH");
    expect(err.message).toContain("extra");
    expect((await rows("DESCRIBE HISTORY main.default.orders")).length).toBe(before);
    await DataFrame.fromSql(spark, "SELECT 1::BIGINT AS id, 2.0::DOUBLE AS amount, 'x' AS extra").write.mode("append").option("mergeSchema", "true").saveAsTable("main.default.orders");
    expect(await rows("SELECT id, amount, extra FROM main.default.orders")).toEqual([{ id: 1n, amount: 2, extra: "x" }]);
  });

  it("MERGE: update, delete, insert, not matched by source, and the duplicate-source error", async () => {
    await spark.sql("CREATE TABLE main.default.dim (id INT, v STRING, active BOOLEAN) USING DELTA TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')");
    await spark.sql("INSERT INTO main.default.dim VALUES (1, 'a', true), (2, 'b', true), (3, 'c', true), (4, 'd', true)");
    await spark.sql(`MERGE INTO main.default.dim t USING (SELECT * FROM (VALUES (1, 'A', false), (2, 'B', true), (5, 'E', true)) s(id, v, del)) s
      ON t.id = s.id
      WHEN MATCHED AND s.del = false THEN DELETE
      WHEN MATCHED THEN UPDATE SET v = s.v
      WHEN NOT MATCHED THEN INSERT (id, v, active) VALUES (s.id, s.v, true)
      WHEN NOT MATCHED BY SOURCE AND t.id = 4 THEN UPDATE SET active = false`);
    expect(await rows("SELECT id, v, active FROM main.default.dim ORDER BY id")).toEqual([
      { id: 2, v: "B", active: true }, { id: 3, v: "c", active: true }, { id: 4, v: "d", active: false }, { id: 5, v: "E", active: true },
    ]);
    const changes = await rows("SELECT _change_type, id FROM table_changes('main.default.dim', 2) ORDER BY id, _change_type");
    expect(changes.map((r) => `${r["_change_type"]}:${r["id"]}`)).toEqual(["delete:1", "update_postimage:2", "update_preimage:2", "update_postimage:4", "update_preimage:4", "insert:5"]);
    const err = await expectCode(spark.sql("MERGE INTO main.default.dim t USING (SELECT * FROM (VALUES (2, 'x'), (2, 'y')) s(id, v)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v"), "DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE");
    expect(err.message).toContain("ROW_NUMBER");
  });

  it("delta-spark API: forName().merge() builder, history and restore", async () => {
    await spark.sql("CREATE TABLE main.default.kv (k STRING, v BIGINT) USING DELTA");
    await spark.sql("INSERT INTO main.default.kv VALUES ('a', 1), ('b', 2)");
    const t = await DeltaTable.forName(spark, "main.default.kv");
    const metrics = await t.alias("t").merge(DataFrame.fromSql(spark, "SELECT 'b' AS k, 20::BIGINT AS v UNION ALL SELECT 'c', 3"), "t.k = s.k", "s").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute();
    expect(metrics["numTargetRowsUpdated"]).toBe(1);
    expect(metrics["numTargetRowsInserted"]).toBe(1);
    expect(await rows("SELECT k, v FROM main.default.kv ORDER BY k")).toEqual([{ k: "a", v: 1n }, { k: "b", v: 20n }, { k: "c", v: 3n }]);
    await t.restoreToVersion(1);
    expect(await rows("SELECT k, v FROM main.default.kv ORDER BY k")).toEqual([{ k: "a", v: 1n }, { k: "b", v: 2n }]);
    expect((await (await t.history(1)).collect())[0]!["operation"]).toBe("RESTORE");
  });

  it("prunes files by partition values and by min/max stats", async () => {
    await DataFrame.fromSql(spark, "SELECT range AS id, range % 4 AS p FROM range(10000)").write.partitionBy("p").option("maxRecordsPerFile", 1000).saveAsTable("main.default.skip");
    await rows("SELECT count(*) FROM main.default.skip WHERE p = 2");
    expect(spark.lastScans[0]).toMatchObject({ filesScanned: 3, filesTotal: 12 });
    await rows("SELECT count(*) FROM main.default.skip WHERE id BETWEEN 10 AND 20");
    expect(spark.lastScans[0]!.filesScanned).toBeLessThan(12);
    expect(await rows("SELECT count(*) AS n FROM main.default.skip WHERE id IN (1, 2, 3, 9999)")).toEqual([{ n: 4n }]);
  });

  it("writes a checkpoint every 10 commits and reads through it", async () => {
    await spark.sql("CREATE TABLE main.default.cp (i INT) USING DELTA");
    for (let i = 0; i < 12; i++) await spark.sql(`INSERT INTO main.default.cp VALUES (${i})`);
    const root = (await spark.resolveTable({ kind: "name", parts: ["main", "default", "cp"] })).root;
    const log = readdirSync(join(root, "_delta_log"));
    expect(log).toContain("00000000000000000010.checkpoint.parquet");
    expect(JSON.parse(readFileSync(join(root, "_delta_log", "_last_checkpoint"), "utf8")).version).toBe(10);
    const fresh = await SparkSession.create({ warehouse: join(dir, "wh") });
    try {
      expect(await (await fresh.sql("SELECT sum(i) AS s FROM main.default.cp")).collect()).toEqual([{ s: 66n }]);
    } finally {
      fresh.stop();
    }
  });

  it("gives clear errors for unknown tables and bad versions", async () => {
    await expectCode(spark.sql("SELECT * FROM main.default.nope").then((d) => d.collect()), "TABLE_OR_VIEW_NOT_FOUND");
    await expectCode(spark.sql("SELECT * FROM main.default.people VERSION AS OF 99").then((d) => d.collect()), "DELTA_VERSION_NOT_FOUND");
  });
});

describe("DataFrames through the session", () => {
  it("table → filter → withColumn → groupBy/agg → join → orderBy, with the filter pruning files", async () => {
    const { col, F } = await import("../../../src/lakehouse/sql/dataframe/index.js");
    await DataFrame.fromSql(spark, "SELECT range AS order_id, range % 50 AS customer_id, (range % 7) * 10.0 AS amount, ['web','store'][1 + range % 2] AS channel FROM range(5000)")
      .write.partitionBy("channel").option("maxRecordsPerFile", 500).saveAsTable("main.default.tx");
    await DataFrame.fromSql(spark, "SELECT range AS customer_id, 'c' || range AS name FROM range(50)").write.saveAsTable("main.default.cust");
    const out = await spark.table("main.default.tx")
      .filter(col("channel").eq("web"))
      .withColumn("big", col("amount").gt(30))
      .groupBy("customer_id")
      .agg(F.sum("amount").alias("revenue"), F.count("*").alias("orders"), F.sum(F.when(col("big"), 1).otherwise(0)).alias("big_orders"))
      .join(spark.table("main.default.cust"), "customer_id")
      .orderBy(col("revenue").desc(), col("customer_id").asc())
      .limit(3)
      .collect();
    expect(spark.lastScans.find((s) => s.table === "main.default.tx")).toMatchObject({ filesScanned: 5, filesTotal: 10 });
    const check = await (await spark.sql(`SELECT customer_id, sum(amount) AS revenue, count(*) AS orders FROM main.default.tx WHERE channel = 'web' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3`)).collect();
    expect(out.map((r) => [r["customer_id"], String(r["revenue"]), r["orders"], r["name"]])).toEqual(check.map((r) => [r["customer_id"], String(r["revenue"]), r["orders"], `c${r["customer_id"]}`]));
  });
});
