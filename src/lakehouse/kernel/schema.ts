/**
 * The Delta schema (a Spark StructType serialised as JSON in `metaData.schemaString`) and its
 * mapping to DuckDB types. Column mapping metadata (`delta.columnMapping.physicalName`,
 * `delta.columnMapping.id`) lives in each field's `metadata`, at every nesting level.
 */
import { LakehouseError } from "../errors.js";

export type PrimitiveType =
  | "string" | "long" | "integer" | "short" | "byte" | "float" | "double" | "boolean"
  | "binary" | "date" | "timestamp" | "timestamp_ntz" | "variant" | `decimal(${number},${number})` | "void";

export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}
export interface StructType { type: "struct"; fields: StructField[] }
export interface ArrayType { type: "array"; elementType: DataType; containsNull: boolean }
export interface MapType { type: "map"; keyType: DataType; valueType: DataType; valueContainsNull: boolean }
export type DataType = PrimitiveType | string | StructType | ArrayType | MapType;

export class UnsupportedTypeError extends LakehouseError {
  constructor(type: string) {
    super("DELTA_UNSUPPORTED_DATA_TYPE", `The data type ${type} is not supported here. Use one of: string, long, int, double, decimal(p,s), boolean, date, timestamp, binary, struct, array, map.`, { type });
  }
}

export function parseSchemaString(schemaString: string): StructType {
  const parsed = JSON.parse(schemaString) as StructType;
  if (parsed.type !== "struct" || !Array.isArray(parsed.fields)) {
    throw new LakehouseError("DELTA_INVALID_SCHEMA", `metaData.schemaString is not a struct type. Check the table's _delta_log.`);
  }
  return parsed;
}

export function schemaToString(schema: StructType): string {
  return JSON.stringify(schema);
}

export function isStruct(t: DataType): t is StructType {
  return typeof t === "object" && t.type === "struct";
}
export function isArray(t: DataType): t is ArrayType {
  return typeof t === "object" && t.type === "array";
}
export function isMap(t: DataType): t is MapType {
  return typeof t === "object" && t.type === "map";
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB type for a Delta type. Timestamps are instants (TIMESTAMPTZ); timestamp_ntz is wall-clock. */
export function toDuckType(t: DataType): string {
  if (typeof t === "string") {
    const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(t);
    if (dec) return `DECIMAL(${dec[1]},${dec[2]})`;
    switch (t) {
      case "string": return "VARCHAR";
      case "long": return "BIGINT";
      case "integer": return "INTEGER";
      case "short": return "SMALLINT";
      case "byte": return "TINYINT";
      case "float": return "FLOAT";
      case "double": return "DOUBLE";
      case "boolean": return "BOOLEAN";
      case "binary": return "BLOB";
      case "date": return "DATE";
      case "timestamp": return "TIMESTAMPTZ";
      case "timestamp_ntz": return "TIMESTAMP";
      case "void": return "INTEGER";
      case "decimal": return "DECIMAL(10,0)";
      default: throw new UnsupportedTypeError(t);
    }
  }
  if (isStruct(t)) return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${toDuckType(f.type)}`).join(", ")})`;
  if (isArray(t)) return `${toDuckType(t.elementType)}[]`;
  if (isMap(t)) return `MAP(${toDuckType(t.keyType)}, ${toDuckType(t.valueType)})`;
  throw new UnsupportedTypeError(JSON.stringify(t));
}

/**
 * Delta type for a DuckDB type name as DuckDB's DESCRIBE prints it. Used when a query's result
 * becomes a table (CREATE TABLE AS SELECT, df.write). Unsigned and huge integers have no Delta
 * equivalent; they widen to the nearest type that holds every value, or fail clearly.
 */
export function fromDuckType(duck: string): DataType {
  const t = duck.trim();
  const upper = t.toUpperCase();
  if (upper.endsWith("[]")) return { type: "array", elementType: fromDuckType(t.slice(0, -2)), containsNull: true };
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})` as PrimitiveType;
  if (upper.startsWith("STRUCT(")) {
    return { type: "struct", fields: splitTopLevel(t.slice(7, -1)).map((part) => {
      const { name, rest } = splitNameAndType(part);
      return { name, type: fromDuckType(rest), nullable: true, metadata: {} };
    }) };
  }
  if (upper.startsWith("MAP(")) {
    const [k, v] = splitTopLevel(t.slice(4, -1));
    return { type: "map", keyType: fromDuckType(k!), valueType: fromDuckType(v!), valueContainsNull: true };
  }
  switch (upper) {
    case "VARCHAR": case "TEXT": case "STRING": case "UUID": case "JSON": return "string";
    case "BIGINT": case "INT8": case "LONG": case "UINTEGER": return "long";
    case "INTEGER": case "INT4": case "INT": case "USMALLINT": return "integer";
    case "SMALLINT": case "INT2": case "UTINYINT": return "short";
    case "TINYINT": case "INT1": return "byte";
    case "HUGEINT": case "UBIGINT": return "decimal(38,0)";
    case "FLOAT": case "REAL": case "FLOAT4": return "float";
    case "DOUBLE": case "FLOAT8": return "double";
    case "BOOLEAN": case "BOOL": return "boolean";
    case "BLOB": case "BYTEA": return "binary";
    case "DATE": return "date";
    case "TIMESTAMP WITH TIME ZONE": case "TIMESTAMPTZ": return "timestamp";
    case "TIMESTAMP": case "TIMESTAMP_NS": case "TIMESTAMP_MS": case "TIMESTAMP_S": case "DATETIME": return "timestamp_ntz";
    case "DECIMAL": return "decimal(18,3)";
    case '"NULL"': case "NULL": return "string";
    default: throw new UnsupportedTypeError(duck);
  }
}

function splitNameAndType(part: string): { name: string; rest: string } {
  const s = part.trim();
  if (s.startsWith('"')) {
    let i = 1;
    let name = "";
    while (i < s.length) {
      if (s[i] === '"' && s[i + 1] === '"') { name += '"'; i += 2; continue; }
      if (s[i] === '"') break;
      name += s[i++];
    }
    return { name, rest: s.slice(i + 1).trim() };
  }
  const sp = s.indexOf(" ");
  return { name: s.slice(0, sp), rest: s.slice(sp + 1).trim() };
}

/** Splits on commas that are not inside parentheses or double quotes. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "(" || c === "<")) depth++;
    else if (!quoted && (c === ")" || c === ">")) depth--;
    else if (!quoted && depth === 0 && c === ",") { out.push(s.slice(start, i).trim()); start = i + 1; }
  }
  if (s.slice(start).trim()) out.push(s.slice(start).trim());
  return out;
}

/**
 * Parses a Spark SQL type as learners write it in DDL (`BIGINT`, `DECIMAL(10,2)`,
 * `STRUCT<a: INT, b: ARRAY<STRING>>`, `MAP<STRING, INT>`) into a Delta type.
 */
export function parseSqlType(text: string): DataType {
  const t = text.trim();
  const upper = t.toUpperCase();
  const inner = (open: number) => t.slice(open + 1, t.lastIndexOf(">"));
  if (upper.startsWith("ARRAY<")) return { type: "array", elementType: parseSqlType(inner(5)), containsNull: true };
  if (upper.startsWith("MAP<")) {
    const [k, v] = splitTopLevel(inner(3));
    return { type: "map", keyType: parseSqlType(k!), valueType: parseSqlType(v!), valueContainsNull: true };
  }
  if (upper.startsWith("STRUCT<")) {
    return { type: "struct", fields: splitTopLevel(inner(6)).map((f) => {
      const m = /^`?([^`:\s]+)`?\s*:?\s*(.+)$/s.exec(f.trim());
      if (!m) throw new UnsupportedTypeError(f);
      const notNull = /\s+NOT\s+NULL\s*$/i.test(m[2]!);
      return { name: m[1]!, type: parseSqlType(m[2]!.replace(/\s+NOT\s+NULL\s*$/i, "")), nullable: !notNull, metadata: {} };
    }) };
  }
  const dec = /^(?:DECIMAL|DEC|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/i.exec(t);
  if (dec) return `decimal(${dec[1] ?? 10},${dec[2] ?? 0})` as PrimitiveType;
  switch (upper) {
    case "STRING": case "VARCHAR": case "TEXT": case "CHAR": return "string";
    case "BIGINT": case "LONG": return "long";
    case "INT": case "INTEGER": return "integer";
    case "SMALLINT": case "SHORT": return "short";
    case "TINYINT": case "BYTE": return "byte";
    case "FLOAT": case "REAL": return "float";
    case "DOUBLE": return "double";
    case "BOOLEAN": case "BOOL": return "boolean";
    case "BINARY": return "binary";
    case "DATE": return "date";
    case "TIMESTAMP": case "TIMESTAMP_LTZ": return "timestamp";
    case "TIMESTAMP_NTZ": return "timestamp_ntz";
    default:
      if (/^(VAR)?CHAR\s*\(\d+\)$/i.test(t)) return "string";
      throw new UnsupportedTypeError(text);
  }
}

/** Spark's simple string for a type, as DESCRIBE and error messages print it. */
export function typeToSql(t: DataType): string {
  if (typeof t === "string") return t === "integer" ? "int" : t === "long" ? "bigint" : t === "short" ? "smallint" : t === "byte" ? "tinyint" : t;
  if (isStruct(t)) return `struct<${t.fields.map((f) => `${f.name}:${typeToSql(f.type)}`).join(",")}>`;
  if (isArray(t)) return `array<${typeToSql(t.elementType)}>`;
  return `map<${typeToSql(t.keyType)},${typeToSql(t.valueType)}>`;
}

export function typeEquals(a: DataType, b: DataType): boolean {
  return JSON.stringify(stripMeta(a)) === JSON.stringify(stripMeta(b));
}

function stripMeta(t: DataType): unknown {
  if (typeof t === "string") return t;
  if (isStruct(t)) return { s: t.fields.map((f) => [f.name.toLowerCase(), stripMeta(f.type)]) };
  if (isArray(t)) return { a: stripMeta(t.elementType) };
  return { m: [stripMeta(t.keyType), stripMeta(t.valueType)] };
}

const WIDENINGS: Record<string, string[]> = {
  byte: ["short", "integer", "long", "double", "float"],
  short: ["integer", "long", "double", "float"],
  integer: ["long", "double"],
  long: [],
  float: ["double"],
  date: ["timestamp_ntz"],
};

/** True when values of `from` can be written into a column of `to` without loss. */
export function canUpcast(from: DataType, to: DataType): boolean {
  if (typeEquals(from, to)) return true;
  if (typeof from === "string" && typeof to === "string") {
    if (from === "void") return true;
    if (WIDENINGS[from]?.includes(to)) return true;
    const df = /^decimal\((\d+),(\d+)\)$/.exec(from);
    const dt = /^decimal\((\d+),(\d+)\)$/.exec(to);
    if (df && dt) return Number(dt[2]) >= Number(df[2]) && Number(dt[1]) - Number(dt[2]) >= Number(df[1]) - Number(df[2]);
    const intDigits: Record<string, number> = { byte: 3, short: 5, integer: 10, long: 20 };
    if (intDigits[from] && dt) return Number(dt[1]) - Number(dt[2]) >= intDigits[from]!;
  }
  return false;
}

export function physicalName(field: StructField, mode: string): string {
  if (mode === "none") return field.name;
  const p = field.metadata["delta.columnMapping.physicalName"];
  return typeof p === "string" ? p : field.name;
}

export function fieldId(field: StructField): number | undefined {
  const id = field.metadata["delta.columnMapping.id"];
  return typeof id === "number" ? id : undefined;
}
