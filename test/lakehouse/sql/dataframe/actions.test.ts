import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DataFrame, F, col, formatTable, lit } from "../../../../src/lakehouse/sql/dataframe/index.js";
import { TestRunner } from "./runner-helper.js";

let r: TestRunner;
let people: DataFrame;
let orders: DataFrame;
beforeAll(async () => {
  r = await TestRunner.create();
  people = DataFrame.fromTable(r, "people");
  orders = DataFrame.fromTable(r, "orders");
});
afterAll(() => r.close());
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
});

describe("show()", () => {
  it("prints a PySpark table with the 'only showing' footer, and returns it", async () => {
    const df = people.select("id", "name", "city", "amount").orderBy("id");
    const text = await df.show(3);
    expect(text).toBe([
      "+---+-----+-----+------+",
      "| id| name| city|amount|",
      "+---+-----+-----+------+",
      "|  1|Alice|Paris|120.50|",
      "|  2|  Bob| Lyon| 80.00|",
      "|  3|Chloe|Paris| 45.25|",
      "+---+-----+-----+------+",
      "only showing top 3 rows",
    ].join("\n"));
    expect(console.log).toHaveBeenCalledWith(text);
    expect(r.queries[r.queries.length - 1]).toBe(`SELECT "id", "name", "city", "amount" FROM people ORDER BY "id" ASC NULLS FIRST LIMIT 4`);
  });

  it("shows NULL, doubles, arrays and timestamps like Spark; no footer when everything fits", async () => {
    const text = await orders.join(people.select(col("id").alias("person_id"), "city", "ts"), "person_id", "left")
      .select("order_id", "price", "tags", "city", "ts").orderBy("order_id").show();
    expect(text).toBe([
      "+--------+-----+------+-----+-------------------+",
      "|order_id|price|  tags| city|                 ts|",
      "+--------+-----+------+-----+-------------------+",
      "|      10| 12.5|[a, b]|Paris|2024-01-05 10:00:00|",
      "|      11|  1.2|   [a]|Paris|2024-01-05 10:00:00|",
      "|      12| 12.5|    []| Lyon|2024-01-06 11:30:00|",
      "|      13| 40.0|  NULL|Paris|2024-02-01 09:15:00|",
      "|      14|150.0|   [x]| NULL|               NULL|",
      "+--------+-----+------+-----+-------------------+",
    ].join("\n"));
  });

  it("truncates long strings to 20 characters, or not at all, and says 'row' for one", async () => {
    const df = people.select("id", lit("This is a super long name").alias("note")).orderBy("id");
    expect(await df.show(1)).toBe([
      "+---+--------------------+",
      "| id|                note|",
      "+---+--------------------+",
      "|  1|This is a super l...|",
      "+---+--------------------+",
      "only showing top 1 row",
    ].join("\n"));
    expect(await df.show(1, false)).toBe([
      "+---+-------------------------+",
      "|id |note                     |",
      "+---+-------------------------+",
      "|1  |This is a super long name|",
      "+---+-------------------------+",
      "only showing top 1 row",
    ].join("\n"));
    expect((await df.show(1, 3)).split("\n")[3]).toBe("|  1| Thi|");
  });

  it("prints empty results and vertical records", async () => {
    expect(await people.filter(col("id").gt(100)).select("id").show()).toBe(["+---+", "| id|", "+---+", "+---+"].join("\n"));
    expect(await people.select("id", "name").orderBy("id").show(2, true, true)).toBe([
      "-RECORD 0-----",
      " id   | 1     ",
      " name | Alice ",
      "-RECORD 1-----",
      " id   | 2     ",
      " name | Bob   ",
      "only showing top 2 rows",
    ].join("\n"));
  });

  it("formatTable renders rows already in memory", () => {
    expect(formatTable(["a", "b"], [{ a: 1n, b: null }, { a: 22n, b: "x" }], false)).toBe(
      ["+---+----+", "|a  |b   |", "+---+----+", "|1  |NULL|", "|22 |x   |", "+---+----+"].join("\n"));
  });
});

describe("schema actions", () => {
  const df = () => people.select("id", "name", "amount", "ts", F.split(col("name"), "l").alias("parts"), F.struct("id", "city").alias("s"));

  it("printSchema prints Spark's tree", async () => {
    expect(await df().printSchema()).toBe([
      "root",
      " |-- id: long (nullable = true)",
      " |-- name: string (nullable = true)",
      " |-- amount: decimal(10,2) (nullable = true)",
      " |-- ts: timestamp_ntz (nullable = true)",
      " |-- parts: array (nullable = true)",
      " |    |-- element: string (containsNull = true)",
      " |-- s: struct (nullable = true)",
      " |    |-- id: long (nullable = true)",
      " |    |-- city: string (nullable = true)",
    ].join("\n"));
  });

  it("dtypes, columns and schema", async () => {
    expect(await df().dtypes()).toEqual([
      ["id", "bigint"], ["name", "string"], ["amount", "decimal(10,2)"], ["ts", "timestamp_ntz"], ["parts", "array<string>"], ["s", "struct<id:bigint,city:string>"],
    ]);
    expect(await df().columns()).toEqual(["id", "name", "amount", "ts", "parts", "s"]);
    expect((await people.schema())[3]).toEqual({ name: "amount", type: "DECIMAL(10,2)" });
  });
});

describe("row actions", () => {
  it("count, first, head, take, isEmpty, collect/toArray", async () => {
    expect(await people.count()).toBe(6);
    expect(r.queries[r.queries.length - 1]).toBe(`SELECT count(*) AS "count" FROM (SELECT * FROM people) AS _count`);
    expect(await people.filter(col("city").eq("Paris")).count()).toBe(2);
    const sorted = people.orderBy(col("amount").desc()).select("name");
    expect(await sorted.first()).toEqual({ name: "David" });
    expect(await sorted.head()).toEqual({ name: "David" });
    expect(await sorted.head(2)).toEqual([{ name: "David" }, { name: "Alice" }]);
    expect(await sorted.take(3)).toEqual([{ name: "David" }, { name: "Alice" }, { name: "Bob" }]);
    expect(await people.filter("id > 100").first()).toBeNull();
    expect(await people.filter("id > 100").isEmpty()).toBe(true);
    expect(await people.isEmpty()).toBe(false);
    expect(await people.select("id").toArray()).toEqual(await people.select("id").collect());
  });
});

describe("df.write", () => {
  it("saveAsTable passes the SQL and Spark's defaults (delta, errorifexists)", async () => {
    const df = people.filter(col("id").gt(1));
    await df.write.saveAsTable("c360.gold.people");
    expect(r.writes.at(-1)).toEqual({
      sql: `SELECT * FROM people WHERE ("id" > 1)`,
      spec: { format: "delta", mode: "errorifexists", options: {}, partitionBy: [], target: { kind: "table", name: "c360.gold.people" } },
    });
  });

  it("format, mode, options (stringified) and partitionBy", async () => {
    await people.write.format("Delta").mode("overwrite").option("overwriteSchema", true).options({ maxRecordsPerFile: 1000, comment: "x" })
      .partitionBy("city").saveAsTable("c360.gold.p");
    expect(r.writes.at(-1)!.spec).toEqual({
      format: "delta", mode: "overwrite", options: { overwriteSchema: "true", maxRecordsPerFile: "1000", comment: "x" },
      partitionBy: ["city"], target: { kind: "table", name: "c360.gold.p" },
    });
    await people.write.mode("DEFAULT").saveAsTable("t");
    expect(r.writes.at(-1)!.spec.mode).toBe("errorifexists");
    expect(() => people.write.mode("sometimes")).toThrow(/save mode/);
  });

  it("save(path) or option('path'), and format shortcuts", async () => {
    await people.write.format("parquet").mode("append").save("/tmp/out");
    expect(r.writes.at(-1)!.spec).toMatchObject({ format: "parquet", mode: "append", target: { kind: "path", path: "/tmp/out" } });
    await people.write.option("path", "/tmp/p2").save();
    expect(r.writes.at(-1)!.spec.target).toEqual({ kind: "path", path: "/tmp/p2" });
    await people.write.json("/tmp/j");
    expect(r.writes.at(-1)!.spec).toMatchObject({ format: "json", target: { kind: "path", path: "/tmp/j" } });
    await expect(people.write.save()).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("insertInto: overwrite from the argument or the mode", async () => {
    await people.write.insertInto("c360.gold.t");
    expect(r.writes.at(-1)!.spec.target).toEqual({ kind: "insertInto", name: "c360.gold.t", overwrite: false });
    await people.write.mode("overwrite").insertInto("c360.gold.t");
    expect(r.writes.at(-1)!.spec.target).toEqual({ kind: "insertInto", name: "c360.gold.t", overwrite: true });
    await people.write.insertInto("c360.gold.t", true);
    expect(r.writes.at(-1)!.spec.target).toMatchObject({ overwrite: true });
    await expect(people.write.partitionBy("city").insertInto("t")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("writers are immutable and resolve the DataFrame before writing", async () => {
    const w = DataFrame.fromTable(r, "people").withColumn("name", F.upper("name")).write;
    w.mode("append").partitionBy("city");
    await w.saveAsTable("t2");
    const last = r.writes.at(-1)!;
    expect(last.spec).toMatchObject({ mode: "errorifexists", partitionBy: [] });
    expect(last.sql).toBe(`SELECT "id", upper("name") AS "name", "city", "amount", "ts" FROM people`);
  });
});
