/**
 * DELETE FROM t [WHERE cond]. Files are pruned with the log (partition values, min/max stats);
 * the remaining candidates are scanned, and only files that really hold a matching row are
 * rewritten without those rows. A file whose rows all match is simply removed.
 */
import { fileMayMatch } from "../kernel/data-skipping.js";
import type { Predicate } from "../kernel/predicate.js";
import { checkWritable } from "../kernel/table-features.js";
import { buildScanSql, dataFilePath, FILE_COL } from "../engine/scan.js";
import { writeFiles } from "../engine/data-writer.js";
import { quoteIdent } from "../engine/duckdb.js";
import { countRows, withTempTable, type OpContext, type TableTarget } from "./context.js";
import { cdfEnabled, commitRewrite, elapsed, fileInList, rewriteFileRows } from "./dml-common.js";

export interface DeleteRequest {
  condition?: { sql: string; predicate: Predicate };
  alias?: string;
}

export interface DmlResult {
  version: number | null;
  metrics: Record<string, number>;
}

export async function executeDelete(ctx: OpContext, target: TableTarget, req: DeleteRequest): Promise<DmlResult> {
  const t0 = performance.now();
  const snap = target.snapshot!;
  checkWritable(snap.protocol, snap.configuration, target.name);
  const candidates = req.condition ? snap.files.filter((f) => fileMayMatch(f, req.condition!.predicate, snap.schema, snap.partitionColumns)) : snap.files;
  const alias = quoteIdent(req.alias ?? "__t");
  const cond = req.condition ? `coalesce((${req.condition.sql}), false)` : "true";
  const scan = await buildScanSql(ctx.scan, snap, { files: candidates, withFileColumn: true });
  const byPath = new Map(candidates.map((f) => [dataFilePath(snap.tableRoot, f.path), f]));

  return withTempTable(ctx, "del", `SELECT *, ${cond} AS __match FROM (${scan}) AS ${alias}`, async (staged) => {
    const scanMs = elapsed(t0);
    const touched = (await ctx.db.query(`SELECT DISTINCT ${FILE_COL} AS f FROM ${staged} WHERE __match`)).rows.map((r) => String(r["f"]));
    if (touched.length === 0) return { version: null, metrics: { numRemovedFiles: 0, numAddedFiles: 0, numDeletedRows: 0, numCopiedRows: 0 } };
    const t1 = performance.now();
    const inTouched = fileInList(touched);
    const numDeletedRows = await countRows(ctx, `${staged} WHERE __match`);
    const kept = await withTempTable(ctx, "kept", `SELECT * FROM ${staged} WHERE ${inTouched} AND NOT __match`, (rel) =>
      writeFiles(ctx.db, { relation: rel, tableRoot: target.root, schema: snap.schema, partitionColumns: snap.partitionColumns, maxRecordsPerFile: rewriteFileRows(touched.map((p) => byPath.get(p)!)) }));
    const cdc = cdfEnabled(snap)
      ? await withTempTable(ctx, "cdc", `SELECT *, 'delete' AS _change_type FROM ${staged} WHERE __match`, (rel) =>
          writeFiles(ctx.db, { relation: rel, tableRoot: target.root, schema: snap.schema, partitionColumns: snap.partitionColumns, kind: "cdc" }))
      : undefined;
    const removed = touched.map((p) => byPath.get(p)!);
    const metrics = {
      numRemovedFiles: removed.length,
      numRemovedBytes: removed.reduce((s, f) => s + f.size, 0),
      numAddedFiles: kept.adds.length,
      numAddedBytes: kept.adds.reduce((s, f) => s + f.size, 0),
      numDeletedRows,
      numCopiedRows: kept.numRows,
      numAddedChangeFiles: cdc?.cdcs.length ?? 0,
      executionTimeMs: elapsed(t0),
      scanTimeMs: scanMs,
      rewriteTimeMs: elapsed(t1),
    };
    const version = await commitRewrite(ctx, target, snap, { operation: "DELETE", condition: req.condition, candidates, removed, adds: kept.adds, cdcs: cdc?.cdcs ?? [], metrics });
    return { version, metrics };
  });
}
