/**
 * Executes parsed Databricks statements: DDL and Delta commands go to the operations, queries to
 * the query compiler. Each command's answer is returned as a DataFrame, like spark.sql.
 */
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import { parseSqlType, toDuckType, type StructType } from "../kernel/schema.js";
import { executeWrite } from "../operations/write.js";
import { executeDelete } from "../operations/delete.js";
import { executeUpdate } from "../operations/update.js";
import { executeMerge } from "../operations/merge.js";
import { executeAlter } from "../operations/alter.js";
import { parseStatement, splitStatements } from "./parser/parse.js";
import type { Statement, TableRef } from "./parser/ast.js";
import { conditionToPredicate } from "./predicates.js";
import { DataFrame } from "./dataframe/index.js";
import { resultSql, type ColumnType } from "./results.js";
import type { SparkSession } from "./session.js";

async function frame(spark: SparkSession, columns: [string, ColumnType][], rows: Record<string, unknown>[]): Promise<DataFrame> {
  // DDL answers with no columns; DuckDB needs at least one, so it gets an empty `result` column.
  if (columns.length === 0) return DataFrame.fromSql(spark, "SELECT CAST(NULL AS VARCHAR) AS result WHERE false");
  return DataFrame.fromSql(spark, resultSql(columns, rows));
}

const DML_COLUMNS: [string, ColumnType][] = [["num_affected_rows", "BIGINT"]];

function lastPart(ref: TableRef): string {
  return ref.kind === "name" ? ref.parts[ref.parts.length - 1]! : "t";
}

export async function executeStatement(spark: SparkSession, text: string): Promise<DataFrame> {
  const parts = splitStatements(text);
  if (parts.length === 0) throw new LakehouseError("PARSE_EMPTY_STATEMENT", "The SQL text is empty. Write a statement such as SELECT 1.", {});
  let last: DataFrame | undefined;
  for (const p of parts) last = await executeOne(spark, parseStatement(p));
  return last!;
}

const EXPR_PREFIX = "SELECT 1 WHERE ";

/**
 * Resolves catalog tables inside an expression (e.g. `id IN (SELECT id FROM c360.silver.t)` in
 * a DELETE): the expression is compiled as the WHERE of a one-row query, whose prefix the
 * compiler leaves untouched.
 */
async function compileExpr(spark: SparkSession, expr: string): Promise<string> {
  if (!/\bselect\b/i.test(expr)) return expr;
  const c = await spark.compile(`${EXPR_PREFIX}${expr}`);
  return c.sql.startsWith(EXPR_PREFIX) ? c.sql.slice(EXPR_PREFIX.length) : expr;
}

async function compileSource(spark: SparkSession, sql: string): Promise<string> {
  const c = await spark.compile(sql);
  spark.lastScans = c.scans;
  return c.sql;
}

async function executeOne(spark: SparkSession, st: Statement): Promise<DataFrame> {
  const ctx = spark.opContext;
  switch (st.type) {
    case "query":
      return DataFrame.fromSql(spark, st.sql);

    case "createTable": {
      if (st.using && st.using.toLowerCase() !== "delta") {
        throw new LakehouseError("UNSUPPORTED_DATA_SOURCE", `Only Delta tables can be created here (USING ${st.using}). Remove USING ${st.using}: on Databricks, Delta is the default format.`, {});
      }
      const resolved = await spark.resolveTable(st.table, false);
      if (resolved.entry && st.ifNotExists) return frame(spark, [], []);
      if (resolved.entry && !st.orReplace) throw new LakehouseError("TABLE_OR_VIEW_ALREADY_EXISTS", `Cannot create table ${resolved.name} because it already exists. Use CREATE OR REPLACE TABLE, CREATE TABLE IF NOT EXISTS, or another name.`, { table: resolved.name }, "42P07");
      const root = st.location ? st.location : resolved.entry?.location ?? resolved.root;
      const target = await spark.targetOf(st.table.kind === "path" ? st.table : { kind: "path", format: "delta", path: root }, false);
      target.name = resolved.name;
      const props: Record<string, string> = { ...st.tblProperties };
      for (const c of st.constraints ?? []) props[`delta.constraints.${c.name.toLowerCase()}`] = c.check;
      let schema: StructType | undefined;
      if (st.columns?.length) schema = { type: "struct", fields: st.columns.map((c) => ({ name: c.name, type: parseSqlType(c.type), nullable: c.nullable, metadata: c.comment ? { comment: c.comment } : {} })) };
      const sourceSql = st.asSelect
        ? await compileSource(spark, st.asSelect)
        : `SELECT ${schema!.fields.map((f) => `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`).join(", ")} WHERE false`;
      const exists = !!target.snapshot;
      const operation = st.asSelect ? (st.orReplace && exists ? "CREATE OR REPLACE TABLE AS SELECT" : "CREATE TABLE AS SELECT") : st.orReplace && exists ? "CREATE OR REPLACE TABLE" : "CREATE TABLE";
      if (exists && !st.orReplace && st.table.kind === "path") throw new LakehouseError("DELTA_TABLE_ALREADY_EXISTS", `A Delta table already exists at ${root}. Use CREATE OR REPLACE TABLE.`, {});
      if (exists && !st.orReplace && !resolved.entry) {
        // A Delta table already at the location (e.g. re-registering an external table): keep its data.
      } else {
        const res = await executeWrite(ctx, target, {
          sourceSql, mode: "overwrite", schema, partitionBy: st.partitionedBy, properties: props, description: st.comment,
          operation, replaceTable: exists, overwriteSchema: true,
          operationParameters: { isManaged: String(!st.location && st.table.kind === "name"), description: st.comment ?? null, partitionBy: JSON.stringify(st.partitionedBy), properties: JSON.stringify(props) },
        });
        if (res.commit) await spark.rememberSnapshot(res.commit.snapshot);
      }
      if (st.table.kind === "name" && !resolved.entry) {
        const [catalog, schemaName, name] = resolved.parts!;
        await spark.metastore.registerTable({ catalog, schema: schemaName, name, type: st.location ? "EXTERNAL" : "MANAGED", location: root, ...(st.comment ? { comment: st.comment } : {}) });
      }
      return frame(spark, [], []);
    }

    case "insert": {
      const target = await spark.targetOf(st.table);
      const snap = target.snapshot!;
      let source = st.query;
      // INSERT without BY NAME is positional, as in Spark SQL: name the query's columns after the table's.
      const tableCols = st.columns?.length ? st.columns : snap.schema.fields.map((f) => f.name).filter((c) => !(st.partitionSpec && c in st.partitionSpec));
      const compiled = await compileSource(spark, source);
      let sourceSql = compiled;
      if (!st.byName) {
        const cols = await spark.db.describe(compiled);
        if (cols.length !== tableCols.length) {
          throw new LakehouseError("INSERT_COLUMN_ARITY_MISMATCH", `Cannot write to ${target.name}: the query produces ${cols.length} column(s) but ${tableCols.length} are expected (${tableCols.join(", ")}). List the columns: INSERT INTO t (a, b) …, or use INSERT … BY NAME.`, {}, "21S01");
        }
        sourceSql = `SELECT ${cols.map((c, i) => `${quoteIdent(c.name)} AS ${quoteIdent(tableCols[i]!)}`).join(", ")} FROM (${compiled}) AS __q`;
      }
      if (st.partitionSpec) {
        const extra = Object.entries(st.partitionSpec).map(([k, v]) => `${v === null ? "NULL" : v} AS ${quoteIdent(k)}`);
        sourceSql = `SELECT *, ${extra.join(", ")} FROM (${sourceSql}) AS __p`;
      }
      const replaceWhere = st.replaceWhere ? { sql: st.replaceWhere, predicate: await conditionToPredicate(spark.db, st.replaceWhere, snap.schema.fields.map((f) => f.name)) } : undefined;
      const res = await executeWrite(ctx, target, { sourceSql, mode: st.overwrite ? "overwrite" : "append", replaceWhere, ansiStoreAssignment: true });
      if (res.commit) await spark.rememberSnapshot(res.commit.snapshot);
      return frame(spark, [["num_affected_rows", "BIGINT"], ["num_inserted_rows", "BIGINT"]], [{ num_affected_rows: res.numOutputRows, num_inserted_rows: res.numOutputRows }]);
    }

    case "delete": {
      const target = await spark.targetOf(st.table);
      const alias = st.alias ?? lastPart(st.table);
      const condition = st.where ? { sql: await compileExpr(spark, st.where), predicate: await conditionToPredicate(spark.db, st.where, target.snapshot!.schema.fields.map((f) => f.name), alias) } : undefined;
      const res = await executeDelete(ctx, target, { condition, alias });
      return frame(spark, DML_COLUMNS, [{ num_affected_rows: res.metrics["numDeletedRows"] ?? 0 }]);
    }

    case "update": {
      const target = await spark.targetOf(st.table);
      const alias = st.alias ?? lastPart(st.table);
      const condition = st.where ? { sql: await compileExpr(spark, st.where), predicate: await conditionToPredicate(spark.db, st.where, target.snapshot!.schema.fields.map((f) => f.name), alias) } : undefined;
      const assignments = await Promise.all(st.assignments.map(async (a) => ({ column: a.column, value: await compileExpr(spark, a.value) })));
      const res = await executeUpdate(ctx, target, { assignments, condition, alias });
      return frame(spark, DML_COLUMNS, [{ num_affected_rows: res.metrics["numUpdatedRows"] ?? 0 }]);
    }

    case "merge": {
      const target = await spark.targetOf(st.target);
      const sourceText = st.source.kind === "query" ? st.source.sql : `SELECT * FROM ${renderRef(st.source.table)}${st.source.timeTravel?.version !== undefined ? ` VERSION AS OF ${st.source.timeTravel.version}` : st.source.timeTravel?.timestamp ? ` TIMESTAMP AS OF ${st.source.timeTravel.timestamp}` : ""}`;
      const sourceSql = await compileSource(spark, sourceText);
      const res = await executeMerge(ctx, target, {
        sourceSql,
        sourceAlias: st.sourceAlias ?? (st.source.kind === "table" ? lastPart(st.source.table) : "source"),
        targetAlias: st.targetAlias ?? lastPart(st.target),
        on: st.on,
        clauses: st.clauses.map((c) => ({ ...c, action: c.action })) as never,
        schemaEvolution: st.withSchemaEvolution === true || spark.conf.get("spark.databricks.delta.schema.autoMerge.enabled") === "true",
      });
      const m = res.metrics;
      return frame(spark, [["num_affected_rows", "BIGINT"], ["num_updated_rows", "BIGINT"], ["num_deleted_rows", "BIGINT"], ["num_inserted_rows", "BIGINT"]], [{
        num_affected_rows: (m["numTargetRowsUpdated"] ?? 0) + (m["numTargetRowsDeleted"] ?? 0) + (m["numTargetRowsInserted"] ?? 0),
        num_updated_rows: m["numTargetRowsUpdated"] ?? 0, num_deleted_rows: m["numTargetRowsDeleted"] ?? 0, num_inserted_rows: m["numTargetRowsInserted"] ?? 0,
      }]);
    }

    case "describeHistory": {
      const { describeHistory } = await import("../operations/history.js");
      const target = await spark.targetOf(st.table);
      const rows = await describeHistory(ctx, target, st.limit);
      return frame(spark, [["version", "BIGINT"], ["timestamp", "TIMESTAMPTZ"], ["userId", "VARCHAR"], ["userName", "VARCHAR"], ["operation", "VARCHAR"], ["operationParameters", "MAP(VARCHAR, VARCHAR)"], ["readVersion", "BIGINT"], ["isolationLevel", "VARCHAR"], ["isBlindAppend", "BOOLEAN"], ["operationMetrics", "MAP(VARCHAR, VARCHAR)"], ["userMetadata", "VARCHAR"], ["engineInfo", "VARCHAR"]], rows as never);
    }

    case "describeDetail": {
      const { describeDetail } = await import("../operations/detail.js");
      const target = await spark.targetOf(st.table);
      const d = await describeDetail(ctx, target, target.name) as unknown as Record<string, unknown>;
      return frame(spark, [["format", "VARCHAR"], ["id", "VARCHAR"], ["name", "VARCHAR"], ["description", "VARCHAR"], ["location", "VARCHAR"], ["createdAt", "TIMESTAMPTZ"], ["lastModified", "TIMESTAMPTZ"], ["partitionColumns", "VARCHAR[]"], ["clusteringColumns", "VARCHAR[]"], ["numFiles", "BIGINT"], ["sizeInBytes", "BIGINT"], ["properties", "MAP(VARCHAR, VARCHAR)"], ["minReaderVersion", "BIGINT"], ["minWriterVersion", "BIGINT"], ["tableFeatures", "VARCHAR[]"]], [d]);
    }

    case "describeTable": {
      const target = await spark.targetOf(st.table);
      const { typeToSql } = await import("../kernel/schema.js");
      const snap = target.snapshot!;
      const rows: Record<string, unknown>[] = snap.schema.fields.map((f) => ({ col_name: f.name, data_type: typeToSql(f.type), comment: (f.metadata["comment"] as string) ?? null }));
      if (snap.partitionColumns.length) {
        rows.push({ col_name: "# Partition Information", data_type: "", comment: "" }, { col_name: "# col_name", data_type: "data_type", comment: "comment" });
        for (const p of snap.partitionColumns) rows.push({ col_name: p, data_type: typeToSql(snap.schema.fields.find((f) => f.name === p)!.type), comment: null });
      }
      return frame(spark, [["col_name", "VARCHAR"], ["data_type", "VARCHAR"], ["comment", "VARCHAR"]], rows);
    }

    case "restore": {
      const { executeRestore } = await import("../operations/restore.js");
      const target = await spark.targetOf(st.table);
      const tt = await spark.parseTimeTravel({ version: st.version, timestamp: st.timestamp });
      const res = await executeRestore(ctx, target, tt ?? {});
      const m = res.metrics as unknown as Record<string, number>;
      return frame(spark, [["table_size_after_restore", "BIGINT"], ["num_of_files_after_restore", "BIGINT"], ["num_removed_files", "BIGINT"], ["num_restored_files", "BIGINT"], ["removed_files_size", "BIGINT"], ["restored_files_size", "BIGINT"]], [{
        table_size_after_restore: m["tableSizeAfterRestore"], num_of_files_after_restore: m["numOfFilesAfterRestore"], num_removed_files: m["numRemovedFiles"], num_restored_files: m["numRestoredFiles"], removed_files_size: m["removedFilesSize"], restored_files_size: m["restoredFilesSize"],
      }]);
    }

    case "vacuum": {
      const { executeVacuum } = await import("../operations/vacuum.js");
      const target = await spark.targetOf(st.table);
      const res = await executeVacuum(ctx, target, { retainHours: st.retainHours, dryRun: st.dryRun });
      return frame(spark, [["path", "VARCHAR"]], (st.dryRun ? res.files.slice(0, 1000) : [target.root]).map((p: string) => ({ path: p })));
    }

    case "alterTable": {
      const target = await spark.targetOf(st.table);
      await executeAlter(ctx, target, st.action);
      return frame(spark, [], []);
    }

    case "use": {
      if (st.kind === "catalog") {
        if (!(await spark.metastore.catalogExists(st.name[0]!))) throw new LakehouseError("NO_SUCH_CATALOG_EXCEPTION", `Catalog ${st.name[0]} not found. SHOW CATALOGS lists them; CREATE CATALOG makes one.`, {});
        spark.setCurrent(st.name[0], undefined);
      } else {
        const [c, s] = st.name.length === 2 ? [st.name[0]!, st.name[1]!] : [spark.currentCatalog(), st.name[0]!];
        if (!(await spark.metastore.schemaExists(c, s))) throw new LakehouseError("SCHEMA_NOT_FOUND", `Schema ${c}.${s} not found. SHOW SCHEMAS IN ${c} lists them; CREATE SCHEMA makes one.`, {});
        spark.setCurrent(st.name.length === 2 ? c : undefined, s);
      }
      return frame(spark, [], []);
    }

    case "show": {
      const like = (n: string) => !st.like || new RegExp(`^${st.like.split("|").map((p) => p.trim().replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*")).join("|")}$`, "i").test(n);
      if (st.what === "catalogs") return frame(spark, [["catalog", "VARCHAR"]], (await spark.metastore.listCatalogs()).filter(like).map((catalog) => ({ catalog })));
      if (st.what === "schemas") {
        const c = st.in?.[0] ?? spark.currentCatalog();
        return frame(spark, [["databaseName", "VARCHAR"]], (await spark.metastore.listSchemas(c)).filter(like).map((databaseName) => ({ databaseName })));
      }
      if (st.what === "tables") {
        const [c, s] = st.in?.length === 2 ? st.in : st.in?.length === 1 ? [spark.currentCatalog(), st.in[0]!] : [spark.currentCatalog(), spark.currentDatabase()];
        const tables = await spark.metastore.listTables(c!, s!);
        return frame(spark, [["database", "VARCHAR"], ["tableName", "VARCHAR"], ["isTemporary", "BOOLEAN"]], tables.filter((t) => like(t.name)).map((t) => ({ database: t.schema, tableName: t.name, isTemporary: false })));
      }
      if (st.what === "tblproperties") {
        const target = await spark.targetOf(st.table!);
        return frame(spark, [["key", "VARCHAR"], ["value", "VARCHAR"]], Object.entries(target.snapshot!.configuration).map(([key, value]) => ({ key, value })));
      }
      const target = await spark.targetOf(st.table!);
      return frame(spark, [["col_name", "VARCHAR"]], target.snapshot!.schema.fields.map((f) => ({ col_name: f.name })));
    }

    case "createCatalog":
      await spark.metastore.createCatalog(st.name, st.ifNotExists, st.comment);
      return frame(spark, [], []);
    case "createSchema": {
      const [c, s] = st.name.length === 2 ? [st.name[0]!, st.name[1]!] : [spark.currentCatalog(), st.name[0]!];
      await spark.metastore.createSchema(c, s, st.ifNotExists, st.comment);
      return frame(spark, [], []);
    }
    case "dropTable": {
      if (st.table.kind === "path") throw new LakehouseError("INVALID_ARGUMENT", "DROP TABLE needs a table name, not a path. To delete a path table, remove its directory.", {});
      const parts = spark.qualify(st.table.parts);
      const dropped = await spark.metastore.dropTable(...parts);
      if (!dropped && !st.ifExists) throw new LakehouseError("TABLE_OR_VIEW_NOT_FOUND", `Table ${parts.join(".")} not found. Use DROP TABLE IF EXISTS to ignore this.`, {}, "42P01");
      if (dropped) spark.forgetSnapshot(dropped.location);
      return frame(spark, [], []);
    }
    case "dropSchema": {
      const [c, s] = st.name.length === 2 ? [st.name[0]!, st.name[1]!] : [spark.currentCatalog(), st.name[0]!];
      const ok = await spark.metastore.dropSchema(c, s, st.cascade);
      if (!ok && !st.ifExists) throw new LakehouseError("SCHEMA_NOT_FOUND", `Schema ${c}.${s} not found. Use DROP SCHEMA IF EXISTS to ignore this.`, {});
      return frame(spark, [], []);
    }
    case "dropCatalog": {
      const ok = await spark.metastore.dropCatalog(st.name, st.cascade);
      if (!ok && !st.ifExists) throw new LakehouseError("NO_SUCH_CATALOG_EXCEPTION", `Catalog ${st.name} not found. Use DROP CATALOG IF EXISTS to ignore this.`, {});
      return frame(spark, [], []);
    }
    case "set": {
      if (st.value !== undefined) spark.conf.set(st.key, st.value);
      const entries = st.key ? [{ key: st.key, value: spark.conf.get(st.key) ?? "<undefined>" }] : Object.entries(spark.conf.getAll()).map(([key, value]) => ({ key, value }));
      return frame(spark, [["key", "VARCHAR"], ["value", "VARCHAR"]], entries);
    }
    case "optimize":
      throw new LakehouseError("NOT_SUPPORTED_YET", "OPTIMIZE is part of the performance lesson, which is not built yet. Tables still read correctly without it.", {});
    default:
      throw new LakehouseError("UNSUPPORTED_STATEMENT", `This statement is not supported here yet. Supported: SELECT, CREATE TABLE, INSERT, MERGE, UPDATE, DELETE, DESCRIBE, RESTORE, VACUUM, ALTER TABLE, USE, SHOW.`, {});
  }
}

function renderRef(ref: TableRef): string {
  return ref.kind === "path" ? `${ref.format}.\`${ref.path}\`` : ref.parts.map((p) => quoteIdent(p)).join(".");
}
