/**
 * PySpark's DataFrame and GroupedData over the lakehouse: immutable, lazily compiled to one SQL
 * query that the session runs. Transformations are synchronous builders (each returns a new
 * frozen DataFrame); actions (`collect`, `show`, `count`, `write…`) are async.
 *
 * @example
 * const df = spark.table("c360.silver.orders")          // DataFrame.fromTable(runner, "c360.silver.orders")
 *   .filter(col("amount").gt(10))
 *   .select("order_id", "customer_id", "amount")
 *   .orderBy(col("amount").desc())
 *   .limit(5);
 * df.toSQL();
 * // SELECT "order_id", "customer_id", "amount" FROM c360.silver.orders WHERE ("amount" > 10)
 * //   ORDER BY "amount" DESC NULLS LAST LIMIT 5
 * await df.show();
 *
 * Operations that depend on the input's columns (withColumn replacing one, drop, a join on
 * column names, unionByName, fillna) look them up when an action runs; `toSQL()` before any
 * action may ask for `await df.resolve()` first.
 */
import { LakehouseError } from "../../errors.js";
import { Column, col, expr, parseName, refColumn, toColumn, toCond, type ColumnOrName } from "./column.js";
import { showString } from "./format.js";
import * as F from "./functions.js";
import {
  makeNode, NeedsSchema, planSchema, planToSql, resolvePlan, type Field, type FillScalar, type FillValue, type JoinHow, type Node,
} from "./plan.js";
import type { QueryRunner, Row } from "./runner.js";
import { simpleString, treeString } from "./types.js";
import { DataFrameWriter } from "./writer.js";

type Cols = (ColumnOrName | readonly ColumnOrName[])[];

function invalid(message: string, params: Record<string, unknown> = {}): LakehouseError {
  return new LakehouseError("INVALID_ARGUMENT", message, params);
}

function flatCols(cols: Cols): ColumnOrName[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as ColumnOrName[]) : [c as ColumnOrName]));
}

function names(x: string | readonly string[] | undefined, what: string): string[] | undefined {
  if (x === undefined) return undefined;
  const list = typeof x === "string" ? [x] : [...x];
  for (const n of list) if (typeof n !== "string") throw invalid(`${what} takes column names (strings).`);
  return list;
}

const JOIN_TYPES: Record<string, JoinHow> = {
  inner: "inner", cross: "cross", outer: "full", full: "full", fullouter: "full", full_outer: "full",
  left: "left", leftouter: "left", left_outer: "left", right: "right", rightouter: "right", right_outer: "right",
  semi: "semi", leftsemi: "semi", left_semi: "semi", anti: "anti", leftanti: "anti", left_anti: "anti",
};

/** `orderBy(…, { ascending: false })`, as PySpark's `ascending=` keyword. */
export interface SortOptions {
  ascending?: boolean | readonly boolean[];
}

/** `dropna({ how, thresh, subset })`, as PySpark's keywords. */
export interface DropNaOptions {
  how?: "any" | "all";
  thresh?: number;
  subset?: string | readonly string[];
}

/** An immutable, lazily evaluated DataFrame. */
export class DataFrame {
  /** @internal */
  readonly _runner: QueryRunner;
  /** @internal */
  readonly _node: Node;

  private constructor(runner: QueryRunner, node: Node) {
    this._runner = runner;
    this._node = node;
    Object.freeze(this);
  }

  /**
   * A DataFrame over a table, as `spark.table(name)`. The name is emitted verbatim.
   * `schema` (the table's columns with DuckDB types), when the session knows it, spares a lookup.
   * @example DataFrame.fromTable(runner, "c360.silver.customers").toSQL()   // SELECT * FROM c360.silver.customers
   */
  static fromTable(runner: QueryRunner, name: string, schema?: readonly Field[]): DataFrame {
    if (typeof name !== "string" || name.trim() === "") throw invalid("fromTable() needs a table name.");
    return new DataFrame(runner, makeNode({ op: "table", name: name.trim(), schema: schema && Object.freeze([...schema]) }));
  }

  /** A DataFrame over the result of a query, as `spark.sql(sql)`. */
  static fromSql(runner: QueryRunner, sql: string, schema?: readonly Field[]): DataFrame {
    const text = typeof sql === "string" ? sql.trim().replace(/;+\s*$/, "").trim() : "";
    if (text === "") throw invalid("fromSql() needs a SELECT statement.");
    return new DataFrame(runner, makeNode({ op: "sql", sql: text, schema: schema && Object.freeze([...schema]) }));
  }

  /** @internal */
  static _of(runner: QueryRunner, node: Node): DataFrame {
    return new DataFrame(runner, node);
  }

  private derive(body: Parameters<typeof makeNode>[0]): DataFrame {
    return new DataFrame(this._runner, makeNode(body));
  }

  // --- transformations -----------------------------------------------------------------------

  /**
   * Projects columns or expressions; strings are column names.
   * @example df.select("name", col("amount").multiply(2).alias("double"))
   * // SELECT "name", ("amount" * 2) AS "double" FROM …
   */
  select(...cols: Cols): DataFrame {
    const list = flatCols(cols).map(toColumn);
    if (list.length === 0) throw invalid("select() needs at least one column.");
    return this.derive({ op: "select", input: this._node, cols: list });
  }

  /** Projects SQL expressions: `selectExpr("name", "amount * 2 AS double")`. */
  selectExpr(...exprs: (string | readonly string[])[]): DataFrame {
    const list = exprs.flatMap((e) => (Array.isArray(e) ? (e as string[]) : [e as string])).map((e) => expr(e));
    if (list.length === 0) throw invalid("selectExpr() needs at least one expression.");
    return this.derive({ op: "select", input: this._node, cols: list });
  }

  /**
   * Keeps the rows where the condition holds; a string is a SQL condition.
   * @example df.filter(col("amount").gt(10)).filter("city = 'Paris'")
   * // SELECT * FROM … WHERE ("amount" > 10) AND (city = 'Paris')
   */
  filter(condition: Column | string): DataFrame {
    return this.derive({ op: "filter", input: this._node, cond: toCond(condition) });
  }

  /** Same as `filter`. */
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /**
   * Adds a column, or replaces the one with that name (in place).
   * @example df.withColumn("city", upper(col("city")))   // SELECT "id", upper("city") AS "city", … FROM …
   */
  withColumn(name: string, column: Column): DataFrame {
    return this.withColumns({ [name]: column });
  }

  /** Adds or replaces several columns, all computed from the current ones. */
  withColumns(columns: Readonly<Record<string, Column>>): DataFrame {
    const entries = Object.entries(columns);
    for (const [name, c] of entries) {
      if (!(c instanceof Column)) throw invalid(`withColumn("${name}", …) needs a Column; wrap a value in lit(…).`, { name });
    }
    if (entries.length === 0) return this;
    return this.derive({ op: "withColumns", input: this._node, cols: entries.map(([n, c]) => [n, c] as const) });
  }

  /** Renames a column; a no-op when there is no such column (as in Spark). */
  withColumnRenamed(existing: string, newName: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: newName });
  }

  withColumnsRenamed(renames: Readonly<Record<string, string>>): DataFrame {
    const pairs = Object.entries(renames);
    if (pairs.length === 0) return this;
    return this.derive({ op: "rename", input: this._node, pairs });
  }

  /** Drops columns by name (missing names are ignored, as in Spark) or by `df.col(…)` reference. */
  drop(...cols: (ColumnOrName | readonly ColumnOrName[])[]): DataFrame {
    const list = flatCols(cols).map((c) => {
      if (typeof c === "string") return refColumn([c]);
      if (c instanceof Column && c._s.ref) return c;
      throw invalid("drop() takes column names or column references (col(\"x\"), df.col(\"x\")).");
    });
    if (list.length === 0) return this;
    return this.derive({ op: "drop", input: this._node, cols: list });
  }

  /**
   * Groups rows for aggregation.
   * @example df.groupBy("city").agg(sum("amount").alias("total"))
   * // SELECT "city", sum("amount") AS "total" FROM … GROUP BY "city"
   */
  groupBy(...cols: Cols): GroupedData {
    return new GroupedData(this, flatCols(cols).map(toColumn));
  }

  /** Same as `groupBy`. */
  groupby(...cols: Cols): GroupedData {
    return this.groupBy(...cols);
  }

  /** Aggregates over all rows: `df.agg(max("amount"))`. */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame {
    return this.groupBy().agg(...exprs);
  }

  /**
   * Joins with another DataFrame. `on` as a name or list of names joins on equal columns that
   * appear once in the result (USING); as a Column it is the join condition.
   * `how`: inner, left/left_outer, right/right_outer, full/outer/full_outer, left_semi/semi,
   * left_anti/anti, cross.
   * @example orders.join(customers, "customer_id", "left")
   * // SELECT "customer_id", _df1."order_id", …, _df2."name", … FROM c360.s.orders AS _df1 LEFT JOIN c360.s.customers AS _df2 USING ("customer_id")
   */
  join(other: DataFrame, on?: string | readonly string[] | Column | readonly Column[], how = "inner"): DataFrame {
    if (!(other instanceof DataFrame)) throw invalid("join() needs a DataFrame to join with.");
    const type = JOIN_TYPES[String(how).toLowerCase()];
    if (!type) {
      throw invalid(`Unsupported join type '${how}'. Supported join types include: ${Object.keys(JOIN_TYPES).map((k) => `'${k}'`).join(", ")}.`, { how });
    }
    let cond: readonly string[] | Column | undefined;
    if (on instanceof Column) cond = on;
    else if (typeof on === "string") cond = [on];
    else if (Array.isArray(on)) {
      if (on.length > 0 && on.every((x) => x instanceof Column)) cond = (on as Column[]).reduce((a, b) => a.and(b));
      else if (on.every((x) => typeof x === "string")) cond = on as string[];
      else throw invalid("join(): `on` must be column names or Columns, not a mix.");
    } else if (on !== undefined && on !== null) throw invalid("join(): `on` must be a column name, a list of names, or a Column condition.");
    return this.derive({ op: "join", left: this._node, right: other._node, on: cond, how: type });
  }

  /** Cartesian product. */
  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, undefined, "cross");
  }

  /**
   * Sorts by columns (ascending, NULLs first, unless a Column says otherwise).
   * @example df.orderBy(col("amount").desc(), "id")   // … ORDER BY "amount" DESC NULLS LAST, "id" ASC NULLS FIRST
   */
  orderBy(...args: (ColumnOrName | readonly ColumnOrName[] | SortOptions)[]): DataFrame {
    let options: SortOptions | undefined;
    const last = args[args.length - 1];
    if (last !== undefined && typeof last === "object" && !(last instanceof Column) && !Array.isArray(last)) {
      options = last as SortOptions;
      args = args.slice(0, -1);
    }
    let cols = flatCols(args as Cols).map(toColumn);
    if (cols.length === 0) throw invalid("orderBy() needs at least one column.");
    const asc = options?.ascending;
    if (asc !== undefined) {
      const flags = typeof asc === "boolean" ? cols.map(() => asc) : [...asc];
      if (flags.length !== cols.length) throw invalid(`orderBy(): ascending has ${flags.length} entries for ${cols.length} columns.`);
      cols = cols.map((c, i) => (flags[i] ? (c._s.sort ? c : c.asc()) : c.desc()));
    }
    return this.derive({ op: "sort", input: this._node, orders: cols });
  }

  /** Same as `orderBy`. */
  sort(...args: (ColumnOrName | readonly ColumnOrName[] | SortOptions)[]): DataFrame {
    return this.orderBy(...args);
  }

  /** The first `n` rows. */
  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw invalid(`limit() needs a non-negative whole number, got ${n}.`);
    return this.derive({ op: "limit", input: this._node, n });
  }

  /** Distinct rows → `SELECT DISTINCT`. */
  distinct(): DataFrame {
    return this.derive({ op: "distinct", input: this._node });
  }

  /**
   * Without a subset, `distinct()`; with one, keeps one row per subset key:
   * `QUALIFY row_number() OVER (PARTITION BY "a", "b") = 1`.
   */
  dropDuplicates(subset?: string | readonly string[]): DataFrame {
    const list = names(subset, "dropDuplicates()");
    if (!list || list.length === 0) return this.distinct();
    return this.derive({ op: "dropDuplicates", input: this._node, subset: list });
  }

  /** Same as `dropDuplicates`. */
  drop_duplicates(subset?: string | readonly string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  /** Rows of both, matched by position (UNION ALL, as Spark's union). */
  union(other: DataFrame): DataFrame {
    if (!(other instanceof DataFrame)) throw invalid("union() needs a DataFrame.");
    return this.derive({ op: "union", left: this._node, right: other._node, byName: false, allowMissing: false });
  }

  /** Same as `union`. */
  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  /** Rows of both, matched by column name; missing columns become NULL when allowed. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    if (!(other instanceof DataFrame)) throw invalid("unionByName() needs a DataFrame.");
    return this.derive({ op: "union", left: this._node, right: other._node, byName: true, allowMissing: allowMissingColumns });
  }

  /** Names the frame for qualified references: `df.alias("o")` then `col("o.amount")`. */
  alias(name: string): DataFrame {
    if (typeof name !== "string" || name === "") throw invalid("alias() needs a name.");
    return this.derive({ op: "alias", input: this._node, name });
  }

  /**
   * Replaces NULLs: a number fills numeric columns, a string string columns, a boolean boolean
   * columns; an object maps column names to values.
   */
  fillna(value: FillValue, subset?: string | readonly string[]): DataFrame {
    const ok = (v: unknown): v is FillScalar => ["number", "bigint", "string", "boolean"].includes(typeof v);
    if (!ok(value) && !(typeof value === "object" && value !== null && Object.values(value).every(ok))) {
      throw invalid("fillna() takes a number, string, boolean, or an object of column name → such value.");
    }
    return this.derive({ op: "fillna", input: this._node, value, subset: names(subset, "fillna()") });
  }

  /**
   * Drops rows with NULLs: `how = "any"` (default) or `"all"` of the (subset) columns, or fewer
   * than `thresh` non-NULL values. Also accepts `dropna(subset)` and `dropna({ how, thresh, subset })`.
   */
  dropna(how?: "any" | "all" | DropNaOptions | readonly string[], thresh?: number, subset?: string | readonly string[]): DataFrame {
    let opts: DropNaOptions;
    if (Array.isArray(how)) opts = { subset: how as string[] };
    else if (typeof how === "object" && how !== null) opts = how as DropNaOptions;
    else opts = { how: how as "any" | "all" | undefined, thresh, subset };
    const h = opts.how ?? "any";
    if (h !== "any" && h !== "all") throw invalid(`dropna(): how must be 'any' or 'all', got '${String(h)}'.`);
    if (opts.thresh !== undefined && (!Number.isInteger(opts.thresh) || opts.thresh < 0)) throw invalid("dropna(): thresh must be a non-negative whole number.");
    return this.derive({ op: "dropna", input: this._node, how: h, thresh: opts.thresh, subset: names(opts.subset, "dropna()") });
  }

  /** `df.transform(fn)` = `fn(df)`: chains reusable steps. */
  transform<A extends unknown[]>(fn: (df: DataFrame, ...args: A) => DataFrame, ...args: A): DataFrame {
    const out = fn(this, ...args);
    if (!(out instanceof DataFrame)) throw invalid("transform(): the function must return a DataFrame.");
    return out;
  }

  /** A column of this DataFrame, as PySpark's `df["name"]` (tells join sides apart). */
  col(name: string): Column {
    if (name === "*") return col("*");
    return refColumn(parseName(name), this._node.id);
  }

  /** No-ops kept for PySpark compatibility: DuckDB caches file metadata itself. */
  cache(): DataFrame {
    return this;
  }
  persist(): DataFrame {
    return this;
  }
  unpersist(): DataFrame {
    return this;
  }

  // --- SQL -----------------------------------------------------------------------------------

  /** The SQL this DataFrame runs. */
  toSQL(): string {
    try {
      return planToSql(this._node);
    } catch (e) {
      if (!(e instanceof NeedsSchema)) throw e;
      const what = e.node.op === "table" ? `the table ${e.node.name}` : e.node.op === "sql" ? "the spark.sql query" : "an intermediate result";
      throw new LakehouseError("DATAFRAME_NOT_RESOLVED",
        `Building this query needs the columns of ${what} (withColumn, drop, joins on column names, unionByName and fillna use them), and they are only looked up when an action runs. ` +
        `Run \`await df.resolve()\` (or any action such as \`await df.columns()\`) first, then call toSQL() again.`);
    }
  }

  /** Looks up the columns the query depends on; afterwards `toSQL()` never needs to. */
  async resolve(): Promise<DataFrame> {
    await resolvePlan(this._node, this._runner);
    return this;
  }

  private async sql(): Promise<string> {
    await this.resolve();
    return this.toSQL();
  }

  // --- actions -------------------------------------------------------------------------------

  /** All rows. */
  async collect(): Promise<Row[]> {
    return (await this._runner.runQuery(await this.sql())).rows;
  }

  /** Same as `collect`. */
  async toArray(): Promise<Row[]> {
    return this.collect();
  }

  /** The first `n` rows. */
  async take(n: number): Promise<Row[]> {
    return this.limit(n).collect();
  }

  /** `head()`: the first row or null; `head(n)`: the first `n` rows. */
  head(): Promise<Row | null>;
  head(n: number): Promise<Row[]>;
  async head(n?: number): Promise<Row | null | Row[]> {
    if (n === undefined) return (await this.take(1))[0] ?? null;
    return this.take(n);
  }

  /** The first row, or null when there is none. */
  async first(): Promise<Row | null> {
    return this.head();
  }

  /** Number of rows. */
  async count(): Promise<number> {
    const res = await this._runner.runQuery(`SELECT count(*) AS "count" FROM (${await this.sql()}) AS _count`);
    return Number(res.rows[0]?.["count"] ?? 0);
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /**
   * Prints the first `n` rows as Spark does, and returns the text.
   * @example
   * await df.select("id", "name").show(2)
   * // +---+-----+
   * // | id| name|
   * // +---+-----+
   * // |  1|Alice|
   * // |  2|  Bob|
   * // +---+-----+
   * // only showing top 2 rows
   */
  async show(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    if (!Number.isInteger(n) || n < 0) throw invalid(`show() needs a non-negative whole number of rows, got ${n}.`);
    const res = await this._runner.runQuery(await this.limit(n + 1).sql());
    const text = showString(res.columns, res.rows, n, truncate, vertical);
    console.log(text);
    return text;
  }

  /** Column names + DuckDB types. */
  async schema(): Promise<Field[]> {
    return (await planSchema(this._node, this._runner)).map((f) => ({ name: f.name, type: f.type }));
  }

  async columns(): Promise<string[]> {
    return (await this.schema()).map((f) => f.name);
  }

  /** `[name, Spark type]` pairs: `["id", "bigint"]`, `["amount", "decimal(10,2)"]`. */
  async dtypes(): Promise<[string, string][]> {
    return (await this.schema()).map((f) => [f.name, simpleString(f.type)]);
  }

  /**
   * Prints the schema as a tree, as Spark does, and returns the text.
   * @example
   * root
   *  |-- id: long (nullable = true)
   *  |-- name: string (nullable = true)
   */
  async printSchema(): Promise<string> {
    const text = treeString(await this.schema());
    console.log(text);
    return text;
  }

  /** Writes the rows: `df.write.mode("overwrite").saveAsTable("c360.gold.t")`. */
  get write(): DataFrameWriter {
    return new DataFrameWriter(this);
  }
}

const DICT_AGGS: Record<string, (c: ColumnOrName) => Column> = {
  sum: F.sum, avg: F.avg, mean: F.mean, min: F.min, max: F.max, count: F.count, first: (c) => F.first(c), last: (c) => F.last(c),
  collect_list: F.collect_list, collect_set: F.collect_set, stddev: F.stddev, variance: F.variance,
  countDistinct: (c) => F.countDistinct(c), count_distinct: (c) => F.countDistinct(c), approx_count_distinct: F.approx_count_distinct,
};

/** The result of `groupBy`: aggregate it with `agg`, `count`, `sum`, … */
export class GroupedData {
  private readonly df: DataFrame;
  private readonly keys: readonly Column[];

  /** @internal Use `df.groupBy(…)`. */
  constructor(df: DataFrame, keys: readonly Column[]) {
    this.df = df;
    this.keys = keys;
    Object.freeze(this);
  }

  /**
   * Aggregates per group; also accepts PySpark's dict form `agg({ amount: "sum" })`.
   * @example df.groupBy("city").agg(count("*").alias("n"), avg("amount"))
   * // SELECT "city", count(*) AS "n", avg("amount") AS "avg(amount)" FROM … GROUP BY "city"
   */
  agg(...exprs: (Column | Readonly<Record<string, string>>)[]): DataFrame {
    const aggs = exprs.flatMap((e) => {
      if (e instanceof Column) return [e];
      if (typeof e === "object" && e !== null) {
        return Object.entries(e).map(([name, fn]) => {
          const f = DICT_AGGS[fn];
          if (!f) throw invalid(`agg(): unknown aggregate function '${fn}'. Use one of: ${Object.keys(DICT_AGGS).join(", ")}.`);
          return f(name === "*" ? "*" : refColumn([name]));
        });
      }
      throw invalid("agg() takes aggregate Columns (sum(\"x\"), count(\"*\"), …) or an object like { amount: \"sum\" }.");
    });
    if (aggs.length === 0) throw invalid("agg() needs at least one aggregate expression.");
    return this.make({ aggs });
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.make({ aggs: [F.count("*").alias("count")] });
  }

  /** `sum(x)` per group for the named columns (all numeric columns when none is named). */
  sum(...cols: string[]): DataFrame {
    return this.numeric(cols, F.sum);
  }
  avg(...cols: string[]): DataFrame {
    return this.numeric(cols, F.avg);
  }
  mean(...cols: string[]): DataFrame {
    return this.numeric(cols, F.mean);
  }
  min(...cols: string[]): DataFrame {
    return this.numeric(cols, F.min);
  }
  max(...cols: string[]): DataFrame {
    return this.numeric(cols, F.max);
  }

  private numeric(cols: string[], fn: (c: Column) => Column): DataFrame {
    if (cols.length) return this.make({ aggs: cols.map((c) => fn(refColumn([c]))) });
    return this.make({ aggs: [], numeric: { fn: fn.name, make: fn } });
  }

  private make(parts: { aggs: readonly Column[]; numeric?: { fn: string; make: (c: Column) => Column } }): DataFrame {
    return DataFrame._of(this.df._runner, makeNode({ op: "aggregate", input: this.df._node, keys: this.keys, ...parts }));
  }
}
