/**
 * PySpark's `pyspark.sql.functions` (imported as `F`), translated to DuckDB SQL where the two
 * dialects differ: `collect_list` → `list`, `countDistinct` → `count(DISTINCT …)`, `sha2(x, 256)`
 * → `sha256(x)`, `dayofmonth` → `day`, `size` → `len`, `explode` → `unnest`, Spark datetime
 * patterns → strptime/strftime patterns. Column arguments accept a Column or a column name;
 * pattern, format and default arguments are literals, as in PySpark.
 *
 * @example
 * import * as F from "./functions.js";
 * F.sum("amount").alias("total").toSQL()                 // sum("amount") AS "total"
 * F.collect_set("city").toSQL()                          // list(DISTINCT "city") FILTER (WHERE "city" IS NOT NULL)
 * F.to_date("day", "dd/MM/yyyy").toSQL()                 // CAST(strptime("day", '%d/%m/%Y') AS DATE)
 * F.datediff("end", "start").toSQL()                     // date_diff('day', CAST("start" AS DATE), CAST("end" AS DATE))
 */
import { LakehouseError } from "../../errors.js";
import { call, Column, derive, lit, quoteIdent, toColumn, toLit, type ColumnOrName, type Literal } from "./column.js";

export { col, column, expr, lit, when } from "./column.js";
export { Window, WindowSpec } from "./window.js";

function invalid(message: string, params: Record<string, unknown> = {}): LakehouseError {
  return new LakehouseError("INVALID_ARGUMENT", message, params);
}

const C = toColumn;

function agg(fn: string, x: ColumnOrName, sparkName = fn): Column {
  return call(fn, [C(x)], sparkName, { agg: true });
}

function withAgg(c: Column): Column {
  return new Column({ ...c._s, agg: true });
}

// --- general -----------------------------------------------------------------------------------

/** First non-NULL argument. */
export function coalesce(...cols: ColumnOrName[]): Column {
  if (cols.length === 0) throw invalid("coalesce() needs at least one column.");
  return call("coalesce", cols.map(C));
}

/** Largest of the values, skipping NULLs. */
export function greatest(...cols: ColumnOrName[]): Column {
  return call("greatest", cols.map(C));
}

/** Smallest of the values, skipping NULLs. */
export function least(...cols: ColumnOrName[]): Column {
  return call("least", cols.map(C));
}

/** `isnull(x)` → `(x IS NULL)`. */
export function isnull(x: ColumnOrName): Column {
  return C(x).isNull();
}

/** `isnotnull(x)` → `(x IS NOT NULL)`. */
export function isnotnull(x: ColumnOrName): Column {
  return C(x).isNotNull();
}

/** Sort key helpers, as `F.asc("a")` / `F.desc("a")`. */
export const asc = (x: ColumnOrName): Column => C(x).asc();
export const desc = (x: ColumnOrName): Column => C(x).desc();
export const asc_nulls_first = (x: ColumnOrName): Column => C(x).asc_nulls_first();
export const asc_nulls_last = (x: ColumnOrName): Column => C(x).asc_nulls_last();
export const desc_nulls_first = (x: ColumnOrName): Column => C(x).desc_nulls_first();
export const desc_nulls_last = (x: ColumnOrName): Column => C(x).desc_nulls_last();

/** Join hint; the engine picks join strategies itself, so this returns the DataFrame unchanged. */
export function broadcast<T>(df: T): T {
  return df;
}

// --- aggregates ----------------------------------------------------------------------------

export function sum(x: ColumnOrName): Column {
  return agg("sum", x);
}

/** `count("*")` → `count(*)` (named `count(1)` like Spark); `count("x")` counts non-NULL values. */
export function count(x: ColumnOrName): Column {
  const c = C(x);
  if (c._s.star && !c._s.star.qualifier) return withAgg(derive([], "count(*)", "count(1)"));
  return call("count", [c], "count", { agg: true });
}

/** `countDistinct("a", "b")` → `count(DISTINCT …)`; rows with a NULL in any column are not counted. */
export function countDistinct(first: ColumnOrName, ...rest: ColumnOrName[]): Column {
  const cols = [first, ...rest].map(C);
  const name = `count(DISTINCT ${cols.map((c) => c._s.name).join(", ")})`;
  if (cols.length === 1) return withAgg(derive(cols, `count(DISTINCT ${cols[0]!._s.sql})`, name));
  const notNull = cols.map((c) => `${c._s.sql} IS NOT NULL`).join(" AND ");
  return withAgg(derive(cols, `count(DISTINCT CASE WHEN ${notNull} THEN (${cols.map((c) => c._s.sql).join(", ")}) END)`, name));
}
export const count_distinct = countDistinct;

/** Approximate distinct count (HyperLogLog), as Spark's `approx_count_distinct`. */
export function approx_count_distinct(x: ColumnOrName): Column {
  return agg("approx_count_distinct", x);
}

export function avg(x: ColumnOrName): Column {
  return agg("avg", x);
}

/** Same as `avg` (Spark names the result `avg(x)` too). */
export function mean(x: ColumnOrName): Column {
  return agg("avg", x);
}

export function min(x: ColumnOrName): Column {
  return agg("min", x);
}

export function max(x: ColumnOrName): Column {
  return agg("max", x);
}

/** Sample standard deviation. */
export function stddev(x: ColumnOrName): Column {
  return agg("stddev_samp", x, "stddev");
}

/** Sample variance. */
export function variance(x: ColumnOrName): Column {
  return agg("var_samp", x, "variance");
}

function firstLast(fn: "first" | "last", x: ColumnOrName, ignorenulls: boolean): Column {
  const c = C(x);
  if (!ignorenulls) return call(fn, [c], fn, { agg: true });
  return withAgg(derive([c], `${fn}(${c._s.sql}) FILTER (WHERE ${c._s.sql} IS NOT NULL)`, `${fn}(${c._s.name}, true)`));
}

/** A value of the group (the first one seen); with `ignorenulls`, the first non-NULL one. */
export function first(x: ColumnOrName, ignorenulls = false): Column {
  return firstLast("first", x, ignorenulls);
}

export function last(x: ColumnOrName, ignorenulls = false): Column {
  return firstLast("last", x, ignorenulls);
}

/** The group's non-NULL values as an array → `list(x) FILTER (WHERE x IS NOT NULL)`. */
export function collect_list(x: ColumnOrName): Column {
  const c = C(x);
  return withAgg(derive([c], `list(${c._s.sql}) FILTER (WHERE ${c._s.sql} IS NOT NULL)`, `collect_list(${c._s.name})`));
}

/** The group's distinct non-NULL values → `list(DISTINCT x) FILTER (WHERE x IS NOT NULL)`. */
export function collect_set(x: ColumnOrName): Column {
  const c = C(x);
  return withAgg(derive([c], `list(DISTINCT ${c._s.sql}) FILTER (WHERE ${c._s.sql} IS NOT NULL)`, `collect_set(${c._s.name})`));
}

// --- strings -------------------------------------------------------------------------------

/** Concatenation; NULL when any input is NULL (as Spark) → `(a || b)`. */
export function concat(...cols: ColumnOrName[]): Column {
  if (cols.length === 0) return lit("");
  const cs = cols.map(C);
  return derive(cs, `(${cs.map((c) => c._s.sql).join(" || ")})`, `concat(${cs.map((c) => c._s.name).join(", ")})`);
}

/** Concatenation with a separator, skipping NULLs. */
export function concat_ws(sep: string, ...cols: ColumnOrName[]): Column {
  return call("concat_ws", [lit(sep), ...cols.map(C)]);
}

export function upper(x: ColumnOrName): Column {
  return call("upper", [C(x)]);
}
export function lower(x: ColumnOrName): Column {
  return call("lower", [C(x)]);
}
export function trim(x: ColumnOrName): Column {
  return call("trim", [C(x)]);
}
export function ltrim(x: ColumnOrName): Column {
  return call("ltrim", [C(x)]);
}
export function rtrim(x: ColumnOrName): Column {
  return call("rtrim", [C(x)]);
}
/** Number of characters. */
export function length(x: ColumnOrName): Column {
  return call("length", [C(x)]);
}
export function lpad(x: ColumnOrName, len: number, pad: string): Column {
  return call("lpad", [C(x), lit(len), lit(pad)]);
}
export function rpad(x: ColumnOrName, len: number, pad: string): Column {
  return call("rpad", [C(x), lit(len), lit(pad)]);
}

/** 1-based substring: `substring("name", 1, 3)`. */
export function substring(x: ColumnOrName, pos: number, len: number): Column {
  return call("substring", [C(x), lit(pos), lit(len)]);
}

/**
 * Replaces every match of a Java-style regex; `$1` in the replacement is a group (→ `\1`).
 * @example regexp_replace("phone", "[^0-9]", "")   // regexp_replace("phone", '[^0-9]', '', 'g')
 */
export function regexp_replace(x: ColumnOrName, pattern: string | Column, replacement: string | Column): Column {
  const rep = typeof replacement === "string" ? lit(replacement.replace(/\$(\d)/g, "\\$1")) : replacement;
  const c = C(x);
  const p = toLit(pattern);
  return derive([c, p, rep], `regexp_replace(${c._s.sql}, ${p._s.sql}, ${rep._s.sql}, 'g')`,
    `regexp_replace(${c._s.name}, ${p._s.name}, ${typeof replacement === "string" ? replacement : rep._s.name}, 1)`);
}

/** Group `idx` of the first match of a regex ('' when there is no match). */
export function regexp_extract(x: ColumnOrName, pattern: string, idx = 1): Column {
  return call("regexp_extract", [C(x), lit(pattern), lit(idx)]);
}

/** Splits around matches of a regex → `string_split_regex(x, pattern)`. */
export function split(x: ColumnOrName, pattern: string, limit = -1): Column {
  if (limit > 0) throw invalid(`split() with a positive limit (${limit}) is not supported here. Split without a limit and slice the array.`);
  const c = C(x);
  return derive([c], `string_split_regex(${c._s.sql}, ${lit(pattern)._s.sql})`, `split(${c._s.name}, ${pattern}, -1)`);
}

// --- math ----------------------------------------------------------------------------------

/** Rounds half away from zero (Spark's HALF_UP) to `scale` decimals. */
export function round(x: ColumnOrName, scale = 0): Column {
  return call("round", [C(x), lit(scale)]);
}
export function abs(x: ColumnOrName): Column {
  return call("abs", [C(x)]);
}
export function sqrt(x: ColumnOrName): Column {
  return call("sqrt", [C(x)], "SQRT");
}
export function floor(x: ColumnOrName): Column {
  return call("floor", [C(x)], "FLOOR");
}
export function ceil(x: ColumnOrName): Column {
  return call("ceil", [C(x)], "CEIL");
}
export function pow(x: ColumnOrName, y: ColumnOrName | number): Column {
  return call("pow", [C(x), typeof y === "number" ? lit(y) : C(y)], "POWER");
}

// --- dates and times -----------------------------------------------------------------------

export function year(x: ColumnOrName): Column {
  return call("year", [C(x)]);
}
export function quarter(x: ColumnOrName): Column {
  return call("quarter", [C(x)]);
}
export function month(x: ColumnOrName): Column {
  return call("month", [C(x)]);
}
/** Day of the month → DuckDB `day(x)`. */
export function dayofmonth(x: ColumnOrName): Column {
  return call("day", [C(x)], "dayofmonth");
}
/** 1 = Sunday … 7 = Saturday, as Spark (DuckDB counts from 0). */
export function dayofweek(x: ColumnOrName): Column {
  const c = C(x);
  return derive([c], `(dayofweek(${c._s.sql}) + 1)`, `dayofweek(${c._s.name})`);
}
/** ISO week number. */
export function weekofyear(x: ColumnOrName): Column {
  return call("week", [C(x)], "weekofyear");
}
export function hour(x: ColumnOrName): Column {
  return call("hour", [C(x)]);
}
export function minute(x: ColumnOrName): Column {
  return call("minute", [C(x)]);
}
export function second(x: ColumnOrName): Column {
  return call("second", [C(x)]);
}

const TRUNC_UNITS: Record<string, string> = {
  year: "year", yyyy: "year", yy: "year", quarter: "quarter", month: "month", mon: "month", mm: "month",
  week: "week", day: "day", dd: "day", hour: "hour", minute: "minute", second: "second",
  millisecond: "millisecond", microsecond: "microsecond",
};

/** Truncates a timestamp to a unit ("year", "month", "day", "hour", …) → `date_trunc('month', x)`. */
export function date_trunc(format: string, x: ColumnOrName): Column {
  const unit = TRUNC_UNITS[format.toLowerCase()];
  if (!unit) throw invalid(`date_trunc() does not know the unit '${format}'. Use one of: ${Object.keys(TRUNC_UNITS).join(", ")}.`);
  const c = C(x);
  return derive([c], `date_trunc('${unit}', ${c._s.sql})`, `date_trunc(${format}, ${c._s.name})`);
}

/**
 * Converts a Spark datetime pattern (`yyyy-MM-dd HH:mm:ss`) to a strptime/strftime pattern
 * (`%Y-%m-%d %H:%M:%S`). Text in single quotes is literal. @internal
 */
export function convertDatetimePattern(pattern: string, parsing: boolean): string {
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) throw invalid(`The datetime pattern '${pattern}' has an unclosed quote.`);
      out += pattern.slice(i + 1, close).replace(/%/g, "%%");
      i = close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch === "%" ? "%%" : ch;
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === ch) j++;
    const n = j - i;
    const unpadded = (spec: string) => (parsing ? `%${spec}` : `%-${spec}`);
    let spec: string | undefined;
    switch (ch) {
      case "y": case "u": spec = n === 2 ? "%y" : "%Y"; break;
      case "M": case "L": spec = n >= 4 ? "%B" : n === 3 ? "%b" : n === 2 ? "%m" : unpadded("m"); break;
      case "d": spec = n === 2 ? "%d" : unpadded("d"); break;
      case "D": spec = "%j"; break;
      case "H": spec = n === 2 ? "%H" : unpadded("H"); break;
      case "h": spec = n === 2 ? "%I" : unpadded("I"); break;
      case "m": spec = n === 2 ? "%M" : unpadded("M"); break;
      case "s": spec = n === 2 ? "%S" : unpadded("S"); break;
      case "S": spec = n <= 3 ? "%g" : n <= 6 ? "%f" : "%n"; break;
      case "a": spec = "%p"; break;
      case "E": spec = n >= 4 ? "%A" : "%a"; break;
      case "X": case "x": case "Z": spec = "%z"; break;
      case "z": case "V": spec = "%Z"; break;
    }
    if (spec === undefined) throw invalid(`The datetime pattern letter '${ch}' in '${pattern}' is not supported here. Use y, M, d, H, h, m, s, S, a, E, Z.`);
    out += spec;
    i = j;
  }
  return out;
}

/** `to_date(x)` → `CAST(x AS DATE)`; with a Spark pattern → `CAST(strptime(x, '%d/%m/%Y') AS DATE)`. */
export function to_date(x: ColumnOrName, format?: string): Column {
  const c = C(x);
  if (format === undefined) return derive([c], `CAST(${c._s.sql} AS DATE)`, `to_date(${c._s.name})`);
  const p = convertDatetimePattern(format, true);
  return derive([c], `CAST(strptime(${c._s.sql}, ${lit(p)._s.sql}) AS DATE)`, `to_date(${c._s.name}, ${format})`);
}

/** `to_timestamp(x[, pattern])` → a TIMESTAMP (an instant, read in the session's UTC zone). */
export function to_timestamp(x: ColumnOrName, format?: string): Column {
  const c = C(x);
  if (format === undefined) return derive([c], `CAST(${c._s.sql} AS TIMESTAMPTZ)`, `to_timestamp(${c._s.name})`);
  const p = convertDatetimePattern(format, true);
  return derive([c], `CAST(strptime(${c._s.sql}, ${lit(p)._s.sql}) AS TIMESTAMPTZ)`, `to_timestamp(${c._s.name}, ${format})`);
}

/** Formats a date/timestamp with a Spark pattern → `strftime(x, '%Y-%m')`. */
export function date_format(x: ColumnOrName, format: string): Column {
  const c = C(x);
  return derive([c], `strftime(${c._s.sql}, ${lit(convertDatetimePattern(format, false))._s.sql})`, `date_format(${c._s.name}, ${format})`);
}

function shiftDays(x: ColumnOrName, days: number | ColumnOrName, sign: "+" | "-", fn: string): Column {
  const c = C(x);
  const d = typeof days === "number" ? lit(days) : C(days);
  if (typeof days === "number" && !Number.isInteger(days)) throw invalid(`${fn}() needs a whole number of days, got ${days}.`);
  return derive([c, d], `CAST(CAST(${c._s.sql} AS DATE) ${sign} INTERVAL (${d._s.sql}) DAY AS DATE)`, `${fn}(${c._s.name}, ${d._s.name})`);
}

/** The date `days` after `start` → `CAST(CAST(start AS DATE) + INTERVAL (days) DAY AS DATE)`. */
export function date_add(start: ColumnOrName, days: number | ColumnOrName): Column {
  return shiftDays(start, days, "+", "date_add");
}

/** The date `days` before `start`. */
export function date_sub(start: ColumnOrName, days: number | ColumnOrName): Column {
  return shiftDays(start, days, "-", "date_sub");
}

/** Whole days from `start` to `end` → `date_diff('day', CAST(start AS DATE), CAST(end AS DATE))`. */
export function datediff(end: ColumnOrName, start: ColumnOrName): Column {
  const e = C(end);
  const s = C(start);
  return derive([e, s], `date_diff('day', CAST(${s._s.sql} AS DATE), CAST(${e._s.sql} AS DATE))`, `datediff(${e._s.name}, ${s._s.name})`);
}

export function current_date(): Column {
  return derive([], "current_date", "current_date()");
}

export function current_timestamp(): Column {
  return derive([], "current_timestamp", "current_timestamp()");
}

// --- arrays and structs --------------------------------------------------------------------

/** One row per array element → `unnest(x)` (rows with NULL or empty arrays disappear, as in Spark). */
export function explode(x: ColumnOrName): Column {
  const c = C(x);
  return new Column({ ...derive([c], `unnest(${c._s.sql})`, "col")._s, gen: true });
}

/** Number of elements → `len(x)`. */
export function size(x: ColumnOrName): Column {
  return call("len", [C(x)], "size");
}

/** True when the array holds `value` → `list_contains(x, value)`. */
export function array_contains(x: ColumnOrName, value: Column | Literal): Column {
  return call("list_contains", [C(x), toLit(value)], "array_contains");
}

/** An array of the columns' values → `[a, b]`. */
export function array(...cols: ColumnOrName[]): Column {
  const cs = cols.map(C);
  return derive(cs, `[${cs.map((c) => c._s.sql).join(", ")}]`, `array(${cs.map((c) => c._s.name).join(", ")})`);
}

/** A struct whose fields are named after the columns (or their aliases) → `struct_pack("a" := "a", …)`. */
export function struct(...cols: (ColumnOrName | readonly ColumnOrName[])[]): Column {
  const cs = cols.flatMap((c) => (Array.isArray(c) ? (c as ColumnOrName[]) : [c as ColumnOrName])).map(C);
  const fields = cs.map((c, i) => ({ c, field: c._s.alias ?? (c._s.ref ? c._s.name : `col${i + 1}`) }));
  return derive(cs, `struct_pack(${fields.map((f) => `${quoteIdent(f.field)} := ${f.c._s.sql}`).join(", ")})`,
    `struct(${fields.map((f) => f.c._s.name).join(", ")})`);
}

// --- hashing -------------------------------------------------------------------------------

/** SHA-2 as a hex string; DuckDB has SHA-256 only (`numBits` 0 or 256) → `sha256(x)`. */
export function sha2(x: ColumnOrName, numBits: number): Column {
  if (numBits !== 256 && numBits !== 0) {
    throw invalid(`sha2() supports 256 bits here (DuckDB's sha256), not ${numBits}. Use sha2(col, 256) or md5(col).`, { numBits });
  }
  const c = C(x);
  return derive([c], `sha256(${c._s.sql})`, `sha2(${c._s.name}, ${numBits})`);
}

export function md5(x: ColumnOrName): Column {
  return call("md5", [C(x)]);
}

// --- window functions ----------------------------------------------------------------------

/** Sequential number of the row in its window partition; use with `.over(window)`. */
export function row_number(): Column {
  return derive([], "row_number()", "row_number()");
}
export function rank(): Column {
  return derive([], "rank()", "RANK()");
}
export function dense_rank(): Column {
  return derive([], "dense_rank()", "DENSE_RANK()");
}
export function percent_rank(): Column {
  return derive([], "percent_rank()", "PERCENT_RANK()");
}
export function ntile(n: number): Column {
  return call("ntile", [lit(n)]);
}

/** The value `offset` rows before the current row (or `defaultValue`). */
export function lag(x: ColumnOrName, offset = 1, defaultValue: Literal = null): Column {
  return call("lag", [C(x), lit(offset), lit(defaultValue)]);
}

/** The value `offset` rows after the current row (or `defaultValue`). */
export function lead(x: ColumnOrName, offset = 1, defaultValue: Literal = null): Column {
  return call("lead", [C(x), lit(offset), lit(defaultValue)]);
}
