/**
 * Window specifications, as PySpark's `Window`: immutable builders whose SQL goes inside `OVER (…)`.
 * Sort keys follow Spark's null order (ASC NULLS FIRST, DESC NULLS LAST), written out because
 * DuckDB's default differs.
 *
 * @example
 * const w = Window.partitionBy("city").orderBy(col("amount").desc());
 * row_number().over(w).alias("rn").toSQL()
 * // row_number() OVER (PARTITION BY "city" ORDER BY "amount" DESC NULLS LAST) AS "rn"
 * sum("amount").over(Window.partitionBy("city").orderBy("ts").rowsBetween(Window.unboundedPreceding, Window.currentRow))
 * // sum("amount") OVER (PARTITION BY "city" ORDER BY "ts" ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
 */
import { LakehouseError } from "../../errors.js";
import { Column, toColumn, type ColumnOrName } from "./column.js";

type Cols = (ColumnOrName | readonly ColumnOrName[])[];

interface Frame {
  kind: "ROWS" | "RANGE";
  start: number;
  end: number;
}

const UNBOUNDED_PRECEDING = Number.MIN_SAFE_INTEGER;
const UNBOUNDED_FOLLOWING = Number.MAX_SAFE_INTEGER;

function flat(cols: Cols): Column[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as ColumnOrName[]) : [c as ColumnOrName])).map(toColumn);
}

/** A sort key's SQL with Spark's default direction and null order. @internal */
export function sortSql(c: Column): { sql: string; name: string } {
  const sort = c._s.sort ?? "ASC NULLS FIRST";
  return { sql: `${c._s.sql} ${sort}`, name: `${c._s.name} ${sort}` };
}

function bound(v: number): string {
  if (v <= UNBOUNDED_PRECEDING) return "UNBOUNDED PRECEDING";
  if (v >= UNBOUNDED_FOLLOWING) return "UNBOUNDED FOLLOWING";
  if (v === 0) return "CURRENT ROW";
  return v < 0 ? `${-v} PRECEDING` : `${v} FOLLOWING`;
}

/** An immutable window: partitioning, ordering and frame. */
export class WindowSpec {
  private readonly partition: readonly Column[];
  private readonly order: readonly Column[];
  private readonly frame?: Frame;

  /** @internal Use `Window.partitionBy(…)` / `Window.orderBy(…)`. */
  constructor(partition: readonly Column[] = [], order: readonly Column[] = [], frame?: Frame) {
    this.partition = partition;
    this.order = order;
    this.frame = frame;
    Object.freeze(this);
  }

  partitionBy(...cols: Cols): WindowSpec {
    return new WindowSpec(flat(cols), this.order, this.frame);
  }

  orderBy(...cols: Cols): WindowSpec {
    return new WindowSpec(this.partition, flat(cols), this.frame);
  }

  /** Frame in rows relative to the current row: `Window.unboundedPreceding`, `-1`, `Window.currentRow`, `1`, … */
  rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(this.partition, this.order, checkFrame("ROWS", start, end));
  }

  /** Frame in values of the (single) ordering column relative to the current row's value. */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec(this.partition, this.order, checkFrame("RANGE", start, end));
  }

  /** The SQL inside `OVER (…)`. */
  toSQL(): string {
    return this._spec().sql;
  }

  /** @internal */
  _spec(): { sql: string; name: string; cols: Column[] } {
    const sql: string[] = [];
    const name: string[] = [];
    if (this.partition.length) {
      sql.push(`PARTITION BY ${this.partition.map((c) => c._s.sql).join(", ")}`);
      name.push(`PARTITION BY ${this.partition.map((c) => c._s.name).join(", ")}`);
    }
    if (this.order.length) {
      const keys = this.order.map(sortSql);
      sql.push(`ORDER BY ${keys.map((k) => k.sql).join(", ")}`);
      name.push(`ORDER BY ${keys.map((k) => k.name).join(", ")}`);
    }
    if (this.frame) {
      const f = `${this.frame.kind} BETWEEN ${bound(this.frame.start)} AND ${bound(this.frame.end)}`;
      sql.push(f);
      name.push(f);
    }
    return { sql: sql.join(" "), name: name.join(" "), cols: [...this.partition, ...this.order] };
  }
}

function checkFrame(kind: "ROWS" | "RANGE", start: number, end: number): Frame {
  const s = Number(start);
  const e = Number(end);
  if (Number.isNaN(s) || Number.isNaN(e) || (!Number.isInteger(s) && Number.isFinite(s)) || (!Number.isInteger(e) && Number.isFinite(e))) {
    throw new LakehouseError("INVALID_ARGUMENT", `${kind === "ROWS" ? "rowsBetween" : "rangeBetween"}(${start}, ${end}) needs integer boundaries. Use Window.unboundedPreceding, Window.currentRow, Window.unboundedFollowing or row offsets like -1 and 1.`);
  }
  if (s > e) {
    throw new LakehouseError("INVALID_ARGUMENT", `The window frame starts after it ends (${start} > ${end}). Put the lower boundary first.`);
  }
  return { kind, start: s, end: e };
}

/** PySpark's `Window` entry point. */
export const Window = Object.freeze({
  unboundedPreceding: UNBOUNDED_PRECEDING,
  unboundedFollowing: UNBOUNDED_FOLLOWING,
  currentRow: 0,
  partitionBy: (...cols: Cols): WindowSpec => new WindowSpec().partitionBy(...cols),
  orderBy: (...cols: Cols): WindowSpec => new WindowSpec().orderBy(...cols),
  rowsBetween: (start: number, end: number): WindowSpec => new WindowSpec().rowsBetween(start, end),
  rangeBetween: (start: number, end: number): WindowSpec => new WindowSpec().rangeBetween(start, end),
});
