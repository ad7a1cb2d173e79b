import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb } from "../../../src/lakehouse/engine/duckdb.js";
import { loadSnapshot } from "../../../src/lakehouse/kernel/snapshot.js";
import type { OpContext } from "../../../src/lakehouse/operations/context.js";
import { executeDelete } from "../../../src/lakehouse/operations/delete.js";
import { describeHistory } from "../../../src/lakehouse/operations/history.js";
import { executeWrite } from "../../../src/lakehouse/operations/write.js";
import { CONFORMANCE, openOpContext } from "../../helpers.js";


interface Env {
  db: DuckDb;
  tmp: string;
  ctx: OpContext;
}

let env: Env;

beforeEach(async () => {
  env = await openOpContext();
});

afterEach(() => {
  env.db.close();
  fs.rmSync(env.tmp, { recursive: true, force: true });
});

function expected(table: string) {
  return JSON.parse(fs.readFileSync(join(CONFORMANCE, table, "EXPECTED.json"), "utf8")) as { summary: { operationByVersion: Record<string, string>; latestVersion: number } };
}

function commitInfos(table: string): Record<string, unknown>[] {
  const dir = join(CONFORMANCE, table, "_delta_log");
  return fs.readdirSync(dir).filter((f) => /^\d{20}\.json$/.test(f)).sort().map((f) => {
    const line = fs.readFileSync(join(dir, f), "utf8").split("\n").find((l) => l.includes('"commitInfo"'))!;
    return (JSON.parse(line) as { commitInfo: Record<string, unknown> }).commitInfo;
  });
}

describe("describeHistory", () => {
  it("lists every commit of simple_table newest first, with the operations EXPECTED.json records", async () => {
    const root = join(CONFORMANCE, "simple_table");
    const rows = await describeHistory(env.ctx, { root, name: "simple_table" });
    const exp = expected("simple_table").summary;
    expect(rows.map((r) => r.version)).toEqual([4, 3, 2, 1, 0]);
    expect(rows.map((r) => r.operation)).toEqual([4, 3, 2, 1, 0].map((v) => exp.operationByVersion[String(v)]));
    expect(rows.map((r) => r.operation)).toEqual(["DELETE", "UPDATE", "WRITE", "MERGE", "WRITE"]);
    const infos = commitInfos("simple_table");
    for (const r of rows) expect(r.timestamp.getTime()).toBe(infos[r.version]!["timestamp"]);
    const v0 = rows[4]!;
    expect(v0.operationParameters).toEqual({ mode: "ErrorIfExists", partitionBy: "[]" });
    expect(v0.isBlindAppend).toBe(true);
    expect(v0.readVersion).toBeNull();
    expect(v0.operationMetrics).toEqual({});
    expect(v0.userId).toBeNull();
    expect(v0.job).toBeNull();
    expect(v0.notebook).toBeNull();
    expect(v0.clusterId).toBeNull();
    expect(rows[3]!.readVersion).toBe(0);
    expect(rows[0]!.operationParameters["predicate"]).toBe('["((`id` % CAST(2 AS BIGINT)) = CAST(0 AS BIGINT))"]');
  });

  it("honours LIMIT and rejects a bad one", async () => {
    const root = join(CONFORMANCE, "simple_table");
    const rows = await describeHistory(env.ctx, { root, name: "simple_table" }, 2);
    expect(rows.map((r) => r.version)).toEqual([4, 3]);
    expect(await describeHistory(env.ctx, { root, name: "simple_table" }, 0)).toEqual([]);
    await expect(describeHistory(env.ctx, { root, name: "simple_table" }, -1)).rejects.toMatchObject({ code: "INVALID_LIMIT_LIKE_EXPRESSION" });
  });

  it("keeps metrics, isolation level and engine info as strings (cdf-table)", async () => {
    const rows = await describeHistory(env.ctx, { root: join(CONFORMANCE, "cdf-table"), name: "cdf" });
    const v1 = rows.find((r) => r.version === 1)!;
    expect(v1.operation).toBe("UPDATE");
    expect(v1.operationMetrics["numUpdatedRows"]).toBe("3");
    expect(v1.operationMetrics["numAddedChangeFiles"]).toBe("6");
    expect(v1.isolationLevel).toBe("Serializable");
    expect(v1.engineInfo).toBe("Apache-Spark/3.5.0 Delta-Lake/3.0.0");
    expect(v1.readVersion).toBe(0);
  });

  it("reads commits still in the log after a checkpoint", async () => {
    const rows = await describeHistory(env.ctx, { root: join(CONFORMANCE, "basic-with-inserts-deletes-checkpoint"), name: "t" });
    expect(rows[0]!.version).toBe(13);
    expect(rows.map((r) => r.version)).toEqual([...Array(14).keys()].reverse());
  });

  it("shows the commits this lab writes, with user metadata and metrics", async () => {
    const root = join(env.tmp, "t");
    const r0 = await executeWrite(env.ctx, { root, name: "t" }, { sourceSql: "SELECT range AS id FROM range(10)", mode: "append" });
    await executeWrite(env.ctx, { root, name: "t", snapshot: r0.commit!.snapshot }, { sourceSql: "SELECT range + 10 AS id FROM range(5)", mode: "append", userMetadata: "backfill" });
    const snap = await loadSnapshot(env.ctx.engine, root);
    await executeDelete(env.ctx, { root, name: "t", snapshot: snap }, { condition: { sql: "id < 3", predicate: { op: "<", column: "id", value: 3 } } });
    const rows = await describeHistory(env.ctx, { root, name: "t" });
    expect(rows.map((r) => [r.version, r.operation])).toEqual([[2, "DELETE"], [1, "WRITE"], [0, "WRITE"]]);
    expect(rows[1]!.userMetadata).toBe("backfill");
    expect(rows[1]!.operationParameters["mode"]).toBe("Append");
    expect(rows[1]!.isBlindAppend).toBe(true);
    expect(rows[1]!.readVersion).toBe(0);
    expect(rows[0]!.operationMetrics["numDeletedRows"]).toBe("3");
    expect(rows[0]!.isolationLevel).toBe("WriteSerializable");
    expect(rows[0]!.engineInfo).toMatch(/c360-lab/);
    expect(rows[0]!.timestamp.getTime()).toBeGreaterThan(rows[1]!.timestamp.getTime());
  });

  it("makes timestamps strictly increasing when commit clocks went backwards", async () => {
    const log = join(env.tmp, "skew", "_delta_log");
    fs.mkdirSync(log, { recursive: true });
    const meta = { id: "x", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify({ type: "struct", fields: [{ name: "id", type: "long", nullable: true, metadata: {} }] }), partitionColumns: [], configuration: {} };
    const commit = (v: number, ts: number, extra: object[] = []) =>
      fs.writeFileSync(join(log, `${String(v).padStart(20, "0")}.json`), [{ commitInfo: { timestamp: ts, operation: "WRITE", operationParameters: { mode: "Append" }, job: { jobId: "7", runId: 42 }, clusterId: "c1" } }, ...extra].map((a) => JSON.stringify(a)).join("\n") + "\n");
    commit(0, 5000, [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: meta }]);
    commit(1, 3000);
    const rows = await describeHistory(env.ctx, { root: join(env.tmp, "skew"), name: "skew" });
    expect(rows.map((r) => r.timestamp.getTime())).toEqual([5001, 5000]);
    expect(rows[0]!.job).toEqual({ jobId: "7", runId: "42" });
    expect(rows[0]!.clusterId).toBe("c1");
  });

  it("fails clearly when there is no table", async () => {
    await expect(describeHistory(env.ctx, { root: join(env.tmp, "nope"), name: "nope" })).rejects.toMatchObject({ code: "DELTA_TABLE_NOT_FOUND" });
  });
});
