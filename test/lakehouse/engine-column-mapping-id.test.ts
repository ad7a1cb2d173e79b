/**
 * Column mapping "id" mode resolves columns by Parquet field id, not by name: a data file whose
 * columns were renamed but keep their field ids must read exactly as before.
 */
import { readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildScanSql } from "../../src/lakehouse/engine/scan.js";
import { quoteString } from "../../src/lakehouse/engine/duckdb.js";
import { loadSnapshot } from "../../src/lakehouse/kernel/snapshot.js";
import { copyTable, encodeRows, encodeTimestampsSql, expectedRows, openOpContext, removeDir } from "../helpers.js";
import type { OpContext } from "../../src/lakehouse/operations/context.js";
import type { DuckDb } from "../../src/lakehouse/engine/duckdb.js";

let db: DuckDb;
let tmp: string;
let ctx: OpContext;
beforeAll(async () => {
  ({ db, tmp, ctx } = await openOpContext());
});
afterAll(() => {
  db.close();
  removeDir(tmp);
});

it("reads a file whose top-level columns were renamed, by their field ids", async () => {
  const root = copyTable("table-with-columnmapping-mode-id", tmp);
  const file = readdirSync(root).find((f) => f.endsWith(".parquet") && f.startsWith("part-00000"))!;
  const path = join(root, file);
  const top = (await db.query(`SELECT name, field_id, num_children FROM parquet_schema(${quoteString(path)})`)).rows;
  // Top-level columns: the root's children, skipping nested subtrees.
  const names: { name: string; id: number }[] = [];
  const size = (i: number): number => { let n = 1, next = i + 1; for (let c = 0; c < Number(top[i]!["num_children"] ?? 0); c++) { const s = size(next); n += s; next += s; } return n; };
  for (let c = 0, pos = 1; c < Number(top[0]!["num_children"]); c++, pos += size(pos)) names.push({ name: String(top[pos]!["name"]), id: Number(top[pos]!["field_id"]) });
  const renamed = names.map((n, i) => ({ ...n, to: `renamed_${i}` }));
  const select = renamed.map((r) => `"${r.name}" AS ${r.to}`).join(", ");
  const ids = renamed.map((r) => `${r.to}: ${r.id}`).join(", ");
  await db.run(`COPY (SELECT ${select} FROM read_parquet(${quoteString(path)})) TO ${quoteString(path + ".new")} (FORMAT parquet, FIELD_IDS {${ids}})`);
  renameSync(path + ".new", path);

  const snap = await loadSnapshot(ctx.engine, root);
  const sql = await buildScanSql(ctx.scan, snap);
  const rows = (await db.query(encodeTimestampsSql(snap.schema, sql))).rows;
  const want = expectedRows("table-with-columnmapping-mode-id", 0);
  // Nested fields keep their physical names, so every value must come back unchanged.
  expect(encodeRows(rows, snap.schema)).toEqual(want.map((r) => JSON.stringify(Object.fromEntries(snap.schema.fields.map((f) => [f.name, r[f.name] ?? null])))).sort());
});
