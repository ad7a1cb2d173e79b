import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb } from "../../../src/lakehouse/engine/duckdb.js";
import { writeFiles } from "../../../src/lakehouse/engine/data-writer.js";
import { buildScanSql } from "../../../src/lakehouse/engine/scan.js";
import type { Action } from "../../../src/lakehouse/kernel/actions.js";
import { loadSnapshot } from "../../../src/lakehouse/kernel/snapshot.js";
import { commit } from "../../../src/lakehouse/kernel/transaction.js";
import { changeDataSql } from "../../../src/lakehouse/operations/cdf.js";
import { withTempTable, type OpContext } from "../../../src/lakehouse/operations/context.js";
import { executeDelete } from "../../../src/lakehouse/operations/delete.js";
import { describeHistory } from "../../../src/lakehouse/operations/history.js";
import { executeUpdate } from "../../../src/lakehouse/operations/update.js";
import { executeWrite } from "../../../src/lakehouse/operations/write.js";
import { CONFORMANCE, copyTableTo as copyTable, openOpContext } from "../../helpers.js";

const CDF_TABLE = join(CONFORMANCE, "cdf-table");

let db: DuckDb;
let tmp: string;
let ctx: OpContext;

beforeEach(async () => {
  ({ db, tmp, ctx } = await openOpContext());
});

afterEach(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** One row as a comparable string: numbers and bigints as text, dates as YYYY-MM-DD, timestamps ISO. */
/** A writable copy of a read-only conformance table. */

function norm(r: Record<string, unknown>): string {
  const o: [string, string | null][] = Object.keys(r).sort().map((k) => {
    const v = r[k];
    if (v === null || v === undefined) return [k, null];
    if (v instanceof Date) return [k, v.toISOString()];
    if (k === "_commit_timestamp") return [k, new Date(String(v)).toISOString()];
    return [k, String(v)];
  });
  return JSON.stringify(o);
}

async function changes(sql: string, where = ""): Promise<Record<string, unknown>[]> {
  return (await db.query(`SELECT * FROM (${sql}) ${where}`)).rows as Record<string, unknown>[];
}

const latest = (root: string) => loadSnapshot(ctx.engine, root);
const pred = (column: string, value: number) => ({ op: "=" as const, column, value });

describe("changeDataSql on the conformance table cdf-table", () => {
  it("equals computed_cdf_v0_to_v3.json as a multiset", async () => {
    const expected = JSON.parse(fs.readFileSync(join(CONFORMANCE, "_expected", "cdf-table", "computed_cdf_v0_to_v3.json"), "utf8")) as Record<string, unknown>[];
    const sql = await changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startVersion: 0 });
    const got = await changes(sql);
    expect(got.length).toBe(23);
    expect(got.map(norm).sort()).toEqual(expected.map(norm).sort());
  });

  it("has the table's columns then _change_type, _commit_version BIGINT, _commit_timestamp TIMESTAMPTZ", async () => {
    const sql = await changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startVersion: 1, endVersion: 2 });
    const cols = await db.describe(sql);
    expect(cols).toEqual([
      { name: "id", type: "INTEGER" },
      { name: "name", type: "VARCHAR" },
      { name: "birthday", type: "DATE" },
      { name: "_change_type", type: "VARCHAR" },
      { name: "_commit_version", type: "BIGINT" },
      { name: "_commit_timestamp", type: "TIMESTAMP WITH TIME ZONE" },
    ]);
    const rows = await changes(sql);
    expect(rows.length).toBe(12);
    expect(new Set(rows.map((r) => r["_change_type"]))).toEqual(new Set(["update_preimage", "update_postimage"]));
  });

  it("maps a timestamp range to versions (delta-rs test_load_local_datetime: 16 rows)", async () => {
    const end = Date.parse("2023-12-22T17:10:21.675Z");
    const rows = await changes(await changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startVersion: 0, endTimestamp: end }));
    expect(rows.length).toBe(16);
    // start = first commit at or after the timestamp: 1 ms after v1 lands on v2.
    const fromV2 = await changes(await changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startTimestamp: end + 1 }));
    expect(new Set(fromV2.map((r) => Number(r["_commit_version"])))).toEqual(new Set([2, 3]));
    await expect(changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startTimestamp: Date.parse("2030-01-01") })).rejects.toMatchObject({ code: "DELTA_TIMESTAMP_GREATER_THAN_COMMIT" });
  });

  it("keeps partition values of change files (delta-rs cdf_partition_predicate_keeps_matching_rows)", async () => {
    const rows = await changes(await changeDataSql(ctx, { root: CDF_TABLE, name: "cdf" }, { startVersion: 0 }), "WHERE birthday = DATE '2023-12-25' ORDER BY id");
    expect(rows.map((r) => `${r["id"]} ${r["name"]} ${r["_change_type"]}`)).toEqual(["8 Claire insert", "9 Ada insert", "10 Borb insert"]);
  });

  it("rejects bad ranges", async () => {
    const t = { root: CDF_TABLE, name: "cdf" };
    await expect(changeDataSql(ctx, t, { startVersion: 4 })).rejects.toMatchObject({ code: "DELTA_VERSION_NOT_FOUND", message: expect.stringContaining("latest version of the table (3)") });
    await expect(changeDataSql(ctx, t, { startVersion: 2, endVersion: 1 })).rejects.toMatchObject({ code: "DELTA_INVALID_CDC_RANGE" });
    await expect(changeDataSql(ctx, t, {})).rejects.toMatchObject({ code: "INVALID_CDC_OPTION" });
    // An end beyond the latest version reads up to the latest.
    expect((await changes(await changeDataSql(ctx, t, { startVersion: 3, endVersion: 10 }))).length).toBe(1);
  });
});

describe("changeDataSql on a table this lab writes", () => {
  it("records inserts, update pre/post images, deletes and overwrites", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT range AS id, 'v' || range AS val FROM range(5)", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    await executeUpdate(ctx, { ...t, snapshot: await latest(root) }, { assignments: [{ column: "val", value: "'changed'" }], condition: { sql: "id = 1", predicate: pred("id", 1) } });
    await executeDelete(ctx, { ...t, snapshot: await latest(root) }, { condition: { sql: "id = 2", predicate: pred("id", 2) } });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 10 AS id, 'new' AS val", mode: "append" });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 20 AS id, 'only' AS val", mode: "overwrite" });

    const rows = await changes(await changeDataSql(ctx, t, { startVersion: 0 }), "ORDER BY _commit_version, _change_type, id");
    const simple = rows.map((r) => `${r["_commit_version"]} ${r["_change_type"]} ${r["id"]} ${r["val"]}`);
    expect(simple).toEqual([
      "0 insert 0 v0", "0 insert 1 v1", "0 insert 2 v2", "0 insert 3 v3", "0 insert 4 v4",
      "1 update_postimage 1 changed", "1 update_preimage 1 v1",
      "2 delete 2 v2",
      "3 insert 10 new",
      "4 delete 0 v0", "4 delete 1 changed", "4 delete 3 v3", "4 delete 4 v4", "4 delete 10 new",
      "4 insert 20 only",
    ]);
    const history = await describeHistory(ctx, t);
    for (const r of rows) {
      const h = history.find((x) => x.version === Number(r["_commit_version"]))!;
      expect((r["_commit_timestamp"] as Date).getTime()).toBe(h.timestamp.getTime());
    }
  });

  it("skips commits that change no data (an OPTIMIZE-style rewrite)", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT range AS id FROM range(3)", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT range + 3 AS id FROM range(3)", mode: "append" });
    const snap = await latest(root);
    const written = await withTempTable(ctx, "opt", await buildScanSql(ctx.scan, snap), (rel) =>
      writeFiles(db, { relation: rel, tableRoot: root, schema: snap.schema, partitionColumns: [], dataChange: false }));
    const now = Date.now();
    const actions: Action[] = [...snap.files.map((f) => ({ remove: { path: f.path, deletionTimestamp: now, dataChange: false, size: f.size, partitionValues: {} } })), ...written.adds.map((a) => ({ add: a }))];
    await commit(ctx.engine, root, snap, { operation: "OPTIMIZE", operationParameters: {}, actions, footprint: { isolationLevel: "Serializable", isBlindAppend: false, readPredicates: [true], readFiles: new Set(), removedPaths: new Set(), changesMetadata: false, appIds: new Set() } });
    expect((await latest(root)).numFiles).toBe(1);
    const rows = await changes(await changeDataSql(ctx, t, { startVersion: 2 }));
    expect(rows).toEqual([]);
    expect((await changes(await changeDataSql(ctx, t, { startVersion: 0 }))).length).toBe(6);
  });

  it("refuses versions committed without the change data feed", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT 1 AS id", mode: "append" });
    await expect(changeDataSql(ctx, { ...t, snapshot: await latest(root) }, { startVersion: 0 })).rejects.toMatchObject({ code: "DELTA_MISSING_CHANGE_DATA", message: expect.stringContaining("delta.enableChangeDataFeed = true") });
    // Enabled at v1 (with an append in the same commit), then one more append.
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 2 AS id", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 3 AS id", mode: "append" });
    const rows = await changes(await changeDataSql(ctx, { ...t, snapshot: await latest(root) }, { startVersion: 1 }), "ORDER BY id");
    expect(rows.map((r) => [Number(r["id"]), r["_change_type"], Number(r["_commit_version"])])).toEqual([[2, "insert", 1], [3, "insert", 2]]);
    const err = await changeDataSql(ctx, t, { startVersion: 0, endVersion: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "DELTA_MISSING_CHANGE_DATA", params: { version: 0 } });
  });

  it("returns an empty, typed result when the range has no changes", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT 1 AS id", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    const r = await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 1 AS id WHERE false", mode: "append" });
    expect(r.version).toBe(1);
    const sql = await changeDataSql(ctx, t, { startVersion: 1 });
    expect(await changes(sql)).toEqual([]);
    const cols = await db.describe(sql);
    expect(cols.map((c) => c.name)).toEqual(["id", "_change_type", "_commit_version", "_commit_timestamp"]);
  });

  it("turns a deletion-vector swap without change files into the rows that changed", async () => {
    // table-with-dv-small with the feed switched on: v1 is a DELETE of values 0 and 9 that only
    // re-added the same file with a deletion vector (remove + add, no cdc actions).
    const root = copyTable("table-with-dv-small", join(tmp, "dv"));
    const v0 = join(root, "_delta_log", "00000000000000000000.json");
    fs.writeFileSync(v0, fs.readFileSync(v0, "utf8").replace('"delta.enableDeletionVectors":"true"', '"delta.enableDeletionVectors":"true","delta.enableChangeDataFeed":"true"'));
    const t = { root, name: "dv" };
    const rows = await changes(await changeDataSql(ctx, t, { startVersion: 1 }), "ORDER BY value");
    expect(rows.map((r) => [r["value"], r["_change_type"], Number(r["_commit_version"])])).toEqual([[0, "delete", 1], [9, "delete", 1]]);
    expect((await changes(await changeDataSql(ctx, t, { startVersion: 0 }))).length).toBe(12);
  });

  it("reads old files with the latest schema (added columns are NULL)", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT 1 AS id", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT 2 AS id, 'x' AS extra", mode: "append", mergeSchema: true });
    const rows = await changes(await changeDataSql(ctx, t, { startVersion: 0 }), "ORDER BY id");
    expect(rows.map((r) => [Number(r["id"]), r["extra"]])).toEqual([[1, null], [2, "x"]]);
  });
});
