/**
 * AUTO CDC / APPLY CHANGES: change records land as JSON files (Auto Loader → bronze streaming
 * table), an AUTO CDC flow applies them to a streaming table as SCD type 1 or 2. Out-of-order and
 * late changes must give the same final state as in-order ones.
 */
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import { Pipeline, readFiles, type AutoCdcDef } from "../../../src/lakehouse/pipelines/index.js";
import { streamingTestHooks } from "../../../src/lakehouse/streaming/index.js";
import { drop, lab, ok, query, type Lab } from "./helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

function pipeline(cdc: Omit<AutoCdcDef, "target" | "source">, name = "cdc"): Pipeline {
  return new Pipeline({ name, catalog: "main", schema: "cdc" })
    .streamingTable({ name: "changes", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true, schemaHints: "id BIGINT, seq BIGINT, name STRING, city STRING, op STRING" }) })
    .createStreamingTable({ name: "customers" })
    .createAutoCdcFlow({ target: "customers", source: "changes", ...cdc });
}

const scd1 = { keys: ["id"], sequenceBy: "seq", applyAsDeletes: "op = 'DELETE'", exceptColumns: ["op", "seq", "_rescued_data"], storedAs: "SCD1" as const };
const scd2 = { keys: ["id"], sequenceBy: "seq", applyAsDeletes: "op = 'DELETE'", exceptColumns: ["op", "seq", "_rescued_data"], storedAs: "SCD2" as const };

const current = () => query(L.spark, "SELECT id, name, city FROM main.cdc.customers ORDER BY id");
const history = () => query(L.spark, "SELECT id, name, city, __START_AT AS s, __END_AT AS e FROM main.cdc.customers ORDER BY id, __START_AT");

describe("AUTO CDC, SCD type 1", () => {
  it("upserts the latest change per key, deletes, and ignores late changes older than the target's", async () => {
    drop(L.landing, [
      { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
      { id: 2, name: "Bob", city: "Rome", op: "INSERT", seq: 1 },
      { id: 1, name: "Ada", city: "Lyon", op: "UPDATE", seq: 3 },
      { id: 3, name: "Cy", city: "Oslo", op: "INSERT", seq: 2 },
      { id: 2, name: null, city: null, op: "DELETE", seq: 5 },
      // Out of order inside one batch: the higher sequence wins whatever the position.
      { id: 5, name: "Eve", city: "Kyiv", op: "UPDATE", seq: 2 },
      { id: 5, name: "Eve", city: "Riga", op: "INSERT", seq: 1 },
    ]);
    const p = pipeline(scd1);
    const r1 = await p.run(L.spark);
    want(r1.status).toBe("COMPLETED");
    want(await current()).toEqual([
      { id: 1, name: "Ada", city: "Lyon" },
      { id: 3, name: "Cy", city: "Oslo" },
      { id: 5, name: "Eve", city: "Kyiv" },
    ]);
    const f1 = r1.flows.find((f) => f.kind === "auto_cdc")!;
    want(f1).toMatchObject({ dataset: "main.cdc.customers", status: "COMPLETED", numInputRows: 7 });
    // Target columns: the source minus COLUMNS * EXCEPT.
    want((await (await L.spark.sql("SELECT * FROM main.cdc.customers")).columns()).sort()).toEqual(["city", "id", "name"]);

    // Late arrivals: older than what the target holds → ignored; a delete tombstone blocks resurrection.
    drop(L.landing, [
      { id: 1, name: "Ada", city: "Nice", op: "UPDATE", seq: 2 },
      { id: 2, name: "Bob", city: "Milan", op: "UPDATE", seq: 4 },
      { id: 3, name: null, city: null, op: "DELETE", seq: 4 },
      { id: 4, name: "Dee", city: "Bern", op: "INSERT", seq: 1 },
    ]);
    const r2 = await p.run(L.spark);
    want(r2.status).toBe("COMPLETED");
    want(await current()).toEqual([
      { id: 1, name: "Ada", city: "Lyon" },
      { id: 4, name: "Dee", city: "Bern" },
      { id: 5, name: "Eve", city: "Kyiv" },
    ]);

    // A newer change after a delete re-inserts the key.
    drop(L.landing, [{ id: 2, name: "Bob", city: "Turin", op: "UPDATE", seq: 9 }]);
    await p.run(L.spark);
    want((await current()).find((r) => r["id"] === 2)).toEqual({ id: 2, name: "Bob", city: "Turin" });

    // No new input: nothing changes, no new table version.
    const v = (await L.spark.targetOf({ kind: "name", parts: ["main", "cdc", "customers"] })).snapshot!.version;
    const r4 = await p.run(L.spark);
    want(r4.flows.find((f) => f.kind === "auto_cdc")!.numInputRows).toBe(0);
    want((await L.spark.targetOf({ kind: "name", parts: ["main", "cdc", "customers"] })).snapshot!.version).toBe(v);
  });

  it("gives the same final state whatever the arrival order", async () => {
    const events = [
      { id: 1, name: "A", city: "c1", op: "INSERT", seq: 1 },
      { id: 1, name: "A", city: "c2", op: "UPDATE", seq: 2 },
      { id: 1, name: null, city: null, op: "DELETE", seq: 3 },
      { id: 1, name: "A", city: "c4", op: "INSERT", seq: 4 },
      { id: 2, name: "B", city: "d1", op: "INSERT", seq: 1 },
      { id: 2, name: null, city: null, op: "DELETE", seq: 2 },
    ];
    // Reverse order, one file (one update) per event.
    const p = pipeline(scd1, "reverse");
    for (const e of [...events].reverse()) {
      drop(L.landing, [e]);
      await ok(p.run(L.spark));
    }
    want(await current()).toEqual([{ id: 1, name: "A", city: "c4" }]);
  });

  it("IGNORE NULL UPDATES keeps the current value of NULL columns", async () => {
    drop(L.landing, [{ id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 }]);
    const p = pipeline({ ...scd1, ignoreNullUpdates: true });
    await p.run(L.spark);
    drop(L.landing, [{ id: 1, name: null, city: "Lyon", op: "UPDATE", seq: 2 }]);
    await p.run(L.spark);
    want(await current()).toEqual([{ id: 1, name: "Ada", city: "Lyon" }]);
  });

  it("APPLY AS TRUNCATE WHEN empties the table", async () => {
    drop(L.landing, [{ id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 }, { id: 2, name: "Bob", city: "Rome", op: "INSERT", seq: 2 }]);
    const p = pipeline({ ...scd1, applyAsTruncates: "op = 'TRUNCATE'" });
    await p.run(L.spark);
    drop(L.landing, [{ id: null, name: null, city: null, op: "TRUNCATE", seq: 3 }, { id: 3, name: "Cy", city: "Oslo", op: "INSERT", seq: 4 }]);
    await p.run(L.spark);
    want(await current()).toEqual([{ id: 3, name: "Cy", city: "Oslo" }]);
    // A late change from before the truncate does not come back.
    drop(L.landing, [{ id: 1, name: "Ada", city: "Nice", op: "UPDATE", seq: 2 }]);
    await p.run(L.spark);
    want(await current()).toEqual([{ id: 3, name: "Cy", city: "Oslo" }]);
  });
});

describe("AUTO CDC, SCD type 2", () => {
  it("keeps history with __START_AT/__END_AT, places late changes between versions, closes versions on delete", async () => {
    drop(L.landing, [
      { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
      { id: 1, name: "Ada", city: "Lyon", op: "UPDATE", seq: 5 },
      { id: 2, name: "Bob", city: "Rome", op: "INSERT", seq: 1 },
      { id: 2, name: null, city: null, op: "DELETE", seq: 4 },
    ]);
    const p = pipeline(scd2);
    await ok(p.run(L.spark));
    want(await history()).toEqual([
      { id: 1, name: "Ada", city: "Paris", s: 1, e: 5 },
      { id: 1, name: "Ada", city: "Lyon", s: 5, e: null },
      { id: 2, name: "Bob", city: "Rome", s: 1, e: 4 },
    ]);

    // Late changes: one between two existing versions, one inside a deleted key's history, and a re-insert.
    drop(L.landing, [
      { id: 1, name: "Ada", city: "Nice", op: "UPDATE", seq: 3 },
      { id: 2, name: "Bob", city: "Milan", op: "UPDATE", seq: 2 },
      { id: 2, name: "Bob", city: "Turin", op: "INSERT", seq: 6 },
    ]);
    await ok(p.run(L.spark));
    want(await history()).toEqual([
      { id: 1, name: "Ada", city: "Paris", s: 1, e: 3 },
      { id: 1, name: "Ada", city: "Nice", s: 3, e: 5 },
      { id: 1, name: "Ada", city: "Lyon", s: 5, e: null },
      { id: 2, name: "Bob", city: "Rome", s: 1, e: 2 },
      { id: 2, name: "Bob", city: "Milan", s: 2, e: 4 },
      { id: 2, name: "Bob", city: "Turin", s: 6, e: null },
    ]);

    // A late delete closes the version current at that point; a change with equal values opens no version.
    drop(L.landing, [
      { id: 1, name: null, city: null, op: "DELETE", seq: 4 },
      { id: 2, name: "Bob", city: "Turin", op: "UPDATE", seq: 7 },
      { id: 3, name: "Cy", city: "Oslo", op: "INSERT", seq: 2 },
    ]);
    await ok(p.run(L.spark));
    want(await history()).toEqual([
      { id: 1, name: "Ada", city: "Paris", s: 1, e: 3 },
      { id: 1, name: "Ada", city: "Nice", s: 3, e: 4 },
      { id: 1, name: "Ada", city: "Lyon", s: 5, e: null },
      { id: 2, name: "Bob", city: "Rome", s: 1, e: 2 },
      { id: 2, name: "Bob", city: "Milan", s: 2, e: 4 },
      { id: 2, name: "Bob", city: "Turin", s: 6, e: null },
      { id: 3, name: "Cy", city: "Oslo", s: 2, e: null },
    ]);
    // Current rows: __END_AT IS NULL.
    want(await query(L.spark, "SELECT id, city FROM main.cdc.customers WHERE __END_AT IS NULL ORDER BY id")).toEqual([
      { id: 1, city: "Lyon" }, { id: 2, city: "Turin" }, { id: 3, city: "Oslo" },
    ]);
  });

  it("history is the same for in-order and shuffled arrival", async () => {
    const events = [
      { id: 1, name: "A", city: "c1", op: "INSERT", seq: 1 },
      { id: 1, name: "A", city: "c2", op: "UPDATE", seq: 2 },
      { id: 1, name: "B", city: "c2", op: "UPDATE", seq: 3 },
      { id: 1, name: null, city: null, op: "DELETE", seq: 4 },
      { id: 1, name: "B", city: "c5", op: "INSERT", seq: 5 },
    ];
    const p = pipeline(scd2, "shuffled");
    for (const i of [3, 0, 4, 2, 1]) {
      drop(L.landing, [events[i]!]);
      await ok(p.run(L.spark));
    }
    want(await history()).toEqual([
      { id: 1, name: "A", city: "c1", s: 1, e: 2 },
      { id: 1, name: "A", city: "c2", s: 2, e: 3 },
      { id: 1, name: "B", city: "c2", s: 3, e: 4 },
      { id: 1, name: "B", city: "c5", s: 5, e: null },
    ]);
  });

  it("TRACK HISTORY ON limits which column changes open a new version", async () => {
    drop(L.landing, [
      { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
      { id: 1, name: "Ada L.", city: "Paris", op: "UPDATE", seq: 2 },
      { id: 1, name: "Ada L.", city: "Lyon", op: "UPDATE", seq: 3 },
    ]);
    const p = pipeline({ ...scd2, trackHistoryColumns: ["city"] });
    await p.run(L.spark);
    want(await history()).toEqual([
      { id: 1, name: "Ada L.", city: "Paris", s: 1, e: 3 },
      { id: 1, name: "Ada L.", city: "Lyon", s: 3, e: null },
    ]);
    drop(L.landing, [{ id: 1, name: "Ada Lovelace", city: "Lyon", op: "UPDATE", seq: 4 }]);
    await p.run(L.spark);
    want(await history()).toEqual([
      { id: 1, name: "Ada L.", city: "Paris", s: 1, e: 3 },
      { id: 1, name: "Ada Lovelace", city: "Lyon", s: 3, e: null },
    ]);
  });

  it("re-running a batch after a crash (SCD1 and SCD2) changes nothing", async () => {
    for (const [spec, name] of [[scd1, "crash1"], [scd2, "crash2"]] as const) {
      const L2 = await lab();
      try {
        drop(L2.landing, [
          { id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 },
          { id: 1, name: "Ada", city: "Lyon", op: "UPDATE", seq: 2 },
          { id: 2, name: null, city: null, op: "DELETE", seq: 3 },
        ]);
        const p = new Pipeline({ name, catalog: "main", schema: "cdc" })
          .streamingTable({ name: "changes", query: (ctx) => readFiles(ctx, L2.landing, { format: "json", inferColumnTypes: true, schemaHints: "id BIGINT, seq BIGINT, name STRING, city STRING, op STRING" }) })
          .createStreamingTable({ name: "customers" })
          .createAutoCdcFlow({ target: "customers", source: "changes", ...spec });
        let call = 0;
        // The first batch (bronze) passes; the AUTO CDC batch crashes after its MERGE.
        streamingTestHooks.afterSink = () => {
          if (++call === 2) throw new Error("simulated crash");
        };
        try {
          want((await p.run(L2.spark)).status).toBe("FAILED");
        } finally {
          delete streamingTestHooks.afterSink;
        }
        const before = await query(L2.spark, "SELECT * FROM main.cdc.customers ORDER BY ALL");
        want(before.length).toBeGreaterThan(0);
        await ok(p.run(L2.spark));
        want(await query(L2.spark, "SELECT * FROM main.cdc.customers ORDER BY ALL")).toEqual(before);
      } finally {
        L2.close();
      }
    }
  });

  it("full refresh rebuilds the history from all input", async () => {
    drop(L.landing, [{ id: 1, name: "Ada", city: "Paris", op: "INSERT", seq: 1 }]);
    const p = pipeline(scd2);
    await p.run(L.spark);
    drop(L.landing, [{ id: 1, name: "Ada", city: "Lyon", op: "UPDATE", seq: 2 }]);
    await p.run(L.spark);
    const before = await history();
    const r = await ok(p.run(L.spark, { fullRefresh: true }));
    want(r.flows.find((f) => f.kind === "auto_cdc")!.numInputRows).toBe(2);
    want(await history()).toEqual(before);
  });
});
