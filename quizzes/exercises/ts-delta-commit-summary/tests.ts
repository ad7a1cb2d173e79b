import { test } from "./harness.js";
import assert from "node:assert/strict";
import { summarizeCommit } from "./submission.js";

const lines = (...xs: object[]) => xs.map((x) => JSON.stringify(x)).join("\n") + "\n";
const add = (path: string, size: number, numRecords?: number, dataChange = true) => ({
  add: { path, partitionValues: {}, size, modificationTime: 1717236000000, dataChange, ...(numRecords === undefined ? {} : { stats: JSON.stringify({ numRecords, minValues: {}, maxValues: {}, nullCount: {} }) }) },
});
const remove = (path: string, size?: number, dataChange = true) => ({ remove: { path, deletionTimestamp: 1717236000000, dataChange, ...(size === undefined ? {} : { size }) } });
const info = (operation: string) => ({ commitInfo: { timestamp: 1717236000000, operation, operationParameters: {} } });

test("an append", () => {
  const s = summarizeCommit(lines(info("WRITE"), add("a.parquet", 1000, 3), add("b.parquet", 500, 2)));
  assert.deepEqual(s, { operation: "WRITE", filesAdded: 2, filesRemoved: 0, bytesAdded: 1500, bytesRemoved: 0, rowsAdded: 5, dataChange: true, metadataChanged: false, txn: null });
});

test("a MERGE that rewrites files", () => {
  const s = summarizeCommit(lines(info("MERGE"), remove("old1.parquet", 900), remove("old2.parquet"), add("new.parquet", 1200, 7)));
  assert.equal(s.operation, "MERGE");
  assert.equal(s.filesRemoved, 2);
  assert.equal(s.bytesRemoved, 900);
  assert.equal(s.filesAdded, 1);
  assert.equal(s.rowsAdded, 7);
});

test("OPTIMIZE does not change data", () => {
  const s = summarizeCommit(lines(info("OPTIMIZE"), remove("s1.parquet", 10, false), remove("s2.parquet", 20, false), add("big.parquet", 30, 5, false)));
  assert.equal(s.dataChange, false);
  assert.equal(s.bytesAdded, 30);
});

test("a missing stats field makes rowsAdded null", () => {
  assert.equal(summarizeCommit(lines(add("a.parquet", 1, 4), add("b.parquet", 1))).rowsAdded, null);
  assert.equal(summarizeCommit(lines(add("b.parquet", 1), add("a.parquet", 1, 4))).rowsAdded, null);
});

test("table creation carries protocol and metaData", () => {
  const s = summarizeCommit(lines(
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    { metaData: { id: "x", format: { provider: "parquet", options: {} }, schemaString: "{}", partitionColumns: [], configuration: {} } },
    info("CREATE TABLE"),
  ));
  assert.equal(s.metadataChanged, true);
  assert.equal(s.operation, "CREATE TABLE");
  assert.equal(s.rowsAdded, 0);
});

test("an idempotent write records its txn", () => {
  const s = summarizeCommit(lines({ txn: { appId: "orders_silver", version: 42, lastUpdated: 1717236000000 } }, add("a.parquet", 10, 1)));
  assert.deepEqual(s.txn, { appId: "orders_silver", version: 42 });
  assert.equal(s.operation, null);
});

test("blank lines are ignored and a bad line is reported with its number", () => {
  const text = lines(add("a.parquet", 1, 1)) + "\n   \n" + "{not json}\n";
  assert.throws(() => summarizeCommit(text), /line 4/);
  assert.equal(summarizeCommit("\n" + lines(add("a.parquet", 1, 1)) + "\n").filesAdded, 1);
});
