/**
 * The Databricks SQL surface beyond plain DML: the three-level namespace, external tables,
 * CREATE TABLE AS SELECT, INSERT OVERWRITE … REPLACE WHERE, TIMESTAMP AS OF, idempotent
 * writes, VACUUM … DRY RUN and skipping on IS NULL.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkSession } from "../../../src/lakehouse/sql/session.js";
import { DataFrame } from "../../../src/lakehouse/sql/dataframe/index.js";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import { CONFORMANCE, removeDir, tempDir } from "../../helpers.js";

let spark: SparkSession;
let dir: string;
const rows = async (sql: string) => (await spark.sql(sql)).collect();

beforeAll(async () => {
  dir = tempDir();
  spark = await SparkSession.create({ warehouse: join(dir, "wh") });
});
afterAll(() => {
  spark.stop();
  removeDir(dir);
});

describe("catalog and Databricks SQL", () => {
  it("creates catalogs and schemas, USE switches the defaults, SHOW lists them", async () => {
    await spark.sql("CREATE CATALOG IF NOT EXISTS c360");
    await spark.sql("CREATE SCHEMA c360.bronze");
    await spark.sql("USE CATALOG c360");
    await spark.sql("USE SCHEMA bronze");
    expect([spark.currentCatalog(), spark.currentDatabase()]).toEqual(["c360", "bronze"]);
    await spark.sql("CREATE TABLE events AS SELECT range AS id, CASE WHEN range % 3 = 0 THEN NULL ELSE 'web' END AS channel FROM range(30)");
    expect((await rows("SHOW CATALOGS")).map((r) => r["catalog"])).toEqual(["c360", "main"]);
    expect((await rows("SHOW SCHEMAS IN c360")).map((r) => r["databaseName"])).toEqual(["bronze", "default"]);
    expect(await rows("SHOW TABLES")).toEqual([{ database: "bronze", tableName: "events", isTemporary: false }]);
    expect(await rows("SELECT count(*) AS n FROM c360.bronze.events WHERE channel IS NULL")).toEqual([{ n: 10n }]);
    expect((await rows("DESCRIBE HISTORY events"))[0]!["operation"]).toBe("CREATE TABLE AS SELECT");
    await spark.sql("USE main.default");
    expect([spark.currentCatalog(), spark.currentDatabase()]).toEqual(["main", "default"]);
  });

  it("registers an external table by LOCATION and reads delta.`path` directly", async () => {
    const loc = join(dir, "external", "orders");
    await spark.sql(`CREATE TABLE main.default.orders_ext (id INT, amount DOUBLE) USING DELTA LOCATION '${loc}'`);
    await spark.sql("INSERT INTO main.default.orders_ext VALUES (1, 9.5)");
    expect(await rows(`SELECT * FROM delta.\`${loc}\``)).toEqual([{ id: 1, amount: 9.5 }]);
    const detail = await rows("DESCRIBE DETAIL main.default.orders_ext");
    expect(detail[0]!["location"]).toBe(loc);
    await spark.sql("DROP TABLE main.default.orders_ext");
    // Dropping an external table keeps its data.
    expect(await rows(`SELECT count(*) AS n FROM delta.\`${loc}\``)).toEqual([{ n: 1n }]);
  });

  it("INSERT OVERWRITE … REPLACE WHERE replaces only matching rows", async () => {
    await spark.sql("CREATE TABLE main.default.daily (day DATE, store INT, sales INT) PARTITIONED BY (day)");
    await spark.sql("INSERT INTO main.default.daily VALUES (DATE '2024-01-01', 1, 10), (DATE '2024-01-02', 1, 20), (DATE '2024-01-02', 2, 30)");
    await spark.sql("INSERT OVERWRITE main.default.daily REPLACE WHERE day = DATE '2024-01-02' SELECT DATE '2024-01-02', 1, 99");
    expect(await rows("SELECT day, store, sales FROM main.default.daily ORDER BY day, store")).toEqual([
      { day: "2024-01-01", store: 1, sales: 10 }, { day: "2024-01-02", store: 1, sales: 99 },
    ]);
    const err = await spark.sql("INSERT OVERWRITE main.default.daily REPLACE WHERE day = DATE '2024-01-02' SELECT DATE '2024-01-05', 1, 1").then(() => undefined, (e) => e);
    expect((err as LakehouseError).code).toBe("DELTA_REPLACE_WHERE_MISMATCH");
  });

  it("TIMESTAMP AS OF resolves to the last commit at or before the time", async () => {
    const t = `delta.\`${join(CONFORMANCE, "simple_table")}\``;
    // commitInfo timestamps of simple_table: v0 1587968586154, v1 1587968596254, v2 1587968604143.
    expect(await rows(`SELECT count(*) AS n FROM ${t} TIMESTAMP AS OF '2020-04-27T06:23:16.254Z'`)).toEqual([{ n: 20n }]);
    expect(await rows(`SELECT count(*) AS n FROM ${t} TIMESTAMP AS OF '2020-04-27T06:23:20Z'`)).toEqual([{ n: 20n }]);
    expect(await rows(`SELECT count(*) AS n FROM ${t} TIMESTAMP AS OF '2020-04-27T06:23:24.143Z'`)).toEqual([{ n: 5n }]);
    const early = await spark.sql(`SELECT * FROM ${t} TIMESTAMP AS OF '2019-01-01'`).then((d) => d.collect()).then(() => undefined, (e) => e);
    expect((early as LakehouseError).code).toBe("DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION");
  });

  it("idempotent writes: a repeated (txnAppId, txnVersion) is skipped", async () => {
    const df = DataFrame.fromSql(spark, "SELECT 1 AS id");
    for (let i = 0; i < 2; i++) await df.write.mode("append").option("txnAppId", "job-42").option("txnVersion", 7).saveAsTable("main.default.idem");
    await df.write.mode("append").option("txnAppId", "job-42").option("txnVersion", 8).saveAsTable("main.default.idem");
    expect(await rows("SELECT count(*) AS n FROM main.default.idem")).toEqual([{ n: 2n }]);
  });

  it("VACUUM … DRY RUN lists files past the retention; RETAIN 0 HOURS needs the safety check off", async () => {
    await spark.sql("CREATE TABLE main.default.vac AS SELECT range AS id FROM range(10)");
    await spark.sql("INSERT OVERWRITE main.default.vac SELECT range AS id FROM range(5)");
    const refused = await spark.sql("VACUUM main.default.vac RETAIN 0 HOURS").then(() => undefined, (e) => e);
    expect((refused as LakehouseError).code).toBe("DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT");
    expect(await rows("VACUUM main.default.vac DRY RUN")).toEqual([]);
    await spark.sql("SET spark.databricks.delta.retentionDurationCheck.enabled = false");
    expect((await rows("VACUUM main.default.vac RETAIN 0 HOURS DRY RUN")).length).toBe(1);
    await spark.sql("VACUUM main.default.vac RETAIN 0 HOURS");
    expect(await rows("SELECT count(*) AS n FROM main.default.vac")).toEqual([{ n: 5n }]);
    const old = await spark.sql("SELECT * FROM main.default.vac VERSION AS OF 0").then((d) => d.collect()).then(() => undefined, (e) => e);
    expect(old).toBeInstanceOf(Error);
    expect((await rows("DESCRIBE HISTORY main.default.vac LIMIT 2")).map((r) => r["operation"])).toEqual(["VACUUM END", "VACUUM START"]);
  });
});

describe("queries the compiler must not get wrong", () => {
  it("anti-join: a WHERE on the NULL side of a LEFT JOIN never prunes that table", async () => {
    await spark.sql("CREATE TABLE main.default.aj_a AS SELECT range AS id FROM range(10)");
    await spark.sql("CREATE TABLE main.default.aj_b AS SELECT range AS id FROM range(5)");
    const r = await rows("SELECT a.id FROM main.default.aj_a a LEFT JOIN main.default.aj_b b ON a.id = b.id WHERE b.id IS NULL ORDER BY a.id");
    expect(r.map((x) => Number(x["id"]))).toEqual([5, 6, 7, 8, 9]);
  });

  it("string literals far from a table name do not confuse the tokenizer", async () => {
    const pad = "x".repeat(500);
    const r = await rows(`SELECT count(*) AS n FROM main.default.aj_a WHERE '${pad}' <> 'a ${pad}' AND id < 3`);
    expect(r).toEqual([{ n: 3n }]);
  });

  it("DELETE and UPDATE with subqueries over catalog tables", async () => {
    await spark.sql("CREATE TABLE main.default.sq AS SELECT range AS id, 0 AS v FROM range(10)");
    await spark.sql("DELETE FROM main.default.sq WHERE id IN (SELECT id FROM main.default.aj_b)");
    await spark.sql("UPDATE main.default.sq SET v = (SELECT max(id) FROM main.default.aj_a) WHERE id = 9");
    expect(await rows("SELECT id, v FROM main.default.sq WHERE id >= 8 ORDER BY id")).toEqual([{ id: 8n, v: 0 }, { id: 9n, v: 9 }]);
    expect(await rows("SELECT count(*) AS n FROM main.default.sq")).toEqual([{ n: 5n }]);
  });
});
