import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataFrame, F, Window, col, expr, lit, when, type Column } from "../../../../src/lakehouse/sql/dataframe/index.js";
import { LakehouseError } from "../../../../src/lakehouse/errors.js";
import { TestRunner } from "./runner-helper.js";

const sql = (c: Column) => c.toSQL();

describe("Column SQL", () => {
  it("quotes names, accepts dotted and back-quoted names", () => {
    expect(sql(col("amount"))).toBe('"amount"');
    expect(sql(col("c.amount"))).toBe('"c"."amount"');
    expect(sql(col("`odd.name`"))).toBe('"odd.name"');
    expect(sql(col('we"ird'))).toBe('"we""ird"');
    expect(sql(col("*"))).toBe("*");
    expect(sql(col("t.*"))).toBe('"t".*');
  });

  it("renders literals, escaping strings", () => {
    expect(sql(lit("it's"))).toBe("'it''s'");
    expect(sql(lit(10))).toBe("10");
    expect(sql(lit(2.5))).toBe("2.5");
    expect(sql(lit(12345678901234567890n))).toBe("12345678901234567890");
    expect(sql(lit(true))).toBe("TRUE");
    expect(sql(lit(null))).toBe("NULL");
    expect(sql(lit(new Date("2024-01-02T03:04:05Z")))).toBe("TIMESTAMP '2024-01-02 03:04:05'");
    expect(sql(lit(new Date("2024-01-02T03:04:05.250Z")))).toBe("TIMESTAMP '2024-01-02 03:04:05.250'");
    expect(sql(lit([1, 2]))).toBe("[1, 2]");
    expect(sql(lit(Number.NaN))).toBe("CAST('NaN' AS DOUBLE)");
    expect(() => lit({} as never)).toThrow(LakehouseError);
  });

  it("builds comparisons, boolean logic and arithmetic; non-Columns are literals", () => {
    expect(sql(col("amount").gt(10))).toBe('("amount" > 10)');
    expect(sql(col("city").eq("Paris"))).toBe(`("city" = 'Paris')`);
    expect(sql(col("a").ne(1).or(col("b").le(2)).and(col("c").not()))).toBe('((("a" <> 1) OR ("b" <= 2)) AND (NOT "c"))');
    expect(sql(col("a").eqNullSafe(col("b")))).toBe('("a" IS NOT DISTINCT FROM "b")');
    expect(sql(col("a").plus(1).multiply(col("b").minus(2)).divide(3).mod(4))).toBe('(((("a" + 1) * ("b" - 2)) / 3) % 4)');
    expect(sql(col("a").equalTo(1))).toBe(sql(col("a").eq(1)));
    expect(sql(col("a").geq(1))).toBe('("a" >= 1)');
    expect(sql(col("a").leq(1))).toBe('("a" <= 1)');
    expect(sql(col("a").notEqual(1))).toBe('("a" <> 1)');
  });

  it("builds predicates", () => {
    expect(sql(col("x").isNull())).toBe('("x" IS NULL)');
    expect(sql(col("x").isNotNull())).toBe('("x" IS NOT NULL)');
    expect(sql(col("city").isin("Paris", "Lyon"))).toBe(`("city" IN ('Paris', 'Lyon'))`);
    expect(sql(col("city").isin(["Paris"]))).toBe(`("city" IN ('Paris'))`);
    expect(sql(col("city").isin())).toBe("FALSE");
    expect(sql(col("a").between(1, 5))).toBe('("a" BETWEEN 1 AND 5)');
    expect(sql(col("n").like("A%"))).toBe(`("n" LIKE 'A%')`);
    expect(sql(col("n").rlike("^A.*e$"))).toBe(`regexp_matches("n", '^A.*e$')`);
    expect(sql(col("n").contains("li"))).toBe(`contains("n", 'li')`);
    expect(sql(col("n").startswith("A"))).toBe(`starts_with("n", 'A')`);
    expect(sql(col("n").endswith("e"))).toBe(`ends_with("n", 'e')`);
  });

  it("casts with Spark type names", () => {
    expect(sql(col("a").cast("int"))).toBe('CAST("a" AS INTEGER)');
    expect(sql(col("a").cast("bigint"))).toBe('CAST("a" AS BIGINT)');
    expect(sql(col("a").astype("string"))).toBe('CAST("a" AS VARCHAR)');
    expect(sql(col("a").cast("double"))).toBe('CAST("a" AS DOUBLE)');
    expect(sql(col("a").cast("date"))).toBe('CAST("a" AS DATE)');
    expect(sql(col("a").cast("timestamp"))).toBe('CAST("a" AS TIMESTAMPTZ)');
    expect(sql(col("a").cast("decimal(10,2)"))).toBe('CAST("a" AS DECIMAL(10,2))');
    expect(sql(col("a").cast("array<string>"))).toBe('CAST("a" AS VARCHAR[])');
    expect(() => col("a").cast("not a type!")).toThrow(/INVALID_ARGUMENT/);
  });

  it("aliases, sorts, fields and items", () => {
    expect(sql(col("a").alias("b"))).toBe('"a" AS "b"');
    expect(sql(col("a").as("b"))).toBe('"a" AS "b"');
    expect(sql(col("a").name("b"))).toBe('"a" AS "b"');
    expect(sql(col("a").asc())).toBe('"a" ASC NULLS FIRST');
    expect(sql(col("a").desc())).toBe('"a" DESC NULLS LAST');
    expect(sql(col("a").asc_nulls_last())).toBe('"a" ASC NULLS LAST');
    expect(sql(col("a").desc_nulls_first())).toBe('"a" DESC NULLS FIRST');
    expect(sql(col("s").getField("city"))).toBe('("s")."city"');
    expect(sql(col("arr").getItem(0))).toBe('"arr"[1]');
    expect(sql(col("m").getItem("k"))).toBe(`"m"['k']`);
  });

  it("chains when/otherwise and rejects misuse", () => {
    const c = when(col("amount").ge(100), "big").when(col("amount").ge(50), "mid").otherwise("small").alias("size");
    expect(sql(c)).toBe(`CASE WHEN ("amount" >= 100) THEN 'big' WHEN ("amount" >= 50) THEN 'mid' ELSE 'small' END AS "size"`);
    expect(sql(when("amount > 1", lit(1)))).toBe("CASE WHEN (amount > 1) THEN 1 END");
    expect(() => col("a").when(col("b"), 1)).toThrow(/INVALID_ARGUMENT/);
    expect(() => when(col("b"), 1).otherwise(2).otherwise(3)).toThrow(/otherwise\(\)/);
  });

  it("parses SQL strings with expr()", () => {
    expect(sql(expr("amount > 10"))).toBe("(amount > 10)");
    expect(sql(expr("count(*) AS n"))).toBe('count(*) AS "n"');
    expect(sql(expr("c.name"))).toBe('"c"."name"');
    expect(expr("sum(amount)")._s.agg).toBe(true);
    expect(expr("sum(amount) OVER (PARTITION BY city)")._s.window).toBe(true);
    expect(expr("explode(tags)")._s.gen).toBe(true);
  });

  it("renders windows with Spark's null order and frames", () => {
    const w = Window.partitionBy("city").orderBy(col("amount").desc());
    expect(sql(F.row_number().over(w).alias("rn"))).toBe('row_number() OVER (PARTITION BY "city" ORDER BY "amount" DESC NULLS LAST) AS "rn"');
    const running = Window.partitionBy("city").orderBy("ts").rowsBetween(Window.unboundedPreceding, Window.currentRow);
    expect(sql(F.sum("amount").over(running))).toBe('sum("amount") OVER (PARTITION BY "city" ORDER BY "ts" ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)');
    expect(Window.orderBy("a").rangeBetween(-2, 3).toSQL()).toBe('ORDER BY "a" ASC NULLS FIRST RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING');
    expect(sql(F.lag("amount", 1, 0).over(Window.orderBy("id")))).toBe('lag("amount", 1, 0) OVER (ORDER BY "id" ASC NULLS FIRST)');
    expect(() => Window.rowsBetween(2, 1)).toThrow(LakehouseError);
  });
});

describe("functions translate Spark names to DuckDB", () => {
  it("aggregates", () => {
    expect(sql(F.sum("amount"))).toBe('sum("amount")');
    expect(sql(F.count("*"))).toBe("count(*)");
    expect(sql(F.countDistinct("city"))).toBe('count(DISTINCT "city")');
    expect(sql(F.countDistinct("a", "b"))).toBe('count(DISTINCT CASE WHEN "a" IS NOT NULL AND "b" IS NOT NULL THEN ("a", "b") END)');
    expect(sql(F.avg("x"))).toBe('avg("x")');
    expect(sql(F.mean("x"))).toBe('avg("x")');
    expect(sql(F.collect_list("x"))).toBe('list("x") FILTER (WHERE "x" IS NOT NULL)');
    expect(sql(F.collect_set("x"))).toBe('list(DISTINCT "x") FILTER (WHERE "x" IS NOT NULL)');
    expect(sql(F.first("x", true))).toBe('first("x") FILTER (WHERE "x" IS NOT NULL)');
  });

  it("strings, math, hashing, arrays", () => {
    expect(sql(F.concat(col("a"), lit("-"), col("b")))).toBe(`("a" || '-' || "b")`);
    expect(sql(F.concat_ws("-", "a", "b"))).toBe(`concat_ws('-', "a", "b")`);
    expect(sql(F.substring("name", 1, 3))).toBe('substring("name", 1, 3)');
    expect(sql(F.regexp_replace("s", "(\\d+)", "<$1>"))).toBe(`regexp_replace("s", '(\\d+)', '<\\1>', 'g')`);
    expect(sql(F.split("s", ","))).toBe(`string_split_regex("s", ',')`);
    expect(sql(F.round("x", 2))).toBe('round("x", 2)');
    expect(sql(F.sha2("x", 256))).toBe('sha256("x")');
    expect(() => F.sha2("x", 512)).toThrow(/sha2/);
    expect(sql(F.md5("x"))).toBe('md5("x")');
    expect(sql(F.size("tags"))).toBe('len("tags")');
    expect(sql(F.explode("tags"))).toBe('unnest("tags")');
    expect(sql(F.array_contains("tags", "a"))).toBe(`list_contains("tags", 'a')`);
    expect(sql(F.struct("a", col("b").alias("bee")))).toBe('struct_pack("a" := "a", "bee" := "b")');
    expect(sql(F.coalesce("a", lit(0)))).toBe('coalesce("a", 0)');
  });

  it("dates and times", () => {
    expect(sql(F.dayofmonth("d"))).toBe('day("d")');
    expect(sql(F.date_trunc("mm", "ts"))).toBe(`date_trunc('month', "ts")`);
    expect(sql(F.to_date("s"))).toBe('CAST("s" AS DATE)');
    expect(sql(F.to_date("s", "dd/MM/yyyy"))).toBe(`CAST(strptime("s", '%d/%m/%Y') AS DATE)`);
    expect(sql(F.to_timestamp("s", "yyyy-MM-dd HH:mm:ss"))).toBe(`CAST(strptime("s", '%Y-%m-%d %H:%M:%S') AS TIMESTAMPTZ)`);
    expect(sql(F.date_format("ts", "yyyy-MM-dd'T'HH:mm"))).toBe(`strftime("ts", '%Y-%m-%dT%H:%M')`);
    expect(sql(F.date_add("d", 3))).toBe('CAST(CAST("d" AS DATE) + INTERVAL (3) DAY AS DATE)');
    expect(sql(F.date_sub("d", 3))).toBe('CAST(CAST("d" AS DATE) - INTERVAL (3) DAY AS DATE)');
    expect(sql(F.datediff("end", "start"))).toBe(`date_diff('day', CAST("start" AS DATE), CAST("end" AS DATE))`);
    expect(sql(F.current_date())).toBe("current_date");
    expect(() => F.date_trunc("fortnight", "ts")).toThrow(/date_trunc/);
  });

  it("broadcast is a no-op hint", () => {
    const df = {} as DataFrame;
    expect(F.broadcast(df)).toBe(df);
  });
});

describe("functions evaluated on DuckDB", () => {
  let r: TestRunner;
  beforeAll(async () => {
    r = await TestRunner.create();
  });
  afterAll(() => r.close());

  it("computes what Spark computes", async () => {
    const people = DataFrame.fromTable(r, "people");
    const row = await people.filter(col("id").eq(1)).select(
      F.upper("name").alias("u"), F.length("name").alias("len"), F.concat_ws("-", "name", "city").alias("cw"),
      F.round(col("amount").cast("double").divide(7), 2).alias("r"), F.sha2("name", 256).alias("h"), F.md5("name").alias("m"),
      F.year("ts").alias("y"), F.month("ts").alias("mo"), F.dayofmonth("ts").alias("d"), F.hour("ts").alias("h24"), F.dayofweek("ts").alias("dow"),
      F.date_add("ts", 30).cast("string").alias("plus30"), F.datediff(lit("2024-03-01"), "ts").alias("days"),
      F.to_date(lit("05/01/2024"), "dd/MM/yyyy").cast("string").alias("parsed"), F.date_format("ts", "dd.MM.yyyy HH:mm").alias("fmt"),
      F.regexp_replace("name", "([aeiou])", "<$1>").alias("re"), F.split(lit("a1b22c"), "[0-9]+").alias("parts"),
      F.size(F.split(lit("a,b,c"), ",")).alias("n"), F.array_contains(F.split(lit("a,b"), ","), "b").alias("has"),
      F.struct("id", "city").alias("s"), F.concat(col("name"), lit(null)).alias("nullconcat"),
    ).first();
    expect(row).toMatchObject({
      u: "ALICE", len: 5n, cw: "Alice-Paris", r: 17.21, y: 2024n, mo: 1n, d: 5n, h24: 10n, dow: 6n,
      h: "3bc51062973c458d5a6f2d8d64a023246354ad7e064b1e4e009ec8a0699a3043", m: "64489c85dc2fe0787b85cd87214b3810",
      plus30: "2024-02-04", days: 56n, parsed: "2024-01-05", fmt: "05.01.2024 10:00", re: "Al<i>c<e>", parts: ["a", "b", "c"],
      n: 3n, has: true, s: { id: 1n, city: "Paris" }, nullconcat: null,
    });
  });

  it("aggregates like Spark: collect_list skips NULLs, countDistinct", async () => {
    const people = DataFrame.fromTable(r, "people");
    const row = await people.agg(
      F.collect_list("city").alias("cities"), F.collect_set("city").alias("set"), F.countDistinct("city").alias("nd"),
      F.count("city").alias("nc"), F.count("*").alias("n"), F.max("amount").alias("mx"), F.min("name").alias("mn"),
    ).first();
    expect(row!["cities"]).toEqual(["Paris", "Lyon", "Paris", "Lyon", "Nice"]);
    expect([...(row!["set"] as string[])].sort()).toEqual(["Lyon", "Nice", "Paris"]);
    expect(row).toMatchObject({ nd: 3n, nc: 5n, n: 6n, mx: 300, mn: "Alice" });
  });
});
