/**
 * Reusable data-quality rule sets for pipeline expectations — Databricks' recommendation to keep
 * expectation definitions apart from pipeline code ("portable and reusable expectations") — and
 * the quarantine pattern.
 *
 * A RuleSet maps rule names to SQL conditions, the shape `expectAll…()` take:
 *
 *   const customerRules: RuleSet = { ...notNull("customer_id"), ...validEmail("email"), ...oneOf("country", ["FR", "DE"]) };
 *   p.streamingTable({ name: "customers", query, expectations: expectAllOrDrop(customerRules) });
 *
 * Every builder produces a two-valued condition (never NULL): a NULL column fails the rule
 * unless `allowNull` is set. That matters because pipelines treat a NULL result as passing
 * (see ../pipelines/expectations.ts), so a plain `age BETWEEN 0 AND 120` would let NULL ages
 * through.
 *
 * Quarantine pattern: instead of only dropping bad records, route them to a second dataset.
 * `quarantine(rules)` is the exact inverse of "passes every rule" under pipeline semantics,
 * `NOT (coalesce((r1), true) AND coalesce((r2), true) …)`, so each input record lands in exactly
 * one of the two tables — even for hand-written rules that can evaluate to NULL:
 *
 *   p.streamingTable({ name: "customers_clean", query: (ctx) => ctx.readStream("customers_raw"), expectations: expectAllOrDrop(rules) })
 *    .streamingTable({ name: "customers_quarantine", query: (ctx) => ctx.readStream("customers_raw"),
 *                      expectations: expectAllOrDrop({ quarantined: quarantine(rules) }) });
 *
 * or, as in Databricks' docs, flag the rows once in a view and split on the flag:
 *
 *   .temporaryView({ name: "customers_flagged", query: (ctx) => ctx.readStream("customers_raw").withColumn("is_quarantined", expr(quarantine(rules))) })
 *   .streamingTable({ name: "customers_clean", query: (ctx) => ctx.readStream("customers_flagged").filter("NOT is_quarantined") })
 *   .streamingTable({ name: "customers_quarantine", query: (ctx) => ctx.readStream("customers_flagged").filter("is_quarantined") })
 *
 * Conditions use SQL that both Databricks and the local DuckDB engine accept (IS NULL, BETWEEN,
 * IN, LIKE, coalesce).
 */
import { LakehouseError } from "../errors.js";
import type { Expectation } from "../pipelines/expectations.js";

/** Rule name → SQL boolean condition. */
export type RuleSet = Record<string, string>;

export interface NullOption {
  /** Let NULL values pass the rule (default false: NULL fails). */
  allowNull?: boolean;
}

function colSql(col: string): string {
  if (typeof col !== "string" || col.trim() === "") throw new LakehouseError("INVALID_ARGUMENT", "A rule needs a column name.", {});
  return col.split(".").map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `\`${p.replace(/`/g, "``")}\``)).join(".");
}

function ruleName(col: string): string {
  return col.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase();
}

function literal(v: string | number | boolean): string {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new LakehouseError("INVALID_ARGUMENT", `A rule bound must be a finite number, got ${v}.`, {});
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** `cond` with NULL handling made explicit, so the rule is never NULL. */
function guarded(col: string, cond: string, opts?: NullOption): string {
  const c = colSql(col);
  return opts?.allowNull ? `(${c} IS NULL OR (${cond}))` : `(${c} IS NOT NULL AND (${cond}))`;
}

/** `<col>_not_null`: the columns must not be NULL. */
export function notNull(...cols: (string | string[])[]): RuleSet {
  const out: RuleSet = {};
  for (const c of cols.flat()) out[`${ruleName(c)}_not_null`] = `${colSql(c)} IS NOT NULL`;
  return out;
}

/** `<col>_in_range`: lo ≤ col ≤ hi (numbers, or strings such as dates: '2020-01-01'). */
export function inRange(col: string, lo: number | string, hi: number | string, opts?: NullOption): RuleSet {
  return { [`${ruleName(col)}_in_range`]: guarded(col, `${colSql(col)} BETWEEN ${literal(lo)} AND ${literal(hi)}`, opts) };
}

/** `<col>_valid_email`: something@domain.tld, without spaces. */
export function validEmail(col: string, opts?: NullOption): RuleSet {
  const c = colSql(col);
  return { [`${ruleName(col)}_valid_email`]: guarded(col, `${c} LIKE '%_@_%._%' AND ${c} NOT LIKE '% %' AND ${c} NOT LIKE '%@%@%'`, opts) };
}

/** `<col>_one_of`: the column takes one of the values. */
export function oneOf(col: string, values: readonly (string | number | boolean)[], opts?: NullOption): RuleSet {
  if (!Array.isArray(values) || values.length === 0) throw new LakehouseError("INVALID_ARGUMENT", `oneOf(${col}) needs at least one allowed value.`, { column: col });
  return { [`${ruleName(col)}_one_of`]: guarded(col, `${colSql(col)} IN (${values.map(literal).join(", ")})`, opts) };
}

/** `<col>_matches`: the column matches a SQL LIKE pattern. */
export function matches(col: string, likePattern: string, opts?: NullOption): RuleSet {
  return { [`${ruleName(col)}_matches`]: guarded(col, `${colSql(col)} LIKE ${literal(likePattern)}`, opts) };
}

/** `<col>_non_negative`: col ≥ 0. */
export function nonNegative(col: string, opts?: NullOption): RuleSet {
  return { [`${ruleName(col)}_non_negative`]: guarded(col, `${colSql(col)} >= 0`, opts) };
}

/** A rule of your own, named: `rule("fresh", "updated_at > '2020-01-01'")`. */
export function rule(name: string, condition: string): RuleSet {
  if (!name || !condition) throw new LakehouseError("INVALID_ARGUMENT", "rule() needs a name and a SQL condition.", {});
  return { [name]: condition };
}

/** Several rule sets as one (later names win). */
export function combine(...sets: RuleSet[]): RuleSet {
  return Object.assign({}, ...sets) as RuleSet;
}

function conditionsOf(rules: RuleSet | readonly Expectation[]): string[] {
  const list = Array.isArray(rules) ? (rules as readonly Expectation[]).map((e) => e.condition) : Object.values(rules as RuleSet);
  if (list.length === 0) throw new LakehouseError("INVALID_ARGUMENT", "quarantine()/passesAll() need at least one rule.", {});
  return list;
}

/** True when a record passes every rule, as a pipeline judges it (a NULL result passes). */
export function passesAll(rules: RuleSet | readonly Expectation[]): string {
  return conditionsOf(rules).map((c) => `coalesce((${c}), true)`).join(" AND ");
}

/**
 * The inverted rule set: true exactly for the records that fail at least one rule — what the
 * quarantine table keeps. Never NULL, so clean + quarantine = input.
 */
export function quarantine(rules: RuleSet | readonly Expectation[]): string {
  return `NOT (${passesAll(rules)})`;
}
