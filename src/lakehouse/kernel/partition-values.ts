/**
 * Partition values are stored in the log as strings (PROTOCOL.md "Partition Value
 * Serialization") and are not in the data files. This module turns them into typed values and
 * back, and builds the Hive-style directory names writers use.
 */
import type { DataType } from "./schema.js";

export const HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

/** Typed JS value of a partition value string; `null` for null. */
export function parsePartitionValue(raw: string | null | undefined, type: DataType): string | number | boolean | null {
  if (raw === null || raw === undefined || raw === "") return null;
  if (typeof type !== "string") return raw;
  switch (type) {
    case "byte": case "short": case "integer": case "float": case "double": return Number(raw);
    case "long": return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case "boolean": return raw.toLowerCase() === "true";
    case "timestamp": return normaliseTimestamp(raw, true);
    case "timestamp_ntz": return normaliseTimestamp(raw, false);
    default: return raw;
  }
}

/**
 * Timestamps are written either as `YYYY-MM-DD HH:MM:SS[.ffffff]` or ISO-8601 in UTC. The
 * zone-less form is read as UTC, as delta-rs and delta-kernel-rs do (Spark wrote it in the
 * writer's session zone, which the log does not record).
 */
export function normaliseTimestamp(raw: string, utc: boolean): string {
  let s = raw.trim().replace("T", " ");
  if (s.endsWith("Z")) s = s.slice(0, -1);
  return utc ? `${s}+00` : s;
}

/** Serialises a value for `partitionValues`. Dates and timestamps arrive as DuckDB text. */
export function serializePartitionValue(value: unknown, type: DataType): string | null {
  if (value === null || value === undefined) return null;
  if (type === "timestamp") {
    // DuckDB prints TIMESTAMPTZ as "2024-01-02 03:04:05.123456+00"; store ISO-8601 UTC.
    const s = String(value).replace(/\+00(:00)?$/, "");
    return `${s.replace(" ", "T")}Z`;
  }
  if (type === "string" && value === "") return null;
  return String(value);
}

/** Hive path escaping, as Spark's ExternalCatalogUtils.escapePathName does. */
export function escapePathName(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || `"#%'*/:=?\\\u007f{[]^`.includes(ch)) out += `%${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

export function partitionDir(columns: string[], values: Record<string, string | null>): string {
  return columns.map((c) => `${escapePathName(c)}=${values[c] === null || values[c] === undefined ? HIVE_NULL : escapePathName(values[c]!)}`).join("/");
}

/** `add.path` is a URI: percent-encode what a URI path may not contain (so `%` becomes `%25`). */
export function encodeAddPath(relative: string): string {
  return relative.split("/").map((seg) => encodeURIComponent(seg).replace(/%3D/g, "=")).join("/");
}

export function decodeAddPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
