/**
 * Compiles a snapshot (or a subset of its files) into one DuckDB SELECT with the table's logical
 * columns, so DuckDB does the reading while the kernel decides which files are live.
 *
 * What the SELECT has to get right, all from the log and not from the files:
 * - partition values are constants per file (they are not in the data files);
 * - columns added after a file was written read as NULL: every read_parquet call also reads an
 *   empty "schema file" with all columns, with union_by_name, so missing columns bind as NULL;
 * - column mapping: files hold physical names (at every nesting level), the table logical ones;
 * - deletion vectors: rows whose index is in the DV are filtered out by file_row_number.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { AddFile } from "../kernel/actions.js";
import { deletedRowIndexes, dvUniqueId } from "../kernel/deletion-vector.js";
import { parseStats } from "../kernel/data-skipping.js";
import { decodeAddPath, normaliseTimestamp } from "../kernel/partition-values.js";
import { fieldId, isArray, isMap, isStruct, physicalName, toDuckType, type DataType, type StructType } from "../kernel/schema.js";
import type { Snapshot } from "../kernel/snapshot.js";
import { quoteIdent, quoteString, type DuckDb } from "./duckdb.js";
import type { Storage } from "../kernel/engine.js";

export interface ScanContext {
  db: DuckDb;
  storage: Storage;
  scratchDir: string;
}

export interface ScanOptions {
  /** Files to read (default: every live file of the snapshot). */
  files?: AddFile[];
  /** Adds `__file`: the absolute path of the data file each row came from. */
  withFileColumn?: boolean;
  /** Adds `__row`: the row's index within its data file. */
  withRowIndex?: boolean;
}

export const FILE_COL = "__file";
export const ROW_COL = "__row";

/** Absolute, decoded path of a data file named by an add/remove action. */
export function dataFilePath(tableRoot: string, addPath: string): string {
  if (addPath.startsWith("file:")) return decodeAddPath(addPath.replace(/^file:(\/\/)?/, ""));
  if (addPath.startsWith("/")) return decodeAddPath(addPath);
  return `${tableRoot}/${decodeAddPath(addPath)}`;
}

/** DuckDB type of a column as stored in files: physical names at every level. */
export function physicalDuckType(t: DataType, mode: string): string {
  if (isStruct(t)) return `STRUCT(${t.fields.map((f) => `${quoteIdent(physicalName(f, mode))} ${physicalDuckType(f.type, mode)}`).join(", ")})`;
  if (isArray(t)) return `${physicalDuckType(t.elementType, mode)}[]`;
  if (isMap(t)) return `MAP(${physicalDuckType(t.keyType, mode)}, ${physicalDuckType(t.valueType, mode)})`;
  return toDuckType(t);
}

let lambdaCounter = 0;

/** Expression turning a physical value into its logical shape (renames nested fields). */
function logicalExpr(expr: string, t: DataType, mode: string): string {
  if (mode === "none" || typeof t === "string") return expr;
  if (isStruct(t)) {
    const fields = t.fields.map((f) => `${quoteIdent(f.name)} := ${logicalExpr(`${expr}.${quoteIdent(physicalName(f, mode))}`, f.type, mode)}`);
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(", ")}) END`;
  }
  if (isArray(t)) {
    const v = `__e${lambdaCounter++}`;
    return `list_transform(${expr}, ${v} -> ${logicalExpr(v, t.elementType, mode)})`;
  }
  if (isMap(t)) {
    const v = `__m${lambdaCounter++}`;
    return `map_from_entries(list_transform(map_entries(${expr}), ${v} -> struct_pack(key := ${logicalExpr(`${v}.key`, t.keyType, mode)}, value := ${logicalExpr(`${v}.value`, t.valueType, mode)})))`;
  }
  return expr;
}

/** A SQL literal for a partition value string of the given type. */
export function partitionLiteral(raw: string | null | undefined, t: DataType): string {
  const duck = toDuckType(t);
  if (raw === null || raw === undefined || (raw === "" && t !== "string") || (raw === "" && t === "string")) return `CAST(NULL AS ${duck})`;
  if (t === "timestamp") return `CAST(${quoteString(normaliseTimestamp(raw, true))} AS TIMESTAMPTZ)`;
  if (t === "timestamp_ntz") return `CAST(${quoteString(normaliseTimestamp(raw, false))} AS TIMESTAMP)`;
  if (t === "binary") return `encode(${quoteString(raw)})`;
  return `CAST(${quoteString(raw)} AS ${duck})`;
}

const schemaFiles = new Map<string, Promise<string>>();

/** An empty parquet file with every physical column, so union_by_name always binds them all. */
async function schemaFile(ctx: ScanContext, columns: { name: string; duck: string }[]): Promise<string> {
  const key = createHash("sha1").update(JSON.stringify(columns)).digest("hex").slice(0, 16);
  const path = join(ctx.scratchDir, "schemas", `${key}.parquet`);
  let p = schemaFiles.get(path);
  if (!p) {
    p = (async () => {
      await fs.mkdir(join(ctx.scratchDir, "schemas"), { recursive: true });
      try {
        await fs.access(path);
        return path;
      } catch {
        /* create it */
      }
      const sel = columns.length ? columns.map((c) => `CAST(NULL AS ${c.duck}) AS ${quoteIdent(c.name)}`).join(", ") : "NULL AS __empty";
      const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await ctx.db.run(`COPY (SELECT ${sel} LIMIT 0) TO ${quoteString(tmp)} (FORMAT parquet)`);
      await fs.rename(tmp, path);
      return path;
    })();
    schemaFiles.set(path, p);
    p.catch(() => schemaFiles.delete(path));
  }
  return p;
}

const fieldIdCache = new Map<string, Map<number, string>>();

/** Top-level Parquet field id → column name of one file, from its footer (parquet_schema). */
async function topLevelFieldIds(ctx: ScanContext, path: string): Promise<Map<number, string>> {
  const hit = fieldIdCache.get(path);
  if (hit) return hit;
  const rows = (await ctx.db.query(`SELECT name, field_id, num_children FROM parquet_schema(${quoteString(path)})`)).rows;
  const out = new Map<number, string>();
  // Rows are the schema tree in pre-order; the root's children are the top-level columns.
  const size = (i: number): number => {
    let n = 1;
    let next = i + 1;
    for (let c = 0; c < Number(rows[i]?.["num_children"] ?? 0); c++) {
      const s = size(next);
      n += s;
      next += s;
    }
    return n;
  };
  let pos = 1;
  for (let c = 0; c < Number(rows[0]?.["num_children"] ?? 0); c++) {
    const r = rows[pos]!;
    if (r["field_id"] !== null && r["field_id"] !== undefined) out.set(Number(r["field_id"]), String(r["name"]));
    pos += size(pos);
  }
  fieldIdCache.set(path, out);
  return out;
}

const dvCache = new Map<string, number[]>();

async function deletedRows(ctx: ScanContext, tableRoot: string, add: AddFile): Promise<number[]> {
  const dv = add.deletionVector!;
  const key = `${tableRoot}|${dvUniqueId(dv)}`;
  let rows = dvCache.get(key);
  if (!rows) {
    const bytes = new Map<string, Uint8Array>();
    const { dvAbsolutePath } = await import("../kernel/deletion-vector.js");
    const p = dvAbsolutePath(dv, tableRoot);
    if (p) bytes.set(p, await ctx.storage.readBytes(p));
    rows = deletedRowIndexes(dv, (abs) => bytes.get(abs)!, tableRoot);
    dvCache.set(key, rows);
  }
  return rows;
}

/** True when the file's stats record a null count for every data column (so it has them all). */
function hasAllColumns(add: AddFile, columns: string[]): boolean {
  const stats = parseStats(add);
  const nc = stats?.nullCount;
  if (!nc || typeof stats.numRecords !== "number") return false;
  return columns.every((c) => c in nc);
}

export function dataColumns(schema: StructType, partitionColumns: string[]) {
  const parts = new Set(partitionColumns.map((c) => c.toLowerCase()));
  return schema.fields.filter((f) => !parts.has(f.name.toLowerCase()));
}

/** The SELECT that reads `snap` (or `opts.files`) with logical column names, in schema order. */
export async function buildScanSql(ctx: ScanContext, snap: Snapshot, opts: ScanOptions = {}): Promise<string> {
  const files = opts.files ?? snap.files;
  const mode = snap.columnMappingMode;
  const schema = snap.schema;
  const dataCols = dataColumns(schema, snap.partitionColumns);
  const partSet = new Set(snap.partitionColumns.map((c) => c.toLowerCase()));

  if (files.length === 0) {
    const cols = schema.fields.map((f) => `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`);
    if (opts.withFileColumn) cols.push(`CAST(NULL AS VARCHAR) AS ${FILE_COL}`);
    if (opts.withRowIndex) cols.push(`CAST(NULL AS BIGINT) AS ${ROW_COL}`);
    return `SELECT ${cols.join(", ")} WHERE false`;
  }

  // Column mapping "id" mode matches file columns by Parquet field id, not by name: each file's
  // top-level ids are read from its footer, and files are grouped by that mapping.
  const idNames = new Map<string, Map<number, string>>();
  if (mode === "id") {
    for (const f of files) idNames.set(f.path, await topLevelFieldIds(ctx, dataFilePath(snap.tableRoot, f.path)));
  }

  // When the log's stats show every file holds every column, the files can be read as they are;
  // otherwise an empty file with the full schema makes missing columns bind as NULL.
  const complete = mode === "id" || (mode === "none" && files.every((f) => hasAllColumns(f, dataCols.map((c) => c.name))));
  const schemaPath = complete ? undefined : await schemaFile(ctx, dataCols.map((f) => ({ name: physicalName(f, mode), duck: physicalDuckType(f.type, mode) })));

  // Files that share partition values (and have no DV) are read by one read_parquet call.
  const groups = new Map<string, AddFile[]>();
  for (const f of files) {
    const idKey = mode === "id" ? JSON.stringify([...idNames.get(f.path)!]) : "";
    const key = (f.deletionVector ? `dv:${f.path}:${dvUniqueId(f.deletionVector)}` : JSON.stringify(snap.partitionColumns.map((c) => f.partitionValues[c] ?? null))) + idKey;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }

  const selects: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const cols = schema.fields.map((f) => {
      if (partSet.has(f.name.toLowerCase())) {
        const raw = first.partitionValues[physicalName(f, mode)] ?? first.partitionValues[f.name];
        return `${partitionLiteral(raw, f.type)} AS ${quoteIdent(f.name)}`;
      }
      let source = quoteIdent(physicalName(f, mode));
      if (mode === "id") {
        const id = fieldId(f);
        const name = id === undefined ? undefined : idNames.get(first.path)!.get(id);
        // A field id the file does not have: the column was added after the file was written.
        if (name === undefined) return `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`;
        source = quoteIdent(name);
      }
      return `${logicalExpr(source, f.type, mode)} AS ${quoteIdent(f.name)}`;
    });
    if (opts.withFileColumn) cols.push(`filename AS ${FILE_COL}`);
    if (opts.withRowIndex) cols.push(`file_row_number AS ${ROW_COL}`);
    const paths = [...(schemaPath ? [schemaPath] : []), ...group.map((f) => dataFilePath(snap.tableRoot, f.path))];
    const needRowNumbers = opts.withRowIndex || !!first.deletionVector;
    const args = [`[${paths.map(quoteString).join(", ")}]`, ...(schemaPath ? ["union_by_name = true"] : [])];
    if (opts.withFileColumn) args.push("filename = true");
    if (needRowNumbers) args.push("file_row_number = true");
    let sql = `SELECT ${cols.join(", ")} FROM read_parquet(${args.join(", ")})`;
    if (first.deletionVector) {
      const deleted = await deletedRows(ctx, snap.tableRoot, first);
      if (deleted.length) sql += ` WHERE file_row_number NOT IN (${deleted.join(", ")})`;
    }
    selects.push(sql);
  }
  return selects.length === 1 ? selects[0]! : selects.map((s) => `(${s})`).join("\nUNION ALL\n");
}
