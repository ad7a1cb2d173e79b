/**
 * The c360 CLI, run as a learner runs it: a real process, real output, real exit codes.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE, removeDir, tempDir } from "../helpers.js";

const exec = promisify(execFile);
const cli = join(import.meta.dirname, "../../src/cli/c360.ts");
let dir: string;

async function c360(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, ["--import", "tsx", cli, "--warehouse", join(dir, "wh"), ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

describe("c360 CLI", () => {
  it("runs SQL scripts and prints JSON rows with exact 64-bit integers", async () => {
    const create = await c360("sql", "CREATE TABLE main.default.t (id BIGINT, name STRING); INSERT INTO main.default.t VALUES (9007199254740993, 'x')");
    expect(create.code).toBe(0);
    const r = await c360("sql", "SELECT id, name FROM main.default.t", "--format", "json");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"id": 9007199254740993');
    expect(JSON.parse(r.stdout.replace(/9007199254740993/, '"9007199254740993"'))).toEqual([{ id: "9007199254740993", name: "x" }]);
    const csv = await c360("sql", "SELECT 'a,b' AS s, 1 AS n", "--format", "csv");
    expect(csv.stdout.trim()).toBe('s,n\n"a,b",1');
  }, 60_000);

  it("describes a table with live row counts (deletion vectors subtracted)", async () => {
    const r = await c360("delta", "describe", join(CONFORMANCE, "table-with-dv-small"), "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ version: 1, numFiles: 1, numRecords: 8, partitionColumns: [], schema: [{ name: "value", type: "integer", nullable: true }], minReaderVersion: 3, minWriterVersion: 7 });
  }, 60_000);

  it("prints history as JSON and refuses a too-short VACUUM retention with one line", async () => {
    const h = await c360("delta", "history", "main.default.t", "--json");
    expect(JSON.parse(h.stdout).map((x: { operation: string }) => x.operation)).toEqual(["WRITE", "CREATE TABLE"]);
    const v = await c360("delta", "vacuum", "main.default.t", "--retain-hours", "0");
    expect(v.code).not.toBe(0);
    expect(v.stderr.trim().split("\n")).toHaveLength(1);
    expect(v.stderr).toContain("DELTA_VACUUM_RETENTION_PERIOD_TOO_SHORT");
    const dry = await c360("delta", "vacuum", "main.default.t", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Found 0 files");
  }, 60_000);

  it("fails with a one-line error and a non-zero exit code", async () => {
    const r = await c360("sql", "SELECT * FROM main.default.missing");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/TABLE_OR_VIEW_NOT_FOUND/);
    const help = await c360("delta", "--help");
    expect(help.stdout).toContain("describe");
  }, 60_000);
});
