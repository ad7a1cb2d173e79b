/**
 * A Delta table as a streaming source: appends, change commits (fail / skipChangeCommits),
 * the change data feed, starting versions and rate limits.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StreamingQueryException, type StreamingQuery } from "../../../src/lakehouse/streaming/index.js";
import { lab, rows, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
  await L.spark.sql("CREATE TABLE src (id BIGINT, v STRING) USING DELTA TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')");
  await L.spark.sql("INSERT INTO src VALUES (1, 'a'), (2, 'b')");
  await L.spark.sql("INSERT INTO src VALUES (3, 'c')");
});
afterEach(() => L.close());

async function stream(options: Record<string, string>, table = "out", chk = join(L.dir, "chk-out")): Promise<StreamingQuery> {
  const q = await L.spark.readStream.options(options).table("src")
    .writeStream.option("checkpointLocation", chk).trigger({ availableNow: true }).toTable(table);
  await q.awaitTermination();
  return q;
}

describe("Delta streaming source", () => {
  it("reads the snapshot, then only the rows appended by later commits", async () => {
    const q1 = await stream({});
    expect(q1.lastProgress!.sources[0]!.endOffset).toMatchObject({ sourceVersion: 1, reservoirVersion: 2, index: 1, isStartingVersion: true });
    expect(await rows(L.spark, "out", "id")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "b" }, { id: 3, v: "c" }]);
    await L.spark.sql("INSERT INTO src VALUES (4, 'd'), (5, 'e')");
    const q2 = await stream({});
    expect(q2.lastProgress!.numInputRows).toBe(2);
    expect(q2.lastProgress!.sources[0]!.endOffset).toMatchObject({ reservoirVersion: 3, isStartingVersion: false });
    expect((await rows(L.spark, "out", "id")).map((r) => r["id"])).toEqual([1, 2, 3, 4, 5]);
  });

  it("startingVersion reads commits from that version on; maxFilesPerTrigger splits them", async () => {
    await L.spark.sql("INSERT INTO src VALUES (4, 'd')");
    const q = await stream({ startingVersion: "2", maxFilesPerTrigger: "1" });
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([1, 1]);
    expect((await rows(L.spark, "out", "id")).map((r) => r["id"])).toEqual([3, 4]);
    const latest = await stream({ startingVersion: "latest" }, "out2", join(L.dir, "chk-latest"));
    expect(latest.recentProgress).toEqual([]);
  });

  it("fails on a commit that updates existing rows, unless skipChangeCommits", async () => {
    await stream({});
    await L.spark.sql("UPDATE src SET v = 'B' WHERE id = 2");
    await L.spark.sql("INSERT INTO src VALUES (4, 'd')");
    const err = await stream({}).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StreamingQueryException);
    expect((err as StreamingQueryException).causeCode).toBe("DELTA_SOURCE_TABLE_IGNORE_CHANGES");
    expect((err as Error).message).toMatch(/skipChangeCommits/);

    await L.spark.sql("DELETE FROM src WHERE id = 1");
    const q = await stream({ skipChangeCommits: "true" });
    // The UPDATE and DELETE commits are skipped; the append in between is read.
    expect(q.lastProgress!.numInputRows).toBe(1);
    expect((await rows(L.spark, "out", "id")).map((r) => `${r["id"]}${r["v"]}`)).toEqual(["1a", "2b", "3c", "4d"]);
  });

  it("fails on a pure delete with DELTA_SOURCE_IGNORE_DELETE unless ignoreDeletes", async () => {
    await stream({});
    await L.spark.sql("DELETE FROM src WHERE id = 3");
    const err = await stream({}).then(() => undefined, (e: unknown) => e);
    expect((err as StreamingQueryException).causeCode).toBe("DELTA_SOURCE_IGNORE_DELETE");
    await L.spark.sql("INSERT INTO src VALUES (4, 'd')");
    const q = await stream({ ignoreDeletes: "true" });
    expect(q.lastProgress!.numInputRows).toBe(1);
    expect((await rows(L.spark, "out", "id")).map((r) => r["id"])).toEqual([1, 2, 3, 4]);
  });

  it("readChangeFeed emits inserts, updates and deletes with _change_type, _commit_version, _commit_timestamp", async () => {
    const q1 = await stream({ readChangeFeed: "true" });
    expect(q1.lastProgress!.numInputRows).toBe(3);
    await L.spark.sql("UPDATE src SET v = 'B' WHERE id = 2");
    await L.spark.sql("DELETE FROM src WHERE id = 1");
    await stream({ readChangeFeed: "true" });
    const r = await rows(L.spark, "out", "_commit_version, id, _change_type DESC");
    expect(r.map((x) => [x["id"], x["v"], x["_change_type"], x["_commit_version"]])).toEqual([
      [1, "a", "insert", 2], [2, "b", "insert", 2], [3, "c", "insert", 2],
      [2, "b", "update_preimage", 3], [2, "B", "update_postimage", 3],
      [1, "a", "delete", 4],
    ]);
    expect(r.every((x) => x["_commit_timestamp"] instanceof Date)).toBe(true);
  });

  it("readChangeFeed with startingVersion replays the commits themselves", async () => {
    await stream({ readChangeFeed: "true", startingVersion: "1" });
    const r = await rows(L.spark, "out", "id");
    expect(r.map((x) => [x["id"], x["_change_type"], x["_commit_version"]])).toEqual([[1, "insert", 1], [2, "insert", 1], [3, "insert", 2]]);
  });
});
