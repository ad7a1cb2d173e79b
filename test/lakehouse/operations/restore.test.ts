import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb } from "../../../src/lakehouse/engine/duckdb.js";
import { buildScanSql } from "../../../src/lakehouse/engine/scan.js";
import { loadSnapshot, type Snapshot } from "../../../src/lakehouse/kernel/snapshot.js";
import type { OpContext } from "../../../src/lakehouse/operations/context.js";
import { executeDelete } from "../../../src/lakehouse/operations/delete.js";
import { describeHistory } from "../../../src/lakehouse/operations/history.js";
import { executeRestore, mergeProtocols } from "../../../src/lakehouse/operations/restore.js";
import { executeVacuum } from "../../../src/lakehouse/operations/vacuum.js";
import { executeWrite } from "../../../src/lakehouse/operations/write.js";
import { CONFORMANCE, copyTableTo as copyTable, openOpContext } from "../../helpers.js";


let db: DuckDb;
let tmp: string;
let ctx: OpContext;
const conf = new Map<string, string>();

beforeEach(async () => {
  conf.clear();
  ({ db, tmp, ctx } = await openOpContext((k) => conf.get(k)));
});

afterEach(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});


async function rows(snap: Snapshot, order = "id"): Promise<string[]> {
  const res = await db.query(`SELECT * FROM (${await buildScanSql(ctx.scan, snap)}) ORDER BY ${order}`);
  return res.rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

const latest = (root: string) => loadSnapshot(ctx.engine, root);

/** v0: 10 rows; v1: +5 rows; v2: delete id < 3; v3: overwrite with 2 rows. */
async function buildTable(root: string) {
  const t = { root, name: "t" };
  await executeWrite(ctx, t, { sourceSql: "SELECT range AS id, 'a' || range AS name FROM range(10)", mode: "append" });
  await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT range + 10 AS id, 'b' AS name FROM range(5)", mode: "append" });
  await executeDelete(ctx, { ...t, snapshot: await latest(root) }, { condition: { sql: "id < 3", predicate: { op: "<", column: "id", value: 3 } } });
  await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT range + 100 AS id, 'c' AS name FROM range(2)", mode: "overwrite" });
  return t;
}

describe("executeRestore", () => {
  it("restores the rows of an old version and reports Delta's metrics", async () => {
    const root = join(tmp, "t");
    const t = await buildTable(root);
    const v1 = await loadSnapshot(ctx.engine, root, { version: 1 });
    const v3 = await latest(root);
    const res = await executeRestore(ctx, { ...t, snapshot: v3 }, { version: 1 });
    expect(res.version).toBe(4);
    expect(res.restoredVersion).toBe(1);
    const after = await latest(root);
    expect(after.version).toBe(4);
    expect(await rows(after)).toEqual(await rows(v1));
    expect((await rows(after)).length).toBe(15);
    const size = (s: Snapshot) => s.files.reduce((n, f) => n + f.size, 0);
    expect(res.metrics).toEqual({
      tableSizeAfterRestore: size(v1),
      numOfFilesAfterRestore: v1.numFiles,
      numRemovedFiles: v3.numFiles,
      numRestoredFiles: v1.numFiles,
      removedFilesSize: size(v3),
      restoredFilesSize: size(v1),
    });
    const [h] = await describeHistory(ctx, t, 1);
    expect(h!.operation).toBe("RESTORE");
    expect(h!.operationParameters).toEqual({ version: "1" });
    expect(h!.operationMetrics).toEqual(Object.fromEntries(Object.entries(res.metrics).map(([k, v]) => [k, String(v)])));
    expect(h!.isBlindAppend).toBe(false);

    // The restore is itself a version: restoring to 3 brings the overwrite back.
    const again = await executeRestore(ctx, { ...t, snapshot: after }, { version: 3 });
    expect(await rows(await latest(root))).toEqual(await rows(v3));
    expect(again.metrics.numRestoredFiles).toBe(v3.numFiles);
  });

  it("re-adds only the files that differ", async () => {
    const root = join(tmp, "t");
    const t = await buildTable(root);
    await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { version: 1 });
    // v1 → v2 (the delete) rewrote one file: restoring v2 from the restored v1 swaps just that.
    const v1 = await loadSnapshot(ctx.engine, root, { version: 1 });
    const v2 = await loadSnapshot(ctx.engine, root, { version: 2 });
    const res = await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { version: 2 });
    const onlyV2 = v2.files.filter((f) => !v1.files.some((g) => g.path === f.path));
    const onlyV1 = v1.files.filter((f) => !v2.files.some((g) => g.path === f.path));
    expect(res.metrics.numRestoredFiles).toBe(onlyV2.length);
    expect(res.metrics.numRemovedFiles).toBe(onlyV1.length);
    expect(await rows(await latest(root))).toEqual(await rows(v2));
  });

  it("restores to a timestamp (the latest version committed at or before it)", async () => {
    const root = join(tmp, "t");
    const t = await buildTable(root);
    const history = await describeHistory(ctx, t);
    const ts2 = history.find((h) => h.version === 2)!.timestamp.getTime();
    const res = await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { timestamp: ts2 });
    expect(res.restoredVersion).toBe(2);
    expect(await rows(await latest(root))).toEqual(await rows(await loadSnapshot(ctx.engine, root, { version: 2 })));
    const [h] = await describeHistory(ctx, t, 1);
    expect(h!.operationParameters).toEqual({ timestamp: new Date(ts2).toISOString() });
    await expect(executeRestore(ctx, { ...t, snapshot: await latest(root) }, { timestamp: Date.now() + 3_600_000 })).rejects.toMatchObject({ code: "DELTA_CANNOT_RESTORE_TIMESTAMP_GREATER" });
    await expect(executeRestore(ctx, { ...t, snapshot: await latest(root) }, { timestamp: 1000 })).rejects.toMatchObject({ code: "DELTA_CANNOT_RESTORE_TIMESTAMP_EARLIER" });
  });

  it("restoring the current version still commits, changing nothing", async () => {
    const root = join(tmp, "t");
    const t = await buildTable(root);
    const before = await latest(root);
    const res = await executeRestore(ctx, { ...t, snapshot: before }, { version: 3 });
    expect(res.version).toBe(4);
    expect(res.metrics).toMatchObject({ numRemovedFiles: 0, numRestoredFiles: 0, numOfFilesAfterRestore: before.numFiles });
    const actions = fs.readFileSync(join(root, "_delta_log", "00000000000000000004.json"), "utf8").trim().split("\n").map((l) => Object.keys(JSON.parse(l))[0]);
    expect(actions).toEqual(["commitInfo"]);
  });

  it("rejects versions outside the log and requests without a target", async () => {
    const root = join(tmp, "t");
    const t = await buildTable(root);
    const snap = await latest(root);
    await expect(executeRestore(ctx, { ...t, snapshot: snap }, { version: 99 })).rejects.toMatchObject({ code: "DELTA_CANNOT_RESTORE_TABLE_VERSION", message: expect.stringContaining("[0, 3]") });
    await expect(executeRestore(ctx, { ...t, snapshot: snap }, {})).rejects.toMatchObject({ code: "DELTA_RESTORE_INVALID_TARGET" });
    await expect(executeRestore(ctx, { ...t, snapshot: snap }, { version: 1, timestamp: 5 })).rejects.toMatchObject({ code: "DELTA_RESTORE_INVALID_TARGET" });
  });

  it("brings back old metadata but never downgrades the protocol", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT range AS id FROM range(3)", mode: "append" });
    await executeWrite(ctx, { ...t, snapshot: await latest(root) }, { sourceSql: "SELECT range AS id FROM range(3)", mode: "append", properties: { "delta.enableChangeDataFeed": "true" } });
    const v1 = await latest(root);
    expect(v1.protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
    await executeRestore(ctx, { ...t, snapshot: v1 }, { version: 0 });
    const after = await latest(root);
    expect(after.configuration).toEqual({});
    expect(after.protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
    expect(mergeProtocols({ minReaderVersion: 1, minWriterVersion: 2 }, { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors"] }))
      .toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["appendOnly", "deletionVectors", "invariants"] });
  });

  it("refuses to restore a version whose files VACUUM deleted, naming one and the restorable versions", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT range AS id FROM range(5)", mode: "append" });
    const v0 = await latest(root);
    await executeWrite(ctx, { ...t, snapshot: v0 }, { sourceSql: "SELECT range + 50 AS id FROM range(5)", mode: "overwrite" });
    const old = new Date(Date.now() - 30 * 86_400_000);
    for (const f of v0.files) fs.utimesSync(join(root, f.path), old, old);
    conf.set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    const vac = await executeVacuum(ctx, { ...t, snapshot: await latest(root) }, { retainHours: 0, dryRun: false });
    expect(vac.numDeletedFiles).toBe(v0.numFiles);
    const err = await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { version: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "DELTA_RESTORE_MISSING_FILES" });
    const msg = (err as Error).message;
    expect(v0.files.some((f) => msg.includes(join(root, f.path)))).toBe(true);
    expect(msg).toContain("VACUUM");
    expect(msg).toContain("[1, 3]");
    expect((await latest(root)).version).toBe(3);
    // A version VACUUM left intact is still restorable.
    await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { version: 1 });
  });

  it("round-trips a copy of the conformance table simple_table", async () => {
    const root = copyTable("simple_table", join(tmp, "simple"));
    const t = { root, name: "simple_table" };
    const res = await executeRestore(ctx, { ...t, snapshot: await latest(root) }, { version: 1 });
    const expectedRows = JSON.parse(fs.readFileSync(join(CONFORMANCE, "_expected", "simple_table", "computed_rows_v1.json"), "utf8")) as { id: string }[];
    const got = (await db.query(`SELECT id FROM (${await buildScanSql(ctx.scan, await latest(root))}) ORDER BY id`)).rows.map((r) => Number(r["id"]));
    expect(got).toEqual(expectedRows.map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(res.metrics.numOfFilesAfterRestore).toBe(22);
  });
});
