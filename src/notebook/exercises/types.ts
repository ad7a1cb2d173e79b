/**
 * What an exercise is, and small helpers the graders share.
 */
import type { Row } from "../../lakehouse/sql/dataframe/runner.js";
import type { SparkSession } from "../../lakehouse/sql/session.js";

/** A grader's answer: ok or not, what it found, and which hints (indexes) apply. */
export interface Verdict {
  ok: boolean;
  message: string;
  /** Indexes into the exercise's hints; all of them when omitted. */
  hints?: number[];
}

export interface Exercise {
  id: string;
  title: string;
  hints: string[];
  grade(spark: SparkSession, answer: unknown): Promise<Verdict>;
}

interface Collectable {
  collect(): Promise<Row[]>;
}

/** The rows of an answer given as a DataFrame, `spark.sql(…)`'s promise, or an array. */
export async function answerRows(answer: unknown): Promise<Row[] | undefined> {
  const a = await answer;
  if (Array.isArray(a)) return a as Row[];
  if (a && typeof (a as Collectable).collect === "function") return (a as Collectable).collect();
  return undefined;
}

/** A value made comparable: bigint → number, Date → ISO text, decimals rounded. */
export function norm(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" && !Number.isInteger(v)) return Math.round(v * 1e6) / 1e6;
  return v ?? null;
}

/** Rows as a map from a key column to the row's other columns (normalised), for comparisons. */
export function keyed(rows: readonly Row[], key: string, cols: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rows) m.set(String(norm(r[key])), JSON.stringify(cols.map((c) => norm(r[c]))));
  return m;
}

/** Compares two keyed maps; returns a short description of the first differences, or "". */
export function diffKeyed(actual: Map<string, string>, expected: Map<string, string>, what: string, cols: readonly string[]): string {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const changed = [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k));
  if (!missing.length && !extra.length && !changed.length) return "";
  const lines: string[] = [];
  if (missing.length) lines.push(`${missing.length} ${what} missing (e.g. ${missing.slice(0, 3).join(", ")})`);
  if (extra.length) lines.push(`${extra.length} ${what} that should not be there (e.g. ${extra.slice(0, 3).join(", ")})`);
  if (changed.length) {
    const k = changed[0]!;
    lines.push(`${changed.length} ${what} with different values; e.g. ${k}: yours ${actual.get(k)}, expected ${expected.get(k)} (columns ${cols.join(", ")})`);
  }
  return lines.join("\n");
}

/** Column names (lower case) of a table, or undefined when it does not exist. */
export async function tableColumns(spark: SparkSession, table: string): Promise<Map<string, string> | undefined> {
  try {
    const rows = await (await spark.sql(`DESCRIBE TABLE ${table}`)).collect();
    return new Map(rows.filter((r) => !String(r["col_name"]).startsWith("#")).map((r) => [String(r["col_name"]).toLowerCase(), String(r["data_type"])]));
  } catch {
    return undefined;
  }
}

/** The newest commits of a table (DESCRIBE HISTORY), newest first. */
export async function history(spark: SparkSession, table: string): Promise<Row[]> {
  return (await spark.sql(`DESCRIBE HISTORY ${table}`)).collect();
}
