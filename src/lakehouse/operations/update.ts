/**
 * UPDATE t SET c = expr, … [WHERE cond]: rewrites only the files that hold a matching row;
 * with the Change Data Feed on, writes update_preimage/update_postimage rows in the same commit.
 */
import { LakehouseError } from "../errors.js";
import { fileMayMatch } from "../kernel/data-skipping.js";
import type { Predicate } from "../kernel/predicate.js";
import { checkWritable } from "../kernel/table-features.js";
import { toDuckType } from "../kernel/schema.js";
import { buildScanSql, dataFilePath, FILE_COL } from "../engine/scan.js";
import { writeFiles } from "../engine/data-writer.js";
import { quoteIdent } from "../engine/duckdb.js";
import { countRows, withTempTable, type OpContext, type TableTarget } from "./context.js";
import { cdfEnabled, commitRewrite, elapsed, fileInList, rewriteFileRows } from "./dml-common.js";
import type { DmlResult } from "./delete.js";
import { enforceConstraints } from "./constraints.js";

export interface UpdateRequest {
  assignments: { column: string; value: string }[];
  condition?: { sql: string; predicate: Predicate };
  alias?: string;
}

/** The target column of `t.col` / `col`, or an error naming the table's columns. */
export function resolveAssignmentColumn(column: string, alias: string | undefined, columns: string[], table: string): string {
  let parts = column.split(".").map((p) => p.replace(/^[`"]|[`"]$/g, ""));
  if (parts.length > 1 && alias && parts[0]!.toLowerCase() === alias.toLowerCase()) parts = parts.slice(1);
  if (parts.length > 1) {
    throw new LakehouseError("DELTA_UNSUPPORTED_NESTED_FIELD_UPDATE", `Updating the nested field ${column} is not supported here. Assign the whole struct instead (SET col = named_struct(…)).`, { column });
  }
  const found = columns.find((c) => c.toLowerCase() === parts[0]!.toLowerCase());
  if (!found) throw new LakehouseError("UNRESOLVED_COLUMN", `Column ${column} does not exist in ${table}. Columns: [${columns.join(", ")}].`, { column }, "42703");
  return found;
}

export async function executeUpdate(ctx: OpContext, target: TableTarget, req: UpdateRequest): Promise<DmlResult> {
  const t0 = performance.now();
  const snap = target.snapshot!;
  checkWritable(snap.protocol, snap.configuration, target.name);
  const columns = snap.schema.fields.map((f) => f.name);
  const set = new Map<string, string>();
  for (const a of req.assignments) set.set(resolveAssignmentColumn(a.column, req.alias, columns, target.name), a.value);
  const candidates = req.condition ? snap.files.filter((f) => fileMayMatch(f, req.condition!.predicate, snap.schema, snap.partitionColumns)) : snap.files;
  const alias = quoteIdent(req.alias ?? "__t");
  const cond = req.condition ? `coalesce((${req.condition.sql}), false)` : "true";
  const scan = await buildScanSql(ctx.scan, snap, { files: candidates, withFileColumn: true });
  const byPath = new Map(candidates.map((f) => [dataFilePath(snap.tableRoot, f.path), f]));
  // New values are computed next to the old ones so the CDF can show both images.
  const newCols = snap.schema.fields.map((f, i) => `${set.has(f.name) ? `CAST((${set.get(f.name)}) AS ${toDuckType(f.type)})` : `${alias}.${quoteIdent(f.name)}`} AS __new${i}`);

  return withTempTable(ctx, "upd", `SELECT *, ${cond} AS __match, ${newCols.join(", ")} FROM (${scan}) AS ${alias}`, async (staged) => {
    const scanMs = elapsed(t0);
    const touched = (await ctx.db.query(`SELECT DISTINCT ${FILE_COL} AS f FROM ${staged} WHERE __match`)).rows.map((r) => String(r["f"]));
    if (touched.length === 0) return { version: null, metrics: { numRemovedFiles: 0, numAddedFiles: 0, numUpdatedRows: 0, numCopiedRows: 0 } };
    const t1 = performance.now();
    const newRow = snap.schema.fields.map((f, i) => `CASE WHEN __match THEN __new${i} ELSE ${quoteIdent(f.name)} END AS ${quoteIdent(f.name)}`).join(", ");
    const numUpdatedRows = await countRows(ctx, `${staged} WHERE __match`);
    const written = await withTempTable(ctx, "updout", `SELECT ${newRow} FROM ${staged} WHERE ${fileInList(touched)}`, async (rel) => {
      await enforceConstraints(ctx, rel, snap.schema, snap.configuration);
      return writeFiles(ctx.db, { relation: rel, tableRoot: target.root, schema: snap.schema, partitionColumns: snap.partitionColumns, maxRecordsPerFile: rewriteFileRows(touched.map((p) => byPath.get(p)!)) });
    });
    let cdcs: import("../kernel/actions.js").AddCDCFile[] = [];
    if (cdfEnabled(snap)) {
      const post = snap.schema.fields.map((f, i) => `__new${i} AS ${quoteIdent(f.name)}`).join(", ");
      const pre = snap.schema.fields.map((f) => quoteIdent(f.name)).join(", ");
      const sql = `SELECT ${pre}, 'update_preimage' AS _change_type FROM ${staged} WHERE __match UNION ALL SELECT ${post}, 'update_postimage' AS _change_type FROM ${staged} WHERE __match`;
      cdcs = (await withTempTable(ctx, "cdc", sql, (rel) => writeFiles(ctx.db, { relation: rel, tableRoot: target.root, schema: snap.schema, partitionColumns: snap.partitionColumns, kind: "cdc" }))).cdcs;
    }
    const removed = touched.map((p) => byPath.get(p)!);
    const metrics = {
      numRemovedFiles: removed.length,
      numRemovedBytes: removed.reduce((s, f) => s + f.size, 0),
      numAddedFiles: written.adds.length,
      numAddedBytes: written.adds.reduce((s, f) => s + f.size, 0),
      numUpdatedRows,
      numCopiedRows: written.numRows - numUpdatedRows,
      numAddedChangeFiles: cdcs.length,
      executionTimeMs: elapsed(t0),
      scanTimeMs: scanMs,
      rewriteTimeMs: elapsed(t1),
    };
    const version = await commitRewrite(ctx, target, snap, { operation: "UPDATE", condition: req.condition, candidates, removed, adds: written.adds, cdcs, metrics });
    return { version, metrics };
  });
}
