/**
 * The logical plan of a DataFrame and its compiler to SQL.
 *
 * A DataFrame is an immutable tree of operations (`Node`). Compiling walks the tree bottom-up
 * and folds each operation into the SELECT being built whenever SQL allows it, so that a
 * table followed by filters, selects, sorts and a limit becomes ONE flat SELECT — the session
 * prunes files with the WHERE conjuncts of the SELECT that reads a table:
 *
 *   spark.table("c360.gold.t").filter(col("x").eq(1)).select("a", "b").filter("y > 2").orderBy("a").limit(10)
 *   → SELECT "a", "b" FROM c360.gold.t WHERE ("x" = 1) AND (y > 2) ORDER BY "a" ASC NULLS FIRST LIMIT 10
 *
 * Only when SQL's clause order cannot express the next operation (a filter after a LIMIT or an
 * aggregation that HAVING cannot take, a window over computed columns, a join of two frames …)
 * does the current SELECT become a subquery `(…) AS _dfN`. Filters are pushed through
 * projections that pass their columns through unchanged, down to the SELECT over the table.
 *
 * Some operations need the input's column names (withColumn replacing a column, drop, a join on
 * column names, unionByName) or types (fillna). Names are derived symbolically from the plan;
 * the source tables' columns come from the session (`schema` argument) or from one
 * `describeQuery` per source, made by `resolve()` before any action runs.
 */
import { LakehouseError } from "../../errors.js";
import { editDistance } from "../parser/tokenizer.js";
import { aliasSql, Column, derive, isWrapped, lit, quoteIdent, refColumn, resolveMarkers, type Literal } from "./column.js";
import type { QueryRunner } from "./runner.js";
import { typeFamily } from "./types.js";
import { sortSql } from "./window.js";

export interface Field {
  name: string;
  type: string;
}

export type JoinHow = "inner" | "left" | "right" | "full" | "semi" | "anti" | "cross";
export type FillScalar = number | bigint | string | boolean;
export type FillValue = FillScalar | Readonly<Record<string, FillScalar>>;

type NodeBody =
  | { op: "table"; name: string; schema?: readonly Field[] }
  | { op: "sql"; sql: string; schema?: readonly Field[] }
  | { op: "filter"; input: Node; cond: Column }
  | { op: "select"; input: Node; cols: readonly Column[] }
  | { op: "withColumns"; input: Node; cols: readonly (readonly [string, Column])[] }
  | { op: "rename"; input: Node; pairs: readonly (readonly [string, string])[] }
  | { op: "drop"; input: Node; cols: readonly Column[] }
  | { op: "aggregate"; input: Node; keys: readonly Column[]; aggs: readonly Column[]; numeric?: { fn: string; make: (c: Column) => Column } }
  | { op: "join"; left: Node; right: Node; on?: readonly string[] | Column; how: JoinHow }
  | { op: "sort"; input: Node; orders: readonly Column[] }
  | { op: "limit"; input: Node; n: number }
  | { op: "distinct"; input: Node }
  | { op: "dropDuplicates"; input: Node; subset: readonly string[] }
  | { op: "union"; left: Node; right: Node; byName: boolean; allowMissing: boolean }
  | { op: "alias"; input: Node; name: string }
  | { op: "fillna"; input: Node; value: FillValue; subset?: readonly string[] }
  | { op: "dropna"; input: Node; how: "any" | "all"; thresh?: number; subset?: readonly string[] };

/** One immutable plan node; `id` identifies the DataFrame it belongs to (for `df.col(…)`). */
export type Node = NodeBody & { readonly id: number };

let lastId = 0;

export function makeNode(body: NodeBody): Node {
  return Object.freeze({ ...body, id: ++lastId }) as Node;
}

/** Columns learned with `describeQuery`, per node. Nodes are immutable, so the cache never goes stale. */
const described = new WeakMap<Node, readonly Field[]>();

export function knownFields(node: Node): readonly Field[] | undefined {
  if ((node.op === "table" || node.op === "sql") && node.schema) return node.schema;
  return described.get(node);
}

/** Thrown while compiling when the columns of `node` must be looked up first. */
export class NeedsSchema extends Error {
  constructor(readonly node: Node) {
    super("The DataFrame's columns are not resolved yet.");
  }
}

function children(node: Node): Node[] {
  if ("input" in node) return [node.input];
  if ("left" in node) return [node.left, node.right];
  return [];
}

const lineages = new WeakMap<Node, ReadonlySet<number>>();

/** Ids of the node and everything below it: the DataFrames whose `df.col(…)` reach it. */
function lineage(node: Node): ReadonlySet<number> {
  let ids = lineages.get(node);
  if (!ids) {
    const set = new Set<number>([node.id]);
    for (const c of children(node)) for (const id of lineage(c)) set.add(id);
    ids = set;
    lineages.set(node, ids);
  }
  return ids;
}

// --- the SELECT under construction -----------------------------------------------------------

interface Item {
  sql: string;
  name: string;
  /** Passes an input column of the same name through unchanged. */
  plain: boolean;
  /** DuckDB's own name for `sql` (a column reference's last part): no `AS` needed when equal to `name`. */
  bare?: string;
  star?: { qualifier?: string };
  agg: boolean;
  window: boolean;
  gen: boolean;
  refs: readonly string[];
  /** For references into a join side: the DataFrames of that side. */
  frames?: ReadonlySet<number>;
}

type Leaf =
  | { kind: "table"; name: string; alias?: string; node: Node; ids?: ReadonlySet<number> }
  | { kind: "sql"; sql: string; alias: string; node: Node; ids?: ReadonlySet<number> }
  | { kind: "sub"; sel: Select; alias: string; ids?: ReadonlySet<number> }
  | { kind: "setop"; parts: Select[]; alias: string; ids?: ReadonlySet<number> };

interface JoinFrom {
  kind: "join";
  left: From;
  right: Leaf;
  how: JoinHow;
  on?: string;
  using?: string[];
}

type From = Leaf | JoinFrom;

interface Select {
  from: From;
  /** The user's alias of this frame (`df.alias("o")`). */
  alias?: string;
  items: Item[] | null;
  where: string[];
  groupBy: string[] | null;
  having: string[];
  qualify: string[];
  orderBy: { sql: string; refs: readonly string[] }[];
  limit?: number;
  distinct: boolean;
  aggregated: boolean;
}

interface Ctx {
  n: number;
}

function gen(ctx: Ctx): string {
  return `_df${++ctx.n}`;
}

function select(from: From): Select {
  return { from, items: null, where: [], groupBy: null, having: [], qualify: [], orderBy: [], distinct: false, aggregated: false };
}

function isBare(s: Select): boolean {
  return s.items === null && s.where.length === 0 && s.groupBy === null && s.having.length === 0 && s.qualify.length === 0
    && s.orderBy.length === 0 && s.limit === undefined && !s.distinct && !s.aggregated;
}

/** The current SELECT as a subquery of a new one. */
function wrap(s: Select, ctx: Ctx): Select {
  if (isBare(s) && s.from.kind !== "join") return s;
  const w = select({ kind: "sub", sel: s, alias: s.alias ?? gen(ctx) });
  w.alias = s.alias;
  return w;
}

const lower = (s: string) => s.toLowerCase();

function itemOf(c: Column): Item {
  const s = c._s;
  if (s.star) return { sql: s.sql, name: "*", plain: true, star: { qualifier: s.star.qualifier }, agg: false, window: false, gen: false, refs: [] };
  const name = s.alias ?? s.name;
  const ref = s.ref;
  const bare = ref ? ref.parts[ref.parts.length - 1] : undefined;
  return {
    sql: s.sql, name, bare, plain: !!ref && ref.parts.length === 1 && name === ref.parts[0],
    agg: s.agg, window: s.window, gen: s.gen, refs: s.refs, frames: ref?.frame !== undefined ? new Set([ref.frame]) : undefined,
  };
}

function plainItem(name: string, qualifier?: string, frames?: ReadonlySet<number>): Item {
  return { sql: `${qualifier ? `${aliasSql(qualifier)}.` : ""}${quoteIdent(name)}`, name, bare: name, plain: true, agg: false, window: false, gen: false, refs: [lower(name)], frames };
}

// --- names ---------------------------------------------------------------------------------

function leafAlias(l: Leaf): string | undefined {
  return l.alias;
}

function leaves(f: From): Leaf[] {
  return f.kind === "join" ? [...leaves(f.left), f.right] : [f];
}

function leafNames(l: Leaf, strict: boolean): string[] | undefined {
  switch (l.kind) {
    case "table":
    case "sql": {
      const f = knownFields(l.node);
      if (f) return f.map((x) => x.name);
      if (strict) throw new NeedsSchema(l.node);
      return undefined;
    }
    case "sub":
      return outNames(l.sel, strict);
    case "setop":
      return outNames(l.parts[0]!, strict);
  }
}

function fromNames(f: From, strict: boolean): string[] | undefined {
  if (f.kind !== "join") return leafNames(f, strict);
  const l = fromNames(f.left, strict);
  if (f.how === "semi" || f.how === "anti") return l;
  const r = leafNames(f.right, strict);
  if (!l || !r) return undefined;
  if (!f.using) return [...l, ...r];
  const keys = new Set(f.using.map(lower));
  return [...f.using, ...l.filter((n) => !keys.has(lower(n))), ...r.filter((n) => !keys.has(lower(n)))];
}

function outNames(s: Select, strict: boolean): string[] | undefined {
  if (s.items === null) return fromNames(s.from, strict);
  const out: string[] = [];
  for (const it of s.items) {
    if (!it.star) {
      out.push(it.name);
      continue;
    }
    const names = it.star.qualifier !== undefined ? qualifiedNames(s.from, it.star.qualifier, strict) : fromNames(s.from, strict);
    if (!names) return undefined;
    out.push(...names);
  }
  return out;
}

function qualifiedNames(f: From, qualifier: string, strict: boolean): string[] | undefined {
  const leaf = leaves(f).find((l) => l.alias !== undefined && lower(l.alias) === lower(qualifier));
  return leaf ? leafNames(leaf, strict) : fromNames(f, strict);
}

/** The output column names of `node`, compiled as `s`; throws NeedsSchema when unknown. */
function namesOf(node: Node, s: Select): string[] {
  return outNames(s, false) ?? described.get(node)?.map((f) => f.name) ?? outNames(s, true)!;
}

/** The output columns with types: only known once described. */
function fieldsOf(node: Node): readonly Field[] {
  const f = knownFields(node);
  if (!f) throw new NeedsSchema(node);
  return f;
}

/** Items that reproduce the current output column by column (stars and `SELECT *` expanded). */
function expandItems(s: Select): Item[] {
  const expandFrom = (f: From): Item[] => {
    if (f.kind === "join") {
      if (f.using) {
        const keys = new Set(f.using.map(lower));
        const l = expandFrom(f.left).filter((i) => !keys.has(lower(i.name)));
        const r = f.how === "semi" || f.how === "anti" ? [] : expandFrom(f.right).filter((i) => !keys.has(lower(i.name)));
        return [...f.using.map((k) => plainItem(k)), ...l, ...r];
      }
      return f.how === "semi" || f.how === "anti" ? expandFrom(f.left) : [...expandFrom(f.left), ...expandFrom(f.right)];
    }
    const names = leafNames(f, true)!;
    const qualify = s.from.kind === "join" ? f.alias : undefined;
    return names.map((n) => plainItem(n, qualify, f.ids));
  };
  if (s.items === null) return expandFrom(s.from);
  return s.items.flatMap((it) => {
    if (!it.star) return [it];
    if (it.star.qualifier === undefined) return expandFrom(s.from);
    const leaf = leaves(s.from).find((l) => l.alias !== undefined && lower(l.alias) === lower(it.star!.qualifier!));
    return leaf ? expandFrom(leaf) : [it];
  });
}

// --- validation ----------------------------------------------------------------------------

function unresolved(name: string, available: readonly string[]): LakehouseError {
  const ranked = [...new Set(available)].sort((a, b) => editDistance(lower(a), lower(name)) - editDistance(lower(b), lower(name)));
  const suggestions = ranked.slice(0, 5).map((n) => `\`${n}\``).join(", ");
  return new LakehouseError("UNRESOLVED_COLUMN",
    `A column or function parameter with name \`${name}\` cannot be resolved. Did you mean one of the following? [${suggestions}]. ` +
    `Check the spelling (or back-quote a name that contains dots), and list the columns with df.columns() or df.printSchema().`,
    { name, available: [...new Set(available)] }, "42703");
}

/** Checks the names written with `col()` against what the input offers, when that is known. */
function validate(s: Select, cols: readonly Column[]): void {
  if (!cols.some((c) => c._s.checks.length > 0)) return;
  const out = outNames(s, false);
  if (!out) return;
  const from = s.items !== null ? fromNames(s.from, false) ?? [] : [];
  const names = new Set([...out, ...from].map(lower));
  const aliases = new Set(leaves(s.from).flatMap((l) => (l.alias ? [lower(l.alias)] : [])));
  if (s.alias) aliases.add(lower(s.alias));
  for (const c of cols) {
    for (const parts of c._s.checks) {
      const first = lower(parts[0]!);
      if (names.has(first)) continue;
      if (parts.length > 1 && aliases.has(first)) continue;
      throw unresolved(parts.join("."), out);
    }
  }
}

// --- merging operations into a SELECT ------------------------------------------------------

/** True when every reference in `refs` that names an item names one that passes a column through. */
function passesThrough(items: readonly Item[] | null, refs: readonly string[]): boolean {
  if (items === null) return true;
  for (const r of refs) {
    for (const it of items) if (!it.star && lower(it.name) === r && !it.plain) return false;
  }
  return true;
}

function tryWhere(s: Select, c: Column): boolean {
  const st = c._s;
  if (s.limit !== undefined || s.distinct || s.aggregated || s.qualify.length || st.agg || st.window || st.gen) return false;
  if (s.items && (s.items.some((i) => i.window || i.gen) || !passesThrough(s.items, st.refs))) return false;
  if (s.from.kind === "sub" && !st.qualified && tryWhere(s.from.sel, c)) return true;
  s.where.push(st.sql);
  return true;
}

function tryHaving(s: Select, c: Column): boolean {
  const st = c._s;
  if (!s.aggregated || s.limit !== undefined || s.distinct || s.qualify.length || !s.items || st.window || st.agg || st.gen || st.qualified) return false;
  const source = new Set((fromNames(s.from, false) ?? []).map(lower));
  if (st.refs.length === 0) return false;
  for (const r of st.refs) {
    const it = s.items.find((i) => !i.star && lower(i.name) === r);
    if (!it) return false;
    // An aggregate's alias that is also an input column name would bind to the input column.
    if (!it.plain && (source.size === 0 || source.has(r))) return false;
  }
  s.having.push(st.sql);
  return true;
}

function addFilter(s: Select, c: Column, ctx: Ctx): Select {
  if (tryWhere(s, c) || tryHaving(s, c)) return s;
  const w = wrap(s, ctx);
  w.where.push(c._s.sql);
  return w;
}

interface Reshape {
  items: Item[];
  /** Items computed by this operation (their references resolve against the current items). */
  fresh: Item[];
}

function orderStillValid(old: readonly Item[] | null, next: readonly Item[], orderBy: Select["orderBy"]): boolean {
  for (const o of orderBy) {
    for (const r of o.refs) {
      const before = old?.find((i) => !i.star && lower(i.name) === r);
      const after = next.find((i) => !i.star && lower(i.name) === r);
      if (after) {
        if (before ? after.sql !== before.sql : !after.plain) return false;
      } else if (before && !before.plain) return false;
    }
  }
  return true;
}

function canReshape(s: Select, r: Reshape): boolean {
  if (s.distinct || s.qualify.length) return false;
  const special = r.fresh.some((i) => i.agg || i.window || i.gen);
  if (s.aggregated && r.fresh.length) return false;
  if (s.limit !== undefined && special) return false;
  if (s.items) {
    if (r.items.some((i) => i.star && i.star.qualifier !== undefined) && s.items.every((i) => !i.star)) return false;
    for (const f of r.fresh) if (!passesThrough(s.items, f.refs)) return false;
    if (r.fresh.some((i) => i.agg || i.window) && s.items.some((i) => i.gen)) return false;
    if (r.fresh.some((i) => i.agg) && s.items.some((i) => i.window)) return false;
  }
  return orderStillValid(s.items, r.items, s.orderBy);
}

function applyReshape(s: Select, r: Reshape): Select {
  s.items = r.items.length === 1 && r.items[0]!.star && r.items[0]!.star.qualifier === undefined ? null : r.items;
  if (r.fresh.some((i) => i.agg) && !s.aggregated) {
    s.aggregated = true;
    if (s.limit === undefined) s.orderBy = []; // a global aggregate is one row: an earlier sort is moot
  }
  return s;
}

/**
 * Replaces the SELECT list. `build` describes the new list in terms of the current SELECT; if
 * that cannot be merged, it is asked again for a subquery of it.
 */
function reshape(s: Select, ctx: Ctx, build: (s: Select) => Reshape | "unchanged"): Select {
  const r = build(s);
  if (r === "unchanged") return s;
  if (canReshape(s, r)) return applyReshape(s, r);
  const w = wrap(s, ctx);
  const r2 = build(w);
  if (r2 === "unchanged") return w;
  return applyReshape(w, r2);
}

/** `select(cols)`: picks existing items by name where possible, computes the rest. */
function projection(s: Select, cols: readonly Column[]): Reshape {
  const items: Item[] = [];
  const fresh: Item[] = [];
  for (const c of cols) {
    const st = c._s;
    if (st.star && st.star.qualifier === undefined) {
      if (s.items === null) items.push(itemOf(c));
      else items.push(...s.items);
      continue;
    }
    const ref = st.ref;
    if (s.items !== null && ref && ref.parts.length === 1) {
      const matches = s.items.filter((i) => !i.star && lower(i.name) === lower(ref.parts[0]!)
        && (ref.frame === undefined || !i.frames || i.frames.has(ref.frame)));
      if (matches.length === 1) {
        const m = matches[0]!;
        const name = st.alias ?? m.name;
        items.push({ ...m, name, plain: m.plain && name === m.name });
        continue;
      }
    }
    const it = itemOf(c);
    items.push(it);
    if (!st.star) fresh.push(it);
  }
  return { items, fresh };
}

// --- compiling -----------------------------------------------------------------------------

function joinKeyword(how: JoinHow): string {
  switch (how) {
    case "inner": return "JOIN";
    case "left": return "LEFT JOIN";
    case "right": return "RIGHT JOIN";
    case "full": return "FULL OUTER JOIN";
    case "semi": return "SEMI JOIN";
    case "anti": return "ANTI JOIN";
    case "cross": return "CROSS JOIN";
  }
}

/** A SELECT as one side of a join: the table itself when nothing else happened to it. */
function sideOf(s: Select, node: Node, ctx: Ctx, left: boolean): From {
  const ids = lineage(node);
  if (isBare(s)) {
    if (s.from.kind === "join") {
      if (left) return s.from;
    } else if (s.from.kind === "table") {
      return { ...s.from, alias: s.from.alias ?? s.alias ?? gen(ctx), ids };
    } else {
      return { ...s.from, ids };
    }
  }
  return { kind: "sub", sel: s, alias: s.alias ?? gen(ctx), ids };
}

function findName(names: readonly string[], name: string): string | undefined {
  return names.find((n) => lower(n) === lower(name));
}

function compile(node: Node, ctx: Ctx): Select {
  switch (node.op) {
    case "table":
      return select({ kind: "table", name: node.name, node });
    case "sql":
      return select({ kind: "sql", sql: node.sql, alias: gen(ctx), node });

    case "filter": {
      const s = compile(node.input, ctx);
      validate(s, [node.cond]);
      return addFilter(s, node.cond, ctx);
    }

    case "select": {
      const s = compile(node.input, ctx);
      validate(s, node.cols);
      return reshape(s, ctx, (x) => projection(x, node.cols));
    }

    case "withColumns": {
      const s = compile(node.input, ctx);
      validate(s, node.cols.map(([, c]) => c));
      const names = new Set(namesOf(node.input, s).map(lower));
      return reshape(s, ctx, (x) => {
        const fresh: Item[] = [];
        const replace = new Map<string, Item>();
        const append: Item[] = [];
        for (const [name, c] of node.cols) {
          const it = itemOf(c.alias(name));
          fresh.push(it);
          if (names.has(lower(name))) replace.set(lower(name), it);
          else append.push(it);
        }
        if (replace.size === 0 && x.items === null) return { items: [itemOf(refStar()), ...append], fresh };
        const items = expandItems(x).map((i) => (i.star ? i : replace.get(lower(i.name)) ?? i));
        return { items: [...items, ...append], fresh };
      });
    }

    case "rename": {
      const s = compile(node.input, ctx);
      const names = namesOf(node.input, s).map(lower);
      const pairs = node.pairs.filter(([from]) => names.includes(lower(from)));
      if (pairs.length === 0) return s;
      return reshape(s, ctx, (x) => ({
        items: expandItems(x).map((i) => {
          const p = pairs.find(([from]) => lower(from) === lower(i.name));
          return p ? { ...i, name: p[1], plain: false } : i;
        }),
        fresh: [],
      }));
    }

    case "drop": {
      const s = compile(node.input, ctx);
      const names = namesOf(node.input, s).map(lower);
      const cols = node.cols.filter((c) => c._s.ref && names.includes(lower(c._s.ref.parts[c._s.ref.parts.length - 1]!)));
      if (cols.length === 0) return s;
      const dropped = (i: Item) => cols.some((c) => {
        const ref = c._s.ref!;
        if (lower(i.name) !== lower(ref.parts[ref.parts.length - 1]!)) return false;
        return ref.frame === undefined || !i.frames || i.frames.has(ref.frame);
      });
      return reshape(s, ctx, (x) => {
        const all = expandItems(x);
        const kept = all.filter((i) => !dropped(i));
        return kept.length === all.length ? "unchanged" : { items: kept, fresh: [] };
      });
    }

    case "aggregate": {
      let s = compile(node.input, ctx);
      let aggs = node.aggs;
      if (node.numeric) {
        const keys = new Set(node.keys.map((k) => lower(k._s.alias ?? k._s.name)));
        aggs = fieldsOf(node.input).filter((f) => typeFamily(f.type) === "numeric" && !keys.has(lower(f.name))).map((f) => node.numeric!.make(refColumn([f.name])));
      }
      const all = [...node.keys, ...aggs];
      validate(s, all);
      const mergeable = !s.aggregated && s.limit === undefined && !s.distinct && !s.qualify.length
        && (s.items === null || (!s.items.some((i) => i.window || i.gen) && all.every((c) => passesThrough(s.items, c._s.refs))));
      if (!mergeable) s = wrap(s, ctx);
      s.orderBy = [];
      s.groupBy = node.keys.length ? node.keys.map((k) => k._s.sql) : null;
      s.items = all.map(itemOf);
      s.aggregated = true;
      return s;
    }

    case "join":
      return compileJoin(node, ctx);

    case "sort": {
      let s = compile(node.input, ctx);
      validate(s, node.orders);
      if (s.limit !== undefined) s = wrap(s, ctx);
      s.orderBy = node.orders.map((o) => ({ sql: sortSql(o).sql, refs: o._s.refs }));
      return s;
    }

    case "limit": {
      const s = compile(node.input, ctx);
      s.limit = s.limit === undefined ? node.n : Math.min(s.limit, node.n);
      return s;
    }

    case "distinct": {
      let s = compile(node.input, ctx);
      if (s.limit !== undefined || s.qualify.length) s = wrap(s, ctx);
      s.distinct = true;
      return s;
    }

    case "dropDuplicates": {
      let s = compile(node.input, ctx);
      const names = namesOf(node.input, s);
      const subset = node.subset.map((n) => {
        const found = findName(names, n);
        if (found === undefined) throw unresolved(n, names);
        return found;
      });
      const refs = subset.map(lower);
      const mergeable = s.limit === undefined && !s.distinct && !s.qualify.length && !s.aggregated
        && !(s.items ?? []).some((i) => i.gen) && passesThrough(s.items, refs);
      if (!mergeable) s = wrap(s, ctx);
      s.qualify.push(`row_number() OVER (PARTITION BY ${subset.map(quoteIdent).join(", ")}) = 1`);
      return s;
    }

    case "union":
      return compileUnion(node, ctx);

    case "alias": {
      const s = compile(node.input, ctx);
      if (s.items === null && s.from.kind !== "join") {
        s.from = { ...s.from, alias: node.name } as Leaf;
        s.alias = node.name;
        return s;
      }
      s.alias = node.name;
      return wrap(s, ctx);
    }

    case "fillna": {
      const s = compile(node.input, ctx);
      const fields = fieldsOf(node.input);
      const value = node.value;
      const subset = node.subset?.map(lower);
      const fill = (f: Field): FillScalar | undefined => {
        if (subset && !subset.includes(lower(f.name))) return undefined;
        if (typeof value === "object") {
          const key = Object.keys(value).find((k) => lower(k) === lower(f.name));
          return key === undefined ? undefined : value[key];
        }
        const fam = typeFamily(f.type);
        if ((typeof value === "number" || typeof value === "bigint") && fam === "numeric") return value;
        if (typeof value === "string" && fam === "string") return value;
        if (typeof value === "boolean" && fam === "boolean") return value;
        return undefined;
      };
      const targets = fields.filter((f) => fill(f) !== undefined);
      if (targets.length === 0) return s;
      return reshape(s, ctx, (x) => {
        const fresh: Item[] = [];
        const items = fields.map((f) => {
          const v = fill(f);
          if (v === undefined) return plainItem(f.name);
          const ref = refColumn([f.name]);
          const it = itemOf(derive([ref], `coalesce(${ref._s.sql}, CAST(${lit(v as Literal)._s.sql} AS ${f.type}))`, `coalesce(${f.name}, ${String(v)})`).alias(f.name));
          fresh.push(it);
          return it;
        });
        // Items over a join must stay qualified: take the current ones for the untouched columns.
        const current = x.items === null && x.from.kind !== "join" ? null : expandItems(x);
        return { items: current && current.length === items.length ? items.map((it, i) => (fresh.includes(it) ? it : current[i]!)) : items, fresh };
      });
    }

    case "dropna": {
      const s = compile(node.input, ctx);
      const names = namesOf(node.input, s);
      const cols = (node.subset ?? names).map((n) => {
        const found = findName(names, n);
        if (found === undefined) throw unresolved(n, names);
        return quoteIdent(found);
      });
      if (cols.length === 0) return s;
      let cond: string;
      if (node.thresh !== undefined) cond = `((${cols.map((c) => `CASE WHEN ${c} IS NOT NULL THEN 1 ELSE 0 END`).join(" + ")}) >= ${node.thresh})`;
      else cond = `(${cols.map((c) => `${c} IS NOT NULL`).join(node.how === "all" ? " OR " : " AND ")})`;
      return addFilter(s, derive(cols.map((c, i) => refColumn([findName(names, (node.subset ?? names)[i]!)!])), cond, cond), ctx);
    }
  }
}

function refStar(): Column {
  return new Column({ sql: "*", name: "*", refs: [], checks: [], qualified: false, agg: false, window: false, gen: false, star: {} });
}

function compileJoin(node: Extract<Node, { op: "join" }>, ctx: Ctx): Select {
  const L = compile(node.left, ctx);
  const R = compile(node.right, ctx);
  const left = sideOf(L, node.left, ctx, true);
  const right = sideOf(R, node.right, ctx, false) as Leaf;
  let how = node.how;
  const on = node.on;
  if (on instanceof Column) {
    const s = select({ kind: "join", left, right, how: how === "cross" ? "inner" : how, on: on._s.sql });
    validate(s, [on]);
    return s;
  }
  if (on === undefined || on.length === 0) {
    if (how === "inner" || how === "cross") return select({ kind: "join", left, right, how: "cross" });
    return select({ kind: "join", left, right, how, on: "TRUE" });
  }
  const ln = namesOf(node.left, L);
  const rn = namesOf(node.right, R);
  const keys = on.map((k) => {
    const l = findName(ln, k);
    const r = findName(rn, k);
    if (l === undefined || r === undefined) {
      const side = l === undefined ? "left" : "right";
      const names = l === undefined ? ln : rn;
      throw new LakehouseError("UNRESOLVED_USING_COLUMN_FOR_JOIN",
        `USING column \`${k}\` cannot be resolved on the ${side} side of the join. The ${side}-side columns: [${names.map((n) => `\`${n}\``).join(", ")}]. ` +
        `Join on a column both DataFrames have, or pass a condition: a.join(b, a.col("x").eq(b.col("y"))).`, { column: k, side, available: names });
    }
    return l;
  });
  if (how === "cross") how = "inner";
  const s = select({ kind: "join", left, right, how, using: keys });
  if (how !== "semi" && how !== "anti") s.items = expandItems(s);
  return s;
}

function setParts(s: Select): Select[] {
  return isBare(s) && s.from.kind === "setop" ? s.from.parts : [s];
}

function compileUnion(node: Extract<Node, { op: "union" }>, ctx: Ctx): Select {
  let L = compile(node.left, ctx);
  let R = compile(node.right, ctx);
  if (node.byName) {
    const ln = namesOf(node.left, L);
    const rn = namesOf(node.right, R);
    const missingRight = ln.filter((n) => findName(rn, n) === undefined);
    const extraRight = rn.filter((n) => findName(ln, n) === undefined);
    if (!node.allowMissing && (missingRight.length || extraRight.length)) {
      const [name, side] = missingRight.length ? [missingRight[0]!, "second"] : [extraRight[0]!, "first"];
      throw new LakehouseError("UNRESOLVED_COLUMN",
        `unionByName: column \`${name}\` is missing from the ${side} DataFrame (first: [${ln.join(", ")}], second: [${rn.join(", ")}]). ` +
        `Pass allowMissingColumns = true to fill missing columns with NULL, or select the same columns on both sides.`,
        { name, left: ln, right: rn });
    }
    const out = [...ln, ...extraRight];
    if (extraRight.length) {
      const cols = [refStar(), ...extraRight.map((n) => lit(null).alias(n))];
      L = reshape(L, ctx, (x) => projection(x, cols));
    }
    const sameOrder = rn.length === out.length && rn.every((n, i) => n === out[i]);
    if (!sameOrder) {
      const cols = out.map((n) => {
        const found = findName(rn, n);
        return found === undefined ? lit(null).alias(n) : found === n ? refColumn([n]) : refColumn([found]).alias(n);
      });
      R = reshape(R, ctx, (x) => projection(x, cols));
    }
  } else {
    const ln = outNames(L, false);
    const rn = outNames(R, false);
    if (ln && rn && ln.length !== rn.length) {
      throw new LakehouseError("NUM_COLUMNS_MISMATCH",
        `UNION can only be performed on inputs with the same number of columns, but the first input has ${ln.length} columns and the second input has ${rn.length} columns. ` +
        `Select the same columns on both sides, or use unionByName(other, true).`, { left: ln, right: rn });
    }
  }
  const alias = isBare(L) && L.from.kind === "setop" ? L.from.alias : gen(ctx);
  return select({ kind: "setop", parts: [...setParts(L), ...setParts(R)], alias });
}

// --- rendering -----------------------------------------------------------------------------

function conjuncts(list: readonly string[], r: (s: string) => string): string {
  return list.map((c) => (isWrapped(c) ? r(c) : `(${r(c)})`)).join(" AND ");
}

function joinScope(f: From): Map<number, string> {
  const scope = new Map<number, string>();
  for (const l of leaves(f)) {
    const alias = leafAlias(l);
    if (alias === undefined || !l.ids) continue;
    for (const id of l.ids) if (!scope.has(id)) scope.set(id, alias);
  }
  return scope;
}

function renderSetop(parts: readonly Select[]): string {
  return parts.map((p) => {
    const text = render(p);
    const needsParens = p.orderBy.length > 0 || p.limit !== undefined || (isBare(p) && p.from.kind === "sql");
    return needsParens ? `(${text})` : text;
  }).join(" UNION ALL ");
}

function renderFrom(f: From, r: (s: string) => string): string {
  switch (f.kind) {
    case "table":
      return f.alias !== undefined ? `${f.name} AS ${aliasSql(f.alias)}` : f.name;
    case "sql":
      return `(${f.sql}) AS ${aliasSql(f.alias)}`;
    case "sub":
      return `(${render(f.sel)}) AS ${aliasSql(f.alias)}`;
    case "setop":
      return `(${renderSetop(f.parts)}) AS ${aliasSql(f.alias)}`;
    case "join": {
      const cond = f.using ? ` USING (${f.using.map(quoteIdent).join(", ")})` : f.on !== undefined ? ` ON ${r(f.on)}` : "";
      return `${renderFrom(f.left, r)} ${joinKeyword(f.how)} ${renderFrom(f.right, r)}${cond}`;
    }
  }
}

function render(s: Select): string {
  if (isBare(s)) {
    if (s.from.kind === "setop") return renderSetop(s.from.parts);
    if (s.from.kind === "sql") return s.from.sql;
  }
  const scope = s.from.kind === "join" ? joinScope(s.from) : undefined;
  const r = (x: string) => resolveMarkers(x, scope);
  const items = s.items === null ? "*" : s.items.map((i) => {
    if (i.star) return r(i.sql);
    return i.bare === i.name ? r(i.sql) : `${r(i.sql)} AS ${quoteIdent(i.name)}`;
  }).join(", ");
  let sql = `SELECT ${s.distinct ? "DISTINCT " : ""}${items} FROM ${renderFrom(s.from, r)}`;
  if (s.where.length) sql += ` WHERE ${conjuncts(s.where, r)}`;
  if (s.groupBy) sql += ` GROUP BY ${s.groupBy.map(r).join(", ")}`;
  if (s.having.length) sql += ` HAVING ${conjuncts(s.having, r)}`;
  if (s.qualify.length) sql += ` QUALIFY ${s.qualify.length === 1 ? r(s.qualify[0]!) : conjuncts(s.qualify, r)}`;
  if (s.orderBy.length) sql += ` ORDER BY ${s.orderBy.map((o) => r(o.sql)).join(", ")}`;
  if (s.limit !== undefined) sql += ` LIMIT ${s.limit}`;
  return sql;
}

// --- entry points --------------------------------------------------------------------------

/** The SQL of a plan. Throws NeedsSchema when columns must be looked up first (see `resolvePlan`). */
export function planToSql(node: Node): string {
  return render(compile(node, { n: 0 }));
}

/** The column names of a plan's result when they follow from the plan alone. */
export function planColumnNames(node: Node): string[] | undefined {
  return outNames(compile(node, { n: 0 }), false);
}

function sources(node: Node, out: Node[] = []): Node[] {
  if (node.op === "table" || node.op === "sql") out.push(node);
  for (const c of children(node)) sources(c, out);
  return out;
}

/** SQL that reads a source node as is. */
function sourceSql(node: Node): string {
  return node.op === "table" ? `SELECT * FROM ${node.name}` : planToSql(node);
}

/**
 * Looks up (once per node, cached) the columns the compiler needs: every source's, then any
 * intermediate result whose names or types an operation asks for.
 */
export async function resolvePlan(node: Node, runner: QueryRunner): Promise<void> {
  // A bare table or query needs nothing; anything built on one gets its sources' columns, so
  // that names written with col() are checked (UNRESOLVED_COLUMN) before the query runs.
  if (node.op !== "table" && node.op !== "sql") {
    for (const src of sources(node)) {
      if (!knownFields(src)) described.set(src, await runner.describeQuery(sourceSql(src)));
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      planToSql(node);
      return;
    } catch (e) {
      if (!(e instanceof NeedsSchema)) throw e;
      if (knownFields(e.node) || attempt > 1000) throw e;
      await resolvePlan(e.node, runner);
      if (!knownFields(e.node)) described.set(e.node, await runner.describeQuery(planToSql(e.node)));
    }
  }
}

/** Columns and DuckDB types of a plan's result (described once, then cached). */
export async function planSchema(node: Node, runner: QueryRunner): Promise<readonly Field[]> {
  const known = knownFields(node);
  if (known) return known;
  await resolvePlan(node, runner);
  const fields = await runner.describeQuery(planToSql(node));
  described.set(node, fields);
  return fields;
}
