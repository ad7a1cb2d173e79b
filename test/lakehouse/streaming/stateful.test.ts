/**
 * The micro-batch engine: watermarks, streaming deduplication, windowed aggregation,
 * stream-static joins, foreachBatch and progress reports.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { col, count, sum, type DataFrame } from "../../../src/lakehouse/sql/dataframe/index.js";
import { StreamingQueryException, window, type StreamingDataFrame, type StreamingQuery } from "../../../src/lakehouse/streaming/index.js";
import { jsonl, lab, land, rows, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

const at = (hhmm: string) => `2024-01-01T${hhmm}:00Z`;
let fileNo = 0;

/** One file of events = one micro-batch (maxFilesPerTrigger = 1). */
function batch(events: [number, string, number?][]): void {
  land(join(L.landing, `events-${String(++fileNo).padStart(4, "0")}.json`), jsonl(events.map(([id, ts, v]) => ({ id, ts: at(ts), v: v ?? 1 }))));
}

function events(): StreamingDataFrame {
  return L.spark.readStream.format("json").schema("id BIGINT, ts TIMESTAMP, v BIGINT").option("maxFilesPerTrigger", 1).load(L.landing);
}

async function runToTable(sdf: StreamingDataFrame, table: string, mode = "append"): Promise<StreamingQuery> {
  const q = await sdf.writeStream.outputMode(mode).option("checkpointLocation", L.chk).trigger({ availableNow: true }).toTable(table);
  await q.awaitTermination();
  return q;
}

const hhmm = (d: unknown) => (d as Date).toISOString().slice(11, 16);

describe("watermarks and deduplication", () => {
  it("dropDuplicates with a watermark: duplicates are dropped, late rows beyond the watermark too", async () => {
    batch([[1, "10:00"], [1, "10:00"], [2, "10:05"]]);
    batch([[1, "10:00"], [3, "10:30"]]);
    batch([[2, "10:05"], [4, "10:15"], [5, "10:25"]]);
    const q = await runToTable(events().withWatermark("ts", "10 minutes").dropDuplicates(["id", "ts"]), "dedup");
    expect((await rows(L.spark, "dedup", "id")).map((r) => `${r["id"]}@${hhmm(r["ts"])}`)).toEqual(["1@10:00", "2@10:05", "3@10:30", "5@10:25"]);
    const p = q.recentProgress;
    // Each batch runs with the watermark of the batch before: max(event time) − 10 minutes.
    expect(p.map((x) => x.eventTime?.watermark)).toEqual(["1970-01-01T00:00:00.000Z", "2024-01-01T09:55:00.000Z", "2024-01-01T10:20:00.000Z"]);
    expect(p[2]!.stateOperators[0]).toMatchObject({ operatorName: "dedupe", numRowsDroppedByWatermark: 2, numRowsUpdated: 1 });
    // Keys at or behind the watermark (10:00, 10:05) are evicted from state after batch 2.
    expect(p[2]!.stateOperators[0]).toMatchObject({ numRowsTotal: 2, numRowsRemoved: 2 });
  });

  it("dropDuplicatesWithinWatermark keeps a key until the watermark passes its time + delay", async () => {
    batch([[1, "10:00"], [1, "10:03"]]);
    batch([[1, "10:08"], [2, "10:30"]]);
    batch([[3, "10:40"]]);
    batch([[1, "10:45"], [2, "10:35"], [9, "10:00"]]);
    const q = await runToTable(events().withWatermark("ts", "10 minutes").dropDuplicatesWithinWatermark("id"), "dedupw");
    expect((await rows(L.spark, "dedupw", "ts")).map((r) => `${r["id"]}@${hhmm(r["ts"])}`)).toEqual(["1@10:00", "2@10:30", "3@10:40", "1@10:45"]);
    expect(q.recentProgress[3]!.stateOperators[0]).toMatchObject({ operatorName: "dedupeWithinWatermark", numRowsDroppedByWatermark: 1 });
  });

  it("dropDuplicates without a watermark remembers every key, across restarts", async () => {
    batch([[1, "10:00"], [2, "10:00"]]);
    await runToTable(events().dropDuplicates(["id"]), "d");
    batch([[2, "11:00"], [3, "11:00"], [3, "11:05"]]);
    await runToTable(events().dropDuplicates(["id"]), "d");
    expect((await rows(L.spark, "d", "id")).map((r) => r["id"])).toEqual([1, 2, 3]);
  });

  it("dropDuplicatesWithinWatermark needs a watermark", async () => {
    batch([[1, "10:00"]]);
    await expect(runToTable(events().dropDuplicatesWithinWatermark("id"), "x")).rejects.toMatchObject({ code: "STREAMING_WATERMARK_REQUIRED" });
  });
});

describe("windowed aggregation", () => {
  const windowed = () => events().withWatermark("ts", "10 minutes")
    .groupBy(window(col("ts"), "10 minutes"))
    .agg(count("*").alias("n"), sum("v").alias("total"));

  it("append mode emits each window once, after the watermark passes its end, and keeps state across restarts", async () => {
    batch([[1, "10:01", 1], [2, "10:02", 2], [3, "10:12", 3]]);
    batch([[4, "10:05", 4], [5, "10:25", 5]]);
    batch([[6, "10:03", 100], [7, "10:31", 6]]);
    const q = await runToTable(windowed(), "w");
    const out = async () => (await rows(L.spark, "w", "\"window\".start")).map((r) => `${hhmm((r["window"] as Record<string, unknown>)["start"])}-${hhmm((r["window"] as Record<string, unknown>)["end"])}:${r["n"]}/${r["total"]}`);
    // 10:00-10:10 closes when the watermark reaches 10:15 (batch 2); the late 10:03 row is dropped.
    // 10:10-10:20 closes at watermark 10:21, in the no-data batch 3 that availableNow runs at the end.
    expect(await out()).toEqual(["10:00-10:10:3/7", "10:10-10:20:1/3"]);
    expect(q.recentProgress.map((p) => [p.batchId, p.numInputRows, p.sink.numOutputRows])).toEqual([[0, 3, 0], [1, 2, 0], [2, 2, 1], [3, 0, 1]]);
    expect(q.recentProgress[2]!.stateOperators[0]).toMatchObject({ operatorName: "stateStoreSave", numRowsDroppedByWatermark: 1 });
    expect(q.recentProgress[2]!.eventTime).toMatchObject({ watermark: "2024-01-01T10:15:00.000Z", max: "2024-01-01T10:31:00.000Z" });

    batch([[8, "10:50", 7]]);
    const q2 = await runToTable(windowed(), "w");
    expect(q2.recentProgress.map((p) => p.batchId)).toEqual([4, 5]);
    expect(await out()).toEqual(["10:00-10:10:3/7", "10:10-10:20:1/3", "10:20-10:30:1/5", "10:30-10:40:1/6"]);
  });

  it("complete mode rewrites the whole result every batch", async () => {
    batch([[1, "10:01", 1], [2, "10:12", 2]]);
    batch([[3, "10:05", 4]]);
    const q = await runToTable(events().groupBy(window(col("ts"), "10 minutes")).agg(count("*").alias("n"), sum("v").alias("total")), "c", "complete");
    expect(q.recentProgress.map((p) => p.sink.numOutputRows)).toEqual([2, 2]);
    expect((await rows(L.spark, "c", "\"window\".start")).map((r) => `${r["n"]}/${r["total"]}`)).toEqual(["2/5", "1/2"]);
  });

  it("windows of a day or more (intervals beyond 2^31 microseconds) work", async () => {
    batch([[1, "10:01", 1], [2, "23:12", 2]]);
    const q = await runToTable(events().groupBy(window(col("ts"), "1 day")).agg(count("*").alias("n")), "d", "complete");
    expect(q.recentProgress.map((p) => p.sink.numOutputRows)).toEqual([1]);
    expect((await rows(L.spark, "d", "n")).map((r) => Number(r["n"]))).toEqual([2]);
  });

  it("a global aggregation keeps a running total (complete mode), across restarts", async () => {
    batch([[1, "10:01", 1], [2, "10:12", 2]]);
    await runToTable(events().agg(count("*").alias("n"), sum("v").alias("total")), "g", "complete");
    batch([[3, "10:05", 4]]);
    await runToTable(events().agg(count("*").alias("n"), sum("v").alias("total")), "g", "complete");
    expect(await rows(L.spark, "g", "n")).toEqual([{ n: 3, total: "7" }]); // sum(bigint) is DuckDB HUGEINT → decimal(38,0), as in batch DataFrames here
  });

  it("update mode emits the groups each batch changed (foreachBatch, as Delta sinks refuse update)", async () => {
    batch([[1, "10:01", 1], [2, "10:12", 2]]);
    batch([[3, "10:05", 4]]);
    batch([[4, "10:30", 8]]);
    const seen: string[][] = [];
    const q = await events().withWatermark("ts", "10 minutes").groupBy(window(col("ts"), "10 minutes")).agg(sum("v").alias("total"))
      .writeStream.outputMode("update").option("checkpointLocation", L.chk).trigger({ availableNow: true })
      .foreachBatch(async (df: DataFrame) => {
        const r = await df.collect();
        seen.push(r.map((x) => `${hhmm((x["window"] as Record<string, unknown>)["start"])}=${x["total"]}`).sort());
      }).start();
    await q.awaitTermination();
    // The last call is the no-data batch run because the watermark moved (10:20): nothing changed, so it is empty.
    expect(seen).toEqual([["10:00=1", "10:10=2"], ["10:00=5"], ["10:30=8"], []]);
    expect(q.lastProgress!.stateOperators[0]).toMatchObject({ numRowsRemoved: 2, numRowsTotal: 1 });
  });

  it("trigger once processes everything available in a single batch", async () => {
    batch([[1, "10:00"]]);
    batch([[2, "10:00"]]);
    const q = await events().writeStream.option("checkpointLocation", L.chk).trigger({ once: true }).toTable("once");
    await q.awaitTermination();
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([2]);
  });

  it("refuses what Spark refuses: append without watermark, update into Delta, unmergeable aggregates", async () => {
    batch([[1, "10:01"]]);
    await expect(runToTable(events().groupBy("id").count(), "x")).rejects.toMatchObject({ code: "STREAMING_OUTPUT_MODE_UNSUPPORTED" });
    await expect(runToTable(events().groupBy("id").count(), "x", "update")).rejects.toThrow(/does not support Update output mode/);
    await expect(runToTable(events().select("id"), "x", "complete")).rejects.toMatchObject({ code: "STREAMING_OUTPUT_MODE_UNSUPPORTED" });
    const { countDistinct } = await import("../../../src/lakehouse/sql/dataframe/functions.js");
    await expect(runToTable(events().groupBy("id").agg(countDistinct("v")), "x", "complete")).rejects.toMatchObject({ code: "STREAMING_UNSUPPORTED_OPERATION" });
    expect(() => events().orderBy("id")).toThrow(/not supported on a streaming DataFrame/);
    expect(() => events().join(events(), "id")).toThrow(/stream-stream join/);
    expect(() => events().collect()).toThrow(/writeStream.start\(\)/);
  });
});

describe("sinks, joins and progress", () => {
  it("foreachBatch receives batch ids 0, 1, 2 with each batch as a DataFrame", async () => {
    batch([[1, "10:00"], [2, "10:00"]]);
    batch([[3, "10:00"]]);
    batch([[4, "10:00"], [5, "10:00"], [6, "10:00"]]);
    const seen: [number, number][] = [];
    const q = await events().writeStream.option("checkpointLocation", L.chk).trigger({ availableNow: true })
      .foreachBatch(async (df: DataFrame, batchId: number) => {
        seen.push([batchId, await df.count()]);
        await df.write.mode("append").saveAsTable("fb");
      })
      .start();
    await q.awaitTermination();
    expect(seen).toEqual([[0, 2], [1, 1], [2, 3]]);
    expect(q.recentProgress.map((p) => p.numInputRows)).toEqual([2, 1, 3]);
    expect(q.lastProgress).toMatchObject({ batchId: 2, numInputRows: 3, sink: { description: "ForeachBatchSink" } });
    expect(q.lastProgress!.durationMs).toHaveProperty("triggerExecution");
    expect(q.lastProgress!.durationMs).toHaveProperty("walCommit");
    expect(q.lastProgress!.sources[0]).toMatchObject({ numInputRows: 3, startOffset: { logOffset: 1 }, endOffset: { logOffset: 2 } });
    expect((await rows(L.spark, "fb", "id")).map((r) => r["id"])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("joins the stream with a static Delta table, read again for every batch", async () => {
    await L.spark.sql("CREATE TABLE dim (id BIGINT, label STRING) USING DELTA");
    await L.spark.sql("INSERT INTO dim VALUES (1, 'one'), (2, 'two')");
    const enrich = () => events().join(L.spark.table("dim"), "id", "left").select("id", "label");
    batch([[1, "10:00"], [3, "10:00"]]);
    await runToTable(enrich(), "j");
    await L.spark.sql("INSERT INTO dim VALUES (3, 'three')");
    batch([[2, "10:00"], [3, "10:00"]]);
    await runToTable(enrich(), "j");
    expect((await rows(L.spark, "j", "id, label NULLS FIRST")).map((r) => `${r["id"]}:${r["label"]}`)).toEqual(["1:one", "2:two", "3:null", "3:three"]);
    expect(() => events().join(L.spark.table("dim"), "id", "full")).toThrow(/not supported/);
  });

  it("a processingTime query runs until stopped; lastProgress counts the input rows", async () => {
    batch([[1, "10:00"], [2, "10:00"]]);
    const q = await events().writeStream.option("checkpointLocation", L.chk).trigger({ processingTime: "50 milliseconds" }).toTable("pt");
    await q.processAllAvailable();
    expect(q.isActive).toBe(true);
    expect(q.lastProgress!.numInputRows).toBe(2);
    batch([[3, "10:00"]]);
    await q.processAllAvailable();
    expect(q.lastProgress!.numInputRows).toBe(1);
    expect(await q.awaitTermination(20)).toBe(false);
    await q.stop();
    expect(q.isActive).toBe(false);
    expect(q.exception()).toBeNull();
    expect((await rows(L.spark, "pt", "id")).map((r) => r["id"])).toEqual([1, 2, 3]);
  });

  it("a failing batch stops the query with StreamingQueryException", async () => {
    batch([[1, "10:00"]]);
    const q = await events().writeStream.option("checkpointLocation", L.chk).trigger({ availableNow: true })
      .foreachBatch(() => {
        throw new Error("boom");
      }).start();
    await expect(q.awaitTermination()).rejects.toBeInstanceOf(StreamingQueryException);
    expect(q.exception()!.cause.message).toBe("boom");
    expect(q.isActive).toBe(false);
  });
});
