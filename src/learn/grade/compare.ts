/**
 * Compares two SQL result sets the way a reviewer would, and says what differs in one line per
 * problem:
 *
 *   1. column names (case-insensitive, in order): "wrong columns: expected (id, total), got (id, sum(amount))"
 *   2. row count: "wrong number of rows: expected 5, got 4"
 *   3. values: "column amount differs in row 3: expected 12.50, got 12.40"
 *
 * Numbers and decimals compare numerically (12.50 = 12.5; doubles with a small relative
 * tolerance), bigints as exact strings, dates and timestamps as ISO-8601 text, nested values as
 * JSON. Rows compare in order when the exercise says so, otherwise as a multiset (missing and
 * unexpected rows are listed, and a row that differs in one column is reported as a value
 * difference).
 */

export interface ResultColumn {
  name: string;
  /** DuckDB type name, e.g. "DECIMAL(10,2)", "BIGINT", "VARCHAR", "DATE". */
  type: string;
}

export interface ResultSet {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
}

export interface CompareOptions {
  ordered: boolean;
  /**
   * Columns whose values are not compared (their names still are). "col.key" ignores one key of
   * a map or struct column instead, e.g. "operationMetrics.executionTimeMs".
   */
  ignoreColumns?: string[];
  /** How many detail lines at most (default 3). */
  maxDetails?: number;
}

/** A value in comparable form. */
type Canon = { kind: "null" } | { kind: "num"; exact: string | undefined; n: number; text: string } | { kind: "text"; text: string; quoted: boolean };

const NUMERIC_TYPE = /^(DECIMAL|NUMERIC|TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL)\b/i;
const TEXT_TYPE = /^(VARCHAR|STRING|TEXT|CHAR|UUID)\b/i;
const COMMAND_COLUMNS = new Set(["num_affected_rows", "num_inserted_rows", "num_updated_rows", "num_deleted_rows", "result"]);

function jsonOf(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === "bigint") return x.toString();
    if (x instanceof Date) return x.toISOString();
    if (x instanceof Uint8Array) return Buffer.from(x).toString("hex");
    if (x && typeof x === "object" && !Array.isArray(x)) return Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return x;
  });
}

/** "12.500" → "12.5", "-0.0" → "0", "007" → "7": an exact decimal in normal form. */
function normalDecimal(s: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (!m[2] && !m[3])) return undefined;
  const int = (m[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const body = frac ? `${int}.${frac}` : int;
  return body === "0" ? "0" : `${m[1] === "-" ? "-" : ""}${body}`;
}

export function canonical(v: unknown, type = ""): Canon {
  if (v === null || v === undefined) return { kind: "null" };
  if (typeof v === "bigint") return { kind: "num", exact: v.toString(), n: Number(v), text: v.toString() };
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { kind: "text", text: String(v), quoted: false };
    return { kind: "num", exact: Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : undefined, n: v, text: String(v) };
  }
  if (typeof v === "string" && NUMERIC_TYPE.test(type)) {
    const exact = normalDecimal(v);
    if (exact !== undefined) return { kind: "num", exact, n: Number(v), text: v };
  }
  if (typeof v === "boolean") return { kind: "text", text: String(v), quoted: false };
  if (v instanceof Date) return { kind: "text", text: Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString(), quoted: false };
  if (v instanceof Uint8Array) return { kind: "text", text: Buffer.from(v).toString("hex"), quoted: false };
  if (typeof v === "object") return { kind: "text", text: jsonOf(v), quoted: false };
  // Plain strings: dates arrive as "YYYY-MM-DD"; text columns are shown quoted.
  const s = String(v);
  return { kind: "text", text: s, quoted: TEXT_TYPE.test(type) || type === "" };
}

function sameValue(a: Canon, b: Canon): boolean {
  if (a.kind === "null" || b.kind === "null") return a.kind === b.kind;
  if (a.kind === "num" && b.kind === "num") {
    // Exact on both sides (bigints, decimals, integral numbers): compare the normalised digits.
    if (a.exact !== undefined && b.exact !== undefined) return a.exact === b.exact;
    return Math.abs(a.n - b.n) <= 1e-9 * Math.max(1, Math.abs(a.n), Math.abs(b.n));
  }
  // A number against text that spells the same number (a CAST the learner forgot) still matches.
  if (a.kind === "num" && b.kind === "text") return normalDecimal(b.text) === a.exact || (normalDecimal(b.text) !== undefined && Number(b.text) === a.n);
  if (a.kind === "text" && b.kind === "num") return sameValue(b, a);
  return (a as { text: string }).text === (b as { text: string }).text;
}

/** How a value is shown in messages: numbers as they came, text quoted, NULL. */
export function display(c: Canon): string {
  if (c.kind === "null") return "NULL";
  if (c.kind === "num") return c.text;
  const t = c.text.length > 60 ? `${c.text.slice(0, 57)}…` : c.text;
  return c.quoted ? `'${t}'` : t;
}

/** A key that is equal for rows that compare equal (doubles rounded to 9 significant digits). */
function rowKey(cells: Canon[]): string {
  return cells.map((c) => {
    if (c.kind === "null") return "∅";
    if (c.kind === "num") return `#${c.exact !== undefined ? c.exact : Number(c.n.toPrecision(9)).toString()}`;
    const asNum = normalDecimal(c.text);
    if (asNum !== undefined && !c.quoted) return `#${asNum}`;
    return `"${c.text}`;
  }).join("\u0001");
}

function describeRow(names: string[], cells: Canon[], max = 4): string {
  const parts = names.map((n, i) => `${n}=${display(cells[i]!)}`);
  return `(${parts.slice(0, max).join(", ")}${parts.length > max ? ", …" : ""})`;
}

/** Messages describing how `actual` differs from `expected`; empty when they match. */
export function compareResults(expected: ResultSet, actual: ResultSet, opts: CompareOptions): string[] {
  const maxDetails = opts.maxDetails ?? 3;
  const expNames = expected.columns.map((c) => c.name);
  const actNames = actual.columns.map((c) => c.name);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  if (lower(expNames).join("\u0001") !== lower(actNames).join("\u0001")) {
    const sameSet = lower(expNames).slice().sort().join("\u0001") === lower(actNames).slice().sort().join("\u0001");
    if (sameSet) return [`columns in the wrong order: expected (${expNames.join(", ")}), got (${actNames.join(", ")})`];
    const msgs = [`wrong columns: expected (${expNames.join(", ")}), got (${actNames.join(", ")})`];
    if (actNames.length > 0 && actNames.every((n) => COMMAND_COLUMNS.has(n.toLowerCase()))) {
      msgs.push("your script ends with a command (INSERT, MERGE, UPDATE, CREATE …), not a query: finish it with the SELECT the task asks for");
    } else {
      const missing = expNames.filter((n) => !lower(actNames).includes(n.toLowerCase()));
      const extra = actNames.filter((n) => !lower(expNames).includes(n.toLowerCase()));
      if (missing.length) msgs.push(`missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}${extra.length ? ` (name your expressions with AS; unexpected: ${extra.join(", ")})` : ""}`);
      else if (extra.length) msgs.push(`unexpected column${extra.length > 1 ? "s" : ""}: ${extra.join(", ")}`);
    }
    return msgs;
  }

  const ignore = new Set<string>();
  const ignoreKeys = new Map<string, Set<string>>();
  for (const entry of opts.ignoreColumns ?? []) {
    const dot = entry.indexOf(".");
    if (dot < 0) ignore.add(entry.toLowerCase());
    else {
      const col = entry.slice(0, dot).toLowerCase();
      if (!ignoreKeys.has(col)) ignoreKeys.set(col, new Set());
      ignoreKeys.get(col)!.add(entry.slice(dot + 1));
    }
  }
  const keep = expected.columns.map((c, i) => ({ name: c.name, i, expType: c.type, actType: actual.columns[i]!.type, actName: actual.columns[i]!.name })).filter((c) => !ignore.has(c.name.toLowerCase()));
  const names = keep.map((c) => c.name);
  const cell = (v: unknown, col: string): unknown => {
    const keys = ignoreKeys.get(col.toLowerCase());
    if (!keys || !v || typeof v !== "object" || Array.isArray(v) || v instanceof Date || v instanceof Uint8Array) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !keys.has(k)));
  };
  const exp = expected.rows.map((r) => keep.map((c) => canonical(cell(r[c.name], c.name), c.expType)));
  const act = actual.rows.map((r) => keep.map((c) => canonical(cell(r[c.actName], c.name), c.actType)));

  if (exp.length !== act.length) {
    const msgs = [`wrong number of rows: expected ${exp.length}, got ${act.length}`];
    const { missing, extra } = multisetDiff(exp, act);
    for (const m of missing.slice(0, maxDetails)) msgs.push(`missing row ${describeRow(names, m)}`);
    for (const x of extra.slice(0, Math.max(0, maxDetails - Math.min(missing.length, maxDetails)))) msgs.push(`unexpected row ${describeRow(names, x)}`);
    return msgs;
  }

  if (opts.ordered) {
    const msgs: string[] = [];
    for (let r = 0; r < exp.length && msgs.length < maxDetails; r++) {
      for (let c = 0; c < names.length && msgs.length < maxDetails; c++) {
        if (!sameValue(exp[r]![c]!, act[r]![c]!)) msgs.push(`column ${names[c]} differs in row ${r + 1}: expected ${display(exp[r]![c]!)}, got ${display(act[r]![c]!)}`);
      }
    }
    if (msgs.length === 0) return [];
    const { missing } = multisetDiff(exp, act);
    if (missing.length === 0) return [`the rows are right but in the wrong order: check the ORDER BY (${msgs[0]})`];
    return msgs;
  }

  const { missing, extra } = multisetDiff(exp, act);
  if (missing.length === 0) return [];
  const msgs: string[] = [];
  const usedExtra = new Set<number>();
  for (const m of missing) {
    if (msgs.length >= maxDetails) break;
    // A missing row and an unexpected row that differ in exactly one column: a value difference.
    const j = extra.findIndex((x, k) => !usedExtra.has(k) && x.filter((cell, ci) => !sameValue(m[ci]!, cell)).length === 1);
    if (j >= 0 && names.length > 1) {
      usedExtra.add(j);
      const ci = m.findIndex((cell, k) => !sameValue(cell, extra[j]![k]!));
      const others = names.map((n, k) => ({ n, k })).filter(({ k }) => k !== ci).slice(0, 3).map(({ n, k }) => `${n}=${display(m[k]!)}`).join(", ");
      msgs.push(`column ${names[ci]} differs in the row with ${others}: expected ${display(m[ci]!)}, got ${display(extra[j]![ci]!)}`);
    } else {
      msgs.push(`missing row ${describeRow(names, m)}`);
    }
  }
  for (let k = 0; k < extra.length && msgs.length < maxDetails; k++) if (!usedExtra.has(k)) msgs.push(`unexpected row ${describeRow(names, extra[k]!)}`);
  return msgs;
}

/** Rows of `exp` not matched in `act` and vice versa (multiset semantics, tolerant numbers). */
function multisetDiff(exp: Canon[][], act: Canon[][]): { missing: Canon[][]; extra: Canon[][] } {
  const pool = new Map<string, number[]>();
  act.forEach((row, i) => {
    const k = rowKey(row);
    const list = pool.get(k);
    if (list) list.push(i);
    else pool.set(k, [i]);
  });
  const used = new Set<number>();
  const missing: Canon[][] = [];
  const unmatched: Canon[][] = [];
  for (const row of exp) {
    const list = pool.get(rowKey(row));
    if (list && list.length) used.add(list.shift()!);
    else unmatched.push(row);
  }
  // Second chance for rows whose keys differ only by floating-point noise.
  const rest = act.map((r, i) => ({ r, i })).filter(({ i }) => !used.has(i));
  for (const row of unmatched) {
    const hit = rest.find(({ r, i }) => !used.has(i) && r.every((cell, c) => sameValue(row[c]!, cell)));
    if (hit) used.add(hit.i);
    else missing.push(row);
  }
  return { missing, extra: act.filter((_, i) => !used.has(i)) };
}
