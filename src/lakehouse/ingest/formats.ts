/**
 * Reading raw files for Auto Loader with DuckDB, without ever losing a record.
 *
 * Files are first *staged* into a DuckDB temp table, one row per record, keeping what is needed
 * to rescue anything that does not fit the schema:
 *
 *   JSON     `read_text` + split into lines (or the whole file with multiLine), then
 *            `json_valid` decides per line: a valid object becomes `__j` (JSON), anything else
 *            is a malformed record whose raw text is kept in `__text`.
 *   CSV      `read_csv` with the file's own header, every column VARCHAR, `null_padding` for short
 *            rows and `store_rejects` so that rows DuckDB cannot parse (unterminated quotes, too
 *            many fields) come back as raw lines instead of disappearing. Each row becomes a JSON
 *            object keyed by the header, so CSV shares the JSON path below.
 *   Parquet  `read_parquet(union_by_name)`: typed columns as written.
 *
 * Then one SELECT shapes the staged records to the stream's schema. Each schema column is
 * extracted by exact name and converted to its type — strictly for JSON (a JSON string is not a
 * number), by parsing for CSV, by TRY_CAST for Parquet. A value that is present but does not
 * convert, every field whose name is not in the schema (including names that differ only in
 * case), and the source file go into the rescued-data column as a JSON object:
 *
 *   {"amount":"abc","Extra":1,"_file_path":"/landing/f.json"}
 *
 * Malformed records keep their raw text: in the corrupt-record column when the schema has one
 * (Spark's `_corrupt_record`), otherwise in the rescued-data column under the key
 * `_corrupt_record`. (Databricks keeps the text only in a corrupt-record column or
 * badRecordsPath; landing it in `_rescued_data` is this engine's addition, so that nothing is
 * silently lost.) Options `mode` DROPMALFORMED / FAILFAST drop them / fail instead.
 *
 * Local differences, said plainly: type mismatches nested inside structs and arrays become NULL
 * fields rather than being rescued; a CSV row with more fields than the header is treated as
 * malformed (Spark drops the extra tokens); inside quoted CSV fields a quote is escaped by
 * doubling it (RFC 4180, DuckDB's default) where Spark's default escape is a backslash — set
 * option("escape", "\\") for backslash-escaped files.
 */
import { open } from "node:fs/promises";
import { LakehouseError } from "../errors.js";
import { quoteIdent, quoteString, type DuckDb } from "../engine/duckdb.js";
import { fromDuckType, isArray, isMap, isStruct, toDuckType, type DataType, type StructField, type StructType } from "../kernel/schema.js";
import { tempName } from "../operations/context.js";

export type FileFormat = "json" | "csv" | "parquet";
export type ParseMode = "PERMISSIVE" | "DROPMALFORMED" | "FAILFAST";

export interface ParseOptions {
  format: FileFormat;
  header: boolean;
  delimiter: string;
  quote: string;
  escape: string;
  multiLine: boolean;
  mode: ParseMode;
}

export class MalformedRecordError extends LakehouseError {
  constructor(file: string, line: number | null, text: string) {
    super("MALFORMED_RECORD_IN_PARSING", `Malformed records are detected in record parsing (mode FAILFAST): ${file}${line !== null ? `, line ${line}` : ""}: ${text.length > 200 ? text.slice(0, 200) + "…" : text}. Fix the file, or read with mode PERMISSIVE (the default: the raw text is kept in the rescued-data or corrupt-record column) or DROPMALFORMED.`, { file, line }, "22023");
  }
}

const sq = quoteString;
const qi = quoteIdent;

/** JSON path `$."name"` for one top-level key. */
function keyPath(name: string): string {
  return sq(`$."${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
}

const INTEGRAL = new Set(["byte", "short", "integer", "long"]);

/** Splits one CSV line into fields (for the header). */
function splitCsvLine(line: string, opts: ParseOptions): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === opts.escape && opts.escape !== opts.quote && line[i + 1] === opts.quote) {
        cur += opts.quote;
        i++;
      } else if (c === opts.quote) {
        if (opts.escape === opts.quote && line[i + 1] === opts.quote) {
          cur += opts.quote;
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === opts.quote && cur === "") quoted = true;
    else if (line.startsWith(opts.delimiter, i)) {
      out.push(cur);
      cur = "";
      i += opts.delimiter.length - 1;
    } else cur += c;
  }
  out.push(cur);
  return out;
}

async function firstLine(path: string): Promise<string> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let text = buf.subarray(0, bytesRead).toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const nl = text.search(/\r?\n/);
    return nl < 0 ? text : text.slice(0, nl);
  } finally {
    await fh.close();
  }
}

/** Spark's names for CSV header fields: blanks become _c<i>, duplicates get their index appended. */
function csvNames(fields: string[], header: boolean): string[] {
  const raw = fields.map((f, i) => (header && f.trim() !== "" ? f : `_c${i}`));
  const counts = new Map<string, number>();
  for (const n of raw) counts.set(n.toLowerCase(), (counts.get(n.toLowerCase()) ?? 0) + 1);
  return raw.map((n, i) => (counts.get(n.toLowerCase())! > 1 ? `${n}${i}` : n));
}

/** The Spark type of a DuckDB JSON structure (json_group_structure), nested fields sorted by name like Spark's JSON inference. */
function structureType(s: unknown): DataType {
  if (typeof s === "string") {
    switch (s) {
      case "BIGINT": case "UBIGINT": return "long";
      case "DOUBLE": return "double";
      case "BOOLEAN": return "boolean";
      default: return "string";
    }
  }
  if (Array.isArray(s)) return { type: "array", elementType: structureType(s[0] ?? "VARCHAR"), containsNull: true };
  if (s && typeof s === "object") {
    const entries = Object.entries(s as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { type: "struct", fields: entries.map(([name, t]) => ({ name, type: structureType(t), nullable: true, metadata: {} })) };
  }
  return "string";
}

/** Records of some files, staged in a DuckDB temp table (see the module comment). */
export class StagedFiles {
  private constructor(
    private readonly db: DuckDb,
    readonly table: string,
    readonly opts: ParseOptions,
    /** CSV: each file's header names, in file order. */
    private readonly headers: string[][],
  ) {}

  static async stage(db: DuckDb, files: string[], opts: ParseOptions): Promise<StagedFiles> {
    const table = tempName("autoloader");
    const ord = files.length ? `(VALUES ${files.map((f, i) => `(${sq(f)}, ${i})`).join(", ")}) AS __o(__path, __ord)` : "";
    if (opts.format === "parquet") {
      if (files.length === 0) {
        await db.run(`CREATE TEMP TABLE ${table} (__file VARCHAR, __ord BIGINT)`);
      } else {
        await db.run(`CREATE TEMP TABLE ${table} AS SELECT __p.*, __o.__ord FROM read_parquet([${files.map(sq).join(", ")}], union_by_name = true, filename = '__file') AS __p JOIN ${ord} ON __p.__file = __o.__path ORDER BY __o.__ord`);
      }
      return new StagedFiles(db, table, opts, []);
    }
    await db.run(`CREATE TEMP TABLE ${table} (__file VARCHAR, __ord BIGINT, __line BIGINT, __text VARCHAR, __j JSON, __ok BOOLEAN)`);
    const headers: string[][] = [];
    if (opts.format === "json" && files.length) {
      const texts = `SELECT filename, content FROM read_text([${files.map(sq).join(", ")}])`;
      const records = opts.multiLine
        ? `SELECT filename AS __file, 1 AS __line, content AS __text FROM (${texts})`
        : `SELECT filename AS __file, g.i AS __line, g.line AS __text FROM (SELECT filename, string_split(replace(content, chr(13), ''), chr(10)) AS ls FROM (${texts})) AS t, LATERAL (SELECT unnest(ls) AS line, unnest(range(1, len(ls) + 1)) AS i) AS g`;
      const parsed = `SELECT __file, __line, __text, CASE WHEN json_valid(__text) THEN json(__text) END AS __j FROM (${records}) WHERE trim(__text) <> ''`;
      if (opts.multiLine) {
        // A multi-line file holds one JSON value: an object, or an array of objects.
        await db.run(`INSERT INTO ${table} SELECT __file, __o.__ord, __line, __text, __j, __j IS NOT NULL AND json_type(__j) = 'OBJECT' FROM (
          SELECT __file, __line, __text, __j FROM (${parsed}) WHERE __j IS NULL OR json_type(__j) <> 'ARRAY'
          UNION ALL
          SELECT __file, __line + e.i - 1, CAST(e.v AS VARCHAR), e.v FROM (${parsed}) AS p, LATERAL (SELECT unnest(json_extract(p.__j, '$[*]')) AS v, unnest(range(1, CAST(json_array_length(p.__j) AS BIGINT) + 1)) AS i) AS e WHERE p.__j IS NOT NULL AND json_type(p.__j) = 'ARRAY'
        ) AS __r JOIN ${ord} ON __r.__file = __o.__path ORDER BY __o.__ord, __line`);
      } else {
        await db.run(`INSERT INTO ${table} SELECT __file, __o.__ord, __line, __text, __j, __j IS NOT NULL AND json_type(__j) = 'OBJECT' FROM (${parsed}) AS __r JOIN ${ord} ON __r.__file = __o.__path ORDER BY __o.__ord, __line`);
      }
    } else if (opts.format === "csv") {
      for (let i = 0; i < files.length; i++) {
        const file = files[i]!;
        const first = await firstLine(file);
        if (first.trim() === "") {
          headers.push([]);
          continue;
        }
        const names = csvNames(splitCsvLine(first, opts), opts.header);
        headers.push(opts.header ? names : []);
        const rej = tempName("rej");
        const rejScan = tempName("rejscan");
        const cols = names.map((_, j) => `'c${j}': 'VARCHAR'`).join(", ");
        const read = `read_csv(${sq(file)}, auto_detect = false, header = ${opts.header}, delim = ${sq(opts.delimiter)}, quote = ${sq(opts.quote)}, escape = ${sq(opts.escape)}, columns = {${cols}}, null_padding = true, store_rejects = true, rejects_table = ${sq(rej)}, rejects_scan = ${sq(rejScan)})`;
        const obj = `json_object(${names.map((n, j) => `${sq(n)}, c${j}`).join(", ")})`;
        try {
          const rows = tempName("csvrows");
          await db.run(`CREATE TEMP TABLE ${rows} AS SELECT * FROM ${read}`);
          await db.run(`INSERT INTO ${table} SELECT ${sq(file)}, ${i}, rowid + ${opts.header ? 2 : 1}, NULL, ${obj}, true FROM ${rows} ORDER BY rowid`);
          await db.run(`DROP TABLE ${rows}`);
          await db.run(`INSERT INTO ${table} SELECT ${sq(file)}, ${i}, line, csv_line, NULL, false FROM ${rej} ORDER BY line`);
        } finally {
          await db.run(`DROP TABLE IF EXISTS ${rej}`);
          await db.run(`DROP TABLE IF EXISTS ${rejScan}`);
        }
      }
      if (!opts.header) {
        // Without a header every file's columns are positional: _c0, _c1, …
        const r = await db.query(`SELECT max(json_array_length(json_keys(__j))) AS n FROM ${table} WHERE __ok`);
        const n = Number(r.rows[0]?.["n"] ?? 0);
        headers.push(Array.from({ length: n }, (_, j) => `_c${j}`));
      }
    }
    return new StagedFiles(db, table, opts, headers);
  }

  async drop(): Promise<void> {
    await this.db.run(`DROP TABLE IF EXISTS ${this.table}`);
  }

  private async parquetColumns(): Promise<{ name: string; type: string }[]> {
    const cols = await this.db.describe(`SELECT * FROM ${this.table}`);
    return cols.filter((c) => c.name !== "__file" && c.name !== "__ord");
  }

  /** Top-level column names in the data: CSV header order, JSON alphabetical (as Spark infers), Parquet file order. */
  async columnNames(): Promise<string[]> {
    if (this.opts.format === "parquet") return (await this.parquetColumns()).map((c) => c.name);
    if (this.opts.format === "csv") {
      const seen = new Map<string, string>();
      for (const h of this.headers) for (const n of h) if (!seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
      return [...seen.values()];
    }
    // Names that differ only in case are one column (the first spelling seen); the others are rescued.
    const r = await this.db.query(`SELECT k, min(__ord * 1000000000 + __line) AS first FROM (SELECT __ord, __line, unnest(json_keys(__j)) AS k FROM ${this.table} WHERE __ok) GROUP BY k ORDER BY first, k`);
    const seen = new Map<string, string>();
    for (const x of r.rows) {
      const k = String(x["k"]);
      if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
    }
    return [...seen.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A file that contains column `name` (for error messages). */
  async fileWith(name: string): Promise<string> {
    if (this.opts.format === "parquet") {
      const r = await this.db.query(`SELECT min(__file) AS f FROM ${this.table} WHERE ${qi(name)} IS NOT NULL`);
      return String(r.rows[0]?.["f"] ?? "");
    }
    const r = await this.db.query(`SELECT __file AS f FROM ${this.table} WHERE __ok AND list_contains(json_keys(__j), ${sq(name)}) ORDER BY __ord, __line LIMIT 1`);
    return String(r.rows[0]?.["f"] ?? "");
  }

  /**
   * Fields for the named columns: strings, unless `inferTypes` (cloudFiles.inferColumnTypes);
   * Parquet always keeps its own types.
   */
  async inferFields(names: string[], inferTypes: boolean): Promise<StructField[]> {
    const field = (name: string, type: DataType): StructField => ({ name, type, nullable: true, metadata: {} });
    if (this.opts.format === "parquet") {
      const cols = await this.parquetColumns();
      return names.map((n) => {
        const c = cols.find((x) => x.name === n);
        let t: DataType = "string";
        try {
          t = c ? fromDuckType(c.type) : "string";
        } catch {
          t = "string";
        }
        return field(n, t);
      });
    }
    if (!inferTypes) return names.map((n) => field(n, "string"));
    const out: StructField[] = [];
    for (const n of names) {
      const v = `json_extract(__j, ${keyPath(n)})`;
      if (this.opts.format === "json") {
        const r = await this.db.query(`SELECT list(DISTINCT json_type(v)) AS ts, json_group_structure(v) AS st FROM (SELECT ${v} AS v FROM ${this.table} WHERE __ok) WHERE v IS NOT NULL AND json_type(v) <> 'NULL'`);
        const types = ((r.rows[0]?.["ts"] ?? []) as string[]).filter((x) => x !== null);
        const set = new Set(types);
        let t: DataType = "string";
        if (set.size === 0) t = "string";
        else if ([...set].every((x) => x === "BIGINT" || x === "UBIGINT")) t = "long";
        else if ([...set].every((x) => x === "BIGINT" || x === "UBIGINT" || x === "DOUBLE")) t = "double";
        else if (set.size === 1 && set.has("BOOLEAN")) t = "boolean";
        else if (set.size === 1 && (set.has("OBJECT") || set.has("ARRAY"))) {
          const st = r.rows[0]?.["st"];
          t = structureType(typeof st === "string" ? JSON.parse(st) : st);
        }
        out.push(field(n, t));
      } else {
        const s = `trim(json_extract_string(__j, ${keyPath(n)}))`;
        const r = await this.db.query(`SELECT count(*) AS n,
            bool_and(regexp_full_match(s, '[+-]?[0-9]+')) AS is_int,
            bool_and(coalesce(TRY_CAST(s AS BIGINT) BETWEEN -2147483648 AND 2147483647, false)) AS fits_int,
            bool_and(TRY_CAST(s AS BIGINT) IS NOT NULL) AS fits_long,
            bool_and(TRY_CAST(s AS DOUBLE) IS NOT NULL) AS is_double,
            bool_and(lower(s) IN ('true', 'false')) AS is_bool,
            bool_and(regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(s AS DATE) IS NOT NULL) AS is_date,
            bool_and(regexp_matches(s, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]') AND TRY_CAST(s AS TIMESTAMPTZ) IS NOT NULL) AS is_ts
          FROM (SELECT ${s} AS s FROM ${this.table} WHERE __ok) WHERE s IS NOT NULL AND s <> ''`);
        const x = r.rows[0] ?? {};
        let t: DataType = "string";
        if (Number(x["n"] ?? 0) === 0) t = "string";
        else if (x["is_int"] === true && x["fits_int"] === true) t = "integer";
        else if (x["is_int"] === true && x["fits_long"] === true) t = "long";
        else if (x["is_double"] === true) t = "double";
        else if (x["is_bool"] === true) t = "boolean";
        else if (x["is_date"] === true) t = "date";
        else if (x["is_ts"] === true) t = "timestamp";
        out.push(field(n, t));
      }
    }
    return out;
  }

  /** The first malformed record, for FAILFAST. */
  async firstMalformed(): Promise<{ file: string; line: number | null; text: string } | undefined> {
    if (this.opts.format === "parquet") return undefined;
    const r = await this.db.query(`SELECT __file, __line, __text FROM ${this.table} WHERE NOT __ok ORDER BY __ord, __line LIMIT 1`);
    const row = r.rows[0];
    return row ? { file: String(row["__file"]), line: row["__line"] === null ? null : Number(row["__line"]), text: String(row["__text"] ?? "") } : undefined;
  }

  /**
   * The SELECT that shapes the staged records to `schema` (data columns), plus the corrupt-record
   * column when `corruptColumn` is given and the rescued-data column when `rescueColumn` is.
   */
  async selectSql(schema: StructType, rescueColumn: string | undefined, corruptColumn: string | undefined): Promise<{ sql: string; mismatchSql: string }> {
    const data = schema.fields;
    const names = data.map((f) => f.name);
    const list = `[${names.map(sq).join(", ")}]::VARCHAR[]`;
    const cols: string[] = [];
    const bad: string[] = [];
    const badEntries: string[] = [];
    let extraEntries: string;
    if (this.opts.format === "parquet") {
      const have = await this.parquetColumns();
      for (const f of data) {
        const c = have.find((x) => x.name === f.name);
        const duck = toDuckType(f.type);
        if (!c) {
          cols.push(`CAST(NULL AS ${duck}) AS ${qi(f.name)}`);
          continue;
        }
        const value = c.type === duck ? qi(c.name) : `TRY_CAST(${qi(c.name)} AS ${duck})`;
        cols.push(`${value} AS ${qi(f.name)}`);
        if (value !== qi(c.name)) {
          const b = `(${qi(c.name)} IS NOT NULL AND ${value} IS NULL)`;
          bad.push(b);
          badEntries.push(`CASE WHEN ${b} THEN {'k': ${sq(f.name)}, 'v': CAST(to_json(${qi(c.name)}) AS VARCHAR)} END`);
        }
      }
      const extra = have.filter((c) => !names.includes(c.name) && c.name !== rescueColumn);
      extraEntries = extra.length
        ? `list_filter([${extra.map((c) => `CASE WHEN ${qi(c.name)} IS NOT NULL THEN {'k': ${sq(c.name)}, 'v': CAST(to_json(${qi(c.name)}) AS VARCHAR)} END`).join(", ")}], x -> x IS NOT NULL)`
        : "[]";
    } else {
      const strict = this.opts.format === "json";
      for (const f of data) {
        const v = `json_extract(__j, ${keyPath(f.name)})`;
        const t = `json_type(${v})`;
        const s = `json_extract_string(__j, ${keyPath(f.name)})`;
        const duck = toDuckType(f.type);
        const type = f.type;
        let value: string;
        if (type === "string") value = s;
        else if (typeof type === "string" && INTEGRAL.has(type)) {
          value = strict
            ? `CASE WHEN ${t} IN ('BIGINT', 'UBIGINT') THEN TRY_CAST(${s} AS ${duck}) END`
            : `CASE WHEN regexp_full_match(trim(${s}), '[+-]?[0-9]+') THEN TRY_CAST(trim(${s}) AS ${duck}) END`;
        } else if (type === "double" || type === "float" || (typeof type === "string" && type.startsWith("decimal"))) {
          value = strict
            ? `CASE WHEN ${t} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(${s} AS ${duck}) END`
            : `TRY_CAST(trim(${s}) AS ${duck})`;
        } else if (type === "boolean") {
          value = strict
            ? `CASE WHEN ${t} = 'BOOLEAN' THEN TRY_CAST(${s} AS BOOLEAN) END`
            : `CASE WHEN lower(trim(${s})) IN ('true', 'false') THEN lower(trim(${s})) = 'true' END`;
        } else if (isStruct(type) || isArray(type) || isMap(type)) {
          value = strict ? `TRY_CAST(${v} AS ${duck})` : `TRY_CAST(TRY_CAST(${s} AS JSON) AS ${duck})`;
        } else {
          // date, timestamp, timestamp_ntz, binary: from the string form.
          value = strict ? `CASE WHEN ${t} = 'VARCHAR' THEN TRY_CAST(${s} AS ${duck}) END` : `TRY_CAST(trim(${s}) AS ${duck})`;
        }
        cols.push(`${value} AS ${qi(f.name)}`);
        if (type !== "string") {
          const b = `(${v} IS NOT NULL AND ${t} <> 'NULL' AND (${value}) IS NULL)`;
          bad.push(b);
          badEntries.push(`CASE WHEN ${b} THEN {'k': ${sq(f.name)}, 'v': CAST(${v} AS VARCHAR)} END`);
        }
      }
      extraEntries = `list_transform(list_filter(map_entries(CAST(__j AS MAP(VARCHAR, JSON))), e -> NOT list_contains(${list}, e.key)), e -> {'k': e.key, 'v': CAST(e.value AS VARCHAR)})`;
    }
    const entries = `list_concat(${badEntries.length ? `list_filter([${badEntries.join(", ")}], x -> x IS NOT NULL)` : "[]"}, ${extraEntries})`;
    const toObject = (e: string) => `'{' || array_to_string(list_transform(${e}, x -> CAST(to_json(x.k) AS VARCHAR) || ':' || x.v), ',') || '}'`;
    const ok = this.opts.format === "parquet" ? "true" : "__ok";
    const anyBad = bad.length ? bad.join(" OR ") : "false";
    if (corruptColumn) {
      // Spark: the raw record of a malformed row (or, without a rescued-data column, of a row with a type mismatch).
      const text = this.opts.format === "parquet" ? "NULL" : rescueColumn ? `CASE WHEN NOT ${ok} THEN __text END` : `CASE WHEN NOT ${ok} THEN __text WHEN ${anyBad} THEN CAST(__j AS VARCHAR) END`;
      cols.push(`CAST(${text} AS VARCHAR) AS ${qi(corruptColumn)}`);
    }
    if (rescueColumn) {
      const fileEntry = `{'k': '_file_path', 'v': CAST(to_json(__file) AS VARCHAR)}`;
      const malformed = corruptColumn || this.opts.format === "parquet"
        ? "NULL"
        : toObject(`[{'k': '_corrupt_record', 'v': CAST(to_json(__text) AS VARCHAR)}, ${fileEntry}]`);
      cols.push(`CAST(CASE WHEN NOT ${ok} THEN ${malformed} WHEN len(${entries}) > 0 THEN ${toObject(`list_concat(${entries}, [${fileEntry}])`)} END AS VARCHAR) AS ${qi(rescueColumn)}`);
    }
    let where = "";
    if (this.opts.mode === "DROPMALFORMED") where = ` WHERE ${ok}${rescueColumn ? "" : ` AND NOT (${anyBad})`}`;
    const order = this.opts.format === "parquet" ? "__ord" : "__ord, __line";
    const sql = `SELECT ${cols.length ? cols.join(", ") : "NULL AS __empty"} FROM ${this.table}${where} ORDER BY ${order}`;
    const mismatchSql = `SELECT count(*) AS n FROM ${this.table} WHERE ${ok} AND (${anyBad})`;
    return { sql, mismatchSql };
  }
}
