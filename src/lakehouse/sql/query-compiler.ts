/**
 * Compiles a Databricks SELECT into DuckDB SQL over Delta snapshots. This is the read half of
 * the session's single choke point: every table reference in a query is resolved here, so
 * governance and lineage can hook in at one place later.
 *
 *   1. Databricks-only references (time travel, delta.`path`, table_changes) found on tokens
 *      are replaced by scans of the right snapshot.
 *   2. Backtick identifiers become DuckDB's double-quoted ones.
 *   3. DuckDB parses the query (json_serialize_sql); every base table that names a catalog
 *      table is replaced by a scan of its latest snapshot, pruned with the WHERE conjuncts of
 *      the same SELECT (partition values and min/max stats).
 */
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import type { Predicate } from "../kernel/predicate.js";
import { and } from "../kernel/predicate.js";
import { tokenize, type Token } from "./parser/tokenizer.js";
import { findSpecialTableRefs } from "./parser/table-refs.js";
import type { TableRef, TimeTravel } from "./parser/ast.js";
import { columnResolver, toPredicate } from "./predicates.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

export interface ScanInfo {
  table: string;
  version: number;
  filesScanned: number;
  filesTotal: number;
  predicate?: Predicate;
}

export interface CompileHost {
  /** Parses SQL with DuckDB; returns the json_serialize_sql tree (or an error object). */
  parse(sql: string): Promise<Node>;
  /** True when `parts` names a table in the metastore (after defaults are applied). */
  isCatalogTable(parts: string[]): Promise<boolean>;
  /** Column names of a table reference. */
  columnsOf(ref: TableRef): Promise<string[]>;
  /** A DuckDB SELECT reading the table (pruned by `predicate`) and what it scanned. */
  scanSql(ref: TableRef, timeTravel: TimeTravel | undefined, predicate: Predicate | undefined): Promise<{ sql: string; info: ScanInfo }>;
  /** A DuckDB SELECT over the change feed of a table. */
  changesSql(table: string, start: number | string, end?: number | string): Promise<string>;
}

const NOT_ALIAS = new Set(["WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "QUALIFY", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "SEMI", "ANTI", "ASOF", "POSITIONAL", "ON", "USING", "LATERAL", "PIVOT", "UNPIVOT", "TABLESAMPLE", "USING", "WHEN", "SET", "VALUES"]);

/** The first token at or after `offset` (tokens are sorted by position). */
function tokenAt(tokens: Token[], offset: number): number {
  let lo = 0, hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function followedByAlias(tokens: Token[], end: number): boolean {
  const next = tokens[tokenAt(tokens, end)];
  if (!next) return false;
  if (next.kind === "quotedIdent" || next.kind === "backtick") return true;
  return next.kind === "ident" && !NOT_ALIAS.has(next.upper);
}

function replaceSpans(sql: string, edits: { start: number; end: number; text: string }[]): string {
  let out = sql;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function backticksToQuotes(sql: string): string {
  const edits = tokenize(sql).filter((t) => t.kind === "backtick").map((t) => ({ start: t.start, end: t.end, text: quoteIdent(t.value) }));
  return edits.length ? replaceSpans(sql, edits) : sql;
}

/** Walks every node of the parsed tree. */
function walk(n: Node, visit: (n: Node) => void) {
  if (Array.isArray(n)) {
    for (const x of n) walk(x, visit);
  } else if (n && typeof n === "object") {
    visit(n);
    for (const v of Object.values(n)) if (v && typeof v === "object") walk(v, visit);
  }
}

/**
 * Base tables of a FROM clause, each marked `nullable` when it sits on the NULL-supplying side
 * of an outer join: a WHERE conjunct on such a table (e.g. `b.id IS NULL` in an anti-join) is
 * evaluated after the join, so it must never prune that table's files.
 */
function baseTablesOf(from: Node, out: { node: Node; nullable: boolean }[] = [], nullable = false): { node: Node; nullable: boolean }[] {
  if (!from) return out;
  if (from.type === "BASE_TABLE") out.push({ node: from, nullable });
  else if (from.type === "JOIN") {
    const t = String(from.join_type ?? "INNER").toUpperCase();
    baseTablesOf(from.left, out, nullable || t === "RIGHT" || t === "OUTER" || t === "FULL");
    baseTablesOf(from.right, out, nullable || t === "LEFT" || t === "OUTER" || t === "FULL");
  }
  return out;
}

function conjuncts(n: Node): Node[] {
  if (!n) return [];
  if (n.class === "CONJUNCTION" && n.type === "CONJUNCTION_AND") return n.children.flatMap(conjuncts);
  return [n];
}

export async function compileQuery(host: CompileHost, input: string): Promise<{ sql: string; scans: ScanInfo[] }> {
  const scans: ScanInfo[] = [];
  // 1. Databricks-only references.
  const specials = findSpecialTableRefs(input);
  const inputTokens = specials.length ? tokenize(input) : [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const s of specials) {
    let sql: string;
    if (s.tableChanges) {
      const name = s.ref.kind === "name" ? s.ref.parts.join(".") : s.ref.path;
      sql = await host.changesSql(name, s.tableChanges.start, s.tableChanges.end);
    } else if (s.ref.kind === "path" && s.ref.format !== "delta") {
      const fn = s.ref.format === "parquet" ? "read_parquet" : s.ref.format === "json" ? "read_json_auto" : s.ref.format === "csv" ? "read_csv_auto" : "read_parquet";
      sql = `SELECT * FROM ${fn}(${quoteString(s.ref.path)})`;
    } else {
      const scan = await host.scanSql(s.ref, s.timeTravel, undefined);
      scans.push(scan.info);
      sql = scan.sql;
    }
    const alias = followedByAlias(inputTokens, s.end) ? "" : ` AS ${quoteIdent(s.ref.kind === "name" ? s.ref.parts[s.ref.parts.length - 1]! : "t")}`;
    edits.push({ start: s.start, end: s.end, text: `(${sql})${alias}` });
  }
  let sql = backticksToQuotes(replaceSpans(input, edits));

  // 2. Catalog tables, with predicate pushdown into file pruning.
  const tree = await host.parse(sql);
  if (!tree || tree.error) return { sql, scans };
  const cteNames = new Set<string>();
  walk(tree, (n) => {
    if (n.cte_map?.map) for (const e of n.cte_map.map) cteNames.add(String(e.key).toLowerCase());
  });
  const tableEdits: { start: number; end: number; text: string }[] = [];
  const sqlTokens = tokenize(sql);
  const nodes: Node[] = [];
  walk(tree, (n) => {
    if (n.type === "SELECT_NODE") nodes.push(n);
  });
  for (const node of nodes) {
    const tables = baseTablesOf(node.from_table);
    const single = tables.length === 1 && node.from_table?.type === "BASE_TABLE";
    for (const { node: t, nullable } of tables) {
      const parts = [t.catalog_name, t.schema_name, t.table_name].filter((p: string) => p);
      if (parts.length === 1 && cteNames.has(parts[0].toLowerCase())) continue;
      if (!(await host.isCatalogTable(parts))) continue;
      const ref: TableRef = { kind: "name", parts };
      const cols = await host.columnsOf(ref);
      const resolve = columnResolver(cols, [t.alias || t.table_name]);
      const resolver = single ? resolve : (p: string[]) => (p.length === 2 ? resolve(p) : undefined);
      const pred = nullable ? and([]) : and(conjuncts(node.where_clause).map((c) => toPredicate(c, resolver)));
      const scan = await host.scanSql(ref, undefined, pred.op === "unknown" ? undefined : pred);
      scans.push(scan.info);
      const start = Number(t.query_location);
      // The name is identifier ( "." identifier )* from query_location on.
      const first = tokenAt(sqlTokens, start);
      let end = start;
      for (let i = 0; first + i < sqlTokens.length; i++) {
        const tok = sqlTokens[first + i]!;
        if (i % 2 === 0 && (tok.kind === "ident" || tok.kind === "quotedIdent")) end = tok.end;
        else if (i % 2 === 1 && tok.kind === "punct" && tok.text === ".") continue;
        else break;
      }
      const alias = t.alias ? "" : ` AS ${quoteIdent(t.table_name)}`;
      tableEdits.push({ start, end, text: `(${scan.sql})${alias}` });
    }
  }
  sql = replaceSpans(sql, tableEdits);
  return { sql, scans };
}
