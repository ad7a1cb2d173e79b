import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb } from "../../../src/lakehouse/engine/duckdb.js";
import { loadSnapshot } from "../../../src/lakehouse/kernel/snapshot.js";
import type { OpContext } from "../../../src/lakehouse/operations/context.js";
import { describeDetail, protocolFeatures, tableSummary } from "../../../src/lakehouse/operations/detail.js";
import { executeWrite } from "../../../src/lakehouse/operations/write.js";
import { CONFORMANCE, copyTableTo as copyTable, openOpContext } from "../../helpers.js";

const TABLES = [
  "basic-with-inserts-deletes-checkpoint", "cdf-table", "data-reader-partition-values", "delta-0.8.0",
  "delta-0.8.0-partitioned", "parquet-all-types", "simple_table", "simple_table_with_checkpoint",
  "table-with-columnmapping-mode-id", "table-with-dv-small", "time-travel-schema-changes-b",
];

interface ExpectedSummary {
  latestVersion: number;
  numActiveFiles: number;
  rowCount: number;
  partitionColumns: string[];
  protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[] | null; writerFeatures: string[] | null };
  configuration: Record<string, string>;
  metadataId: string;
  createdTime: number;
  schema: { name: string; type: unknown; nullable: boolean; physicalName?: string }[];
}

function expected(table: string): ExpectedSummary {
  return (JSON.parse(fs.readFileSync(join(CONFORMANCE, table, "EXPECTED.json"), "utf8")) as { summary: ExpectedSummary }).summary;
}

/** A writable copy of a read-only conformance table. */

let db: DuckDb;
let tmp: string;
let ctx: OpContext;

beforeEach(async () => {
  ({ db, tmp, ctx } = await openOpContext());
});

afterEach(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("tableSummary", () => {
  for (const table of TABLES) {
    it(`matches EXPECTED.json for ${table}`, async () => {
      const exp = expected(table);
      const snap = await loadSnapshot(ctx.engine, join(CONFORMANCE, table));
      const s = await tableSummary(ctx, snap);
      expect(s.version).toBe(exp.latestVersion);
      expect(s.numFiles).toBe(exp.numActiveFiles);
      expect(s.numRecords).toBe(exp.rowCount);
      expect(s.partitionColumns).toEqual(exp.partitionColumns);
      expect(s.minReaderVersion).toBe(exp.protocol.minReaderVersion);
      expect(s.minWriterVersion).toBe(exp.protocol.minWriterVersion);
      if (table === "table-with-columnmapping-mode-id") {
        expect(s.schema.map((c) => c.name)).toEqual(exp.schema.map((c) => c.name));
      } else {
        expect(s.schema).toEqual(exp.schema.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })));
      }
    });
  }

  it("uses Delta type names, nested types as their JSON type", async () => {
    const s = await tableSummary(ctx, await loadSnapshot(ctx.engine, join(CONFORMANCE, "parquet-all-types")));
    const byName = new Map(s.schema.map((c) => [c.name, c.type]));
    expect(byName.get("LongType")).toBe("long");
    expect(byName.get("IntegerType")).toBe("integer");
    expect(byName.get("decimal")).toBe("decimal(10,2)");
    expect(byName.get("TimestampNTZType")).toBe("timestamp_ntz");
    expect(byName.get("array_of_prims")).toEqual({ type: "array", elementType: "integer", containsNull: true });
  });

  it("subtracts deletion-vector rows also when a file has no stats (rows are then counted by reading)", async () => {
    const root = copyTable("table-with-dv-small", join(tmp, "dv"));
    const log = join(root, "_delta_log");
    for (const f of fs.readdirSync(log).filter((x) => x.endsWith(".json"))) {
      const lines = fs.readFileSync(join(log, f), "utf8").split("\n").filter(Boolean).map((l) => {
        const a = JSON.parse(l) as { add?: { stats?: string } };
        if (a.add) delete a.add.stats;
        return JSON.stringify(a);
      });
      fs.writeFileSync(join(log, f), lines.join("\n") + "\n");
    }
    const snap = await loadSnapshot(ctx.engine, root);
    expect(snap.files[0]!.stats).toBeUndefined();
    expect((await tableSummary(ctx, snap)).numRecords).toBe(8);
  });

  it("counts rows from stats of a table this lab writes", async () => {
    const root = join(tmp, "t");
    const r = await executeWrite(ctx, { root, name: "t" }, { sourceSql: "SELECT range AS id, CAST(range AS DECIMAL(10,2)) AS amount, range % 3 AS p FROM range(12)", mode: "append", partitionBy: ["p"] });
    const s = await tableSummary(ctx, r.commit!.snapshot);
    expect(s).toMatchObject({ version: 0, numFiles: 3, numRecords: 12, partitionColumns: ["p"], minReaderVersion: 1, minWriterVersion: 2 });
    expect(s.schema).toEqual([
      { name: "id", type: "long", nullable: true },
      { name: "amount", type: "decimal(10,2)", nullable: true },
      { name: "p", type: "long", nullable: true },
    ]);
  });
});

describe("describeDetail", () => {
  it("describes simple_table like DESCRIBE DETAIL", async () => {
    const root = join(CONFORMANCE, "simple_table");
    const exp = expected("simple_table");
    const snap = await loadSnapshot(ctx.engine, root);
    const d = await describeDetail(ctx, { root, name: "simple_table", snapshot: snap }, "spark_catalog.default.simple_table");
    expect(d).toMatchObject({
      format: "delta",
      id: exp.metadataId,
      name: "spark_catalog.default.simple_table",
      description: null,
      location: root,
      partitionColumns: [],
      clusteringColumns: [],
      numFiles: exp.numActiveFiles,
      properties: {},
      minReaderVersion: 1,
      minWriterVersion: 2,
      tableFeatures: ["appendOnly", "invariants"],
      statistics: {},
    });
    expect(d.createdAt!.getTime()).toBe(exp.createdTime);
    expect(d.lastModified.getTime()).toBe(1587968626537);
    expect(d.sizeInBytes).toBe(snap.files.reduce((s, f) => s + f.size, 0));
    expect(d.sizeInBytes).toBeGreaterThan(0);
  });

  it("loads the snapshot itself and lists features of legacy and table-features protocols", async () => {
    const cdf = await describeDetail(ctx, { root: join(CONFORMANCE, "cdf-table"), name: "cdf" }, "cdf");
    expect(cdf.tableFeatures).toEqual(["appendOnly", "changeDataFeed", "checkConstraints", "generatedColumns", "invariants"]);
    expect(cdf.partitionColumns).toEqual(["birthday"]);
    expect(cdf.properties).toEqual({ "delta.enableChangeDataFeed": "true" });
    expect(cdf.numFiles).toBe(9);
    const dv = await describeDetail(ctx, { root: join(CONFORMANCE, "table-with-dv-small"), name: "dv" }, "dv");
    expect(dv.tableFeatures).toEqual(["deletionVectors"]);
    expect([dv.minReaderVersion, dv.minWriterVersion]).toEqual([3, 7]);
    const cm = await describeDetail(ctx, { root: join(CONFORMANCE, "table-with-columnmapping-mode-id"), name: "cm" }, "cm");
    expect(cm.tableFeatures).toContain("columnMapping");
    expect(protocolFeatures({ minReaderVersion: 1, minWriterVersion: 1 })).toEqual([]);
  });

  it("fails clearly when there is no table", async () => {
    await expect(describeDetail(ctx, { root: join(tmp, "none"), name: "none" }, "none")).rejects.toMatchObject({ code: "DELTA_TABLE_NOT_FOUND" });
  });
});
