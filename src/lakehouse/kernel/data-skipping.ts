/**
 * Data skipping: deciding from the log alone that a file cannot contain rows matching a
 * predicate. Partition values are exact; min/max stats are bounds (strings may be truncated,
 * timestamps are cut to milliseconds, so the max gets one extra millisecond of slack).
 */
import type { AddFile } from "./actions.js";
import { parsePartitionValue } from "./partition-values.js";
import type { Literal, Predicate } from "./predicate.js";
import type { DataType, StructType } from "./schema.js";

export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  tightBounds?: boolean;
}

const statsCache = new WeakMap<AddFile, FileStats | null>();

export function parseStats(add: AddFile): FileStats | null {
  if (statsCache.has(add)) return statsCache.get(add)!;
  let out: FileStats | null = null;
  if (add.stats) {
    try {
      out = JSON.parse(add.stats) as FileStats;
    } catch {
      out = null;
    }
  }
  statsCache.set(add, out);
  return out;
}

type Cmp = number | string | boolean;

function comparable(v: unknown, type: DataType | undefined): Cmp | null {
  if (v === null || v === undefined) return null;
  if (type === "timestamp" || type === "timestamp_ntz") {
    const s = String(v).replace(" ", "T");
    const ms = Date.parse(type === "timestamp" && !/[zZ]|[+-]\d\d(:?\d\d)?$/.test(s) ? `${s}Z` : s.replace(/\+00$/, "Z"));
    return Number.isNaN(ms) ? null : ms;
  }
  if (type === "date") return String(v).slice(0, 10);
  if (typeof type === "string" && /^(byte|short|integer|long|float|double|decimal)/.test(type)) {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  if (typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

function cmp(a: Cmp, b: Cmp): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Bounds {
  min: Cmp | null;
  max: Cmp | null;
  /** Exact value (partition column): min === max and definitely known. */
  exact: boolean;
  nullCount: number | null;
  numRecords: number | null;
}

function boundsFor(add: AddFile, column: string, schema: StructType, partitionColumns: string[]): Bounds | null {
  const field = schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
  if (!field) return null;
  if (partitionColumns.some((p) => p.toLowerCase() === column.toLowerCase())) {
    const raw = add.partitionValues[field.name] ?? add.partitionValues[Object.keys(add.partitionValues).find((k) => k.toLowerCase() === column.toLowerCase()) ?? ""];
    const v = comparable(parsePartitionValue(raw ?? null, field.type), field.type);
    return { min: v, max: v, exact: true, nullCount: v === null ? 1 : 0, numRecords: null };
  }
  const stats = parseStats(add);
  if (!stats) return null;
  const pick = (o: Record<string, unknown> | undefined) => (o ? o[field.name] : undefined);
  let max = comparable(pick(stats.maxValues), field.type);
  if (typeof max === "number" && (field.type === "timestamp" || field.type === "timestamp_ntz")) max += 1;
  const nc = pick(stats.nullCount);
  return {
    min: comparable(pick(stats.minValues), field.type),
    max,
    exact: false,
    nullCount: typeof nc === "number" ? nc : null,
    numRecords: typeof stats.numRecords === "number" ? stats.numRecords : null,
  };
}

/** False only when the file provably holds no row matching `p`. */
export function fileMayMatch(add: AddFile, p: Predicate, schema: StructType, partitionColumns: string[]): boolean {
  switch (p.op) {
    case "unknown": return true;
    case "and": return p.args.every((a) => fileMayMatch(add, a, schema, partitionColumns));
    case "or": return p.args.some((a) => fileMayMatch(add, a, schema, partitionColumns));
    default: break;
  }
  const b = boundsFor(add, p.column, schema, partitionColumns);
  if (!b) return true;
  const field = schema.fields.find((f) => f.name.toLowerCase() === p.column.toLowerCase())!;
  const lit = (v: Literal) => comparable(v, field.type);
  const allNull = b.exact ? b.min === null : b.nullCount !== null && b.numRecords !== null && b.nullCount === b.numRecords;
  switch (p.op) {
    case "isNull":
      if (b.exact) return b.min === null;
      return b.nullCount === null || b.nullCount > 0;
    case "isNotNull":
      return !allNull;
    case "in":
      return p.values.some((v) => rangeMayContain(b, lit(v), lit(v), allNull));
    case "between":
      return rangeMayContain(b, lit(p.low), lit(p.high), allNull);
    case "=":
      return rangeMayContain(b, lit(p.value), lit(p.value), allNull);
    case "<": case "<=": {
      const v = lit(p.value);
      if (v === null) return false;
      if (allNull) return false;
      if (b.min === null) return true;
      return p.op === "<" ? cmp(b.min, v) < 0 : cmp(b.min, v) <= 0;
    }
    case ">": case ">=": {
      const v = lit(p.value);
      if (v === null) return false;
      if (allNull) return false;
      if (b.max === null) return true;
      // A string max from another writer may be a truncated prefix: never prune strings on it.
      const truncatable = !b.exact && typeof b.max === "string" && typeof v === "string";
      return (p.op === ">" ? cmp(b.max, v) > 0 : cmp(b.max, v) >= 0) || truncatable;
    }
    case "!=": {
      const v = lit(p.value);
      if (v === null) return false;
      if (allNull) return false;
      if (b.min === null || b.max === null) return true;
      // Every non-null value equals v (NULLs never satisfy != either): nothing can match.
      return !(cmp(b.min, v) === 0 && cmp(b.max, v) === 0);
    }
  }
}

function rangeMayContain(b: Bounds, low: Cmp | null, high: Cmp | null, allNull: boolean): boolean {
  if (low === null || high === null) return false; // comparisons with NULL are never true
  if (allNull) return false;
  if (b.min !== null && cmp(high, b.min) < 0) return false;
  // A truncated string max is a prefix: anything starting with it may still be in the file.
  if (b.max !== null && cmp(low, b.max) > 0 && !(typeof b.max === "string" && typeof low === "string" && low.startsWith(b.max))) return false;
  return true;
}

export interface SkippingResult {
  files: AddFile[];
  total: number;
}

export function skipFiles(files: AddFile[], p: Predicate | undefined, schema: StructType, partitionColumns: string[]): SkippingResult {
  if (!p || p.op === "unknown") return { files, total: files.length };
  return { files: files.filter((f) => fileMayMatch(f, p, schema, partitionColumns)), total: files.length };
}
