/**
 * Reliability of the transaction log under concurrency and crashes: several OS processes
 * appending never lose a commit; concurrent MERGEs conflict with a typed error or serialize
 * correctly; a writer killed mid-commit leaves a readable table; a corrupt log file is named.
 */
import { spawn } from "node:child_process";
import { readdirSync, truncateSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkSession } from "../../src/lakehouse/sql/session.js";
import { LakehouseError } from "../../src/lakehouse/errors.js";
import { loadSnapshot } from "../../src/lakehouse/kernel/snapshot.js";
import { copyTable, removeDir, tempDir } from "../helpers.js";

let dir: string;
let spark: SparkSession;
const worker = join(import.meta.dirname, "../fixtures/append-worker.ts");

beforeAll(async () => {
  dir = tempDir();
  spark = await SparkSession.create({ warehouse: join(dir, "wh") });
});
afterAll(() => {
  spark.stop();
  removeDir(dir);
});

function run(args: string[]): { done: Promise<number>; kill: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx", worker, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const done = new Promise<number>((resolve) => child.on("exit", (code, signal) => {
    if (code && code !== 0) console.error(err);
    resolve(code ?? (signal ? -1 : 0));
  }));
  return { done, kill: () => child.kill("SIGKILL") };
}

function commitVersions(root: string): number[] {
  return readdirSync(join(root, "_delta_log")).filter((f) => /^\d{20}\.json$/.test(f)).map((f) => Number(f.slice(0, 20))).sort((a, b) => a - b);
}

describe("transaction log reliability", () => {
  it("4 processes x 50 appends: versions contiguous, every row present", async () => {
    const root = join(dir, "appends");
    await spark.sql(`CREATE TABLE delta.\`${root}\` (worker INT, i INT) USING DELTA`);
    const codes = await Promise.all([1, 2, 3, 4].map((w) => run([root, String(w), "50", join(dir, "wh")]).done));
    expect(codes).toEqual([0, 0, 0, 0]);
    const versions = commitVersions(root);
    expect(versions).toEqual(Array.from({ length: 201 }, (_, i) => i));
    const r = await (await spark.sql(`SELECT worker, count(*) AS n, count(DISTINCT i) AS d FROM delta.\`${root}\` GROUP BY worker ORDER BY worker`)).collect();
    expect(r).toEqual([1, 2, 3, 4].map((w) => ({ worker: w, n: 50n, d: 50n })));
  }, 180_000);

  it("two concurrent MERGEs on the same files: a typed conflict or a correct serial result, never a lost update", async () => {
    await spark.sql("CREATE TABLE main.default.acct (id INT, balance INT) USING DELTA");
    await spark.sql("INSERT INTO main.default.acct SELECT range, 100 FROM range(100)");
    const other = await SparkSession.create({ warehouse: join(dir, "wh") });
    const merge = (s: SparkSession, delta: number) => s.sql(`MERGE INTO main.default.acct t USING (SELECT range AS id FROM range(0, 100, 2)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET balance = t.balance + ${delta}`);
    const results = await Promise.allSettled([merge(spark, 1), merge(other, 10)]);
    other.stop();
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    const total = await (await spark.sql("SELECT sum(balance) AS s FROM main.default.acct WHERE id % 2 = 0")).collect();
    if (failed.length === 0) {
      expect(total).toEqual([{ s: BigInt(50 * 111) }]);
    } else {
      expect(failed.length).toBe(1);
      expect(failed[0]!.reason).toBeInstanceOf(LakehouseError);
      expect(["DELTA_CONCURRENT_APPEND", "DELTA_CONCURRENT_DELETE_READ", "DELTA_CONCURRENT_DELETE_DELETE"]).toContain((failed[0]!.reason as LakehouseError).code);
      expect([BigInt(50 * 101), BigInt(50 * 110)]).toContain(total[0]!["s"]);
    }
  }, 60_000);

  it("a writer killed with SIGKILL leaves the table readable at its last version", async () => {
    const root = join(dir, "killed");
    await spark.sql(`CREATE TABLE delta.\`${root}\` (worker INT, i INT) USING DELTA`);
    for (const delay of [400, 700, 1000]) {
      const w = run([root, "7", "1000", join(dir, "wh")]);
      await new Promise((r) => setTimeout(r, delay));
      w.kill();
      await w.done;
      const versions = commitVersions(root);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i));
      const snap = await loadSnapshot(spark.engine, root);
      expect(snap.version).toBe(versions[versions.length - 1]);
      const n = await (await spark.sql(`SELECT count(*) AS n FROM delta.\`${root}\``)).collect();
      expect(n[0]!["n"]).toBe(BigInt(versions.length - 1));
    }
  }, 120_000);

  it("a truncated commit file gives an error naming the file", async () => {
    const root = copyTable("simple_table", dir);
    const file = join(root, "_delta_log", "00000000000000000003.json");
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const err = await loadSnapshot(spark.engine, root).then(() => undefined, (e) => e);
    expect(err).toBeInstanceOf(LakehouseError);
    expect(err.code).toBe("DELTA_LOG_CORRUPT");
    expect(err.message).toContain("00000000000000000003.json");
    // Versions before the damage are still readable.
    expect((await loadSnapshot(spark.engine, root, { version: 2 })).version).toBe(2);
  });
});
