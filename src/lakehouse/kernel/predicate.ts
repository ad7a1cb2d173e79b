/**
 * The small predicate language the kernel understands for data skipping and conflict checks:
 * comparisons of one column with literals, IN, BETWEEN, IS [NOT] NULL, AND/OR. Anything richer
 * stays `unknown`, which skipping treats as "the file may match" — never a wrong answer, only a
 * missed chance to skip.
 */
export type Literal = string | number | boolean | null;

export type Predicate =
  | { op: "=" | "<" | "<=" | ">" | ">=" | "!="; column: string; value: Literal }
  | { op: "in"; column: string; values: Literal[] }
  | { op: "between"; column: string; low: Literal; high: Literal }
  | { op: "isNull" | "isNotNull"; column: string }
  | { op: "and" | "or"; args: Predicate[] }
  | { op: "unknown" };

export function and(args: Predicate[]): Predicate {
  const flat = args.filter((a) => a.op !== "unknown");
  if (flat.length === 0) return { op: "unknown" };
  return flat.length === 1 ? flat[0]! : { op: "and", args: flat };
}

export function columnsOf(p: Predicate): string[] {
  switch (p.op) {
    case "and": case "or": return p.args.flatMap(columnsOf);
    case "unknown": return [];
    default: return [p.column];
  }
}

export function describePredicate(p: Predicate): string {
  switch (p.op) {
    case "and": case "or": return p.args.map(describePredicate).join(` ${p.op.toUpperCase()} `);
    case "in": return `${p.column} IN (${p.values.map(String).join(", ")})`;
    case "between": return `${p.column} BETWEEN ${p.low} AND ${p.high}`;
    case "isNull": return `${p.column} IS NULL`;
    case "isNotNull": return `${p.column} IS NOT NULL`;
    case "unknown": return "(not used for skipping)";
    default: return `${p.column} ${p.op} ${JSON.stringify(p.value)}`;
  }
}
