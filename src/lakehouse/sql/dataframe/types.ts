/**
 * Spark type names on the DataFrame API: `cast("decimal(10,2)")` → DuckDB `DECIMAL(10,2)`,
 * and the other way for `dtypes()` / `printSchema()` (DuckDB `BIGINT` → Spark `bigint`/`long`).
 * The mapping is the lakehouse's own (kernel/schema.ts), so a DataFrame and a Delta table agree
 * on what `timestamp` means (an instant: DuckDB TIMESTAMPTZ).
 */
import { LakehouseError } from "../../errors.js";
import { fromDuckType, isArray, isMap, isStruct, parseSqlType, toDuckType, typeToSql, type DataType } from "../../kernel/schema.js";

/** DuckDB spelling and Spark display name (`INT`, `DECIMAL(10,2)`) of a Spark type name. */
export function castTarget(type: string): { duck: string; display: string } {
  const t = type.trim();
  try {
    const parsed = parseSqlType(t);
    return { duck: toDuckType(parsed), display: typeToSql(parsed).toUpperCase() };
  } catch {
    // Not a Spark name: accept a plain DuckDB type name (VARCHAR, HUGEINT, INTEGER[] …) as is.
    if (/^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])*$/.test(t)) return { duck: t.toUpperCase(), display: t.toUpperCase() };
    throw new LakehouseError("INVALID_ARGUMENT",
      `Cannot cast to the type \`${type}\`: it is not a Spark type name. Use one of: string, int, bigint, double, float, boolean, date, timestamp, decimal(p,s), array<…>, map<…,…>, struct<…>.`,
      { type });
  }
}

/** The Spark DataType of a DuckDB type name, or undefined when Delta has no equivalent. */
export function sparkType(duck: string): DataType | undefined {
  try {
    return fromDuckType(duck);
  } catch {
    return undefined;
  }
}

/** Spark's simple string (`dtypes`): bigint, int, string, decimal(10,2), array<string> … */
export function simpleString(duck: string): string {
  const t = sparkType(duck);
  return t === undefined ? duck.toLowerCase() : typeToSql(t);
}

/** The lines of Spark's `printSchema()` tree for a list of columns. */
export function treeString(fields: { name: string; type: string }[]): string {
  const lines = ["root"];
  const typeName = (t: DataType): string => (isStruct(t) ? "struct" : isArray(t) ? "array" : isMap(t) ? "map" : t);
  const children = (t: DataType, prefix: string): void => {
    if (isStruct(t)) {
      for (const f of t.fields) field(f.name, f.type, prefix, `(nullable = ${f.nullable})`);
    } else if (isArray(t)) {
      field("element", t.elementType, prefix, `(containsNull = ${t.containsNull})`);
    } else if (isMap(t)) {
      field("key", t.keyType, prefix, "");
      field("value", t.valueType, prefix, `(valueContainsNull = ${t.valueContainsNull})`);
    }
  };
  const field = (name: string, t: DataType, prefix: string, suffix: string): void => {
    lines.push(`${prefix}-- ${name}: ${typeName(t)}${suffix ? " " + suffix : ""}`);
    children(t, `${prefix}    |`);
  };
  for (const f of fields) {
    const t = sparkType(f.type);
    if (t === undefined) lines.push(` |-- ${f.name}: ${f.type.toLowerCase()} (nullable = true)`);
    else field(f.name, t, " |", "(nullable = true)");
  }
  return lines.join("\n");
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(.*\))?)$/i;

/** Type family used by `fillna` and `GroupedData.sum()` to pick the columns a value applies to. */
export function typeFamily(duck: string): "numeric" | "string" | "boolean" | "other" {
  const t = duck.trim();
  if (NUMERIC.test(t)) return "numeric";
  if (/^VARCHAR$/i.test(t)) return "string";
  if (/^BOOLEAN$/i.test(t)) return "boolean";
  return "other";
}
