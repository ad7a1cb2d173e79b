import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataFrame, F, Window, col, lit, when } from "../../../../src/lakehouse/sql/dataframe/index.js";
import type { Row } from "../../../../src/lakehouse/sql/dataframe/index.js";
import { TestRunner } from "./runner-helper.js";

/** Rows with bigints as numbers and timestamps as ISO strings, for readable expectations. */
function norm(rows: Row[]): Record<string, unknown>[] {
  const conv = (v: unknown): unknown =>
    typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map(conv) : v;
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, conv(v)])));
}

let r: TestRunner;
let people: DataFrame;
let orders: DataFrame;
beforeAll(async () => {
  r = await TestRunner.create();
  people = DataFrame.fromTable(r, "people");
  orders = DataFrame.fromTable(r, "orders");
});
afterAll(() => r.close());

/** Runs the frame and checks that what ran is exactly what toSQL() shows. */
async function run(df: DataFrame): Promise<Record<string, unknown>[]> {
  const rows = await df.collect();
  expect(r.queries[r.queries.length - 1]).toBe(df.toSQL());
  return norm(rows);
}

describe("flat compilation (data skipping)", () => {
  it("compiles filter + select + filter + orderBy + limit on a table to ONE SELECT", async () => {
    const df = people.filter(col("amount").gt(10)).select("id", "name", "city").filter("city = 'Paris'").orderBy(col("id").desc()).limit(2);
    expect(df.toSQL()).toBe(`SELECT "id", "name", "city" FROM people WHERE ("amount" > 10) AND (city = 'Paris') ORDER BY "id" DESC NULLS LAST LIMIT 2`);
    expect(await run(df)).toEqual([{ id: 3, name: "Chloe", city: "Paris" }, { id: 1, name: "Alice", city: "Paris" }]);
  });

  it("where() is filter(); table names are emitted verbatim", () => {
    expect(DataFrame.fromTable(r, "c360.gold.t").where(col("x").eq(1)).where(col("y").gt(2)).toSQL())
      .toBe(`SELECT * FROM c360.gold.t WHERE ("x" = 1) AND ("y" > 2)`);
  });

  it("wraps only when SQL cannot merge: a filter after a limit", async () => {
    const df = people.orderBy("id").limit(3).filter(col("id").gt(1));
    expect(df.toSQL()).toBe(`SELECT * FROM (SELECT * FROM people ORDER BY "id" ASC NULLS FIRST LIMIT 3) AS _df1 WHERE ("id" > 1)`);
    expect((await run(df)).map((x) => x["id"])).toEqual([2, 3]);
  });

  it("pushes filters on passed-through columns below computed ones", async () => {
    const df = people.withColumn("double", col("amount").multiply(2)).filter(col("double").gt(100)).filter(col("city").eq("Paris"));
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT * FROM (SELECT *, ("amount" * 2) AS "double" FROM people WHERE ("city" = 'Paris')) AS _df1 WHERE ("double" > 100)`);
    expect(await run(df)).toEqual([{ id: 1, name: "Alice", city: "Paris", amount: 120.5, ts: "2024-01-05T10:00:00.000Z", double: 241 }]);
  });

  it("picks computed columns in a later select instead of nesting", async () => {
    const df = people.withColumn("initial", F.substring("name", 1, 1)).select("name", "initial").filter(col("name").startswith("A"));
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT "name", substring("name", 1, 1) AS "initial" FROM people WHERE (starts_with("name", 'A'))`);
    expect(await run(df)).toEqual([{ name: "Alice", initial: "A" }, { name: "Alice", initial: "A" }]);
  });

  it("keeps the plan immutable: every method returns a new frozen DataFrame", () => {
    const base = people.filter(col("id").gt(1));
    const before = base.toSQL();
    const child = base.select("id").limit(1);
    expect(base.toSQL()).toBe(before);
    expect(child).not.toBe(base);
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(col("a"))).toBe(true);
  });

  it("runs spark.sql text as is, and wraps it when transformed", async () => {
    const df = DataFrame.fromSql(r, "SELECT id, name FROM people WHERE id < 4;");
    expect(df.toSQL()).toBe("SELECT id, name FROM people WHERE id < 4");
    const describes = r.describes.length;
    expect((await run(df)).length).toBe(3);
    expect(r.describes.length).toBe(describes); // nothing to resolve for a bare query
    const f = df.filter(col("id").ge(2));
    expect(f.toSQL()).toBe(`SELECT * FROM (SELECT id, name FROM people WHERE id < 4) AS _df1 WHERE ("id" >= 2)`);
    expect(await run(f)).toEqual([{ id: 2, name: "Bob" }, { id: 3, name: "Chloe" }]);
  });
});

describe("select / withColumn / rename / drop", () => {
  it("selects names, Columns and SQL expressions", async () => {
    const df = people.select("name", col("amount").multiply(2).alias("dbl"), F.upper("city")).filter(col("name").eq("Bob"));
    expect(df.toSQL()).toBe(`SELECT "name", ("amount" * 2) AS "dbl", upper("city") AS "upper(city)" FROM people WHERE ("name" = 'Bob')`);
    expect(await run(df)).toEqual([{ name: "Bob", dbl: 160, "upper(city)": "LYON" }]);
    const e = people.selectExpr("name", "amount * 2 AS dbl", "upper(city)").filter("name = 'Bob'");
    expect(e.toSQL()).toBe(`SELECT "name", (amount * 2) AS "dbl", upper(city) AS "upper(city)" FROM people WHERE (name = 'Bob')`);
    expect(await run(e)).toEqual([{ name: "Bob", dbl: 160, "upper(city)": "LYON" }]);
  });

  it("withColumn replaces in place (needs the columns: resolved at action time)", async () => {
    const df = DataFrame.fromTable(r, "people").withColumn("city", F.upper(col("city"))).filter(col("id").lt(3));
    expect(() => df.toSQL()).toThrow(/DATAFRAME_NOT_RESOLVED/);
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT "id", "name", upper("city") AS "city", "amount", "ts" FROM people WHERE ("id" < 3)`);
    const rows = await run(df);
    expect(Object.keys(rows[0]!)).toEqual(["id", "name", "city", "amount", "ts"]);
    expect(rows.map((x) => x["city"])).toEqual(["PARIS", "LYON"]);
  });

  it("uses a schema given by the session instead of describing", async () => {
    const schema = [{ name: "id", type: "BIGINT" }, { name: "name", type: "VARCHAR" }, { name: "city", type: "VARCHAR" }, { name: "amount", type: "DECIMAL(10,2)" }, { name: "ts", type: "TIMESTAMP" }];
    const n = r.describes.length;
    const df = DataFrame.fromTable(r, "people", schema).withColumn("id", col("id").plus(100)).withColumn("flag", lit(true));
    expect(df.toSQL()).toBe(`SELECT ("id" + 100) AS "id", "name", "city", "amount", "ts", TRUE AS "flag" FROM people`);
    expect((await run(df.limit(1)))[0]).toMatchObject({ id: 101, flag: true });
    expect(r.describes.length).toBe(n);
  });

  it("withColumns, withColumnRenamed and drop", async () => {
    const df = people
      .withColumns({ city: F.lower("city"), year: F.year("ts") })
      .withColumnRenamed("name", "who")
      .withColumnRenamed("nope", "ignored")
      .drop("ts", "amount", "not_there")
      .filter(col("id").eq(2));
    const rows = await run(df);
    expect(rows).toEqual([{ id: 2, who: "Bob", city: "lyon", year: 2024 }]);
    expect(df.toSQL()).toContain(`"name" AS "who"`);
  });

  it("reports unknown columns with suggestions", async () => {
    const err = await people.filter(col("amont").gt(1)).collect().catch((e) => e);
    expect(err).toMatchObject({ code: "UNRESOLVED_COLUMN" });
    expect(err.message).toContain("`amont` cannot be resolved");
    expect(err.message).toContain("`amount`");
    expect(err.message).toMatch(/df\.columns\(\)/);
    await expect(people.select("id", "nmae").collect()).rejects.toMatchObject({ code: "UNRESOLVED_COLUMN" });
    await expect(people.dropDuplicates(["nmae"]).collect()).rejects.toMatchObject({ code: "UNRESOLVED_COLUMN" });
  });

  it("rejects bad arguments with INVALID_ARGUMENT", () => {
    expect(() => people.select()).toThrow(/INVALID_ARGUMENT/);
    expect(() => people.limit(-1)).toThrow(/INVALID_ARGUMENT/);
    expect(() => people.withColumn("x", 1 as never)).toThrow(/lit/);
    expect(() => people.join(orders, "id", "sideways")).toThrow(/Unsupported join type/);
  });
});

describe("groupBy / agg", () => {
  it("aggregates, filters groups with HAVING, sorts by the aggregate", async () => {
    const df = people.groupBy("city").agg(F.sum("amount").alias("total"), F.count("*").alias("n"))
      .filter(col("n").gt(1)).orderBy(col("total").desc());
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT "city", sum("amount") AS "total", count(*) AS "n" FROM people GROUP BY "city" HAVING ("n" > 1) ORDER BY "total" DESC NULLS LAST`);
    expect(await run(df)).toEqual([{ city: "Paris", total: 165.75, n: 2 }, { city: "Lyon", total: 80, n: 2 }]);
  });

  it("wraps a filter whose alias shadows an input column, and a select after groupBy picks", async () => {
    const df = people.groupBy("city").agg(F.sum("amount").alias("amount")).filter(col("amount").gt(100)).select("city").orderBy("city");
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT "city" FROM (SELECT "city", sum("amount") AS "amount" FROM people GROUP BY "city") AS _df1 WHERE ("amount" > 100) ORDER BY "city" ASC NULLS FIRST`);
    expect(await run(df)).toEqual([{ city: null }, { city: "Paris" }]);
  });

  it("filters before the aggregation in WHERE, expression keys, global agg", async () => {
    const df = people.filter(col("amount").isNotNull()).groupBy(F.year("ts").alias("y"), F.month("ts").alias("m")).agg(F.avg("amount").alias("avg")).orderBy("m");
    expect(df.toSQL()).toBe(`SELECT year("ts") AS "y", month("ts") AS "m", avg("amount") AS "avg" FROM people WHERE ("amount" IS NOT NULL) GROUP BY year("ts"), month("ts") ORDER BY "m" ASC NULLS FIRST`);
    expect(await run(df)).toEqual([{ y: 2024, m: 1, avg: 100.25 }, { y: 2024, m: 2, avg: 172.625 }, { y: 2024, m: 3, avg: 15 }]);
    const g = people.agg(F.max("amount").alias("mx"), F.countDistinct("city").alias("cities"));
    expect(g.toSQL()).toBe(`SELECT max("amount") AS "mx", count(DISTINCT "city") AS "cities" FROM people`);
    expect(await run(g)).toEqual([{ mx: 300, cities: 3 }]);
  });

  it("GroupedData shortcuts: count, sum of all numeric columns, dict form", async () => {
    expect(await run(people.groupBy("city").count().orderBy("city"))).toEqual([
      { city: null, count: 1 }, { city: "Lyon", count: 2 }, { city: "Nice", count: 1 }, { city: "Paris", count: 2 },
    ]);
    const s = people.groupBy("city").sum().filter(col("city").eq("Paris"));
    await s.resolve();
    expect(s.toSQL()).toBe(`SELECT "city", sum("id") AS "sum(id)", sum("amount") AS "sum(amount)" FROM people GROUP BY "city" HAVING ("city" = 'Paris')`);
    expect(await run(s)).toEqual([{ city: "Paris", "sum(id)": 4, "sum(amount)": 165.75 }]);
    expect(await run(people.groupBy().max("id"))).toEqual([{ "max(id)": 6 }]);
    expect(await run(people.groupBy("city").agg({ amount: "avg", "*": "count" }).filter(col("city").eq("Lyon")))).toEqual([
      { city: "Lyon", "avg(amount)": 80, "count(1)": 2 },
    ]);
  });
});

describe("joins", () => {
  const personIds = (rows: Record<string, unknown>[]) => rows.map((x) => x["person_id"]);
  const cust = () => people.withColumnRenamed("id", "person_id");

  it("inner join on a column name: key once, then left, then right columns", async () => {
    const df = orders.join(cust(), "person_id").orderBy("order_id");
    await df.resolve();
    expect(df.toSQL()).toBe(
      `SELECT "person_id", _df1."order_id", _df1."product", _df1."qty", _df1."price", _df1."tags", _df2."name", _df2."city", _df2."amount", _df2."ts" ` +
      `FROM orders AS _df1 JOIN (SELECT "id" AS "person_id", "name", "city", "amount", "ts" FROM people) AS _df2 USING ("person_id") ORDER BY "order_id" ASC NULLS FIRST`);
    const rows = await run(df);
    expect(Object.keys(rows[0]!)).toEqual(["person_id", "order_id", "product", "qty", "price", "tags", "name", "city", "amount", "ts"]);
    expect(rows.map((x) => [x["order_id"], x["name"]])).toEqual([[10, "Alice"], [11, "Alice"], [12, "Bob"], [13, "Chloe"]]);
  });

  it("left / right / full outer joins", async () => {
    const left = await run(orders.join(cust(), ["person_id"], "left").orderBy("order_id"));
    expect(left.map((x) => [x["order_id"], x["name"]])).toEqual([[10, "Alice"], [11, "Alice"], [12, "Bob"], [13, "Chloe"], [14, null]]);
    const right = await run(orders.join(cust(), "person_id", "right_outer").orderBy("person_id", "order_id"));
    expect(right.map((x) => [x["person_id"], x["order_id"]])).toEqual([[1, 10], [1, 11], [2, 12], [3, 13], [4, null], [5, null], [6, null]]);
    const full = orders.join(cust(), "person_id", "outer").orderBy("person_id", "order_id");
    expect(full.toSQL()).toContain(" FULL OUTER JOIN ");
    expect(personIds(await run(full))).toEqual([1, 1, 2, 3, 4, 5, 6, 9]);
  });

  it("semi and anti joins keep the left columns only", async () => {
    const semi = orders.join(cust(), "person_id", "left_semi").orderBy("order_id");
    expect(semi.toSQL()).toBe(`SELECT * FROM orders AS _df1 SEMI JOIN (SELECT "id" AS "person_id", "name", "city", "amount", "ts" FROM people) AS _df2 USING ("person_id") ORDER BY "order_id" ASC NULLS FIRST`);
    const rows = await run(semi);
    expect(rows.map((x) => x["order_id"])).toEqual([10, 11, 12, 13]);
    expect(Object.keys(rows[0]!)).toEqual(["order_id", "person_id", "product", "qty", "price", "tags"]);
    const anti = people.join(orders, people.col("id").eq(orders.col("person_id")), "anti").orderBy("id");
    expect(anti.toSQL()).toBe(`SELECT * FROM people AS _df1 ANTI JOIN orders AS _df2 ON (_df1."id" = _df2."person_id") ORDER BY "id" ASC NULLS FIRST`);
    expect((await run(anti)).map((x) => x["id"])).toEqual([4, 5, 6]);
  });

  it("cross joins", async () => {
    const df = people.select("id").crossJoin(orders.select("order_id"));
    expect(df.toSQL()).toBe(`SELECT * FROM (SELECT "id" FROM people) AS _df1 CROSS JOIN (SELECT "order_id" FROM orders) AS _df2`);
    expect(await df.count()).toBe(30);
    expect(await people.join(orders, undefined, "cross").count()).toBe(30);
  });

  it("joins on a condition with df.col(), filters in the same SELECT, drops the duplicate key", async () => {
    const df = people.join(orders, people.col("id").eq(orders.col("person_id")), "left")
      .filter(col("city").eq("Paris"))
      .drop(orders.col("person_id"))
      .select(people.col("id"), "name", "product")
      .orderBy("id", "product");
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT _df1."id", _df1."name", _df2."product" FROM people AS _df1 LEFT JOIN orders AS _df2 ON (_df1."id" = _df2."person_id") WHERE ("city" = 'Paris') ORDER BY "id" ASC NULLS FIRST, "product" ASC NULLS FIRST`);
    expect(await run(df)).toEqual([{ id: 1, name: "Alice", product: "book" }, { id: 1, name: "Alice", product: "pen" }, { id: 3, name: "Chloe", product: "lamp" }]);
  });

  it("joins aliased frames with qualified names, chains joins in one FROM, aggregates the result", async () => {
    const df = orders.alias("o").join(people.alias("p"), col("o.person_id").eq(col("p.id")))
      .join(people.alias("q"), col("q.id").eq(col("p.id").plus(1)), "left")
      .groupBy("p.name").agg(F.sum(col("o.qty")).alias("qty"), F.max(col("q.name")).alias("next"))
      .orderBy("name");
    expect(df.toSQL()).toBe(
      `SELECT "p"."name", sum("o"."qty") AS "qty", max("q"."name") AS "next" FROM orders AS "o" JOIN people AS "p" ON ("o"."person_id" = "p"."id") ` +
      `LEFT JOIN people AS "q" ON ("q"."id" = ("p"."id" + 1)) GROUP BY "p"."name" ORDER BY "name" ASC NULLS FIRST`);
    expect(await run(df)).toEqual([{ name: "Alice", qty: 12, next: "Bob" }, { name: "Bob", qty: 1, next: "Chloe" }, { name: "Chloe", qty: 1, next: "David" }]);
  });

  it("reports a USING column missing on one side", async () => {
    const err = await orders.join(people, "person_id").collect().catch((e) => e);
    expect(err).toMatchObject({ code: "UNRESOLVED_USING_COLUMN_FOR_JOIN" });
    expect(err.message).toContain("right side");
  });
});

describe("orderBy / limit / distinct / dropDuplicates", () => {
  it("sorts NULLs first ascending and last descending (Spark's default)", async () => {
    const asc = await run(people.select("city").distinct().orderBy("city"));
    expect(asc.map((x) => x["city"])).toEqual([null, "Lyon", "Nice", "Paris"]);
    const desc = await run(people.select("name", "amount").orderBy(["amount", "name"], { ascending: [false, true] }));
    expect(desc.map((x) => x["name"])).toEqual(["David", "Alice", "Bob", "Chloe", "Alice", "Emma"]);
    expect(people.sort(col("amount").asc_nulls_last()).toSQL()).toBe(`SELECT * FROM people ORDER BY "amount" ASC NULLS LAST`);
  });

  it("limit after limit keeps the smaller one; a sort after a limit wraps", () => {
    expect(people.limit(5).limit(2).toSQL()).toBe("SELECT * FROM people LIMIT 2");
    expect(people.limit(2).orderBy("id").toSQL()).toBe(`SELECT * FROM (SELECT * FROM people LIMIT 2) AS _df1 ORDER BY "id" ASC NULLS FIRST`);
  });

  it("distinct → SELECT DISTINCT", async () => {
    const df = people.select("city").distinct();
    expect(df.toSQL()).toBe(`SELECT DISTINCT "city" FROM people`);
    expect((await run(df)).length).toBe(4);
    expect(people.dropDuplicates().toSQL()).toBe("SELECT DISTINCT * FROM people");
  });

  it("dropDuplicates(subset) keeps one row per key with QUALIFY", async () => {
    const df = people.filter(col("id").gt(0)).dropDuplicates(["name"]).orderBy("id");
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT * FROM people WHERE ("id" > 0) QUALIFY row_number() OVER (PARTITION BY "name") = 1 ORDER BY "id" ASC NULLS FIRST`);
    const rows = await run(df);
    expect(rows.map((x) => x["name"]).sort()).toEqual(["Alice", "Bob", "Chloe", "David", "Emma"]);
    const after = people.dropDuplicates("city").filter(col("id").gt(2));
    await after.resolve();
    expect(after.toSQL()).toBe(`SELECT * FROM (SELECT * FROM people QUALIFY row_number() OVER (PARTITION BY "city") = 1) AS _df1 WHERE ("id" > 2)`);
  });
});

describe("unions", () => {
  it("union / unionAll match by position (UNION ALL)", async () => {
    const df = people.select("id").union(orders.select("order_id")).unionAll(people.filter(col("id").eq(1)).select("id"));
    expect(df.toSQL()).toBe(`SELECT "id" FROM people UNION ALL SELECT "order_id" FROM orders UNION ALL SELECT "id" FROM people WHERE ("id" = 1)`);
    expect((await run(df)).map((x) => x["id"])).toEqual([1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 1]);
    const filtered = df.filter(col("id").gt(12));
    expect(filtered.toSQL()).toBe(`SELECT * FROM (${df.toSQL()}) AS _df1 WHERE ("id" > 12)`);
    expect((await run(filtered)).map((x) => x["id"])).toEqual([13, 14]);
  });

  it("unionByName reorders by name and fills missing columns when allowed", async () => {
    const more = DataFrame.fromTable(r, "more_people");
    const df = people.select("name", "id").unionByName(more, true).orderBy("id");
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT * FROM (SELECT "name", "id", NULL AS "email" FROM people UNION ALL SELECT "name", "id", "email" FROM more_people) AS _df1 ORDER BY "id" ASC NULLS FIRST`);
    const rows = await run(df);
    expect(rows.slice(-2)).toEqual([{ name: "Farid", id: 7, email: "farid@example.com" }, { name: "Gina", id: 8, email: null }]);
    expect(rows[0]).toEqual({ name: "Alice", id: 1, email: null });
    await expect(people.select("name", "id").unionByName(more).collect()).rejects.toMatchObject({ code: "UNRESOLVED_COLUMN" });
    await expect(people.select("id").union(more).collect()).rejects.toMatchObject({ code: "NUM_COLUMNS_MISMATCH" });
  });
});

describe("window functions and CASE WHEN", () => {
  it("row_number per partition, then a filter on it (wraps, as SQL needs)", async () => {
    const w = Window.partitionBy("city").orderBy(col("amount").desc());
    const df = people.withColumn("rn", F.row_number().over(w)).filter(col("rn").eq(1)).select("city", "name").orderBy("city");
    await df.resolve();
    expect(df.toSQL()).toBe(`SELECT "city", "name" FROM (SELECT *, row_number() OVER (PARTITION BY "city" ORDER BY "amount" DESC NULLS LAST) AS "rn" FROM people) AS _df1 WHERE ("rn" = 1) ORDER BY "city" ASC NULLS FIRST`);
    expect(await run(df)).toEqual([{ city: null, name: "David" }, { city: "Lyon", name: "Bob" }, { city: "Nice", name: "Alice" }, { city: "Paris", name: "Alice" }]);
  });

  it("rank, dense_rank, lag, lead and running totals", async () => {
    const byAmount = Window.orderBy(col("amount").desc_nulls_last());
    const running = Window.partitionBy("city").orderBy("ts").rowsBetween(Window.unboundedPreceding, Window.currentRow);
    const df = people.filter(col("city").isNotNull()).select(
      "name", "city",
      F.rank().over(byAmount).alias("rank"), F.dense_rank().over(byAmount).alias("dense"),
      F.lag("name").over(Window.partitionBy("city").orderBy("ts")).alias("prev"),
      F.lead("name", 1, "-").over(Window.partitionBy("city").orderBy("ts")).alias("next"),
      F.sum("amount").over(running).alias("running"),
    ).orderBy("city", "name");
    expect(df.toSQL()).toContain(`sum("amount") OVER (PARTITION BY "city" ORDER BY "ts" ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "running"`);
    expect(await run(df)).toEqual([
      { name: "Bob", city: "Lyon", rank: 2, dense: 2, prev: null, next: "Emma", running: 80 },
      { name: "Emma", city: "Lyon", rank: 5, dense: 5, prev: "Bob", next: "-", running: 80 },
      { name: "Alice", city: "Nice", rank: 4, dense: 4, prev: null, next: "-", running: 15 },
      { name: "Alice", city: "Paris", rank: 1, dense: 1, prev: null, next: "Chloe", running: 120.5 },
      { name: "Chloe", city: "Paris", rank: 3, dense: 3, prev: "Alice", next: "-", running: 165.75 },
    ]);
  });

  it("when / otherwise", async () => {
    const size = when(col("amount").ge(100), "big").when(col("amount").ge(50), "mid").otherwise("small");
    const df = people.select("name", size.alias("size")).filter(col("name").ne("Alice"));
    expect(df.toSQL()).toBe(`SELECT "name", CASE WHEN ("amount" >= 100) THEN 'big' WHEN ("amount" >= 50) THEN 'mid' ELSE 'small' END AS "size" FROM people WHERE ("name" <> 'Alice')`);
    expect(await run(df)).toEqual([{ name: "Bob", size: "mid" }, { name: "Chloe", size: "small" }, { name: "David", size: "big" }, { name: "Emma", size: "small" }]);
  });
});

describe("NULL handling, explode, transform, alias", () => {
  it("fillna by type and by column; dropna any / all / thresh / subset", async () => {
    const filled = people.fillna(0).fillna({ city: "?" }).filter(col("id").ge(4)).select("id", "city", "amount");
    expect(await run(filled)).toEqual([{ id: 4, city: "?", amount: 300 }, { id: 5, city: "Lyon", amount: 0 }, { id: 6, city: "Nice", amount: 15 }]);
    expect(filled.toSQL()).toContain(`coalesce("amount", CAST(0 AS DECIMAL(10,2))) AS "amount"`);
    const any = people.dropna();
    await any.resolve();
    expect(any.toSQL()).toBe(`SELECT * FROM people WHERE ("id" IS NOT NULL AND "name" IS NOT NULL AND "city" IS NOT NULL AND "amount" IS NOT NULL AND "ts" IS NOT NULL)`);
    expect((await run(any)).map((x) => x["id"])).toEqual([1, 2, 3, 6]);
    expect((await run(people.dropna(["city"]))).map((x) => x["id"])).toEqual([1, 2, 3, 5, 6]);
    expect((await run(people.dropna({ how: "all", subset: ["city", "amount"] }))).length).toBe(6);
    expect((await run(people.dropna("any", 5))).map((x) => x["id"])).toEqual([1, 2, 3, 6]);
  });

  it("explode one row per element", async () => {
    const df = orders.select("order_id", F.explode("tags").alias("tag"));
    expect(df.toSQL()).toBe(`SELECT "order_id", unnest("tags") AS "tag" FROM orders`);
    expect(await run(df)).toEqual([{ order_id: 10, tag: "a" }, { order_id: 10, tag: "b" }, { order_id: 11, tag: "a" }, { order_id: 14, tag: "x" }]);
    const counted = df.groupBy("tag").count().orderBy("tag");
    expect(await run(counted)).toEqual([{ tag: "a", count: 2 }, { tag: "b", count: 1 }, { tag: "x", count: 1 }]);
  });

  it("transform chains reusable steps; alias names the frame", async () => {
    const onlyParis = (df: DataFrame) => df.filter(col("city").eq("Paris"));
    const top = (df: DataFrame, n: number) => df.orderBy(col("amount").desc()).limit(n);
    const df = people.transform(onlyParis).transform(top, 1).select("name");
    expect(df.toSQL()).toBe(`SELECT "name" FROM people WHERE ("city" = 'Paris') ORDER BY "amount" DESC NULLS LAST LIMIT 1`);
    expect(await run(df)).toEqual([{ name: "Alice" }]);
    const aliased = people.alias("p").filter(col("p.id").eq(2)).select("p.name");
    expect(aliased.toSQL()).toBe(`SELECT "p"."name" FROM people AS "p" WHERE ("p"."id" = 2)`);
    expect(await run(aliased)).toEqual([{ name: "Bob" }]);
  });
});
