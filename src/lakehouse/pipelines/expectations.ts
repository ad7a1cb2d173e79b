/**
 * Expectations: the data-quality rules of a declarative pipeline (Databricks' `@dp.expect…`
 * decorators and SQL `CONSTRAINT name EXPECT (cond) [ON VIOLATION DROP ROW | FAIL UPDATE]`).
 *
 * An expectation is a name, a SQL boolean condition evaluated on every record a flow produces,
 * and an action for records that violate it:
 *
 *   warn (default)  the record is kept; the violation is counted in the event log
 *   drop            the record is removed before the write; the removal is counted
 *   fail            the update stops with EXPECTATION_VIOLATION, naming the rule, the dataset and
 *                   a sample bad record (as JSON); nothing of the failing batch is written, so the
 *                   table stays at its previous version
 *
 * Every expectation of a dataset is evaluated on every input record (a record can fail several
 * rules); `passed + failed` of each rule is the number of records the flow produced.
 *
 * NULL results. Databricks' reference says the condition "must evaluate to true or false for each
 * record"; in practice a record whose condition evaluates to NULL is NOT a violation — SQL's CHECK
 * semantics (the rule fails only when the condition is false). This engine does the same: a
 * record violates a rule when `coalesce((condition), true)` is false. So `amount > 0` lets a NULL
 * amount through; write `amount IS NOT NULL AND amount > 0` to reject it (the rule builders in
 * ../quality/rules.ts always produce two-valued conditions). Note that Delta CHECK constraints
 * are stricter: there a NULL result is a violation.
 *
 * Unlike Databricks (which evaluates expectations inside the query plan of each micro-batch),
 * the rows of a batch are first staged in a DuckDB temp table and the rules run as one counting
 * query, one sample query for `fail` rules and one filter for `drop` rules.
 */
import { LakehouseError } from "../errors.js";
import type { Row, Value } from "../engine/duckdb.js";
import type { SparkSession } from "../sql/session.js";

export type ExpectationAction = "warn" | "drop" | "fail";

export interface Expectation {
  name: string;
  /** A SQL boolean condition over the dataset's columns. */
  condition: string;
  /** Default "warn". */
  action?: ExpectationAction;
}

/** Counts of one rule over one flow (summed over its micro-batches). */
export interface ExpectationResult {
  name: string;
  action: ExpectationAction;
  passed: number;
  failed: number;
}

function make(name: string, condition: string, action: ExpectationAction): Expectation {
  if (typeof name !== "string" || name.trim() === "") throw new LakehouseError("INVALID_ARGUMENT", "An expectation needs a name (it identifies the rule in the event log).", {});
  if (typeof condition !== "string" || condition.trim() === "") throw new LakehouseError("INVALID_ARGUMENT", `Expectation '${name}' needs a SQL condition, e.g. "id IS NOT NULL".`, { name });
  return Object.freeze({ name: name.trim(), condition: condition.trim(), action });
}

/** `@dp.expect`: keep violating records, count them. */
export function expect(name: string, condition: string): Expectation {
  return make(name, condition, "warn");
}

/** `@dp.expect_or_drop`: remove violating records, count them. */
export function expectOrDrop(name: string, condition: string): Expectation {
  return make(name, condition, "drop");
}

/** `@dp.expect_or_fail`: stop the update at the first violating record. */
export function expectOrFail(name: string, condition: string): Expectation {
  return make(name, condition, "fail");
}

function all(rules: Record<string, string>, action: ExpectationAction): Expectation[] {
  if (!rules || typeof rules !== "object") throw new LakehouseError("INVALID_ARGUMENT", "expectAll…() takes an object of rule name → SQL condition.", {});
  return Object.entries(rules).map(([n, c]) => make(n, c, action));
}

/** `@dp.expect_all({name: condition, …})`. */
export function expectAll(rules: Record<string, string>): Expectation[] {
  return all(rules, "warn");
}

/** `@dp.expect_all_or_drop({…})`: a record is dropped when it violates any of the rules. */
export function expectAllOrDrop(rules: Record<string, string>): Expectation[] {
  return all(rules, "drop");
}

/** `@dp.expect_all_or_fail({…})`. */
export function expectAllOrFail(rules: Record<string, string>): Expectation[] {
  return all(rules, "fail");
}

/** The action of an expectation, with the default applied. */
export function actionOf(e: Expectation): ExpectationAction {
  return e.action ?? "warn";
}

/** SQL that is true when a record passes `condition` (NULL passes, see the module note). */
export function passSql(condition: string): string {
  return `coalesce((${condition}), true)`;
}

/** Checks a dataset's expectation list: unique names, known actions. */
export function validateExpectations(dataset: string, list: readonly Expectation[] | undefined): Expectation[] {
  const out: Expectation[] = [];
  const seen = new Set<string>();
  for (const e of list ?? []) {
    if (!e || typeof e.name !== "string" || typeof e.condition !== "string") {
      throw new LakehouseError("INVALID_ARGUMENT", `Dataset ${dataset}: an expectation must be { name, condition, action? } (use expect(), expectOrDrop(), expectOrFail()).`, { dataset });
    }
    const action = actionOf(e);
    if (!["warn", "drop", "fail"].includes(action)) {
      throw new LakehouseError("INVALID_ARGUMENT", `Dataset ${dataset}: expectation '${e.name}' has action '${String(action)}'; use "warn", "drop" or "fail".`, { dataset, expectation: e.name });
    }
    const key = e.name.toLowerCase();
    if (seen.has(key)) {
      throw new LakehouseError("DUPLICATE_EXPECTATION", `Dataset ${dataset} declares the expectation '${e.name}' twice. Expectation names must be unique per dataset (they identify the rule in the event log).`, { dataset, expectation: e.name });
    }
    seen.add(key);
    out.push({ name: e.name, condition: e.condition, action });
  }
  return out;
}

/** A record as JSON for messages: bigints as numbers when safe, timestamps as ISO-8601. */
export function rowToJson(row: Row): string {
  const conv = (v: Value): unknown => {
    if (v === null || v === undefined) return null;
    if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Uint8Array) return [...v].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (Array.isArray(v)) return v.map(conv);
    if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
    return v;
  };
  return JSON.stringify(conv(row as Value));
}

/** The update stopped because a record violated an `expect_or_fail` rule. */
export class ExpectationViolationError extends LakehouseError {
  /** Counts of the batch that failed (every rule), for the event log. */
  perRule: ExpectationResult[] = [];
  constructor(readonly dataset: string, readonly expectation: string, readonly condition: string, readonly record: string) {
    super("EXPECTATION_VIOLATION",
      `Flow '${dataset}' failed to meet the expectation '${expectation}' (${condition}) with action fail. Sample violating record: ${record}. ` +
      `The update stopped before writing this batch, so ${dataset} is unchanged. Fix the source data (or the rule), or relax the action to drop/warn, then run the update again.`,
      { dataset, expectation, condition, record }, "22000");
  }
}

/** What evaluating a dataset's expectations over a staged batch found. */
export interface BatchQuality {
  rows: number;
  /** Rows kept (rows minus records violating at least one drop rule). */
  kept: number;
  perRule: ExpectationResult[];
  /** SQL condition selecting the kept rows (`true` when there are no drop rules). */
  keepSql: string;
}

/**
 * Evaluates `expectations` over the DuckDB relation `relation` (a staged batch): counts per rule,
 * throws ExpectationViolationError for the first violated fail rule, and returns the filter that
 * removes records violating drop rules.
 */
export async function evaluateBatch(spark: SparkSession, dataset: string, relation: string, expectations: readonly Expectation[]): Promise<BatchQuality> {
  const drops = expectations.filter((e) => actionOf(e) === "drop");
  const keepSql = drops.length ? drops.map((e) => passSql(e.condition)).join(" AND ") : "true";
  const parts = [`count(*) AS __n`, `count(*) FILTER (WHERE ${keepSql}) AS __kept`];
  expectations.forEach((e, i) => parts.push(`count(*) FILTER (WHERE NOT ${passSql(e.condition)}) AS __f${i}`));
  let r;
  try {
    r = await spark.runQuery(`SELECT ${parts.join(", ")} FROM ${relation}`);
  } catch (e) {
    throw new LakehouseError("INVALID_EXPECTATION", `An expectation of ${dataset} could not be evaluated: ${(e as Error).message}. Check each condition is a valid SQL boolean over the dataset's columns (${expectations.map((x) => `${x.name}: ${x.condition}`).join("; ")}).`, { dataset });
  }
  const row = r.rows[0]!;
  const n = Number(row["__n"]);
  const perRule = expectations.map((e, i) => {
    const failed = Number(row[`__f${i}`]);
    return { name: e.name, action: actionOf(e), passed: n - failed, failed };
  });
  for (const [i, e] of expectations.entries()) {
    if (actionOf(e) !== "fail" || perRule[i]!.failed === 0) continue;
    const bad = await spark.runQuery(`SELECT * FROM ${relation} WHERE NOT ${passSql(e.condition)} LIMIT 1`);
    const err = new ExpectationViolationError(dataset, e.name, e.condition, rowToJson(bad.rows[0] ?? {}));
    err.perRule = perRule;
    throw err;
  }
  return { rows: n, kept: Number(row["__kept"]), perRule, keepSql };
}

/** Adds the counts of `add` into `into` (same rules, same order). */
export function accumulate(into: ExpectationResult[], add: readonly ExpectationResult[]): void {
  for (const a of add) {
    const x = into.find((y) => y.name === a.name);
    if (x) {
      x.passed += a.passed;
      x.failed += a.failed;
    } else into.push({ ...a });
  }
}
