/**
 * Writing data files for a commit. Rows are first materialised in a DuckDB temp table (the
 * writer checks constraints and computes change data from it), then written with one COPY that
 * returns per-file statistics, which become the `stats` of each add action.
 *
 * Files are written into a staging directory inside the table and renamed into place, so a
 * crash never leaves a half-written file under a name the log could reference.
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { AddCDCFile, AddFile } from "../kernel/actions.js";
import { encodeAddPath, partitionDir, serializePartitionValue } from "../kernel/partition-values.js";
import { isStruct, type DataType, type StructType } from "../kernel/schema.js";
import { dataColumns } from "./scan.js";
import { quoteIdent, quoteString, type DuckDb, type Value } from "./duckdb.js";

export interface WriteFilesRequest {
  /** A DuckDB table or view holding the rows, with the table's logical columns. */
  relation: string;
  tableRoot: string;
  schema: StructType;
  partitionColumns: string[];
  maxRecordsPerFile?: number;
  /** "data" for add files, "cdc" for `_change_data` files (which keep `_change_type`). */
  kind?: "data" | "cdc";
  dataChange?: boolean;
}

export const STAGING_DIR = "_staging";
const STRING_STATS_PREFIX = 32;

interface ReturnedStats {
  filename: string;
  count: string;
  file_size_bytes: string;
  /** column path → { min, max, null_count, … } (DuckDB MAPs arrive as plain objects). */
  column_statistics: Record<string, Record<string, string>>;
}

/** Splits DuckDB's stats key `"a"."b"` into its path parts. */
function statsPath(key: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] === '"') {
      let s = "";
      i++;
      while (i < key.length) {
        if (key[i] === '"' && key[i + 1] === '"') { s += '"'; i += 2; continue; }
        if (key[i] === '"') { i++; break; }
        s += key[i++];
      }
      parts.push(s);
    } else if (key[i] === ".") i++;
    else {
      let s = "";
      while (i < key.length && key[i] !== ".") s += key[i++];
      parts.push(s);
    }
  }
  return parts;
}

/** A raw JSON token, so 64-bit integers and decimals keep every digit in the stats JSON. */
class RawJson {
  constructor(readonly text: string) {}
}

function statValue(v: string, t: DataType, isMax: boolean): RawJson | string | undefined {
  if (typeof t !== "string") return undefined;
  if (/^(byte|short|integer|long)$/.test(t) || t.startsWith("decimal")) return /^-?\d+(\.\d+)?$/.test(v) ? new RawJson(v) : undefined;
  if (t === "float" || t === "double") {
    const n = Number(v);
    return Number.isFinite(n) ? new RawJson(String(n)) : undefined;
  }
  if (t === "date") return v;
  if (t === "timestamp" || t === "timestamp_ntz") {
    // Delta stats keep milliseconds; readers widen the max by 1 ms to stay correct.
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(v);
    if (!m) return undefined;
    const frac = (m[3] ?? ".000").padEnd(4, "0").slice(0, 4);
    return `${m[1]}T${m[2]}${frac}${t === "timestamp" ? "Z" : ""}`;
  }
  if (t === "string") {
    if (v.length <= STRING_STATS_PREFIX) return v;
    // A prefix is a valid lower bound; a cut max would not be an upper bound, so omit it.
    return isMax ? undefined : v.slice(0, STRING_STATS_PREFIX);
  }
  return undefined;
}

function fieldAt(schema: StructType, path: string[]): DataType | undefined {
  let t: DataType = schema;
  for (const p of path) {
    if (!isStruct(t)) return undefined;
    const f: StructType["fields"][number] | undefined = t.fields.find((x) => x.name === p);
    if (!f) return undefined;
    t = f.type;
  }
  return t;
}

function setPath(obj: Record<string, unknown>, path: string[], v: unknown) {
  let o = obj;
  for (const p of path.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[path[path.length - 1]!] = v;
}

function toJson(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(",")}}`;
  return JSON.stringify(v);
}

/** Delta `stats` JSON for one written file. */
export function deltaStats(r: ReturnedStats, schema: StructType): string {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, unknown> = {};
  for (const [key, m] of Object.entries(r.column_statistics ?? {})) {
    const path = statsPath(key);
    const t = fieldAt(schema, path);
    if (t === undefined || typeof t !== "string") continue;
    if (m["null_count"] !== undefined) setPath(nullCount, path, new RawJson(String(Number(m["null_count"]))));
    if (m["min"] !== undefined) {
      const v = statValue(m["min"], t, false);
      if (v !== undefined) setPath(minValues, path, v);
    }
    if (m["max"] !== undefined) {
      const v = statValue(m["max"], t, true);
      if (v !== undefined) setPath(maxValues, path, v);
    }
  }
  return toJson({ numRecords: new RawJson(String(Number(r.count))), minValues, maxValues, nullCount });
}

/** Text of each partition value, as Delta serialises it. */
function partitionTextExpr(col: string, t: DataType): string {
  const c = quoteIdent(col);
  if (t === "timestamp") return `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%fZ')`;
  if (t === "timestamp_ntz") return `strftime(${c}, '%Y-%m-%d %H:%M:%S.%f')`;
  if (t === "binary") return `decode(${c})`;
  return `CAST(${c} AS VARCHAR)`;
}

export interface WrittenFiles {
  adds: AddFile[];
  cdcs: AddCDCFile[];
  numRows: number;
}

/** Writes the rows of `req.relation` as Delta data (or change data) files. */
export async function writeFiles(db: DuckDb, req: WriteFilesRequest): Promise<WrittenFiles> {
  const kind = req.kind ?? "data";
  const dataCols = dataColumns(req.schema, req.partitionColumns);
  const fileCols = dataCols.map((f) => quoteIdent(f.name));
  if (kind === "cdc") fileCols.push(quoteIdent("_change_type"));
  const partFields = req.partitionColumns.map((c) => req.schema.fields.find((f) => f.name === c)!);
  const max = req.maxRecordsPerFile && req.maxRecordsPerFile > 0 ? Math.floor(req.maxRecordsPerFile) : 0;
  const txnId = randomUUID();
  const tmpParts = `__c360_parts_${txnId.replace(/-/g, "")}`;

  // Partition tuples get small integer ids; the COPY partitions by id, so no value ever has to
  // survive DuckDB's own directory naming (NULLs, slashes, unicode).
  let partitions: { id: number; values: Record<string, string | null> }[] = [{ id: 0, values: {} }];
  let pidExpr = "0";
  let from = req.relation;
  if (partFields.length) {
    const sel = partFields.map((f, i) => `${partitionTextExpr(f.name, f.type)} AS p${i}`).join(", ");
    await db.run(`CREATE OR REPLACE TEMP TABLE ${tmpParts} AS SELECT row_number() OVER () - 1 AS pid, * FROM (SELECT DISTINCT ${sel} FROM ${req.relation})`);
    const res = await db.query(`SELECT * FROM ${tmpParts} ORDER BY pid`);
    partitions = res.rows.map((r) => ({
      id: Number(r["pid"]),
      values: Object.fromEntries(partFields.map((f, i) => [f.name, serializePartitionValue(r[`p${i}`] as Value, f.type)])),
    }));
    const on = partFields.map((f, i) => `${partitionTextExpr(f.name, f.type).replace(quoteIdent(f.name), `__src.${quoteIdent(f.name)}`)} IS NOT DISTINCT FROM __p.p${i}`).join(" AND ");
    from = `(SELECT __src.*, __p.pid AS __pid0 FROM ${req.relation} AS __src JOIN ${tmpParts} AS __p ON ${on})`;
    pidExpr = "__pid0";
  }
  if (max) {
    pidExpr = partFields.length
      ? `(${pidExpr} * 1000000 + (row_number() OVER (PARTITION BY ${pidExpr}) - 1) // ${max})`
      : `((row_number() OVER () - 1) // ${max})`;
  }

  const staging = join(req.tableRoot, STAGING_DIR, txnId);
  const prefix = kind === "cdc" ? "cdc-00000" : "part-00000";
  let written: ReturnedStats[] = [];
  await fs.mkdir(join(req.tableRoot, STAGING_DIR), { recursive: true });
  try {
    const res = await db.query(`COPY (SELECT ${fileCols.join(", ")}, ${pidExpr} AS __pid FROM ${from}) TO ${quoteString(staging)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (__pid), WRITE_PARTITION_COLUMNS false, FILENAME_PATTERN '${prefix}-{uuid}-c000.snappy', RETURN_STATS)`);
    written = res.rows as unknown as ReturnedStats[];
  } finally {
    if (partFields.length) await db.run(`DROP TABLE IF EXISTS ${tmpParts}`);
  }
  const byId = new Map(partitions.map((p) => [p.id, p.values]));
  const adds: AddFile[] = [];
  const cdcs: AddCDCFile[] = [];
  let numRows = 0;
  for (const w of written) {
    const filename = String(w.filename);
    const m = /__pid=(\d+)[/\\]([^/\\]+)$/.exec(filename);
    if (!m) continue;
    const pid = Number(m[1]);
    const values = byId.get(max && partFields.length ? Math.floor(pid / 1000000) : partFields.length ? pid : 0) ?? {};
    const dir = partFields.length ? partitionDir(req.partitionColumns, values) : "";
    const rel = [kind === "cdc" ? "_change_data" : "", dir, m[2]!].filter(Boolean).join("/");
    const dest = join(req.tableRoot, rel);
    await fs.mkdir(join(dest, ".."), { recursive: true });
    await fs.rename(filename, dest);
    const st = await fs.stat(dest);
    numRows += Number(w.count);
    if (kind === "cdc") {
      cdcs.push({ path: encodeAddPath(rel), partitionValues: values, size: st.size, dataChange: false });
    } else {
      adds.push({ path: encodeAddPath(rel), partitionValues: values, size: st.size, modificationTime: Math.floor(st.mtimeMs), dataChange: req.dataChange ?? true, stats: deltaStats(w, req.schema) });
    }
  }
  await fs.rm(staging, { recursive: true, force: true });
  return { adds, cdcs, numRows };
}
