/**
 * The notebook helpers outside Jupyter: what each one publishes (MIME bundles and metadata),
 * captured with setDisplay. The notebooks themselves run in notebooks.test.ts.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SparkSession } from "../../src/lakehouse/sql/session.js";
import {
  chart, check, concurrentWrites, expectError, explainScan, grade, raceWrites, readCommit, sandbox, sandboxPath, scanReport,
  setDisplay, showHistory, showLog, showTable, tablePath, VEGALITE_MIME, type MimeBundle,
} from "../../src/notebook/index.js";

const NAME = "test-notebook-helpers";
let spark: SparkSession;
let outputs: { bundle: MimeBundle; metadata: Record<string, unknown> }[] = [];

beforeAll(async () => {
  setDisplay((bundle, metadata) => outputs.push({ bundle, metadata }));
  spark = await sandbox(NAME);
  await spark.sql("CREATE CATALOG IF NOT EXISTS c360");
  await spark.sql("CREATE SCHEMA IF NOT EXISTS c360.test");
  await spark.sql("CREATE TABLE c360.test.t (id BIGINT, country STRING, points INT)");
  await spark.sql("INSERT INTO c360.test.t VALUES (1, 'FR', 10), (2, 'DE', 20)");
  await spark.sql("INSERT INTO c360.test.t VALUES (3, 'FR', 30), (4, 'ES', 40)");
});

afterAll(() => {
  setDisplay(undefined);
  spark?.stop();
  rmSync(sandboxPath(NAME), { recursive: true, force: true });
});

function take(): { bundle: MimeBundle; metadata: Record<string, unknown> }[] {
  const o = outputs;
  outputs = [];
  return o;
}

describe("notebook helpers", () => {
  it("showTable: HTML with column types and row count, plus a text table", async () => {
    await showTable(spark.sql("SELECT * FROM c360.test.t ORDER BY id"), { limit: 3, title: "t" });
    const [out] = take();
    const html = String(out!.bundle["text/html"]);
    expect(html).toContain("bigint");
    expect(html).toContain("4 rows × 3 columns (showing the first 3)");
    expect(String(out!.bundle["text/plain"])).toMatch(/\|\s*id\|country\|points\|/);
  });

  it("showTable accepts plain rows with bigint and Date values", async () => {
    await showTable([{ n: 5n, at: new Date("2024-01-02T03:04:05Z"), s: null }]);
    const text = String(take()[0]!.bundle["text/plain"]);
    expect(text).toContain("2024-01-02 03:04:05");
    expect(text).toContain("NULL");
  });

  it("chart: Vega-Lite spec, an SVG rendering and an <img> for static HTML", async () => {
    await chart({ title: "points", data: { values: [{ c: "FR", p: 10n }, { c: "DE", p: 20n }] }, mark: "bar", encoding: { x: { field: "c", type: "nominal" }, y: { field: "p", type: "quantitative" } } });
    const { bundle } = take()[0]!;
    expect((bundle[VEGALITE_MIME] as { data: { values: { p: unknown }[] } }).data.values[0]!.p).toBe(10);
    expect(String(bundle["image/svg+xml"])).toMatch(/^<svg/);
    expect(String(bundle["text/html"])).toContain("data:image/svg+xml;base64,");
    expect(bundle["text/plain"]).toBe("[chart] points (2 data points)");
  });

  it("explainScan / scanReport: files scanned vs total from the log's statistics", async () => {
    const r = await scanReport(spark, "SELECT * FROM c360.test.t WHERE id >= 3");
    expect(r.scans[0]).toMatchObject({ table: "c360.test.t", filesScanned: 1, filesTotal: 2, filesSkipped: 1 });
    expect(r.rows).toBe(2);
    await explainScan(spark, "SELECT * FROM c360.test.t WHERE id >= 3");
    expect(String(take()[0]!.bundle["text/plain"])).toContain("1 of 2 files scanned");
  });

  it("showHistory and showLog read the commits", async () => {
    await showHistory(spark, "c360.test.t");
    expect(String(take()[0]!.bundle["text/plain"])).toContain("WRITE");
    const dir = await tablePath(spark, "c360.test.t");
    expect((await readCommit(dir, 0)).map((a) => Object.keys(a)[0])).toEqual(["commitInfo", "protocol", "metaData"]);
    await showLog(dir, 1);
    const text = String(take()[0]!.bundle["text/plain"]);
    expect(text).toContain("1 commitInfo, 1 add");
    expect(text).toContain("2 records");
  });

  it("expectError: shows the error class; an unexpected success or another error is recorded as a failure", async () => {
    // spark.sql(SELECT …) is lazy, as on Databricks: the error comes with the action.
    const missing = async () => (await spark.sql("SELECT * FROM c360.test.missing")).collect();
    await expectError(missing, "TABLE_OR_VIEW_NOT_FOUND");
    let out = take();
    expect(String(out[0]!.bundle["text/plain"])).toContain("TABLE_OR_VIEW_NOT_FOUND");
    expect(out[0]!.metadata["c360-check"]).toBeUndefined();
    await expectError(() => spark.sql("SELECT 1"), "TABLE_OR_VIEW_NOT_FOUND");
    out = take();
    expect(out[0]!.metadata["c360-check"]).toMatchObject({ passed: false });
    await expectError(missing, "DELTA_CONCURRENT_APPEND");
    out = take();
    expect(out[0]!.metadata["c360-check"]).toMatchObject({ passed: false });
  });

  it("concurrentWrites: blind appends both commit, overlapping updates conflict", async () => {
    const appends = await raceWrites(spark, "INSERT INTO c360.test.t VALUES (5, 'IT', 0)", "INSERT INTO c360.test.t VALUES (6, 'NL', 0)");
    expect(appends.first).toMatchObject({ ok: true });
    expect(appends.first.ok && appends.first.version).toBe(appends.second.version + 1);
    const updates = await raceWrites(spark, "UPDATE c360.test.t SET points = points + 1 WHERE country = 'FR'", "UPDATE c360.test.t SET points = points + 2 WHERE country = 'DE'");
    expect(updates.first.ok).toBe(false);
    expect(!updates.first.ok && updates.first.error.code).toMatch(/^DELTA_CONCURRENT_/);
    await concurrentWrites(spark, "INSERT INTO c360.test.t VALUES (7, 'PT', 0)", "INSERT INTO c360.test.t VALUES (8, 'PL', 0)");
    expect(String(take()[0]!.bundle["text/plain"])).toContain("No conflict");
  });

  it("check: a wrong answer fails with hints, and the verdict is recorded in the output metadata", async () => {
    const r = await grade("01.1-time-travel", spark, [{ loyalty_tier: "gold" }]);
    expect(r.passed).toBe(false);
    expect(r.message).toContain("count column");
    await check("01.1-time-travel", spark, []);
    const [out] = take();
    expect(out!.metadata["c360-check"]).toEqual({ id: "01.1-time-travel", passed: false });
    expect(String(out!.bundle["text/plain"])).toContain("hint:");
    await expect(check("no-such-exercise", spark)).rejects.toThrow(/unknown exercise/);
  });
});
