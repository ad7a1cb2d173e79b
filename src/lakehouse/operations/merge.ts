/**
 * MERGE INTO target USING source ON cond WHEN [NOT] MATCHED [BY SOURCE] … (delta-spark's
 * MergeIntoCommand, copy-on-write):
 *
 *   1. match:   join target rows (with file + row index) to numbered source rows on `cond`;
 *               a target row matched by two source rows is an error when a MATCHED clause
 *               could update it (Delta's DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE)
 *   2. touched: files with a matched row (or, with NOT MATCHED BY SOURCE clauses, a row the
 *               clauses act on) are the only ones rewritten
 *   3. rewrite: each row of a touched file takes the first clause whose condition holds
 *               (clauses are evaluated in order); unmatched source rows are inserted
 *   4. commit:  remove touched files, add rewritten + inserted files (+ change data)
 */
import { LakehouseError } from "../errors.js";
import type { Action, AddCDCFile } from "../kernel/actions.js";
import { commit } from "../kernel/transaction.js";
import { checkWritable } from "../kernel/table-features.js";
import { fromDuckType, schemaToString, toDuckType, type StructType } from "../kernel/schema.js";
import { buildScanSql, dataFilePath, FILE_COL, ROW_COL } from "../engine/scan.js";
import { writeFiles } from "../engine/data-writer.js";
import { quoteIdent } from "../engine/duckdb.js";
import { countRows, withTempTable, type OpContext, type TableTarget } from "./context.js";
import { cdfEnabled, elapsed, fileInList, removeFor, rewriteFileRows } from "./dml-common.js";
import { resolveAssignmentColumn } from "./update.js";
import { enforceConstraints } from "./constraints.js";
import { newMetadata } from "./write.js";
import type { DmlResult } from "./delete.js";

export type MergeAction =
  | { type: "update"; assignments: { column: string; value: string }[] }
  | { type: "updateAll" }
  | { type: "delete" }
  | { type: "insert"; columns: string[]; values: string[] }
  | { type: "insertAll" };

export interface MergeClause {
  kind: "matched" | "notMatched" | "notMatchedBySource";
  condition?: string;
  action: MergeAction;
}

export interface MergeRequest {
  /** DuckDB SQL for the source rows. */
  sourceSql: string;
  sourceAlias: string;
  targetAlias: string;
  on: string;
  clauses: MergeClause[];
  schemaEvolution?: boolean;
}

export class MultipleSourceRowsMatchError extends LakehouseError {
  constructor() {
    super("DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE", "Cannot perform Merge as multiple source rows matched and attempted to modify the same target row in the Delta table in possibly conflicting ways. By SQL semantics of Merge, when multiple source rows match on the same target row, the result may be ambiguous as it is unclear which source row should be used to update or delete the matching target row. Preprocess the source table to eliminate the possibility of multiple matches (e.g. deduplicate it on the merge key with ROW_NUMBER() OVER (PARTITION BY key ORDER BY updated_at DESC) = 1).", {}, "21506");
  }
}

export class MergeSyntaxError extends LakehouseError {
  constructor(message: string) {
    super("DELTA_MERGE_INVALID_CLAUSE", message, {});
  }
}

function validateClauses(clauses: MergeClause[]) {
  if (!clauses.length) throw new MergeSyntaxError("MERGE needs at least one WHEN clause. Add WHEN MATCHED THEN UPDATE SET * or WHEN NOT MATCHED THEN INSERT *.");
  for (const kind of ["matched", "notMatched", "notMatchedBySource"] as const) {
    const list = clauses.filter((c) => c.kind === kind);
    list.slice(0, -1).forEach((c) => {
      if (!c.condition) throw new MergeSyntaxError(`When there are more than one ${kind === "matched" ? "MATCHED" : kind === "notMatched" ? "NOT MATCHED" : "NOT MATCHED BY SOURCE"} clauses in a MERGE statement, only the last one can omit the condition. Add an AND condition to the earlier clause.`);
    });
  }
}

export async function executeMerge(ctx: OpContext, target: TableTarget, req: MergeRequest): Promise<DmlResult> {
  const t0 = performance.now();
  const snap = target.snapshot!;
  checkWritable(snap.protocol, snap.configuration, target.name);
  validateClauses(req.clauses);
  const T = quoteIdent(req.targetAlias);
  const S = quoteIdent(req.sourceAlias);

  return withTempTable(ctx, "msrc", `SELECT *, row_number() OVER () AS __src_id FROM (${req.sourceSql}) AS __s`, async (src) => {
    const srcCols = (await ctx.db.describe(`SELECT * EXCLUDE (__src_id) FROM ${src}`));
    let schema: StructType = snap.schema;
    const targetCols = () => schema.fields.map((f) => f.name);
    const usesStar = req.clauses.some((c) => c.action.type === "updateAll" || c.action.type === "insertAll");
    if (req.schemaEvolution && usesStar) {
      const extra = srcCols.filter((c) => !schema.fields.some((f) => f.name.toLowerCase() === c.name.toLowerCase()));
      if (extra.length) schema = { type: "struct", fields: [...schema.fields, ...extra.map((c) => ({ name: c.name, type: fromDuckType(c.type), nullable: true, metadata: {} }))] };
    }
    const srcCol = (name: string) => {
      const c = srcCols.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!c) throw new LakehouseError("DELTA_MERGE_UNRESOLVED_EXPRESSION", `Cannot resolve ${req.sourceAlias}.${name} in UPDATE SET * / INSERT *: the source has no column ${name} (source columns: [${srcCols.map((x) => x.name).join(", ")}]). Use explicit SET/VALUES lists or WITH SCHEMA EVOLUTION.`, { column: name });
      return `${S}.${quoteIdent(c.name)}`;
    };

    // 1. match
    const scanAll = await buildScanSql(ctx.scan, snap, { withFileColumn: true, withRowIndex: true });
    const evolvedExtra = schema.fields.slice(snap.schema.fields.length).map((f) => `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`);
    const targetRel = (scan: string) => evolvedExtra.length ? `(SELECT *, ${evolvedExtra.join(", ")} FROM (${scan}))` : `(${scan})`;
    return withTempTable(ctx, "mmatch", `SELECT ${T}.${FILE_COL} AS __file, ${T}.${ROW_COL} AS __row, ${S}.__src_id AS __src_id FROM ${targetRel(scanAll)} AS ${T} JOIN ${src} AS ${S} ON (${req.on})`, async (matches) => {
      const matched = req.clauses.filter((c) => c.kind === "matched");
      const bySource = req.clauses.filter((c) => c.kind === "notMatchedBySource");
      const notMatched = req.clauses.filter((c) => c.kind === "notMatched");
      const onlyUnconditionalDelete = matched.length === 1 && matched[0]!.action.type === "delete" && !matched[0]!.condition;
      if (matched.length && !onlyUnconditionalDelete) {
        const dup = await ctx.db.query(`SELECT 1 FROM ${matches} GROUP BY __file, __row HAVING count(*) > 1 LIMIT 1`);
        if (dup.rows.length) throw new MultipleSourceRowsMatchError();
      }
      const scanMs = elapsed(t0);

      // 2. touched files
      const byPath = new Map(snap.files.map((f) => [dataFilePath(snap.tableRoot, f.path), f]));
      const touchedSet = new Set<string>();
      if (matched.length) for (const r of (await ctx.db.query(`SELECT DISTINCT __file FROM ${matches}`)).rows) touchedSet.add(String(r["__file"]));
      if (bySource.length) {
        const anyCond = bySource.some((c) => !c.condition) ? "true" : bySource.map((c) => `coalesce((${c.condition}), false)`).join(" OR ");
        const q = `SELECT DISTINCT ${T}.${FILE_COL} AS f FROM ${targetRel(scanAll)} AS ${T} LEFT JOIN (SELECT DISTINCT __file, __row FROM ${matches}) AS __m ON ${T}.${FILE_COL} = __m.__file AND ${T}.${ROW_COL} = __m.__row WHERE __m.__file IS NULL AND (${anyCond})`;
        for (const r of (await ctx.db.query(q)).rows) touchedSet.add(String(r["f"]));
      }
      const touched = [...touchedSet].filter((p) => byPath.has(p));
      const t1 = performance.now();

      // 3. rewrite: inner query computes the clause each row takes and every candidate value.
      const exprs: string[] = [];
      const addExpr = (sql: string, type: string) => {
        exprs.push(`CAST((${sql}) AS ${type}) AS __e${exprs.length}`);
        return `__e${exprs.length - 1}`;
      };
      const cols = schema.fields;
      const valueOf: Record<string, string[]> = {}; // clause id → per-column expression alias
      const clauseCase: string[] = [];
      const insertCase: string[] = [];
      req.clauses.forEach((c, i) => {
        const id = `c${i}`;
        const when = c.kind === "matched" ? `__m.__src_id IS NOT NULL` : c.kind === "notMatchedBySource" ? `__m.__src_id IS NULL` : "true";
        const test = `${when}${c.condition ? ` AND coalesce((${c.condition}), false)` : ""}`;
        (c.kind === "notMatched" ? insertCase : clauseCase).push(`WHEN ${test} THEN '${id}'`);
        const a = c.action;
        if (a.type === "delete") return;
        const assigned = new Map<string, string>();
        if (a.type === "update") for (const s of a.assignments) assigned.set(resolveAssignmentColumn(s.column, req.targetAlias, targetCols(), target.name), s.value);
        if (a.type === "updateAll" || a.type === "insertAll") for (const f of cols) {
          if (a.type === "updateAll" && !srcCols.some((x) => x.name.toLowerCase() === f.name.toLowerCase())) continue;
          if (a.type === "insertAll" && !srcCols.some((x) => x.name.toLowerCase() === f.name.toLowerCase()) && !req.schemaEvolution) srcCol(f.name);
          if (srcCols.some((x) => x.name.toLowerCase() === f.name.toLowerCase())) assigned.set(f.name, srcCol(f.name));
        }
        if (a.type === "insert") {
          if (a.columns.length !== a.values.length) throw new MergeSyntaxError(`INSERT lists ${a.columns.length} columns but ${a.values.length} values. Give one value per column.`);
          a.columns.forEach((col, j) => assigned.set(resolveAssignmentColumn(col, req.targetAlias, targetCols(), target.name), a.values[j]!));
        }
        valueOf[id] = cols.map((f) => {
          const v = assigned.get(f.name);
          if (v !== undefined) return addExpr(v, toDuckType(f.type));
          return c.kind === "notMatched" ? `CAST(NULL AS ${toDuckType(f.type)})` : `__t${cols.indexOf(f)}`;
        });
      });
      const deleteIds = req.clauses.map((c, i) => (c.action.type === "delete" ? `'c${i}'` : null)).filter(Boolean) as string[];
      const tOrig = cols.map((f, i) => `${T}.${quoteIdent(f.name)} AS __t${i}`);
      const exprsTarget = exprs.length ? `, ${exprs.join(", ")}` : "";
      const scanTouched = await buildScanSql(ctx.scan, snap, { files: touched.map((p) => byPath.get(p)!), withFileColumn: true, withRowIndex: true });
      const nullOrig = cols.map((f, i) => `CAST(NULL AS ${toDuckType(f.type)}) AS __t${i}`);
      const innerTarget = touched.length
        ? `SELECT CASE ${clauseCase.join(" ")} ELSE 'keep' END AS __clause, ${tOrig.join(", ")}${exprsTarget} FROM ${targetRel(scanTouched)} AS ${T} LEFT JOIN (SELECT DISTINCT ON (__file, __row) * FROM ${matches}) AS __m ON ${T}.${FILE_COL} = __m.__file AND ${T}.${ROW_COL} = __m.__row LEFT JOIN ${src} AS ${S} ON ${S}.__src_id = __m.__src_id`
        : null;
      // Target columns referenced in insert expressions resolve to NULL, as in Delta.
      const innerInsert = notMatched.length
        ? `SELECT CASE ${insertCase.join(" ")} ELSE 'skip' END AS __clause, ${nullOrig.join(", ")}${exprsTarget} FROM ${src} AS ${S} LEFT JOIN (SELECT ${cols.map((f) => `CAST(NULL AS ${toDuckType(f.type)}) AS ${quoteIdent(f.name)}`).join(", ")}) AS ${T} ON false WHERE ${S}.__src_id NOT IN (SELECT __src_id FROM ${matches})`
        : null;
      const inner = [innerTarget, innerInsert].filter(Boolean).map((s) => `(${s})`).join(" UNION ALL ");
      if (!inner) return { version: null, metrics: zeroMetrics(await countRows(ctx, src)) };
      const outCols = cols.map((f, i) => {
        const cases = Object.entries(valueOf).map(([id, v]) => `WHEN '${id}' THEN ${v[i]}`).join(" ");
        return `${cases ? `CASE __clause ${cases} ELSE __t${i} END` : `__t${i}`} AS ${quoteIdent(f.name)}`;
      });

      // Pre-images are only needed for the change feed; without it they would double the copy.
      const preImages = cdfEnabled(snap) ? `, ${cols.map((_f, i) => `__t${i} AS __pre${i}`).join(", ")}` : "";
      return withTempTable(ctx, "mout", `SELECT __clause, ${outCols.join(", ")}${preImages} FROM (${inner}) WHERE __clause <> 'skip'`, async (out) => {
        const liveFilter = deleteIds.length ? `WHERE __clause NOT IN (${deleteIds.join(", ")})` : "";
        const kinds = (await ctx.db.query(`SELECT __clause, count(*) AS n FROM ${out} GROUP BY __clause`)).rows;
        const n = (pred: (c: MergeClause | undefined, id: string) => boolean) => kinds.filter((r) => pred(req.clauses[Number(String(r["__clause"]).slice(1))], String(r["__clause"]))).reduce((s, r) => s + Number(r["n"]), 0);
        const isUpdate = (c?: MergeClause) => !!c && c.kind !== "notMatched" && c.action.type !== "delete";
        const isDelete = (c?: MergeClause) => !!c && c.action.type === "delete";
        const numInserted = n((c) => c?.kind === "notMatched");
        const numUpdated = n((c) => isUpdate(c));
        const numDeleted = n((c) => isDelete(c));
        const numCopied = n((_c, id) => id === "keep");
        const evolved = schemaToString(schema) !== schemaToString(snap.schema);
        const live = `(SELECT * FROM ${out} ${liveFilter})`;
        await enforceConstraints(ctx, live, schema, snap.configuration);
        const written = await writeFiles(ctx.db, { relation: live, tableRoot: target.root, schema, partitionColumns: snap.partitionColumns, maxRecordsPerFile: rewriteFileRows(touched.map((p) => byPath.get(p)!)) });
        let cdcs: AddCDCFile[] = [];
        if (cdfEnabled(snap)) {
          const post = cols.map((f) => quoteIdent(f.name)).join(", ");
          const pre = cols.map((f, i) => `__pre${i} AS ${quoteIdent(f.name)}`).join(", ");
          const upd = req.clauses.map((c, i) => (isUpdate(c) ? `'c${i}'` : null)).filter(Boolean).join(", ") || "NULL";
          const ins = req.clauses.map((c, i) => (c.kind === "notMatched" ? `'c${i}'` : null)).filter(Boolean).join(", ") || "NULL";
          const del = deleteIds.join(", ") || "NULL";
          const sql = [
            `SELECT ${pre}, 'update_preimage' AS _change_type FROM ${out} WHERE __clause IN (${upd})`,
            `SELECT ${post}, 'update_postimage' AS _change_type FROM ${out} WHERE __clause IN (${upd})`,
            `SELECT ${pre}, 'delete' AS _change_type FROM ${out} WHERE __clause IN (${del})`,
            `SELECT ${post}, 'insert' AS _change_type FROM ${out} WHERE __clause IN (${ins})`,
          ].join(" UNION ALL ");
          cdcs = (await withTempTable(ctx, "cdc", sql, (rel) => writeFiles(ctx.db, { relation: rel, tableRoot: target.root, schema, partitionColumns: snap.partitionColumns, kind: "cdc" }))).cdcs;
        }
        const now = Date.now();
        const removed = touched.map((p) => byPath.get(p)!);
        const actions: Action[] = [];
        if (evolved) actions.push({ metaData: newMetadata(schema, snap.partitionColumns, snap.configuration, snap.metadata.description ?? undefined, snap.metadata.id) });
        actions.push(...removed.map((f) => ({ remove: removeFor(f, now) })), ...written.adds.map((a) => ({ add: a })), ...cdcs.map((c) => ({ cdc: c })));
        const numSourceRows = await countRows(ctx, src);
        const metrics = {
          numSourceRows,
          numTargetRowsInserted: numInserted,
          numTargetRowsUpdated: numUpdated,
          numTargetRowsMatchedUpdated: n((c) => isUpdate(c) && c!.kind === "matched"),
          numTargetRowsNotMatchedBySourceUpdated: n((c) => isUpdate(c) && c!.kind === "notMatchedBySource"),
          numTargetRowsDeleted: numDeleted,
          numTargetRowsMatchedDeleted: n((c) => isDelete(c) && c!.kind === "matched"),
          numTargetRowsNotMatchedBySourceDeleted: n((c) => isDelete(c) && c!.kind === "notMatchedBySource"),
          numTargetRowsCopied: numCopied,
          numOutputRows: written.numRows,
          numTargetFilesAdded: written.adds.length,
          numTargetFilesRemoved: removed.length,
          numTargetBytesAdded: written.adds.reduce((s, f) => s + f.size, 0),
          numTargetBytesRemoved: removed.reduce((s, f) => s + f.size, 0),
          numTargetChangeFilesAdded: cdcs.length,
          executionTimeMs: elapsed(t0),
          scanTimeMs: scanMs,
          rewriteTimeMs: elapsed(t1),
        };
        if (actions.length === 0) return { version: null, metrics };
        const result = await commit(ctx.engine, target.root, snap, {
          operation: "MERGE",
          operationParameters: {
            predicate: JSON.stringify([req.on]),
            matchedPredicates: JSON.stringify(matched.map(describeClause)),
            notMatchedPredicates: JSON.stringify(notMatched.map(describeClause)),
            notMatchedBySourcePredicates: JSON.stringify(bySource.map(describeClause)),
          },
          operationMetrics: metrics,
          actions,
          footprint: {
            isolationLevel: "WriteSerializable",
            isBlindAppend: false,
            // MERGE reads the whole target to find matches: any concurrent non-blind change conflicts.
            readPredicates: [true],
            readFiles: new Set(snap.files.map((f) => f.path)),
            removedPaths: new Set(removed.map((f) => f.path)),
            changesMetadata: evolved,
            appIds: new Set(),
          },
        });
        return { version: result.version, metrics };
      });
    });
  });
}

function describeClause(c: MergeClause): Record<string, string> {
  const actionType = c.action.type === "updateAll" ? "update" : c.action.type === "insertAll" ? "insert" : c.action.type;
  return c.condition ? { predicate: c.condition, actionType } : { actionType };
}

function zeroMetrics(numSourceRows: number): Record<string, number> {
  return { numSourceRows, numTargetRowsInserted: 0, numTargetRowsUpdated: 0, numTargetRowsDeleted: 0, numTargetRowsCopied: 0, numOutputRows: 0, numTargetFilesAdded: 0, numTargetFilesRemoved: 0 };
}
