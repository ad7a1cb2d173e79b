import * as fs from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb } from "../../../src/lakehouse/engine/duckdb.js";
import { buildScanSql } from "../../../src/lakehouse/engine/scan.js";
import { loadSnapshot, type Snapshot } from "../../../src/lakehouse/kernel/snapshot.js";
import type { OpContext } from "../../../src/lakehouse/operations/context.js";
import { describeHistory } from "../../../src/lakehouse/operations/history.js";
import { executeVacuum } from "../../../src/lakehouse/operations/vacuum.js";
import { executeWrite } from "../../../src/lakehouse/operations/write.js";
import { CONFORMANCE, copyTableTo as copyTable, openOpContext } from "../../helpers.js";

const CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
const DAY = 86_400_000;

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


/** Every file under `dir` except the log, recursively, relative. */
function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "_delta_log") out.push(...listFiles(p, base));
    } else out.push(p.slice(base.length + 1));
  }
  return out.sort();
}

function makeOld(root: string, except: string[] = []) {
  const old = new Date(Date.now() - 30 * DAY);
  for (const rel of listFiles(root)) if (!except.includes(rel)) fs.utimesSync(join(root, rel), old, old);
}

function put(root: string, rel: string, ageDays: number) {
  const p = join(root, rel);
  fs.mkdirSync(dirname(p), { recursive: true });
  fs.writeFileSync(p, "x".repeat(10));
  const t = new Date(Date.now() - ageDays * DAY);
  fs.utimesSync(p, t, t);
}

const latest = (root: string) => loadSnapshot(ctx.engine, root);

async function count(snap: Snapshot): Promise<number> {
  const r = await db.query(`SELECT count(*) AS n FROM (${await buildScanSql(ctx.scan, snap)})`);
  return Number(r.rows[0]!["n"]);
}

/**
 * A partitioned table whose v0 files (partitions p=0, p=1) were overwritten by v1 (p=5), plus
 * orphans: old ones at the root, in _staging and _change_data, a young one, and hidden files.
 */
async function buildTable(root: string) {
  const t = { root, name: "t" };
  await executeWrite(ctx, t, { sourceSql: "SELECT range AS id, range % 2 AS p FROM range(10)", mode: "append", partitionBy: ["p"] });
  const v0 = await latest(root);
  await executeWrite(ctx, { ...t, snapshot: v0 }, { sourceSql: "SELECT range AS id, 5 AS p FROM range(4)", mode: "overwrite" });
  put(root, "orphan.parquet", 30);
  put(root, "_staging/3f2a/__pid=0/part-00000-dead.parquet", 30);
  put(root, "_change_data/p=0/cdc-00000-old.parquet", 30);
  put(root, "young.parquet", 0);
  put(root, ".hidden", 30);
  put(root, "_other/file.parquet", 30);
  put(root, "p=5/.part-x.parquet.crc", 30);
  return { t, v0, v1: await latest(root) };
}

describe("executeVacuum", () => {
  it("DRY RUN with the default retention lists exactly the old orphans and changes nothing", async () => {
    const root = join(tmp, "t");
    const { t, v1 } = await buildTable(root);
    makeOld(root, ["young.parquet"]);
    const before = listFiles(root);
    const res = await executeVacuum(ctx, { ...t, snapshot: v1 }, { dryRun: true });
    // The overwritten v0 files are old on disk but their tombstones are younger than 7 days.
    expect(res.files).toEqual(["_change_data/p=0/cdc-00000-old.parquet", "_staging/3f2a/__pid=0/part-00000-dead.parquet", "orphan.parquet"].map((r) => join(root, r)));
    expect(res).toMatchObject({ dryRun: true, numDeletedFiles: 3, sizeOfDeletedFiles: 30, numVacuumedDirectories: 0, retentionMillis: 7 * DAY });
    expect(listFiles(root)).toEqual(before);
    expect((await latest(root)).version).toBe(1);

    // The real run deletes just those; young and tombstoned files stay.
    const run = await executeVacuum(ctx, { ...t, snapshot: v1 }, { dryRun: false });
    expect(run.files).toEqual(res.files);
    expect(listFiles(root)).toEqual(before.filter((f) => !res.files.includes(join(root, f))));
    expect(fs.existsSync(join(root, "young.parquet"))).toBe(true);
    const [, start] = await describeHistory(ctx, t, 2);
    expect(start!.operationParameters).toEqual({ retentionCheckEnabled: "true", defaultRetentionMillis: String(7 * DAY) });
  });

  it("refuses RETAIN 0 HOURS unless the retention check is disabled", async () => {
    const root = join(tmp, "t");
    const { t, v1 } = await buildTable(root);
    const err = await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 0, dryRun: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT" });
    expect((err as Error).message).toContain(`${CHECK} = false`);
    expect((err as Error).message).toMatch(/corrupt/);
    expect((err as Error).message).toMatch(/time travel/);
    await expect(executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 167, dryRun: true })).rejects.toMatchObject({ code: "DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT" });
    await expect(executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: -1, dryRun: true })).rejects.toMatchObject({ code: "DELTA_VACUUM_INVALID_RETENTION" });
    // A longer retention than configured is always allowed.
    await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 200, dryRun: true });
    conf.set(CHECK, "false");
    const res = await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 0, dryRun: true });
    expect(res.retentionMillis).toBe(0);
  });

  it("follows the table's delta.deletedFileRetentionDuration", async () => {
    const root = join(tmp, "t");
    const t = { root, name: "t" };
    await executeWrite(ctx, t, { sourceSql: "SELECT 1 AS id", mode: "append", properties: { "delta.deletedFileRetentionDuration": "interval 1 hours" } });
    put(root, "two-hours.parquet", 2 / 24);
    put(root, "half-hour.parquet", 0.5 / 24);
    const res = await executeVacuum(ctx, { ...t, snapshot: await latest(root) }, { dryRun: true });
    expect(res.retentionMillis).toBe(3_600_000);
    expect(res.files).toEqual([join(root, "two-hours.parquet")]);
    // RETAIN 1 HOURS equals the configured retention: no check failure.
    await executeVacuum(ctx, { ...t, snapshot: await latest(root) }, { dryRun: true, retainHours: 1 });
  });

  it("with RETAIN 0 HOURS lists removed files and every unreferenced file, never referenced ones", async () => {
    const root = join(tmp, "t");
    const { t, v0, v1 } = await buildTable(root);
    makeOld(root, ["young.parquet"]);
    conf.set(CHECK, "false");
    const res = await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 0, dryRun: true });
    const rel = res.files.map((f) => f.slice(root.length + 1));
    const removed = v0.files.map((f) => decodeURIComponent(f.path));
    // young.parquet is seconds old: older than a retention of 0 hours.
    expect(rel).toEqual([...removed, "_change_data/p=0/cdc-00000-old.parquet", "_staging/3f2a/__pid=0/part-00000-dead.parquet", "orphan.parquet", "young.parquet"].sort());
    for (const f of v1.files) expect(rel).not.toContain(decodeURIComponent(f.path));
    // A retention of 1 hour still protects the files removed a moment ago (their tombstones are
    // young) and the file written a moment ago (it may belong to a commit in flight).
    const oneHour = await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 1, dryRun: true });
    expect(oneHour.files.map((f) => f.slice(root.length + 1))).toEqual(["_change_data/p=0/cdc-00000-old.parquet", "_staging/3f2a/__pid=0/part-00000-dead.parquet", "orphan.parquet"]);
  });

  it("deletes, logs VACUUM START/END, removes empty directories and keeps the table readable", async () => {
    const root = join(tmp, "t");
    const { t, v0, v1 } = await buildTable(root);
    makeOld(root, ["young.parquet"]);
    conf.set(CHECK, "false");
    const res = await executeVacuum(ctx, { ...t, snapshot: v1 }, { retainHours: 0, dryRun: false });
    expect(res.numDeletedFiles).toBe(v0.numFiles + 4);
    expect(res.startVersion).toBe(2);
    expect(res.endVersion).toBe(3);
    for (const f of res.files) expect(fs.existsSync(f)).toBe(false);
    for (const f of v1.files) expect(fs.existsSync(join(root, decodeURIComponent(f.path)))).toBe(true);
    for (const keep of [".hidden", "_other/file.parquet", "p=5/.part-x.parquet.crc"]) expect(fs.existsSync(join(root, keep))).toBe(true);
    // p=0, p=1, _change_data/p=0, _change_data, _staging/3f2a/__pid=0, _staging/3f2a, _staging
    for (const d of ["p=0", "p=1", "_change_data", "_staging"]) expect(fs.existsSync(join(root, d))).toBe(false);
    expect(res.numVacuumedDirectories).toBe(7);

    const after = await latest(root);
    expect(after.version).toBe(3);
    expect(after.numFiles).toBe(v1.numFiles);
    expect(await count(after)).toBe(4);
    const [end, start] = await describeHistory(ctx, t, 2);
    expect(start!.operation).toBe("VACUUM START");
    expect(start!.operationParameters).toEqual({ retentionCheckEnabled: "false", specifiedRetentionMillis: "0", defaultRetentionMillis: String(7 * DAY) });
    expect(start!.operationMetrics).toEqual({ numFilesToDelete: String(res.numDeletedFiles), sizeOfDataToDelete: String(res.sizeOfDeletedFiles) });
    expect(start!.isBlindAppend).toBe(false);
    expect(end!.operation).toBe("VACUUM END");
    expect(end!.operationParameters).toEqual({ status: "COMPLETED" });
    expect(end!.operationMetrics).toEqual({ numDeletedFiles: String(res.numDeletedFiles), numVacuumedDirectories: "7" });
    for (const v of [2, 3]) {
      const kinds = fs.readFileSync(join(root, "_delta_log", `${String(v).padStart(20, "0")}.json`), "utf8").trim().split("\n").map((l) => Object.keys(JSON.parse(l))[0]);
      expect(kinds).toEqual(["commitInfo"]);
    }
    // Time travel to v0 now fails: its files are gone.
    await expect(db.query(`SELECT count(*) FROM (${await buildScanSql(ctx.scan, await loadSnapshot(ctx.engine, root, { version: 0 }))})`)).rejects.toThrow();

    // A second run finds nothing more.
    conf.delete(CHECK);
    const again = await executeVacuum(ctx, { ...t, snapshot: after }, { dryRun: false });
    expect(again.numDeletedFiles).toBe(0);
  });

  it("keeps deletion-vector files and data of a copied conformance table; EXPECTED.json is an orphan", async () => {
    const root = copyTable("table-with-dv-small", join(tmp, "dv"));
    makeOld(root);
    conf.set(CHECK, "false");
    const t = { root, name: "dv" };
    const dry = await executeVacuum(ctx, { ...t, snapshot: await latest(root) }, { retainHours: 0, dryRun: true });
    expect(dry.files).toEqual([join(root, "EXPECTED.json")]);
    await executeVacuum(ctx, { ...t, snapshot: await latest(root) }, { retainHours: 0, dryRun: false });
    expect(fs.existsSync(join(root, "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"))).toBe(true);
    expect(await count(await latest(root))).toBe(8);
  });

  it("vacuums old change data files and removed files of a copied cdf-table, with their .crc files", async () => {
    const root = copyTable("cdf-table", join(tmp, "cdf"));
    makeOld(root);
    conf.set(CHECK, "false");
    const t = { root, name: "cdf" };
    const snap = await latest(root);
    const res = await executeVacuum(ctx, { ...t, snapshot: snap }, { retainHours: 0, dryRun: false });
    const rel = res.files.map((f) => f.slice(root.length + 1));
    expect(rel.filter((r) => r.startsWith("_change_data/")).length).toBe(13);
    expect(rel).toContain("EXPECTED.json");
    expect(rel.filter((r) => !r.startsWith("_change_data/") && r !== "EXPECTED.json").length).toBe(7);
    expect(fs.existsSync(join(root, "_change_data"))).toBe(false);
    expect(listFiles(root).filter((f) => f.endsWith(".crc")).length).toBe(snap.numFiles);
    expect(await count(await latest(root))).toBe(9);
  });
});
