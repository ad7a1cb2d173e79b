/**
 * Shared test helpers: temporary directories, the conformance tables, and a row encoder that
 * matches the conformance pack's EXPECTED rows (longs and decimals as strings, binary as hex,
 * timestamps as ISO-8601 with microseconds, maps as [key, value] pairs).
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isArray, isMap, isStruct, type DataType, type StructType } from "../src/lakehouse/kernel/schema.js";
import { DuckDb } from "../src/lakehouse/engine/duckdb.js";
import { DuckDbEngine } from "../src/lakehouse/engine/duckdb-engine.js";
import type { OpContext } from "../src/lakehouse/operations/context.js";

export const CONFORMANCE = process.env["C360_CONFORMANCE"] ?? join(import.meta.dirname, "../../shared/conformance/delta");

export function tempDir(prefix = "c360-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A writable copy of conformance table `name` at `dest`. The originals are read-only in CI and
 * cpSync keeps modes, so write bits are restored on the copy.
 */
export function copyTableTo(name: string, dest: string): string {
  cpSync(join(CONFORMANCE, name), dest, { recursive: true });
  const walk = (p: string) => {
    const dir = statSync(p).isDirectory();
    chmodSync(p, dir ? 0o755 : 0o644);
    if (dir) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(dest);
  return dest;
}

/** A writable copy of a conformance table inside `into`. */
export function copyTable(name: string, into: string): string {
  return copyTableTo(name, join(into, name));
}

export function expected(name: string): any {
  return JSON.parse(readFileSync(join(CONFORMANCE, name, "EXPECTED.json"), "utf8"));
}

export function expectedRows(name: string, version: number): Record<string, unknown>[] {
  return JSON.parse(readFileSync(join(CONFORMANCE, "_expected", name, `computed_rows_v${version}.json`), "utf8"));
}

/** SQL that formats timestamp columns with microseconds, so encodings compare exactly. */
export function encodeTimestampsSql(schema: StructType, from: string): string {
  const cols = schema.fields.map((f) => {
    const q = `"${f.name.replace(/"/g, '""')}"`;
    if (f.type === "timestamp") return `strftime(${q}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${q}`;
    if (f.type === "timestamp_ntz") return `strftime(${q}, '%Y-%m-%dT%H:%M:%S.%f') AS ${q}`;
    return q;
  });
  return `SELECT ${cols.join(", ")} FROM (${from})`;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

export function encodeValue(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof t === "string") {
    if (typeof v === "bigint") return v.toString();
    if (t === "long") return String(v);
    if (v instanceof Uint8Array) return hex(v);
    if (v instanceof Date) return v.toISOString().replace("Z", "000Z");
    return v;
  }
  if (isStruct(t)) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(t.fields.map((f) => [f.name, encodeValue(o[f.name], f.type)]));
  }
  if (isArray(t)) return (v as unknown[]).map((x) => encodeValue(x, t.elementType));
  if (isMap(t)) {
    // Our rows give maps as objects with string keys; re-type the keys.
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => [encodeValue(typeof t.keyType === "string" && /integer|short|byte|double|float/.test(t.keyType) ? Number(k) : k, t.keyType), encodeValue(x, t.valueType)]);
  }
  return v;
}

export function encodeRows(rows: Record<string, unknown>[], schema: StructType): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(schema.fields.map((f) => [f.name, encodeValue(r[f.name], f.type)])))).sort();
}

export function sortedJson(rows: Record<string, unknown>[], columns?: string[]): string[] {
  return rows.map((r) => JSON.stringify(columns ? Object.fromEntries(columns.map((c) => [c, r[c] ?? null])) : r)).sort();
}

/** A DuckDB connection, an engine and an operation context over a fresh temp dir (caller closes db, removes tmp). */
export async function openOpContext(conf: (key: string) => string | undefined = () => undefined): Promise<{ db: DuckDb; tmp: string; ctx: OpContext }> {
  const db = await DuckDb.open();
  const tmp = tempDir();
  const scratchDir = join(tmp, "scratch");
  const engine = new DuckDbEngine(db, scratchDir);
  return { db, tmp, ctx: { db, engine, scan: { db, storage: engine.storage, scratchDir }, conf } };
}
