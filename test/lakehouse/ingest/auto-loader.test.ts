/**
 * Auto Loader on the local engine: exactly-once file ingestion across restarts and crashes,
 * schema inference and evolution in every mode, rescued data, rate limits.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import { StreamingQueryException, streamingTestHooks, type StreamingQuery } from "../../../src/lakehouse/streaming/index.js";
import { jsonl, lab, land, rows, type Lab } from "../streaming/helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => {
  delete streamingTestHooks.afterOffsets;
  delete streamingTestHooks.afterSink;
  L.close();
});

async function ingest(readerOpts: Record<string, string> = {}, writerOpts: Record<string, string> = {}, table = "bronze"): Promise<StreamingQuery> {
  const q = await L.spark.readStream.format("cloudFiles")
    .options({ "cloudFiles.format": "json", "cloudFiles.schemaLocation": L.chk, ...readerOpts })
    .load(L.landing)
    .writeStream.options({ checkpointLocation: L.chk, ...writerOpts })
    .trigger({ availableNow: true })
    .toTable(table);
  await q.awaitTermination();
  return q;
}

async function failure(p: Promise<unknown>): Promise<StreamingQueryException> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StreamingQueryException);
    return e as StreamingQueryException;
  }
  throw new Error("expected the stream to fail");
}

const ids = async (table = "bronze") => (await rows(L.spark, table, "id")).map((r) => Number(r["id"])).sort((a, b) => a - b);
/** The numbered entries of a checkpoint directory (hidden temp dirs left out). */
const entries = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith(".")).sort();

describe("Auto Loader: exactly-once ingestion", () => {
  it("ingests each file once across restarts, with Spark's checkpoint layout", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }, { id: 2, name: "b" }]));
    land(join(L.landing, "b.json"), jsonl([{ id: 3, name: "c" }]));
    const q1 = await ingest();
    expect(q1.isActive).toBe(false);
    expect(await ids()).toEqual([1, 2, 3]);
    expect(q1.lastProgress!.numInputRows).toBe(3);

    land(join(L.landing, "c.json"), jsonl([{ id: 4, name: "d" }]));
    land(join(L.landing, "sub", "d.json"), jsonl([{ id: 5, name: "e" }, { id: 6, name: "f" }]));
    land(join(L.landing, "_ignored.json"), jsonl([{ id: 99, name: "hidden" }]));
    const q2 = await ingest();
    expect(q2.id).toBe(q1.id);
    expect(q2.runId).not.toBe(q1.runId);
    expect(q2.recentProgress.map((p) => p.batchId)).toEqual([1]);
    expect(q2.lastProgress!.numInputRows).toBe(3);
    expect(q2.lastProgress!.sources[0]!.startOffset).toEqual({ logOffset: 0 });
    expect(q2.lastProgress!.sources[0]!.endOffset).toEqual({ logOffset: 1 });
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6]);

    const q3 = await ingest();
    expect(q3.recentProgress).toEqual([]);
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6]);

    // Spark's layout: metadata, offsets/N before the batch, commits/N after it, the file log under sources/0.
    expect(JSON.parse(readFileSync(join(L.chk, "metadata"), "utf8")).id).toBe(q1.id);
    expect(entries(join(L.chk, "offsets"))).toEqual(["0", "1"]);
    expect(entries(join(L.chk, "commits"))).toEqual(["0", "1"]);
    const offsets1 = readFileSync(join(L.chk, "offsets", "1"), "utf8").trim().split("\n");
    expect(offsets1[0]).toBe("v1");
    expect(JSON.parse(offsets1[1]!)).toMatchObject({ batchWatermarkMs: 0 });
    expect(JSON.parse(offsets1[2]!)).toEqual({ logOffset: 1 });
    const log1 = readFileSync(join(L.chk, "sources", "0", "1"), "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l).path as string);
    expect(log1.map((p) => p.slice(L.landing.length + 1)).sort()).toEqual(["c.json", "sub/d.json"]);
    // The inferred schema is stored once, as version 0.
    expect(entries(join(L.chk, "_schemas"))).toContain("0");
    const history = await (await L.spark.sql("DESCRIBE HISTORY bronze")).collect();
    expect(history).toHaveLength(2);
  });

  it("maxFilesPerTrigger splits the backlog into batches", async () => {
    for (let i = 0; i < 5; i++) land(join(L.landing, `f${i}.json`), jsonl([{ id: i, name: `n${i}` }, { id: i + 10, name: `m${i}` }]));
    const q = await ingest({ "cloudFiles.maxFilesPerTrigger": "2" });
    const p = q.recentProgress;
    expect(p.map((x) => x.batchId)).toEqual([0, 1, 2]);
    expect(p.map((x) => x.numInputRows)).toEqual([4, 4, 2]);
    expect(p.map((x) => x.sources[0]!.metrics["numFilesOutstanding"])).toEqual(["3", "1", "0"]);
    expect(p.map((x) => x.sink.numOutputRows)).toEqual([4, 4, 2]);
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
  });

  it("re-runs a batch that failed after its offsets were written, without losing or duplicating rows", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b" }]));
    streamingTestHooks.afterOffsets = (batchId) => {
      if (batchId === 1) throw new Error("simulated crash after offsets/1");
    };
    const e = await failure(ingest({ "cloudFiles.maxFilesPerTrigger": "1" }));
    expect(e.cause.message).toContain("simulated crash");
    expect(existsSync(join(L.chk, "offsets", "1"))).toBe(true);
    expect(existsSync(join(L.chk, "commits", "1"))).toBe(false);
    expect(await ids()).toEqual([1]);
    delete streamingTestHooks.afterOffsets;

    land(join(L.landing, "c.json"), jsonl([{ id: 3, name: "c" }]));
    const q = await ingest({ "cloudFiles.maxFilesPerTrigger": "1" });
    // Batch 1 is re-run with the same offsets (only b.json), then c.json comes as batch 2.
    expect(q.recentProgress.map((p) => [p.batchId, p.numInputRows])).toEqual([[1, 1], [2, 1]]);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it("does not duplicate a batch whose Delta commit happened before the crash (txn appId/version)", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b" }, { id: 3, name: "c" }]));
    streamingTestHooks.afterSink = (batchId) => {
      if (batchId === 1) throw new Error("simulated crash between the sink commit and commits/1");
    };
    await failure(ingest({ "cloudFiles.maxFilesPerTrigger": "1" }));
    expect(await ids()).toEqual([1, 2, 3]);
    expect(existsSync(join(L.chk, "commits", "1"))).toBe(false);
    delete streamingTestHooks.afterSink;

    const q = await ingest({ "cloudFiles.maxFilesPerTrigger": "1" });
    expect(q.recentProgress.map((p) => p.batchId)).toEqual([1]);
    expect(await ids()).toEqual([1, 2, 3]);
    const history = await (await L.spark.sql("DESCRIBE HISTORY bronze")).collect();
    expect(history).toHaveLength(2);
    expect(existsSync(join(L.chk, "commits", "1"))).toBe(true);
  });

  it("survives a killed process between offsets/N and commits/N", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b" }]));
    land(join(L.landing, "c.json"), jsonl([{ id: 3, name: "c" }]));
    const worker = join(import.meta.dirname, "../streaming/fixtures/autoloader-worker.ts");
    const run = (fault: string) => new Promise<number>((res, rej) => {
      const child = spawn(process.execPath, ["--import", "tsx", worker, L.spark.warehouse, L.landing, L.chk, "main.default.bronze", "1"], {
        stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, C360_STREAMING_FAULT: fault },
      });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("error", rej);
      child.on("exit", (code) => (code === 86 || code === 0 ? res(code) : rej(new Error(`worker exited ${code}: ${err}`))));
    });
    // Dies after the Delta commit of batch 1, before commits/1.
    expect(await run("exitAfterSink:1")).toBe(86);
    expect(existsSync(join(L.chk, "offsets", "1"))).toBe(true);
    expect(existsSync(join(L.chk, "commits", "1"))).toBe(false);
    // Dies again, right after writing offsets/2 (nothing of batch 2 written yet).
    expect(await run("exitAfterOffsets:2")).toBe(86);
    expect(await ids()).toEqual([1, 2]);
    // A clean restart finishes the job: every row exactly once.
    const q = await ingest({ "cloudFiles.maxFilesPerTrigger": "1" });
    expect(q.recentProgress.map((p) => p.batchId)).toEqual([2]);
    expect(await ids()).toEqual([1, 2, 3]);
  }, 120_000);
});

describe("Auto Loader: file discovery options", () => {
  it("includeExistingFiles=false skips what was there at the first start; pathGlobFilter filters names", async () => {
    land(join(L.landing, "old.json"), jsonl([{ id: 1, name: "old" }]));
    await ingest({ "cloudFiles.includeExistingFiles": "false", pathGlobFilter: "*.json" });
    land(join(L.landing, "new.json"), jsonl([{ id: 2, name: "new" }]));
    land(join(L.landing, "new.txt"), jsonl([{ id: 3, name: "not json" }]));
    await ingest({ "cloudFiles.includeExistingFiles": "false", pathGlobFilter: "*.json" });
    expect(await ids()).toEqual([2]);
  });

  it("a plain file source needs a schema", () => {
    expect(() => L.spark.readStream.format("json").load(L.landing)).toThrow(/Schema must be specified/);
  });
});

describe("Auto Loader: schema inference and evolution", () => {
  it("infers strings by default and keeps the rescued data column", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a", score: 1.5, ok: true }]));
    await ingest();
    const dtypes = await L.spark.table("bronze").dtypes();
    expect(dtypes).toEqual([["id", "string"], ["name", "string"], ["ok", "string"], ["score", "string"], ["_rescued_data", "string"]]);
    const schema0 = readFileSync(join(L.chk, "_schemas", "0"), "utf8").trim().split("\n");
    expect(schema0[0]).toBe("v1");
    expect(JSON.parse(JSON.parse(schema0[1]!).dataSchemaJson).fields.map((f: { name: string }) => f.name)).toEqual(["id", "name", "ok", "score"]);
  });

  it("infers column types with cloudFiles.inferColumnTypes and applies schema hints", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, score: 1.5, ok: true, addr: { city: "Paris", zip: 75001 }, tags: ["x"], code: 7 }]));
    await ingest({ "cloudFiles.inferColumnTypes": "true", "cloudFiles.schemaHints": "code STRING, extra DATE" });
    const dtypes = Object.fromEntries(await L.spark.table("bronze").dtypes());
    expect(dtypes).toMatchObject({ id: "bigint", score: "double", ok: "boolean", addr: "struct<city:string,zip:bigint>", tags: "array<string>", code: "string", extra: "date", _rescued_data: "string" });
    const [r] = await rows(L.spark, "bronze", "id");
    expect(r).toMatchObject({ id: 1, score: 1.5, ok: true, addr: { city: "Paris", zip: 75001n }, tags: ["x"], code: "7", extra: null, _rescued_data: null });
  });

  it("addNewColumns: fails on a new column after evolving the schema, and a restart picks it up", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    await ingest();
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b", city: "Oslo" }]));
    const e = await failure(ingest());
    expect(e.causeCode).toBe("UNKNOWN_FIELD_EXCEPTION.NEW_FIELDS_IN_RECORD_WITH_FILE_PATH");
    expect(e.cause.message).toContain("city");
    expect((e.cause as LakehouseError).params["retryable"]).toBe(true);
    expect(entries(join(L.chk, "_schemas"))).toEqual(["0", "1"]);
    expect(await ids()).toEqual([1]);

    // The restart re-runs the failed batch with the new column; the Delta sink adds it with mergeSchema.
    await ingest({}, { mergeSchema: "true" });
    expect(await rows(L.spark, "bronze", "id")).toEqual([
      { id: "1", name: "a", _rescued_data: null, city: null },
      { id: "2", name: "b", _rescued_data: null, city: "Oslo" },
    ]);
  });

  it("rescue: the schema never changes and unknown fields land in _rescued_data", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    await ingest({ "cloudFiles.schemaEvolutionMode": "rescue" });
    const f = land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b", city: "Oslo", Name: "B" }]));
    await ingest({ "cloudFiles.schemaEvolutionMode": "rescue" });
    const r = await rows(L.spark, "bronze", "id");
    expect(Object.keys(r[1]!)).toEqual(["id", "name", "_rescued_data"]);
    expect(JSON.parse(String(r[1]!["_rescued_data"]))).toEqual({ city: "Oslo", Name: "B", _file_path: f });
    expect(r[0]!["_rescued_data"]).toBeNull();
    expect(entries(join(L.chk, "_schemas"))).toEqual(["0"]);
  });

  it("failOnNewColumns: fails, and keeps failing, without touching the schema", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    await ingest({ "cloudFiles.schemaEvolutionMode": "failOnNewColumns" });
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b", city: "Oslo" }]));
    for (let i = 0; i < 2; i++) {
      const e = await failure(ingest({ "cloudFiles.schemaEvolutionMode": "failOnNewColumns" }));
      expect(e.causeCode).toBe("UNKNOWN_FIELD_EXCEPTION.NEW_FIELDS_IN_RECORD_WITH_FILE_PATH");
      expect((e.cause as LakehouseError).params["retryable"]).toBe(false);
    }
    expect(entries(join(L.chk, "_schemas"))).toEqual(["0"]);
    expect(await ids()).toEqual([1]);
  });

  it("none: new columns are ignored", async () => {
    land(join(L.landing, "a.json"), jsonl([{ id: 1, name: "a" }]));
    await ingest({ "cloudFiles.schemaEvolutionMode": "none" });
    land(join(L.landing, "b.json"), jsonl([{ id: 2, name: "b", city: "Oslo" }]));
    await ingest({ "cloudFiles.schemaEvolutionMode": "none" });
    expect(await rows(L.spark, "bronze", "id")).toEqual([{ id: "1", name: "a" }, { id: "2", name: "b" }]);
  });
});

describe("Auto Loader: rescued data", () => {
  it("keeps malformed JSON lines and type mismatches (schemaHints) in _rescued_data", async () => {
    const f = land(join(L.landing, "a.json"), [
      JSON.stringify({ id: 1, amount: 10.5, name: "ok" }),
      "{\"id\": 2, \"amount\": ",
      JSON.stringify({ id: "three", amount: 3, name: "bad id" }),
      JSON.stringify({ id: 4, amount: "n/a", name: "bad amount", NAME: "case" }),
      "",
      "[1, 2]",
    ].join("\n") + "\n");
    await ingest({ "cloudFiles.schemaHints": "id BIGINT, amount DOUBLE" });
    const r = await L.spark.table("bronze").collect();
    expect(r).toHaveLength(5);
    const rescued = r.map((x) => (x["_rescued_data"] === null ? null : JSON.parse(String(x["_rescued_data"]))));
    expect(r[0]).toMatchObject({ id: 1n, amount: 10.5, name: "ok", _rescued_data: null });
    expect(r[1]).toMatchObject({ id: null, amount: null, name: null });
    expect(rescued[1]).toEqual({ _corrupt_record: "{\"id\": 2, \"amount\": ", _file_path: f });
    expect(r[2]).toMatchObject({ id: null, amount: 3, name: "bad id" });
    expect(rescued[2]).toEqual({ id: "three", _file_path: f });
    expect(r[3]).toMatchObject({ id: 4n, amount: null, name: "bad amount" });
    expect(rescued[3]).toEqual({ amount: "n/a", NAME: "case", _file_path: f });
    expect(rescued[4]).toEqual({ _corrupt_record: "[1, 2]", _file_path: f });
  });

  it("CSV: header, typed hints, mismatches and unparsable rows are rescued", async () => {
    const f = land(join(L.landing, "a.csv"), "id,name,amount\n1,a,10.5\n2,b,abc\n3,\"c,d\",7\n4,e,1,extra\n");
    await ingest({ "cloudFiles.format": "csv", header: "true", "cloudFiles.schemaHints": "id INT, amount DOUBLE" });
    const r = await rows(L.spark, "bronze", "id NULLS LAST");
    const plain = r.map((x) => ({ ...x, _rescued_data: x["_rescued_data"] === null ? null : JSON.parse(String(x["_rescued_data"])) }));
    expect(plain).toEqual([
      { id: 1, name: "a", amount: 10.5, _rescued_data: null },
      { id: 2, name: "b", amount: null, _rescued_data: { amount: "abc", _file_path: f } },
      { id: 3, name: "c,d", amount: 7, _rescued_data: null },
      { id: null, name: null, amount: null, _rescued_data: { _corrupt_record: "4,e,1,extra", _file_path: f } },
    ]);
  });

  it("CSV with inferColumnTypes, and multi-line JSON documents", async () => {
    land(join(L.landing, "a.csv"), "id,price,active,day,note\n1,2.5,true,2024-01-02,x\n2,3,false,2024-01-03,\n");
    await ingest({ "cloudFiles.format": "csv", header: "true", "cloudFiles.inferColumnTypes": "true" });
    expect(await L.spark.table("bronze").dtypes()).toEqual([["id", "int"], ["price", "double"], ["active", "boolean"], ["day", "date"], ["note", "string"], ["_rescued_data", "string"]]);
    const landing2 = join(L.dir, "landing2");
    land(join(landing2, "doc.json"), JSON.stringify([{ id: 1, tags: ["a"] }, { id: 2, tags: [] }], null, 2));
    const q = await L.spark.readStream.format("cloudFiles")
      .options({ "cloudFiles.format": "json", "cloudFiles.schemaLocation": join(L.dir, "chk2"), multiLine: "true" })
      .load(landing2).writeStream.option("checkpointLocation", join(L.dir, "chk2")).trigger({ availableNow: true }).toTable("docs");
    await q.awaitTermination();
    expect(await rows(L.spark, "docs", "id")).toEqual([{ id: "1", tags: "[\"a\"]", _rescued_data: null }, { id: "2", tags: "[]", _rescued_data: null }]);
  });

  it("parquet keeps its types; rescue mode rescues columns that are not in the schema", async () => {
    const p1 = join(L.landing, "p1.parquet");
    const p2 = join(L.landing, "p2.parquet");
    await L.spark.db.run(`COPY (SELECT 1::BIGINT AS id, 'a' AS name, DATE '2024-01-02' AS d) TO '${p1}' (FORMAT parquet)`);
    await ingest({ "cloudFiles.format": "parquet", "cloudFiles.schemaEvolutionMode": "rescue" });
    await L.spark.db.run(`COPY (SELECT 2::BIGINT AS id, 'b' AS name, DATE '2024-01-03' AS d, 9.5::DOUBLE AS extra) TO '${p2}' (FORMAT parquet)`);
    await ingest({ "cloudFiles.format": "parquet", "cloudFiles.schemaEvolutionMode": "rescue" });
    expect(await L.spark.table("bronze").dtypes()).toEqual([["id", "bigint"], ["name", "string"], ["d", "date"], ["_rescued_data", "string"]]);
    const r = await rows(L.spark, "bronze", "id");
    expect(r[0]!["_rescued_data"]).toBeNull();
    expect(JSON.parse(String(r[1]!["_rescued_data"]))).toEqual({ extra: 9.5, _file_path: p2 });
  });

  it("fails clearly when there is nothing to infer a schema from, or no schema location", async () => {
    await expect(ingest()).rejects.toMatchObject({ code: "CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE" });
    expect(() => L.spark.readStream.format("cloudFiles").option("cloudFiles.format", "json").load(L.landing)).toThrow(/cloudFiles.schemaLocation/);
    expect(() => L.spark.readStream.format("cloudFiles").option("cloudFiles.format", "json").option("cloudFiles.schemaLocation", L.chk).option("cloudFiles.maxFilesPerTrigerr", "1").load(L.landing))
      .toThrow(/CF_UNKNOWN_OPTION_KEYS_ERROR/);
    expect(() => L.spark.readStream.format("cloudFiles").option("cloudFiles.format", "avro").option("cloudFiles.schemaLocation", L.chk).load(L.landing)).toThrow(/STREAMING_UNSUPPORTED_FORMAT/);
  });
});
