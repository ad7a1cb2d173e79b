/**
 * WRITE / CREATE TABLE [AS SELECT] / INSERT: the operation every batch write goes through.
 * Epilogue of every write (as in delta-rs): protocol check → schema enforcement or evolution →
 * constraints → data files → commit with operation parameters and metrics.
 *
 * Schema enforcement: columns match by name (case-insensitively); a column the table lacks is
 * an error unless `mergeSchema` adds it; a column the data lacks is written as NULL; types
 * must be equal or safely widen (int → bigint) and are cast to the table's type.
 */
import { randomUUID } from "node:crypto";
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import { writeFiles } from "../engine/data-writer.js";
import type { Action, Metadata, RemoveFile } from "../kernel/actions.js";
import { commit, type CommitResult } from "../kernel/transaction.js";
import { canUpcast, fromDuckType, isStruct, schemaToString, toDuckType, typeToSql, type DataType, type StructField, type StructType } from "../kernel/schema.js";
import type { Predicate } from "../kernel/predicate.js";
import { fileMayMatch } from "../kernel/data-skipping.js";
import { checkWritable, requiredProtocol } from "../kernel/table-features.js";
import { checkConstraintsOf, enforceConstraints } from "./constraints.js";
import { countRows, withTempTable, type OpContext, type TableTarget } from "./context.js";

export class SchemaMismatchError extends LakehouseError {
  constructor(table: string, detail: string, params: Record<string, unknown>) {
    super("DELTA_METADATA_MISMATCH", `A schema mismatch detected when writing to the Delta table ${table}: ${detail}. To add new columns, set option("mergeSchema", "true") (SQL: MERGE WITH SCHEMA EVOLUTION, or ALTER TABLE … ADD COLUMNS); to replace the schema, overwrite with option("overwriteSchema", "true").`, params, "42KDG");
  }
}

export class ReplaceWhereViolationError extends LakehouseError {
  constructor(predicate: string) {
    super("DELTA_REPLACE_WHERE_MISMATCH", `Written data does not conform to the replaceWhere condition '${predicate}'. Filter the data to rows matching the condition before writing, or widen the condition.`, { predicate }, "44000");
  }
}

export type WriteMode = "append" | "overwrite" | "errorifexists" | "ignore";

export interface WriteRequest {
  /** DuckDB SQL producing the rows to write. */
  sourceSql: string;
  mode: WriteMode;
  partitionBy?: string[];
  mergeSchema?: boolean;
  overwriteSchema?: boolean;
  /** SQL predicate: overwrite only rows matching it (delta's replaceWhere). */
  replaceWhere?: { sql: string; predicate: Predicate };
  properties?: Record<string, string>;
  description?: string;
  /** Schema given explicitly (CREATE TABLE with columns); otherwise taken from the data. */
  schema?: StructType;
  /** "WRITE" by default; CREATE TABLE variants pass their own. */
  operation?: string;
  operationParameters?: Record<string, unknown>;
  maxRecordsPerFile?: number;
  /** Idempotent writes: skip if this appId already committed this version (txnAppId/txnVersion). */
  txn?: { appId: string; version: number };
  userMetadata?: string;
  /** SQL INSERT: ANSI store-assignment casts between numeric types are allowed. */
  ansiStoreAssignment?: boolean;
  /** CREATE OR REPLACE: start from an empty table in the same location. */
  replaceTable?: boolean;
}

export interface WriteResult {
  version: number | null;
  numOutputRows: number;
  numFiles: number;
  commit?: CommitResult;
}

async function sourceSchema(ctx: OpContext, sql: string): Promise<StructType> {
  const cols = await ctx.db.describe(sql);
  return { type: "struct", fields: cols.map((c) => ({ name: c.name, type: fromDuckType(c.type), nullable: true, metadata: {} })) };
}

function findField(schema: StructType, name: string): StructField | undefined {
  return schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** Target schema after applying enforcement/evolution rules; throws on a mismatch. */
const NUMERIC = /^(byte|short|integer|long|float|double|decimal)/;

/**
 * SQL INSERT follows Spark's ANSI store assignment: numeric values may be cast to the column's
 * numeric type (overflow fails at run time) and dates to timestamps. DataFrame writes keep
 * Delta's strict enforcement.
 */
function storeAssignable(from: DataType, to: DataType): boolean {
  if (typeof from !== "string" || typeof to !== "string") return false;
  if (NUMERIC.test(from) && NUMERIC.test(to)) return true;
  return (from === "date" && to.startsWith("timestamp")) || (from.startsWith("timestamp") && to.startsWith("timestamp")) || from === "void";
}

export function reconcileSchema(tableName: string, table: StructType, data: StructType, mergeSchema: boolean, ansiStoreAssignment = false): StructType {
  const extra = data.fields.filter((f) => !findField(table, f.name));
  if (extra.length && !mergeSchema) {
    throw new SchemaMismatchError(tableName, `the data has column(s) [${extra.map((f) => `${f.name} ${typeToSql(f.type)}`).join(", ")}] that the table does not have (table columns: [${table.fields.map((f) => f.name).join(", ")}])`, { extraColumns: extra.map((f) => f.name) });
  }
  const mismatched: string[] = [];
  for (const f of data.fields) {
    const t = findField(table, f.name);
    if (t && !canUpcast(f.type, t.type) && !(ansiStoreAssignment && storeAssignable(f.type, t.type)) && !(isStruct(f.type) && isStruct(t.type))) mismatched.push(`${f.name}: table has ${typeToSql(t.type)}, data has ${typeToSql(f.type)}`);
  }
  if (mismatched.length) {
    throw new SchemaMismatchError(tableName, `incompatible column type(s) [${mismatched.join("; ")}]`, { columns: mismatched });
  }
  if (!extra.length) return table;
  return { type: "struct", fields: [...table.fields, ...extra.map((f) => ({ ...f, nullable: true }))] };
}

/**
 * DuckDB types a bare NULL (e.g. `VALUES (1, NULL)`) as INTEGER, where Spark has a NULL type
 * that fits any column. A column whose type does not fit the table but which holds only NULLs
 * is therefore re-typed as Spark's void before enforcement.
 */
async function markNullColumns(ctx: OpContext, sourceSql: string, data: StructType, table: StructType): Promise<void> {
  const suspects = data.fields.filter((f) => {
    const t = findField(table, f.name);
    return t && f.type === "integer" && !canUpcast(f.type, t.type) && !storeAssignable(f.type, t.type);
  });
  if (!suspects.length) return;
  const r = await ctx.db.query(`SELECT ${suspects.map((f, i) => `count(${quoteIdent(f.name)}) AS c${i}`).join(", ")} FROM (${sourceSql}) AS __n`);
  suspects.forEach((f, i) => {
    if (Number(r.rows[0]![`c${i}`]) === 0) f.type = "void";
  });
}

/** SELECT that shapes `sourceSql` into exactly the table's columns and types. */
export function conformSql(sourceSql: string, target: StructType, data: StructType): string {
  const cols = target.fields.map((f) => {
    const d = findField(data, f.name);
    const duck = toDuckType(f.type);
    return d ? `CAST(${quoteIdent(d.name)} AS ${duck}) AS ${quoteIdent(f.name)}` : `CAST(NULL AS ${duck}) AS ${quoteIdent(f.name)}`;
  });
  return `SELECT ${cols.join(", ")} FROM (${sourceSql}) AS __src`;
}

function hasNtz(t: DataType): boolean {
  if (t === "timestamp_ntz") return true;
  if (typeof t === "string") return false;
  if (t.type === "struct") return t.fields.some((f) => hasNtz(f.type));
  if (t.type === "array") return hasNtz(t.elementType);
  return hasNtz(t.keyType) || hasNtz(t.valueType);
}

export function newMetadata(schema: StructType, partitionColumns: string[], configuration: Record<string, string>, description?: string, id?: string): Metadata {
  return {
    id: id ?? randomUUID(),
    ...(description ? { description } : {}),
    format: { provider: "parquet", options: {} },
    schemaString: schemaToString(schema),
    partitionColumns,
    configuration,
    createdTime: Date.now(),
  };
}

function validatePartitionColumns(tableName: string, schema: StructType, cols: string[]): string[] {
  return cols.map((c) => {
    const f = findField(schema, c);
    if (!f) throw new LakehouseError("DELTA_PARTITION_COLUMN_NOT_FOUND", `Partition column ${c} is not a column of ${tableName} (columns: [${schema.fields.map((x) => x.name).join(", ")}]). Check the PARTITIONED BY / partitionBy list.`, { column: c });
    if (typeof f.type !== "string") throw new LakehouseError("DELTA_INVALID_PARTITION_COLUMN_TYPE", `Cannot partition by ${c} of type ${typeToSql(f.type)}: partition columns must be of an atomic type.`, { column: c });
    return f.name;
  });
}

export async function executeWrite(ctx: OpContext, target: TableTarget, req: WriteRequest): Promise<WriteResult> {
  const snap = req.replaceTable ? undefined : target.snapshot;
  const existing = target.snapshot;
  if (existing) checkWritable(existing.protocol, existing.configuration, target.name);
  if (snap && req.mode === "errorifexists") {
    throw new LakehouseError("DELTA_TABLE_ALREADY_EXISTS", `Table ${target.name} already exists. Use mode("append") or mode("overwrite"), or write to another table.`, { table: target.name }, "42P07");
  }
  if (snap && req.mode === "ignore") return { version: null, numOutputRows: 0, numFiles: 0 };
  if (req.txn && existing) {
    const done = existing.txnVersion(req.txn.appId);
    // Idempotent write: this (appId, version) is already in the table, so do nothing.
    if (done !== undefined && done >= req.txn.version) return { version: null, numOutputRows: 0, numFiles: 0 };
  }

  const dataSchema = await sourceSchema(ctx, req.sourceSql);
  if (snap) await markNullColumns(ctx, req.sourceSql, dataSchema, snap.schema);
  const overwriteSchema = req.mode === "overwrite" && req.overwriteSchema === true;
  let schema: StructType;
  let partitionColumns: string[];
  let configuration: Record<string, string>;
  if (snap && !overwriteSchema) {
    schema = reconcileSchema(target.name, snap.schema, dataSchema, req.mergeSchema === true, req.ansiStoreAssignment === true);
    partitionColumns = snap.partitionColumns;
    if (req.partitionBy?.length && req.partitionBy.join(",").toLowerCase() !== partitionColumns.join(",").toLowerCase()) {
      throw new LakehouseError("DELTA_PARTITION_SCHEMA_MISMATCH", `Partition columns [${req.partitionBy.join(", ")}] do not match the table's [${partitionColumns.join(", ")}]. Drop partitionBy, or overwrite with option("overwriteSchema", "true") to repartition.`, {});
    }
    configuration = { ...snap.configuration, ...(req.properties ?? {}) };
  } else {
    schema = req.schema ? reconcileSchema(target.name, req.schema, dataSchema, false, true) : dataSchema;
    partitionColumns = validatePartitionColumns(target.name, schema, req.partitionBy ?? []);
    configuration = { ...(existing && req.replaceTable ? {} : existing?.configuration ?? {}), ...(req.properties ?? {}) };
  }
  const schemaChanged = !snap || overwriteSchema || schemaToString(schema) !== schemaToString(snap.schema) || JSON.stringify(configuration) !== JSON.stringify(snap.configuration);
  const protocol = requiredProtocol(existing?.protocol, configuration, checkConstraintsOf(configuration).length > 0, schema.fields.some((f) => hasNtz(f.type)));
  const protocolChanged = !existing || JSON.stringify(protocol) !== JSON.stringify(existing.protocol);

  return withTempTable(ctx, "write", conformSql(req.sourceSql, schema, dataSchema), async (staged) => {
    await enforceConstraints(ctx, staged, schema, configuration);
    if (req.replaceWhere && snap) {
      const bad = await countRows(ctx, `(SELECT 1 FROM ${staged} WHERE NOT coalesce((${req.replaceWhere.sql}), false)) AS __bad`);
      if (bad > 0) throw new ReplaceWhereViolationError(req.replaceWhere.sql);
    }
    const written = await writeFiles(ctx.db, { relation: staged, tableRoot: target.root, schema, partitionColumns, maxRecordsPerFile: req.maxRecordsPerFile });
    const actions: Action[] = [];
    if (protocolChanged) actions.push({ protocol });
    if (schemaChanged) actions.push({ metaData: newMetadata(schema, partitionColumns, configuration, req.description ?? existing?.metadata.description ?? undefined, req.replaceTable || !existing ? undefined : existing.metadata.id) });
    if (req.txn) actions.push({ txn: { appId: req.txn.appId, version: req.txn.version, lastUpdated: Date.now() } });
    const now = Date.now();
    const removes: RemoveFile[] = [];
    let numRemovedRows = 0;
    const readFiles = new Set<string>();
    let readPredicates: (Predicate | true)[] = [];
    if (existing && (req.mode === "overwrite" || req.replaceTable)) {
      if (req.replaceWhere && snap) {
        // Only partition-aligned replaceWhere is metadata-only; otherwise rows outside the
        // condition are kept by rewriting the matched files without them.
        readPredicates = [req.replaceWhere.predicate];
        const touched = snap.files.filter((f) => fileMayMatch(f, req.replaceWhere!.predicate, snap.schema, snap.partitionColumns));
        for (const f of touched) readFiles.add(f.path);
        const keep = await rewriteKeeping(ctx, target, touched, `NOT coalesce((${req.replaceWhere.sql}), false)`, schema);
        for (const f of touched) removes.push({ path: f.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size, ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}) });
        written.adds.push(...keep.adds);
        numRemovedRows = keep.removedRows;
      } else {
        readPredicates = [true];
        for (const f of existing.files) {
          readFiles.add(f.path);
          removes.push({ path: f.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size, ...(f.deletionVector ? { deletionVector: f.deletionVector } : {}) });
        }
      }
    }
    for (const r of removes) actions.push({ remove: r });
    for (const a of written.adds) actions.push({ add: a });
    const mode = req.mode === "overwrite" ? "Overwrite" : req.mode === "append" ? "Append" : "ErrorIfExists";
    const isBlindAppend = removes.length === 0 && !req.replaceWhere && req.mode !== "overwrite";
    const result = await commit(ctx.engine, target.root, existing, {
      operation: req.operation ?? "WRITE",
      operationParameters: req.operationParameters ?? { mode, partitionBy: JSON.stringify(partitionColumns), ...(req.replaceWhere ? { predicate: JSON.stringify([req.replaceWhere.sql]) } : {}) },
      operationMetrics: {
        numFiles: written.adds.length,
        numOutputRows: written.numRows,
        numOutputBytes: written.adds.reduce((s, a) => s + a.size, 0),
        ...(removes.length ? { numRemovedFiles: removes.length, numRemovedBytes: removes.reduce((s, r) => s + (r.size ?? 0), 0) } : {}),
        ...(numRemovedRows ? { numDeletedRows: numRemovedRows } : {}),
      },
      actions,
      userMetadata: req.userMetadata,
      footprint: {
        isolationLevel: "WriteSerializable",
        isBlindAppend,
        readPredicates,
        readFiles,
        removedPaths: new Set(removes.map((r) => r.path)),
        changesMetadata: schemaChanged || protocolChanged,
        appIds: new Set(req.txn ? [req.txn.appId] : []),
      },
    });
    return { version: result.version, numOutputRows: written.numRows, numFiles: written.adds.length, commit: result };
  });
}

/** Rewrites `files`, keeping only rows where `keepCondition` holds. */
async function rewriteKeeping(ctx: OpContext, target: TableTarget, files: import("../kernel/actions.js").AddFile[], keepCondition: string, schema: StructType) {
  const { buildScanSql } = await import("../engine/scan.js");
  if (files.length === 0) return { adds: [], removedRows: 0 };
  const scan = await buildScanSql(ctx.scan, target.snapshot!, { files });
  return withTempTable(ctx, "keep", `SELECT * FROM (${scan}) WHERE ${keepCondition}`, async (kept) => {
    const total = await countRows(ctx, `(${scan}) AS __all`);
    const w = await writeFiles(ctx.db, { relation: kept, tableRoot: target.root, schema, partitionColumns: target.snapshot!.partitionColumns });
    return { adds: w.adds, removedRows: total - w.numRows };
  });
}
