/**
 * The one DuckDB connection a session works through. Results come back as plain JS rows with
 * exact numbers: BIGINT/HUGEINT as `bigint`, DECIMAL as a decimal string (PySpark gives
 * `Decimal`; a JS number would silently round). DuckDB errors are wrapped in a typed error here,
 * at the engine boundary.
 */
import {
  DuckDBInstance, DuckDBConnection, DuckDBDecimalValue, DuckDBDateValue, DuckDBListValue, DuckDBArrayValue,
  DuckDBStructValue, DuckDBMapValue, DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBBlobValue,
  DuckDBTimestampMillisecondsValue, DuckDBTimestampSecondsValue, DuckDBTimestampNanosecondsValue, type DuckDBValue,
} from "@duckdb/node-api";
import { LakehouseError } from "../errors.js";

export type Value = null | boolean | number | bigint | string | Date | Uint8Array | Value[] | { [k: string]: Value };
export type Row = Record<string, Value>;

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Row[];
}

export class SqlExecutionError extends LakehouseError {
  constructor(message: string, sql: string) {
    const first = message.split("\n")[0]!;
    const kind = /^(\w+) Error:/.exec(first)?.[1] ?? "Execution";
    const missingTable = /Table with name .* does not exist|Catalog ".*" does not exist|Schema with name .* does not exist/.test(first);
    super(missingTable ? "TABLE_OR_VIEW_NOT_FOUND" : kind === "Binder" || kind === "Catalog" ? "UNRESOLVED_OBJECT" : kind === "Parser" ? "PARSE_SYNTAX_ERROR" : kind === "Conversion" ? "CAST_INVALID_INPUT" : "SQL_EXECUTION_ERROR",
      `${message.trim()}${kind === "Catalog" || kind === "Binder" ? " Check the table and column names (SHOW TABLES, DESCRIBE TABLE)." : kind === "Parser" ? " Check the statement's syntax." : ""}`, { sql: sql.length > 2000 ? sql.slice(0, 2000) + "…" : sql });
  }
}

function tsToDate(micros: bigint): Date {
  return new Date(Number(micros / 1000n));
}

export function toJsValue(v: DuckDBValue): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof DuckDBDecimalValue) return v.toString();
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue) return tsToDate(v.micros);
  if (v instanceof DuckDBTimestampMillisecondsValue) return new Date(Number(v.millis));
  if (v instanceof DuckDBTimestampSecondsValue) return new Date(Number(v.seconds) * 1000);
  if (v instanceof DuckDBTimestampNanosecondsValue) return new Date(Number(v.nanos / 1000000n));
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(toJsValue);
  if (v instanceof DuckDBStructValue) {
    const o: { [k: string]: Value } = {};
    for (const [k, x] of Object.entries(v.entries)) o[k] = toJsValue(x);
    return o;
  }
  if (v instanceof DuckDBMapValue) {
    const o: { [k: string]: Value } = {};
    for (const e of v.entries) o[String(toJsValue(e.key))] = toJsValue(e.value);
    return o;
  }
  if (v instanceof DuckDBBlobValue) return v.bytes;
  return String(v);
}

export class DuckDb {
  private constructor(readonly instance: DuckDBInstance, readonly connection: DuckDBConnection) {}

  static async open(path = ":memory:"): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const db = new DuckDb(instance, connection);
    // Parquet footers are re-read on every query otherwise; caching them keeps repeated reads of
    // the same Delta files close to a plain read_parquet.
    await db.run("SET parquet_metadata_cache = true");
    // Delta timestamps are instants; show and compare them in UTC whatever the laptop's zone.
    await db.run("SET TimeZone = 'UTC'");
    return db;
  }

  async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (e) {
      throw new SqlExecutionError((e as Error).message, sql);
    }
  }

  async query(sql: string): Promise<QueryResult> {
    let reader;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (e) {
      throw new SqlExecutionError((e as Error).message, sql);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const raw = reader.getRows();
    const rows: Row[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const r: Row = {};
      const src = raw[i]!;
      for (let j = 0; j < names.length; j++) r[names[j]!] = toJsValue(src[j] as DuckDBValue);
      rows[i] = r;
    }
    return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows };
  }

  /** Column names and DuckDB types of a query, without running it. */
  async describe(sql: string): Promise<{ name: string; type: string }[]> {
    const r = await this.query(`DESCRIBE ${sql}`);
    return r.rows.map((row) => ({ name: String(row["column_name"]), type: String(row["column_type"]) }));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
