/**
 * Kernel unit tests without DuckDB: log listing (multi-part checkpoints, incomplete sets),
 * protocol checks, and data skipping decisions.
 */
import { describe, expect, it } from "vitest";
import { buildSegment, classifyLog } from "../../../src/lakehouse/kernel/log-segment.js";
import { checkReadable, checkWritable, requiredProtocol } from "../../../src/lakehouse/kernel/table-features.js";
import { fileMayMatch } from "../../../src/lakehouse/kernel/data-skipping.js";
import type { AddFile } from "../../../src/lakehouse/kernel/actions.js";
import type { StructType } from "../../../src/lakehouse/kernel/schema.js";
import { LakehouseError } from "../../../src/lakehouse/errors.js";

const f = (name: string) => ({ path: `/t/_delta_log/${name}`, name, size: 1, mtime: 0 });
const v = (n: number) => String(n).padStart(20, "0");

describe("log segments", () => {
  it("uses the newest complete checkpoint and skips an incomplete multi-part set", () => {
    const listing = classifyLog([
      ...Array.from({ length: 23 }, (_, i) => f(`${v(i)}.json`)),
      f(`${v(10)}.checkpoint.0000000001.0000000002.parquet`),
      f(`${v(10)}.checkpoint.0000000002.0000000002.parquet`),
      // a writer died after part 1 of 3 at version 20
      f(`${v(20)}.checkpoint.0000000001.0000000003.parquet`),
      f(`${v(20)}.crc`),
      f("_last_checkpoint"),
    ]);
    const seg = buildSegment(listing, "/t");
    expect(seg.version).toBe(22);
    expect(seg.checkpoint?.version).toBe(10);
    expect(seg.checkpoint?.files.map((x) => x.name)).toEqual([`${v(10)}.checkpoint.0000000001.0000000002.parquet`, `${v(10)}.checkpoint.0000000002.0000000002.parquet`]);
    expect(seg.commits.map((c) => c.name)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22].map((n) => `${v(n)}.json`));
    expect(buildSegment(listing, "/t", 5).checkpoint).toBeUndefined();
  });

  it("names a missing commit and refuses versions outside the log", () => {
    const listing = classifyLog([f(`${v(0)}.json`), f(`${v(1)}.json`), f(`${v(3)}.json`)]);
    expect(() => buildSegment(listing, "/t")).toThrow(/00000000000000000002\.json is missing/);
    expect(() => buildSegment(listing, "/t", 7)).toThrow(/DELTA_VERSION_NOT_FOUND/);
  });
});

describe("protocol checks", () => {
  it("refuses unknown reader and writer features with the feature named", () => {
    const err = (() => {
      try {
        checkReadable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors", "variantType"], writerFeatures: ["deletionVectors", "variantType"] }, "t");
      } catch (e) {
        return e as LakehouseError;
      }
    })();
    expect(err?.code).toBe("DELTA_UNSUPPORTED_FEATURES_FOR_READ");
    expect(err?.message).toContain("variantType");
    expect(() => checkReadable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["columnMapping", "deletionVectors", "timestampNtz"], writerFeatures: [] }, "t")).not.toThrow();
    expect(() => checkWritable({ minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ["identityColumns"] }, {}, "t")).toThrow(/identityColumns/);
    expect(() => checkWritable({ minReaderVersion: 2, minWriterVersion: 5 }, { "delta.columnMapping.mode": "name" }, "t")).toThrow(/columnMapping/);
  });

  it("picks the smallest protocol for what the table uses, never downgrading", () => {
    expect(requiredProtocol(undefined, {}, false, false)).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    expect(requiredProtocol(undefined, {}, true, false)).toEqual({ minReaderVersion: 1, minWriterVersion: 3 });
    expect(requiredProtocol({ minReaderVersion: 1, minWriterVersion: 3 }, { "delta.enableChangeDataFeed": "true" }, true, false)).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
    expect(requiredProtocol({ minReaderVersion: 1, minWriterVersion: 4 }, {}, false, false)).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
    const ntz = requiredProtocol(undefined, {}, false, true);
    expect(ntz).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"] });
    expect(ntz.writerFeatures).toContain("timestampNtz");
  });
});

describe("data skipping", () => {
  const schema: StructType = { type: "struct", fields: [
    { name: "id", type: "long", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "region", type: "string", nullable: true, metadata: {} },
  ] };
  const file = (stats: object, region: string | null = "eu"): AddFile => ({ path: "p", partitionValues: { region }, size: 1, modificationTime: 0, dataChange: true, stats: JSON.stringify(stats) });
  const a = file({ numRecords: 10, minValues: { id: 10, ts: "2024-01-01T00:00:00.000Z" }, maxValues: { id: 20, ts: "2024-01-01T00:00:00.123Z" }, nullCount: { id: 0, ts: 2 } });

  it("prunes by min/max, IN, BETWEEN and IS NULL, and never on unknown columns", () => {
    const m = (p: Parameters<typeof fileMayMatch>[1]) => fileMayMatch(a, p, schema, ["region"]);
    expect(m({ op: "=", column: "id", value: 15 })).toBe(true);
    expect(m({ op: "=", column: "id", value: 25 })).toBe(false);
    expect(m({ op: "<", column: "id", value: 10 })).toBe(false);
    expect(m({ op: "<=", column: "id", value: 10 })).toBe(true);
    expect(m({ op: ">", column: "id", value: 20 })).toBe(false);
    expect(m({ op: "in", column: "id", values: [1, 2, 30] })).toBe(false);
    expect(m({ op: "in", column: "id", values: [1, 12] })).toBe(true);
    expect(m({ op: "between", column: "id", low: 21, high: 40 })).toBe(false);
    expect(m({ op: "isNull", column: "id" })).toBe(false);
    expect(m({ op: "isNull", column: "ts" })).toBe(true);
    expect(m({ op: "=", column: "nope", value: 1 })).toBe(true);
    expect(m({ op: "or", args: [{ op: "=", column: "id", value: 25 }, { op: "=", column: "id", value: 11 }] })).toBe(true);
  });

  it("widens a millisecond-truncated timestamp max by 1 ms", () => {
    expect(fileMayMatch(a, { op: "=", column: "ts", value: "2024-01-01T00:00:00.123456Z" }, schema, ["region"])).toBe(true);
    expect(fileMayMatch(a, { op: ">", column: "ts", value: "2024-01-01T00:00:00.125Z" }, schema, ["region"])).toBe(false);
  });

  it("uses exact partition values, including null partitions", () => {
    expect(fileMayMatch(a, { op: "=", column: "region", value: "us" }, schema, ["region"])).toBe(false);
    expect(fileMayMatch(file({}, null), { op: "isNull", column: "region" }, schema, ["region"])).toBe(true);
    expect(fileMayMatch(file({}, null), { op: "=", column: "region", value: "eu" }, schema, ["region"])).toBe(false);
  });
});
