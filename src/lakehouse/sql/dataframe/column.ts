/**
 * Column expressions of the DataFrame API: PySpark's `Column`, as an immutable builder that
 * carries its SQL text. Python operators become methods (`col("amount") > 10` is
 * `col("amount").gt(10)`); anything that is not a Column where a value is expected is a literal,
 * exactly as in PySpark (`col("city").eq("Paris")` compares with the string 'Paris').
 *
 * @example
 * col("amount").gt(10).and(col("city").isin("Paris", "Lyon")).toSQL()
 * // (("amount" > 10) AND ("city" IN ('Paris', 'Lyon')))
 * when(col("amount").ge(100), "big").otherwise("small").alias("size").toSQL()
 * // CASE WHEN ("amount" >= 100) THEN 'big' ELSE 'small' END AS "size"
 */
import { LakehouseError } from "../../errors.js";
import { tokenize, type Token } from "../parser/tokenizer.js";
import { castTarget } from "./types.js";
import type { WindowSpec } from "./window.js";

/** Values `lit()` understands: JS scalars, Date (a TIMESTAMP), bytes, and arrays of these. */
export type Literal = null | boolean | number | bigint | string | Date | Uint8Array | readonly Literal[];
/** A Column, or a column name (`"amount"`, `"c.amount"`, `` "`odd.name`" ``, `"*"`). */
export type ColumnOrName = Column | string;

/**
 * What a Column knows about itself. Besides the SQL text it records what the DataFrame compiler
 * needs to decide whether an operation can join the current SELECT: the column names it
 * references and whether it aggregates, uses a window or generates rows.
 * @internal
 */
export interface ColumnState {
  /** SQL of the expression, without alias or sort direction. May hold frame markers (see `df.col`). */
  readonly sql: string;
  /** Spark-style auto name (`sum(amount)`, `(amount > 10)`), used when there is no alias. */
  readonly name: string;
  readonly alias?: string;
  /** Lower-cased first parts of the column names referenced (approximate for SQL strings). */
  readonly refs: readonly string[];
  /** Names written with `col()`, as name parts: checked against the DataFrame's columns. */
  readonly checks: readonly (readonly string[])[];
  /** Some reference is qualified (`t.c`) or bound to a DataFrame (`df.col("c")`). */
  readonly qualified: boolean;
  readonly agg: boolean;
  readonly window: boolean;
  readonly gen: boolean;
  /** A plain column reference. */
  readonly ref?: { readonly parts: readonly string[]; readonly frame?: number };
  /** `*` or `t.*`. */
  readonly star?: { readonly qualifier?: string };
  /** Sort direction and null order, e.g. `ASC NULLS FIRST`. */
  readonly sort?: string;
  readonly caseWhen?: { readonly branches: readonly { readonly cond: Column; readonly value: Column }[]; readonly otherwise?: Column };
  /** Came from a SQL string (`expr`, `selectExpr`, `filter("…")`). */
  readonly fromSql?: boolean;
}

const NO_FLAGS = { refs: [], checks: [], qualified: false, agg: false, window: false, gen: false } as const;

/** Marks a reference bound to a DataFrame (`df.col("x")`); replaced by that frame's alias when rendered. */
export function frameMarker(frameId: number): string {
  return `\u0001${frameId}\u0002`;
}
const MARKER = /\u0001(\d+)\u0002/g;

/** Replaces frame markers: by `alias.` when the frame is a side of the current join, by nothing otherwise. */
export function resolveMarkers(sql: string, scope?: ReadonlyMap<number, string>): string {
  if (!sql.includes("\u0001")) return sql;
  return sql.replace(MARKER, (_, id: string) => {
    const alias = scope?.get(Number(id));
    return alias === undefined ? "" : `${aliasSql(alias)}.`;
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A relation alias: generated ones (`_df1`) stay bare, user aliases are quoted. */
export function aliasSql(alias: string): string {
  return /^_df\d+$/.test(alias) ? alias : quoteIdent(alias);
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function invalid(message: string, params: Record<string, unknown> = {}): LakehouseError {
  return new LakehouseError("INVALID_ARGUMENT", message, params);
}

/** An immutable column expression. Build one with `col`, `lit`, `expr` or the functions in `F`. */
export class Column {
  /** @internal */
  readonly _s: ColumnState;

  /** @internal Use `col()`, `lit()`, `expr()` or a function instead. */
  constructor(state: ColumnState) {
    this._s = Object.freeze({ ...state });
    Object.freeze(this);
  }

  /** The SQL of this column as it appears in a SELECT list (with its alias, or sort order). */
  toSQL(): string {
    const s = this._s;
    const base = resolveMarkers(s.sql);
    if (s.sort) return `${base} ${s.sort}`;
    return s.alias !== undefined ? `${base} AS ${quoteIdent(s.alias)}` : base;
  }

  toString(): string {
    return `Column<'${this._s.alias ?? this._s.name}'>`;
  }

  // --- naming --------------------------------------------------------------------------------

  /** `col("amount").alias("amt")` → `"amount" AS "amt"`. */
  alias(name: string): Column {
    if (typeof name !== "string" || name === "") throw invalid("alias() needs a non-empty column name.");
    if (this._s.star) throw invalid("Cannot alias `*`: select the columns one by one to rename them.");
    return new Column({ ...this._s, alias: name, sort: undefined });
  }
  /** Same as `alias`. */
  as(name: string): Column {
    return this.alias(name);
  }
  /** Same as `alias`. */
  name(name: string): Column {
    return this.alias(name);
  }

  // --- comparison ----------------------------------------------------------------------------

  /** `==` → `("a" = 1)`. */
  eq(other: Column | Literal): Column {
    return binary(this, "=", other);
  }
  equalTo(other: Column | Literal): Column {
    return this.eq(other);
  }
  /** `!=` → `("a" <> 1)`. */
  ne(other: Column | Literal): Column {
    return binary(this, "<>", other, "!=");
  }
  notEqual(other: Column | Literal): Column {
    return this.ne(other);
  }
  gt(other: Column | Literal): Column {
    return binary(this, ">", other);
  }
  ge(other: Column | Literal): Column {
    return binary(this, ">=", other);
  }
  geq(other: Column | Literal): Column {
    return this.ge(other);
  }
  lt(other: Column | Literal): Column {
    return binary(this, "<", other);
  }
  le(other: Column | Literal): Column {
    return binary(this, "<=", other);
  }
  leq(other: Column | Literal): Column {
    return this.le(other);
  }
  /** Spark's `<=>`: equal, and NULL equals NULL → `("a" IS NOT DISTINCT FROM "b")`. */
  eqNullSafe(other: Column | Literal): Column {
    return binary(this, "IS NOT DISTINCT FROM", other, "<=>");
  }

  // --- boolean -------------------------------------------------------------------------------

  /** `&` → `(a AND b)`. */
  and(other: Column | boolean): Column {
    return binary(this, "AND", other);
  }
  /** `|` → `(a OR b)`. */
  or(other: Column | boolean): Column {
    return binary(this, "OR", other);
  }
  /** `~` → `(NOT a)`. */
  not(): Column {
    return derive([this], `(NOT ${this._s.sql})`, `(NOT ${this._s.name})`);
  }

  // --- arithmetic ----------------------------------------------------------------------------

  plus(other: Column | Literal): Column {
    return binary(this, "+", other);
  }
  minus(other: Column | Literal): Column {
    return binary(this, "-", other);
  }
  multiply(other: Column | Literal): Column {
    return binary(this, "*", other);
  }
  /** Spark's `/`: always a fractional division (DuckDB's `/` is too). */
  divide(other: Column | Literal): Column {
    return binary(this, "/", other);
  }
  mod(other: Column | Literal): Column {
    return binary(this, "%", other);
  }
  /** Unary minus. */
  negate(): Column {
    return derive([this], `(- ${this._s.sql})`, `(- ${this._s.name})`);
  }

  // --- predicates ----------------------------------------------------------------------------

  isNull(): Column {
    return derive([this], `(${this._s.sql} IS NULL)`, `(${this._s.name} IS NULL)`);
  }
  isNotNull(): Column {
    return derive([this], `(${this._s.sql} IS NOT NULL)`, `(${this._s.name} IS NOT NULL)`);
  }
  /** `isin("a", "b")` or `isin(["a", "b"])` → `("c" IN ('a', 'b'))`; an empty list is FALSE. */
  isin(...values: (Column | Literal | readonly (Column | Literal)[])[]): Column {
    const flat = values.flatMap((v) => (Array.isArray(v) ? (v as (Column | Literal)[]) : [v as Column | Literal])).map(toLit);
    if (flat.length === 0) return derive([this], "FALSE", `(${this._s.name} IN ())`);
    return derive([this, ...flat], `(${this._s.sql} IN (${flat.map((c) => c._s.sql).join(", ")}))`,
      `(${this._s.name} IN (${flat.map((c) => c._s.name).join(", ")}))`);
  }
  /** Inclusive range → `("a" BETWEEN 1 AND 5)`. */
  between(lower: Column | Literal, upper: Column | Literal): Column {
    const lo = toLit(lower);
    const hi = toLit(upper);
    return derive([this, lo, hi], `(${this._s.sql} BETWEEN ${lo._s.sql} AND ${hi._s.sql})`,
      `((${this._s.name} >= ${lo._s.name}) AND (${this._s.name} <= ${hi._s.name}))`);
  }
  /** SQL LIKE pattern (`%`, `_`). */
  like(pattern: string): Column {
    return binary(this, "LIKE", pattern);
  }
  /** Case-insensitive LIKE. */
  ilike(pattern: string): Column {
    return binary(this, "ILIKE", pattern);
  }
  /** Regular-expression search (Spark's RLIKE): true when the pattern matches anywhere. */
  rlike(pattern: string): Column {
    return call("regexp_matches", [this, toLit(pattern)], "RLIKE", { spark: `${this._s.name} RLIKE ${pattern}` });
  }
  contains(other: Column | Literal): Column {
    return call("contains", [this, toLit(other)]);
  }
  startswith(other: Column | Literal): Column {
    return call("starts_with", [this, toLit(other)], "startswith");
  }
  endswith(other: Column | Literal): Column {
    return call("ends_with", [this, toLit(other)], "endswith");
  }
  /** 1-based substring, like `substring(col, pos, len)`. */
  substr(pos: number | Column, len: number | Column): Column {
    return call("substring", [this, toLit(pos), toLit(len)]);
  }

  // --- types, structs, arrays ----------------------------------------------------------------

  /** Spark type names: `cast("int")` → `CAST("a" AS INTEGER)`, `cast("decimal(10,2)")`, `cast("timestamp")`. */
  cast(type: string): Column {
    const t = castTarget(type);
    return derive([this], `CAST(${this._s.sql} AS ${t.duck})`, `CAST(${this._s.name} AS ${t.display})`);
  }
  /** Same as `cast`. */
  astype(type: string): Column {
    return this.cast(type);
  }
  /** A field of a struct column → `("s")."city"`. */
  getField(name: string): Column {
    return derive([this], `(${this._s.sql}).${quoteIdent(name)}`, `${this._s.name}.${name}`);
  }
  /** An array element (0-based, as in Spark) or a map value → `"arr"[1]`, `"m"['k']`. */
  getItem(key: Column | string | number): Column {
    if (typeof key === "number") {
      if (!Number.isInteger(key)) throw invalid(`getItem() needs an integer index, got ${key}.`);
      return derive([this], `${this._s.sql}[${key + 1}]`, `${this._s.name}[${key}]`);
    }
    const k = toLit(key);
    return derive([this, k], `${this._s.sql}[${k._s.sql}]`, `${this._s.name}[${k._s.name}]`);
  }

  // --- sorting -------------------------------------------------------------------------------

  /** Ascending, NULLs first (Spark's default). */
  asc(): Column {
    return this.sorted("ASC NULLS FIRST");
  }
  asc_nulls_first(): Column {
    return this.sorted("ASC NULLS FIRST");
  }
  asc_nulls_last(): Column {
    return this.sorted("ASC NULLS LAST");
  }
  /** Descending, NULLs last (Spark's default). */
  desc(): Column {
    return this.sorted("DESC NULLS LAST");
  }
  desc_nulls_first(): Column {
    return this.sorted("DESC NULLS FIRST");
  }
  desc_nulls_last(): Column {
    return this.sorted("DESC NULLS LAST");
  }
  private sorted(sort: string): Column {
    return new Column({ ...this._s, alias: undefined, sort });
  }

  // --- CASE WHEN -----------------------------------------------------------------------------

  /** Adds a branch to a column made by `when(…)`. */
  when(condition: Column | string, value: Column | Literal): Column {
    const cw = this._s.caseWhen;
    if (!cw || cw.otherwise !== undefined) {
      throw invalid("when() can only be applied on a Column previously generated by when(), before otherwise(). Start the chain with F.when(condition, value).");
    }
    return caseColumn([...cw.branches, { cond: toCond(condition), value: toLit(value) }]);
  }
  /** The ELSE of a `when(…)` chain. */
  otherwise(value: Column | Literal): Column {
    const cw = this._s.caseWhen;
    if (!cw || cw.otherwise !== undefined) {
      throw invalid("otherwise() can only be applied once on a Column previously generated by when(). Start the chain with F.when(condition, value).");
    }
    return caseColumn(cw.branches, toLit(value));
  }

  // --- windows -------------------------------------------------------------------------------

  /** Evaluates an aggregate or ranking function over a window → `row_number() OVER (PARTITION BY …)`. */
  over(window?: WindowSpec): Column {
    const spec = window ? window._spec() : { sql: "", name: "", cols: [] as Column[] };
    const c = derive([this, ...spec.cols], `${this._s.sql} OVER (${spec.sql})`, `${this._s.name} OVER (${spec.name})`);
    return new Column({ ...c._s, agg: false, window: true });
  }
}

// --- builders shared with functions.ts ------------------------------------------------------

/** Combines the bookkeeping of `parts` into a new expression column. @internal */
export function derive(parts: readonly Column[], sql: string, name: string, extra: Partial<ColumnState> = {}): Column {
  const refs = new Set<string>();
  const checks: (readonly string[])[] = [];
  let qualified = false, agg = false, window = false, gen = false;
  for (const p of parts) {
    const s = p._s;
    for (const r of s.refs) refs.add(r);
    checks.push(...s.checks);
    qualified ||= s.qualified;
    agg ||= s.agg;
    window ||= s.window;
    gen ||= s.gen;
  }
  return new Column({ sql, name, refs: [...refs], checks, qualified, agg, window, gen, ...extra });
}

/** `fn(a, b)` with a Spark display name (defaults to the SQL function name). @internal */
export function call(fn: string, args: readonly Column[], sparkName = fn, opts: { spark?: string; agg?: boolean; gen?: boolean } = {}): Column {
  const c = derive(args, `${fn}(${args.map((a) => a._s.sql).join(", ")})`, opts.spark ?? `${sparkName}(${args.map((a) => a._s.name).join(", ")})`);
  if (!opts.agg && !opts.gen) return c;
  return new Column({ ...c._s, agg: opts.agg ?? c._s.agg, gen: opts.gen ?? c._s.gen });
}

function binary(a: Column, op: string, other: Column | Literal, sparkOp = op): Column {
  const b = toLit(other);
  return derive([a, b], `(${a._s.sql} ${op} ${b._s.sql})`, `(${a._s.name} ${sparkOp} ${b._s.name})`);
}

function caseColumn(branches: readonly { cond: Column; value: Column }[], otherwise?: Column): Column {
  const parts = branches.flatMap((b) => [b.cond, b.value]).concat(otherwise ? [otherwise] : []);
  const sql = `CASE ${branches.map((b) => `WHEN ${b.cond._s.sql} THEN ${b.value._s.sql}`).join(" ")}${otherwise ? ` ELSE ${otherwise._s.sql}` : ""} END`;
  const name = `CASE ${branches.map((b) => `WHEN ${b.cond._s.name} THEN ${b.value._s.name}`).join(" ")}${otherwise ? ` ELSE ${otherwise._s.name}` : ""} END`;
  return derive(parts, sql, name, { caseWhen: { branches, otherwise } });
}

/** `F.when(condition, value)`: starts a CASE WHEN chain. */
export function when(condition: Column | string, value: Column | Literal): Column {
  return caseColumn([{ cond: toCond(condition), value: toLit(value) }]);
}

/** A Column stays a Column; a string is a column name. @internal */
export function toColumn(x: ColumnOrName): Column {
  if (x instanceof Column) return x;
  if (typeof x === "string") return col(x);
  throw invalid(`Expected a Column or a column name, got ${describeValue(x)}.`);
}

/** A Column stays a Column; anything else is a literal. @internal */
export function toLit(x: Column | Literal): Column {
  return x instanceof Column ? x : lit(x);
}

/** A Column stays a Column; a string is a SQL condition (as in `filter("amount > 10")`). @internal */
export function toCond(x: Column | string): Column {
  if (x instanceof Column) return x;
  if (typeof x === "string") return expr(x);
  throw invalid(`Expected a Column or a SQL condition string, got ${describeValue(x)}.`);
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return typeof x === "object" ? (x as object).constructor?.name ?? "an object" : `${typeof x} ${String(x)}`;
}

/** Splits `a.b`, `` `a.b`.c `` into name parts. @internal */
export function parseName(name: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (quoted) {
      if (ch === "`") {
        if (name[i + 1] === "`") {
          cur += "`";
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === "`") {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ".") {
      if (cur === "" && !wasQuoted) throw invalid(`\`${name}\` is not a valid column name: empty part before a dot. Quote names with dots in backticks: \`a.b\`.`);
      parts.push(cur);
      cur = "";
      wasQuoted = false;
    } else cur += ch;
  }
  if (quoted) throw invalid(`\`${name}\` has an unclosed backtick.`);
  if (cur === "" && !wasQuoted) throw invalid(`\`${name}\` is not a valid column name.`);
  parts.push(cur);
  return parts;
}

/**
 * A column by name. Dotted names are qualified (`"o.amount"`: column amount of the frame aliased
 * `o`, or field amount of struct o); back-quote a name that contains dots.
 *
 * @example col("c.amount").toSQL()   // "c"."amount"
 */
export function col(name: string): Column {
  if (typeof name !== "string") throw invalid(`col() needs a column name (a string), got ${describeValue(name)}.`);
  if (name === "*") return new Column({ ...NO_FLAGS, sql: "*", name: "*", star: {} });
  if (name.endsWith(".*")) {
    const q = parseName(name.slice(0, -2));
    return new Column({ ...NO_FLAGS, sql: `${q.map(quoteIdent).join(".")}.*`, name, star: { qualifier: q.join(".") }, qualified: true });
  }
  return refColumn(parseName(name));
}

/** A reference by name parts, optionally bound to a DataFrame. @internal */
export function refColumn(parts: readonly string[], frame?: number): Column {
  const sql = (frame !== undefined ? frameMarker(frame) : "") + parts.map(quoteIdent).join(".");
  return new Column({
    sql, name: parts[parts.length - 1]!, refs: [parts[0]!.toLowerCase()], checks: frame === undefined ? [parts] : [],
    qualified: parts.length > 1 || frame !== undefined, agg: false, window: false, gen: false, ref: { parts, frame },
  });
}

/** `col` under its other PySpark name. */
export const column = col;

function pad2(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** `YYYY-MM-DD HH:MM:SS[.fff]` of a Date in UTC (the session's time zone). @internal */
export function timestampText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw invalid("lit() got an invalid Date.");
  const base = `${pad2(d.getUTCFullYear(), 4)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms ? `${base}.${pad2(ms, 3)}` : base;
}

function numberSql(n: number): string {
  if (Number.isNaN(n)) return "CAST('NaN' AS DOUBLE)";
  if (!Number.isFinite(n)) return n > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

/**
 * A literal value. Strings are escaped; a Date is a TIMESTAMP (UTC); arrays are lists.
 *
 * @example lit("it's").toSQL()   // 'it''s'
 * @example lit(new Date("2024-01-01T10:00:00Z")).toSQL()   // TIMESTAMP '2024-01-01 10:00:00'
 */
export function lit(value: Column | Literal): Column {
  if (value instanceof Column) return value;
  const mk = (sql: string, name: string, parts: Column[] = []) => derive(parts, sql, name);
  if (value === null || value === undefined) return mk("NULL", "NULL");
  switch (typeof value) {
    case "boolean":
      return mk(value ? "TRUE" : "FALSE", String(value));
    case "number":
      return mk(numberSql(value), Number.isFinite(value) ? String(value) : String(value));
    case "bigint":
      return mk(value.toString(), value.toString());
    case "string":
      return mk(quoteString(value), value);
  }
  if (value instanceof Date) {
    const t = timestampText(value);
    return mk(`TIMESTAMP '${t}'`, `TIMESTAMP '${t}'`);
  }
  if (value instanceof Uint8Array) {
    const hex = [...value].map((b) => `\\x${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    return mk(`CAST('${hex}' AS BLOB)`, `X'${[...value].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("")}'`);
  }
  if (Array.isArray(value)) {
    const items = (value as readonly Literal[]).map((v) => lit(v));
    return mk(`[${items.map((i) => i._s.sql).join(", ")}]`, `array(${items.map((i) => i._s.name).join(", ")})`, items);
  }
  throw invalid(`lit() cannot turn ${describeValue(value)} into a SQL literal. Use a number, bigint, string, boolean, null, Date or an array of these.`);
}

// --- SQL strings -----------------------------------------------------------------------------

const AGG_FUNCTIONS = new Set([
  "sum", "count", "avg", "mean", "min", "max", "first", "last", "collect_list", "collect_set", "list", "array_agg",
  "string_agg", "listagg", "any_value", "approx_count_distinct", "count_if", "bool_and", "bool_or", "every",
  "stddev", "stddev_pop", "stddev_samp", "std", "variance", "var_pop", "var_samp", "median", "percentile",
  "percentile_approx", "approx_percentile", "mode", "max_by", "min_by", "arg_max", "arg_min", "corr", "covar_pop",
  "covar_samp", "kurtosis", "skewness", "product", "bit_and", "bit_or", "bit_xor", "histogram", "sum_distinct",
]);
const GENERATORS = new Set(["explode", "explode_outer", "posexplode", "posexplode_outer", "inline", "inline_outer", "unnest"]);
/** Words that can never be a column reference, so that they do not count as one. */
const KEYWORDS = new Set([
  "AND", "OR", "NOT", "NULL", "TRUE", "FALSE", "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "BETWEEN", "CASE",
  "WHEN", "THEN", "ELSE", "END", "AS", "DISTINCT", "OVER", "PARTITION", "BY", "ORDER", "ASC", "DESC", "NULLS",
  "ROWS", "RANGE", "UNBOUNDED", "PRECEDING", "FOLLOWING", "CURRENT", "ROW", "EXISTS", "ESCAPE", "INTERVAL", "DIV",
  "FILTER", "WHERE", "IGNORE", "RESPECT", "ALL", "ANY", "SOME",
]);

const isIdentTok = (t: Token | undefined): boolean => t !== undefined && (t.kind === "ident" || t.kind === "quotedIdent" || t.kind === "backtick");

/**
 * A SQL expression in Databricks SQL, as PySpark's `expr()`: `expr("amount * 2 AS doubled")`.
 * A bare name (`expr("c.amount")`) is the same as `col()`.
 *
 * @example expr("amount > 10").toSQL()   // (amount > 10)
 */
export function expr(sql: string): Column {
  if (typeof sql !== "string" || sql.trim() === "") throw invalid("expr() needs a non-empty SQL expression string.");
  const text = sql.trim();
  const tokens = tokenize(text);
  // A trailing top-level `AS name` is an alias.
  let alias: string | undefined;
  let body = text;
  let bodyTokens = tokens;
  const n = tokens.length;
  if (n >= 3 && isIdentTok(tokens[n - 1]) && tokens[n - 2]!.kind === "ident" && tokens[n - 2]!.upper === "AS" && depthBefore(tokens, n - 2) === 0) {
    alias = tokens[n - 1]!.value;
    body = text.slice(0, tokens[n - 2]!.start).trim();
    bodyTokens = tokens.slice(0, n - 2);
  }
  // `*`, `t.*`, and bare (possibly dotted) names.
  if (bodyTokens.length === 1 && bodyTokens[0]!.text === "*") {
    if (alias !== undefined) throw invalid("Cannot alias `*`.");
    return col("*");
  }
  if (isDottedName(bodyTokens)) {
    const parts = bodyTokens.filter((t) => t.kind !== "punct").map((t) => t.value);
    if (bodyTokens[bodyTokens.length - 1]!.text === "*") {
      return new Column({ ...NO_FLAGS, sql: body, name: body, star: { qualifier: parts.slice(0, -1).join(".") }, qualified: true });
    }
    const c = refColumn(parts);
    return alias !== undefined ? c.alias(alias) : c;
  }
  const refs = new Set<string>();
  let qualified = false, agg = false, window = false, gen = false;
  for (let i = 0; i < bodyTokens.length; i++) {
    const t = bodyTokens[i]!;
    const prev = bodyTokens[i - 1];
    const next = bodyTokens[i + 1];
    if (!isIdentTok(t)) continue;
    if (prev && prev.kind === "punct" && prev.text === ".") continue; // a field or a qualified name's tail
    if (t.kind === "ident" && t.upper === "OVER") {
      window = true;
      continue;
    }
    if (next && next.kind === "punct" && next.text === "(") {
      const fn = t.value.toLowerCase();
      if (AGG_FUNCTIONS.has(fn)) agg = true;
      if (GENERATORS.has(fn)) gen = true;
      continue;
    }
    if (t.kind === "ident" && (KEYWORDS.has(t.upper) || (next?.kind === "string"))) continue; // DATE '…', TIMESTAMP '…'
    if (next && next.kind === "punct" && next.text === ".") qualified = true;
    refs.add(t.value.toLowerCase());
  }
  if (window) agg = false;
  const callLike = isCall(bodyTokens) || bodyTokens.length === 1;
  const name = callLike ? body : `(${body})`;
  return new Column({
    sql: callLike || isWrapped(body) ? body : `(${body})`, name, alias, refs: [...refs], checks: [], qualified, agg, window, gen, fromSql: true,
  });
}

function depthBefore(tokens: Token[], end: number): number {
  let depth = 0;
  for (let i = 0; i < end; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct" && (t.text === "(" || t.text === "[" || t.text === "{")) depth++;
    else if (t.kind === "punct" && (t.text === ")" || t.text === "]" || t.text === "}")) depth--;
  }
  return depth;
}

function isDottedName(tokens: Token[]): boolean {
  if (tokens.length === 0 || tokens.length % 2 === 0) return false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i % 2 === 1) {
      if (!(t.kind === "punct" && t.text === ".")) return false;
    } else if (!(isIdentTok(t) && !(t.kind === "ident" && KEYWORDS.has(t.upper))) && !(i === tokens.length - 1 && i > 0 && t.text === "*")) {
      return false;
    }
  }
  return true;
}

/** `f(…)` spanning the whole token list. */
function isCall(tokens: Token[]): boolean {
  if (tokens.length < 3 || !isIdentTok(tokens[0]) || tokens[1]!.text !== "(" || tokens[tokens.length - 1]!.text !== ")") return false;
  return depthBefore(tokens, tokens.length - 1) === 1 && firstClose(tokens) === tokens.length - 1;
}

function firstClose(tokens: Token[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (t.text === "(") depth++;
    else if (t.text === ")" && --depth === 0) return i;
  }
  return -1;
}

/** True when `sql` is one parenthesised group: `(a > 1)`, but not `(a) + (b)`. @internal */
export function isWrapped(sql: string): boolean {
  const s = sql.trim();
  if (!s.startsWith("(") || !s.endsWith(")")) return false;
  let depth = 0;
  let quote = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) {
        if (s[i + 1] === quote) i++;
        else quote = "";
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0 && i < s.length - 1) return false;
  }
  return depth === 0;
}
