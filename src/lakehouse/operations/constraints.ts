/**
 * Table constraints, checked on every write before anything is committed: NOT NULL columns
 * (from the schema) and CHECK constraints (`delta.constraints.<name>` in the table
 * configuration). A violation fails the write and the table stays at its last version.
 */
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import type { StructType } from "../kernel/schema.js";
import type { OpContext } from "./context.js";

export class NotNullViolationError extends LakehouseError {
  constructor(column: string) {
    super("DELTA_NOT_NULL_CONSTRAINT_VIOLATED", `NOT NULL constraint violated for column: ${column}. Fill the column (e.g. coalesce(${column}, …)) or filter out rows where it is null before writing.`, { column }, "23502");
  }
}

export class CheckViolationError extends LakehouseError {
  constructor(name: string, expr: string, row: Record<string, unknown>) {
    const values = Object.entries(row).map(([k, v]) => ` - ${k} : ${typeof v === "bigint" ? v.toString() : JSON.stringify(v)}`).join("\n");
    super("DELTA_VIOLATE_CONSTRAINT_WITH_VALUES", `CHECK constraint ${name} (${expr}) violated by row with values:\n${values}\nFix or filter the offending rows, or DROP the constraint if it is wrong.`, { name, expr }, "23001");
  }
}

export function checkConstraintsOf(configuration: Record<string, string>): { name: string; expr: string }[] {
  return Object.entries(configuration)
    .filter(([k]) => k.startsWith("delta.constraints."))
    .map(([k, v]) => ({ name: k.slice("delta.constraints.".length), expr: v }));
}

/** Throws on the first violated constraint in `relation`. */
export async function enforceConstraints(ctx: OpContext, relation: string, schema: StructType, configuration: Record<string, string>): Promise<void> {
  const notNull = schema.fields.filter((f) => !f.nullable);
  if (notNull.length) {
    const r = await ctx.db.query(`SELECT ${notNull.map((f, i) => `count(*) FILTER (WHERE ${quoteIdent(f.name)} IS NULL) AS c${i}`).join(", ")} FROM ${relation}`);
    notNull.forEach((f, i) => {
      if (Number(r.rows[0]![`c${i}`]) > 0) throw new NotNullViolationError(f.name);
    });
  }
  for (const c of checkConstraintsOf(configuration)) {
    // Delta rejects a row unless the check evaluates to true (NULL is a violation too).
    const r = await ctx.db.query(`SELECT * FROM ${relation} WHERE NOT coalesce((${c.expr}), false) LIMIT 1`);
    if (r.rows.length) {
      const cols = new Set(columnsIn(c.expr));
      const row = Object.fromEntries(Object.entries(r.rows[0]!).filter(([k]) => cols.size === 0 || cols.has(k.toLowerCase())));
      throw new CheckViolationError(c.name, c.expr, row);
    }
  }
}

/** Identifiers mentioned in a constraint, to show only the relevant values of a bad row. */
function columnsIn(expr: string): string[] {
  return (expr.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((s) => s.toLowerCase());
}
