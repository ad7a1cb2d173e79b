/**
 * Turns WHERE clauses into kernel predicates for data skipping. DuckDB parses the SQL
 * (json_serialize_sql); this module reads its expression tree and keeps the conjuncts the
 * kernel understands. Anything else becomes `unknown`, which never skips a file.
 */
import type { Literal, Predicate } from "../kernel/predicate.js";
import { and } from "../kernel/predicate.js";
import type { DuckDb } from "../engine/duckdb.js";
import { quoteString } from "../engine/duckdb.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

export interface ColumnResolver {
  /** The column name in the table, or undefined if the reference is not to this table. */
  (parts: string[]): string | undefined;
}

function literal(n: Node): { ok: true; value: Literal } | { ok: false } {
  if (!n) return { ok: false };
  if (n.class === "CONSTANT") {
    const v = n.value;
    if (v.is_null) return { ok: true, value: null };
    const x = v.value;
    if (typeof x === "number" || typeof x === "string" || typeof x === "boolean") return { ok: true, value: x };
    return { ok: false };
  }
  if (n.class === "CAST" && n.child?.class === "CONSTANT") return literal(n.child);
  // -5 can arrive as a function call on a constant.
  if (n.class === "FUNCTION" && n.function_name === "-" && n.children?.length === 1) {
    const inner = literal(n.children[0]);
    if (inner.ok && typeof inner.value === "number") return { ok: true, value: -inner.value };
  }
  return { ok: false };
}

const FLIP: Record<string, string> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!=" };
const OPS: Record<string, "=" | "<" | "<=" | ">" | ">=" | "!="> = {
  COMPARE_EQUAL: "=", COMPARE_LESSTHAN: "<", COMPARE_LESSTHANOREQUALTO: "<=", COMPARE_GREATERTHAN: ">",
  COMPARE_GREATERTHANOREQUALTO: ">=", COMPARE_NOTEQUAL: "!=",
};

export function toPredicate(n: Node, resolve: ColumnResolver): Predicate {
  if (!n) return { op: "unknown" };
  const col = (x: Node) => (x?.class === "COLUMN_REF" ? resolve(x.column_names) : undefined);
  switch (n.class) {
    case "CONJUNCTION": {
      const args = (n.children as Node[]).map((c) => toPredicate(c, resolve));
      if (n.type === "CONJUNCTION_AND") return and(args);
      return args.some((a) => a.op === "unknown") ? { op: "unknown" } : { op: "or", args };
    }
    case "COMPARISON": {
      const op = OPS[n.type];
      if (!op) return { op: "unknown" };
      let c = col(n.left);
      let l = literal(n.right);
      let o: string = op;
      if (!c) {
        c = col(n.right);
        l = literal(n.left);
        o = FLIP[op]!;
      }
      if (!c || !l.ok) return { op: "unknown" };
      return { op: o as "=", column: c, value: l.value };
    }
    case "BETWEEN": {
      const c = col(n.input);
      const lo = literal(n.lower);
      const hi = literal(n.upper);
      if (!c || !lo.ok || !hi.ok) return { op: "unknown" };
      return { op: "between", column: c, low: lo.value, high: hi.value };
    }
    case "OPERATOR": {
      if (n.type === "COMPARE_IN") {
        const [first, ...rest] = n.children as Node[];
        const c = col(first);
        const vals = rest.map(literal);
        if (!c || vals.some((v) => !v.ok)) return { op: "unknown" };
        return { op: "in", column: c, values: vals.map((v) => (v as { value: Literal }).value) };
      }
      if (n.type === "OPERATOR_IS_NULL" || n.type === "OPERATOR_IS_NOT_NULL") {
        const c = col(n.children[0]);
        if (!c) return { op: "unknown" };
        return { op: n.type === "OPERATOR_IS_NULL" ? "isNull" : "isNotNull", column: c };
      }
      return { op: "unknown" };
    }
    default:
      return { op: "unknown" };
  }
}

/** Parses a boolean SQL condition into a predicate over the given columns. */
export async function conditionToPredicate(db: DuckDb, condition: string, columns: string[], alias?: string): Promise<Predicate> {
  let parsed: Node;
  try {
    const r = await db.query(`SELECT json_serialize_sql(${quoteString(`SELECT 1 WHERE ${condition}`)}) AS j`);
    parsed = JSON.parse(String(r.rows[0]!["j"]));
  } catch {
    return { op: "unknown" };
  }
  if (parsed.error) return { op: "unknown" };
  const where = parsed.statements?.[0]?.node?.where_clause;
  return toPredicate(where, columnResolver(columns, alias ? [alias] : []));
}

export function columnResolver(columns: string[], qualifiers: string[]): ColumnResolver {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const quals = new Set(qualifiers.map((q) => q.toLowerCase()));
  return (parts: string[]) => {
    if (parts.length === 1) return lower.get(parts[0]!.toLowerCase());
    if (parts.length === 2 && quals.has(parts[0]!.toLowerCase())) return lower.get(parts[1]!.toLowerCase());
    return undefined;
  };
}
