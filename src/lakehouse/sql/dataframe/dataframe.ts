/**
 * A PySpark-like DataFrame: an immutable description of a query that compiles to SQL and runs
 * through the session. Filters, projections, ordering and limits over a table compile into one
 * flat SELECT, so the session can push the WHERE into Delta file pruning.
 *
 * @example
 *   spark.table("main.default.people").filter("age > 30").select("name").limit(5).toSQL()
 *   // SELECT "name" FROM main.default.people WHERE (age > 30) LIMIT 5
 */
import { LakehouseError } from "../../errors.js";
import type { Row } from "../../engine/duckdb.js";
import type { QueryRunner, WriteSpec } from "./runner.js";

interface Plan {
  from: string;
  where: string[];
  select?: string[];
  orderBy?: string[];
  limit?: number;
}

function ident(name: string): string {
  return name.split(".").map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `"${p.replace(/"/g, '""')}"`)).join(".");
}

let aliasCounter = 0;

export class DataFrame {
  private constructor(private readonly runner: QueryRunner, private readonly plan: Readonly<Plan>) {
    Object.freeze(this);
  }

  static fromSql(runner: QueryRunner, sql: string): DataFrame {
    return new DataFrame(runner, { from: `(${sql}) AS _df${aliasCounter++}`, where: [] });
  }

  static fromTable(runner: QueryRunner, name: string): DataFrame {
    return new DataFrame(runner, { from: name, where: [] });
  }

  private wrapIfNeeded(): Plan {
    // A filter after LIMIT or a projection must apply to their result: nest the query.
    if (this.plan.limit !== undefined || this.plan.select || this.plan.orderBy) return { from: `(${this.toSQL()}) AS _df${aliasCounter++}`, where: [] };
    return { ...this.plan, where: [...this.plan.where] };
  }

  /** Keeps rows where the SQL condition holds, like PySpark's df.filter("x > 1"). */
  filter(condition: string): DataFrame {
    const p = this.wrapIfNeeded();
    return new DataFrame(this.runner, { ...p, where: [...p.where, condition] });
  }

  where(condition: string): DataFrame {
    return this.filter(condition);
  }

  select(...columns: string[]): DataFrame {
    const p = this.plan.select || this.plan.limit !== undefined ? { from: `(${this.toSQL()}) AS _df${aliasCounter++}`, where: [] } : { ...this.plan };
    return new DataFrame(this.runner, { ...p, select: columns.map((c) => (c === "*" ? "*" : ident(c))) });
  }

  selectExpr(...exprs: string[]): DataFrame {
    const p = this.plan.select || this.plan.limit !== undefined ? { from: `(${this.toSQL()}) AS _df${aliasCounter++}`, where: [] } : { ...this.plan };
    return new DataFrame(this.runner, { ...p, select: exprs });
  }

  orderBy(...columns: string[]): DataFrame {
    const p = this.plan.limit !== undefined ? { from: `(${this.toSQL()}) AS _df${aliasCounter++}`, where: [] } : { ...this.plan };
    return new DataFrame(this.runner, { ...p, orderBy: columns });
  }

  sort(...columns: string[]): DataFrame {
    return this.orderBy(...columns);
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw new LakehouseError("INVALID_ARGUMENT", `limit() needs a non-negative integer, got ${n}.`, {});
    return new DataFrame(this.runner, { ...this.plan, limit: Math.min(n, this.plan.limit ?? n) });
  }

  toSQL(): string {
    const p = this.plan;
    let sql = `SELECT ${p.select?.join(", ") ?? "*"} FROM ${p.from}`;
    if (p.where.length) sql += ` WHERE ${p.where.map((w) => `(${w})`).join(" AND ")}`;
    if (p.orderBy?.length) sql += ` ORDER BY ${p.orderBy.join(", ")}`;
    if (p.limit !== undefined) sql += ` LIMIT ${p.limit}`;
    return sql;
  }

  async collect(): Promise<Row[]> {
    return (await this.runner.runQuery(this.toSQL())).rows;
  }

  toArray(): Promise<Row[]> {
    return this.collect();
  }

  async first(): Promise<Row | undefined> {
    return (await this.limit(1).collect())[0];
  }

  async count(): Promise<number> {
    const r = await this.runner.runQuery(`SELECT count(*) AS n FROM (${this.toSQL()}) AS _c`);
    return Number(r.rows[0]!["n"]);
  }

  async columns(): Promise<string[]> {
    return (await this.runner.describeQuery(this.toSQL())).map((c) => c.name);
  }

  async schema(): Promise<{ name: string; type: string }[]> {
    return this.runner.describeQuery(this.toSQL());
  }

  /** Prints the first `n` rows as PySpark's show() does, and returns the text. */
  async show(n = 20, truncate = true): Promise<string> {
    const res = await this.runner.runQuery(`SELECT * FROM (${this.toSQL()}) AS _s LIMIT ${n + 1}`);
    const text = formatTable(res.columns.map((c) => c.name), res.rows.slice(0, n), truncate, res.rows.length > n ? n : undefined);
    console.log(text);
    return text;
  }

  get write(): DataFrameWriter {
    return new DataFrameWriter(this.runner, this.toSQL(), { format: "delta", mode: "errorifexists", options: {}, partitionBy: [], target: { kind: "path", path: "" } });
  }
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (v instanceof Date) return v.toISOString().replace("T", " ").replace("Z", "");
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return `[${[...v].map((b) => b.toString(16).padStart(2, "0")).join(" ")}]`;
  if (typeof v === "object") return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  return String(v);
}

export function formatTable(columns: string[], rows: Row[], truncate = true, shownOf?: number): string {
  const cut = (s: string) => (truncate && s.length > 20 ? `${s.slice(0, 17)}...` : s);
  const data = rows.map((r) => columns.map((c) => cut(cell(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...data.map((d) => d[i]!.length)));
  const line = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  const fmt = (cells: string[]) => `|${cells.map((c, i) => c.padStart(widths[i]!)).join("|")}|`;
  const out = [line, fmt(columns), line, ...data.map(fmt), line];
  if (shownOf !== undefined) out.push(`only showing top ${shownOf} rows`);
  return out.join("\n");
}

export class DataFrameWriter {
  constructor(private readonly runner: QueryRunner, private readonly sql: string, private readonly spec: WriteSpec) {}

  private with(patch: Partial<WriteSpec>): DataFrameWriter {
    return new DataFrameWriter(this.runner, this.sql, { ...this.spec, ...patch });
  }
  format(f: string): DataFrameWriter {
    return this.with({ format: f });
  }
  mode(m: WriteSpec["mode"]): DataFrameWriter {
    return this.with({ mode: m.toLowerCase() as WriteSpec["mode"] });
  }
  option(k: string, v: string | number | boolean): DataFrameWriter {
    return this.with({ options: { ...this.spec.options, [k]: String(v) } });
  }
  options(o: Record<string, string | number | boolean>): DataFrameWriter {
    return this.with({ options: { ...this.spec.options, ...Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) } });
  }
  partitionBy(...cols: string[]): DataFrameWriter {
    return this.with({ partitionBy: cols });
  }
  saveAsTable(name: string): Promise<void> {
    return this.runner.write(this.sql, { ...this.spec, target: { kind: "table", name } });
  }
  save(path?: string): Promise<void> {
    const p = path ?? this.spec.options["path"];
    if (!p) throw new LakehouseError("INVALID_ARGUMENT", "save() needs a path: df.write.format(\"delta\").save(\"/path\").", {});
    return this.runner.write(this.sql, { ...this.spec, target: { kind: "path", path: p } });
  }
  insertInto(name: string, overwrite = false): Promise<void> {
    return this.runner.write(this.sql, { ...this.spec, target: { kind: "insertInto", name, overwrite } });
  }
}
