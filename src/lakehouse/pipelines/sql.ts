/**
 * The SQL form of declarative pipelines, parsed with the lakehouse tokenizer into the same
 * definitions the TypeScript API makes (so both forms run identically):
 *
 *   CREATE OR REFRESH STREAMING TABLE name
 *     [(CONSTRAINT c EXPECT (cond) [ON VIOLATION {DROP ROW | FAIL UPDATE}], …, column definitions)]
 *     [COMMENT '…'] [PARTITIONED BY (col, …)] [TBLPROPERTIES ('k' = 'v', …)]
 *     [AS SELECT … FROM STREAM(source) …]             -- or STREAM source, STREAM read_files(…), cloud_files(…)
 *   CREATE OR REFRESH STREAMING TABLE name;           -- an empty target for AUTO CDC / append flows
 *   CREATE OR REFRESH MATERIALIZED VIEW name [(…constraints…)] [COMMENT …] AS SELECT …
 *   CREATE TEMPORARY VIEW name [(…constraints…)] AS SELECT …     -- also TEMPORARY LIVE VIEW, LIVE VIEW
 *   CREATE FLOW f AS AUTO CDC INTO target FROM STREAM(source) KEYS (k, …)
 *     [IGNORE NULL UPDATES] [APPLY AS DELETE WHEN cond] [APPLY AS TRUNCATE WHEN cond]
 *     SEQUENCE BY col [COLUMNS {(col, …) | * EXCEPT (col, …)}] [STORED AS SCD TYPE {1 | 2}]
 *     [TRACK HISTORY ON {(col, …) | * EXCEPT (col, …)}]
 *   APPLY CHANGES INTO target FROM … (the same clauses; the older form, also CREATE FLOW f AS APPLY CHANGES INTO)
 *   CREATE OR REFRESH STREAMING TABLE t FLOW AUTO CDC FROM … (the Databricks SQL form)
 *   CREATE FLOW f AS INSERT INTO target [BY NAME] SELECT … FROM STREAM(source)   -- an append flow
 *
 * Legacy spellings are accepted: LIVE TABLE (= materialized view), STREAMING LIVE TABLE, the
 * LIVE. prefix on names. Dependencies are the tables a query references (FROM / JOIN / STREAM):
 * a name that is a dataset of the pipeline creates an edge, any other name must be an existing
 * table. Column definitions in the table element list are accepted and ignored (the schema comes
 * from the query); CLUSTER BY is accepted and ignored.
 *
 * Queries run through the session like spark.sql (DuckDB semantics for double quotes: an
 * identifier). In EXPECT, APPLY AS … WHEN and SEQUENCE BY, however, "text" is a string literal as in
 * Databricks SQL (`APPLY AS DELETE WHEN operation = "DELETE"` works as in the docs).
 *
 * A streaming query reads exactly one stream (stream-stream joins and unions are not supported by
 * the local engine); it may join static tables. `read_files` / `cloud_files` become Auto Loader in
 * streaming tables (schema location managed by the pipeline; read_files infers column types) and
 * DuckDB's file readers in batch queries.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { LakehouseError } from "../errors.js";
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import { DataFrame } from "../sql/dataframe/index.js";
import { splitStatements } from "../sql/parser/parse.js";
import { isIdentifier, isPunct, isWord, scanTo, syntaxError, tokenize, type Token } from "../sql/parser/tokenizer.js";
import { StreamingDataFrame } from "../streaming/streaming-dataframe.js";
import type { Expectation } from "./expectations.js";
import type { AutoCdcDef, FlowContext, Pipeline, PipelineFlowContext } from "./pipeline.js";

const HINT = {
  table: "CREATE OR REFRESH STREAMING TABLE name [(CONSTRAINT c EXPECT (cond) [ON VIOLATION {DROP ROW | FAIL UPDATE}], …)] [COMMENT '…'] [PARTITIONED BY (col, …)] [TBLPROPERTIES ('k' = 'v', …)] [AS SELECT … FROM STREAM(source)]",
  mv: "CREATE OR REFRESH MATERIALIZED VIEW name [(CONSTRAINT c EXPECT (cond) …)] [COMMENT '…'] AS SELECT …",
  cdc: "CREATE FLOW name AS AUTO CDC INTO target FROM STREAM(source) KEYS (k, …) [IGNORE NULL UPDATES] [APPLY AS DELETE WHEN cond] [APPLY AS TRUNCATE WHEN cond] SEQUENCE BY col [COLUMNS {(c, …) | * EXCEPT (c, …)}] [STORED AS SCD TYPE {1 | 2}] [TRACK HISTORY ON {(c, …) | * EXCEPT (c, …)}]",
  flow: "CREATE FLOW name AS {AUTO CDC INTO … | INSERT INTO target [BY NAME] SELECT … FROM STREAM(source)}",
  statement: "CREATE OR REFRESH {STREAMING TABLE | MATERIALIZED VIEW} …, CREATE TEMPORARY VIEW …, CREATE FLOW … AS AUTO CDC INTO …, APPLY CHANGES INTO …",
};

// ---------------------------------------------------------------------------------------------
// Table references inside a query

interface FilesCall {
  fn: "read_files" | "cloud_files";
  path: string;
  options: Record<string, string>;
}

interface QueryRef {
  kind: "table" | "stream" | "files";
  start: number;
  end: number;
  name?: string;
  files?: FilesCall;
  /** STREAM read_files(…) / cloud_files(…): a streaming file source. */
  streamingFiles?: boolean;
  hasAlias: boolean;
  defaultAlias: string;
}

/** Words that cannot be a table alias (what may follow a table reference). */
const NOT_ALIAS = new Set([
  "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "QUALIFY", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "MINUS", "JOIN", "INNER",
  "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "SEMI", "ANTI", "ASOF", "POSITIONAL", "ON", "USING", "LATERAL", "PIVOT", "UNPIVOT",
  "TABLESAMPLE", "WHEN", "SET", "VALUES", "CLUSTER", "DISTRIBUTE", "SORT", "FETCH", "SELECT", "FROM",
]);

/** Words ending a FROM list at its nesting level. */
const FROM_END = new Set(["WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "QUALIFY", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "MINUS", "SELECT", "SET", "VALUES"]);

/** Words after which '(' opens a subquery or grouping, not a function call. */
const NON_CALL = new Set([
  "IN", "EXISTS", "FROM", "JOIN", "AS", "ANY", "ALL", "SOME", "LATERAL", "USING", "SELECT", "WHERE", "ON", "AND", "OR", "NOT", "UNION",
  "EXCEPT", "INTERSECT", "MINUS", "WITH", "THEN", "ELSE", "WHEN", "HAVING", "BY", "TABLE", "VALUES", "INTO", "RETURN", "STREAM",
]);

function literalValue(tok: Token | undefined): string | undefined {
  if (!tok) return undefined;
  if (tok.kind === "string" || tok.kind === "number") return tok.value;
  if (tok.kind === "ident" && (tok.upper === "TRUE" || tok.upper === "FALSE")) return tok.upper.toLowerCase();
  return undefined;
}

class RefScanner {
  private readonly toks: Token[];
  constructor(private readonly sql: string) {
    this.toks = tokenize(sql);
  }

  private fail(tok: Token | undefined, msg: string, hint?: string): never {
    throw syntaxError(this.sql, tok?.start ?? this.sql.length, msg, hint);
  }

  /** A dotted name at j: [text, end index] or undefined. */
  private nameAt(j: number): { text: string; next: number; last: string } | undefined {
    if (!isIdentifier(this.toks[j])) return undefined;
    let k = j;
    const parts: string[] = [];
    let last = "";
    for (;;) {
      const t = this.toks[k]!;
      parts.push(t.kind === "ident" ? t.text : `\`${t.value.replace(/`/g, "``")}\``);
      last = t.value;
      if (isPunct(this.toks[k + 1], ".") && isIdentifier(this.toks[k + 2])) k += 2;
      else break;
    }
    return { text: parts.join("."), next: k + 1, last };
  }

  /** read_files(…) / cloud_files(…) at j: the call and the index after its ')'. */
  private filesAt(j: number): { call: FilesCall; next: number } | undefined {
    const t = this.toks[j];
    if (!isWord(t, "READ_FILES", "CLOUD_FILES") || !isPunct(this.toks[j + 1], "(")) return undefined;
    const fn = t!.upper === "READ_FILES" ? "read_files" : "cloud_files";
    const close = scanTo(this.toks, j + 2, this.toks.length, () => false);
    if (!isPunct(this.toks[close], ")")) this.fail(t, `Unclosed ${fn}( call`);
    const args: Token[][] = [];
    let cur: Token[] = [];
    let depth = 0;
    for (let k = j + 2; k < close; k++) {
      const x = this.toks[k]!;
      if (x.kind === "punct" && (x.text === "(" || x.text === "[")) depth++;
      if (x.kind === "punct" && (x.text === ")" || x.text === "]")) depth--;
      if (depth === 0 && isPunct(x, ",")) {
        args.push(cur);
        cur = [];
      } else cur.push(x);
    }
    if (cur.length) args.push(cur);
    const path = literalValue(args[0]?.[0]);
    if (!path || args[0]!.length !== 1) this.fail(t, `${fn}() needs the path as its first argument, a string literal`, `${fn}('/path/to/files', format => 'json')`);
    const options: Record<string, string> = {};
    for (let a = 1; a < args.length; a++) {
      const arg = args[a]!;
      if (arg.length === 3 && isIdentifier(arg[0]) && arg[1]!.text === "=>" && literalValue(arg[2]) !== undefined) {
        options[arg[0]!.value] = literalValue(arg[2])!;
      } else if (fn === "cloud_files" && a === 1 && arg.length === 1 && literalValue(arg[0]) !== undefined) {
        options["format"] = literalValue(arg[0])!;
      } else if (fn === "cloud_files" && isWord(arg[0], "MAP") && isPunct(arg[1], "(")) {
        const vals = arg.slice(2, -1).filter((x) => !isPunct(x, ",")).map((x) => literalValue(x));
        if (vals.some((v) => v === undefined) || vals.length % 2) this.fail(arg[0], "cloud_files options must be map('key', 'value', …) of literals");
        for (let v = 0; v < vals.length; v += 2) options[vals[v]!] = vals[v + 1]!;
      } else this.fail(arg[0], `${fn}() options are name => literal pairs`, `${fn}('/path', format => 'json', inferColumnTypes => true)`);
    }
    return { call: { fn, path, options }, next: close + 1 };
  }

  private alias(next: number, fallback: string): { hasAlias: boolean; defaultAlias: string } {
    const t = this.toks[next];
    const has = !!t && (isWord(t, "AS") || t.kind === "quotedIdent" || t.kind === "backtick" || (t.kind === "ident" && !NOT_ALIAS.has(t.upper)));
    return { hasAlias: has, defaultAlias: fallback };
  }

  /** A table reference at a table position j; returns the ref (if any) and where scanning continues. */
  private tableAt(j: number, ctes: Set<string>): { ref?: QueryRef; next: number } {
    const t = this.toks[j];
    if (!t) return { next: j };
    if (isWord(t, "STREAM") && (isPunct(this.toks[j + 1], "(") || isIdentifier(this.toks[j + 1]))) {
      const paren = isPunct(this.toks[j + 1], "(");
      const at = paren ? j + 2 : j + 1;
      const files = this.filesAt(at);
      const name = files ? undefined : this.nameAt(at);
      if (!files && !name) this.fail(this.toks[at], "Expected a table name or read_files(…) after STREAM", "FROM STREAM(source) or FROM STREAM source");
      let next = files ? files.next : name!.next;
      if (paren) {
        if (!isPunct(this.toks[next], ")")) this.fail(this.toks[next], "Expected ')' to close STREAM(", "FROM STREAM(source)");
        next++;
      }
      const end = this.toks[next - 1]!.end;
      const fallback = files ? "files" : name!.last;
      return {
        ref: { kind: files ? "files" : "stream", start: t.start, end, name: name?.text, files: files?.call, streamingFiles: !!files, ...this.alias(next, fallback) },
        next,
      };
    }
    const files = this.filesAt(j);
    if (files) {
      return { ref: { kind: "files", start: t.start, end: this.toks[files.next - 1]!.end, files: files.call, streamingFiles: files.call.fn === "cloud_files", ...this.alias(files.next, "files") }, next: files.next };
    }
    const name = this.nameAt(j);
    if (!name || isPunct(this.toks[name.next], "(")) return { next: j };
    if (!name.text.includes(".") && ctes.has(name.last.toLowerCase())) return { next: name.next };
    return { ref: { kind: "table", start: t.start, end: this.toks[name.next - 1]!.end, name: name.text, ...this.alias(name.next, name.last) }, next: name.next };
  }

  scan(): QueryRef[] {
    const toks = this.toks;
    const ctes = new Set<string>();
    for (let i = 1; i + 2 < toks.length; i++) {
      if (isIdentifier(toks[i]) && isWord(toks[i + 1], "AS") && isPunct(toks[i + 2], "(") && (isWord(toks[i - 1], "WITH", "RECURSIVE") || isPunct(toks[i - 1], ","))) {
        ctes.add(toks[i]!.value.toLowerCase());
      }
    }
    const refs: QueryRef[] = [];
    const inFrom: boolean[] = [false];
    const isCall: boolean[] = [false];
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (isPunct(t, "(") || isPunct(t, "[")) {
        const prev = toks[i - 1];
        depth++;
        inFrom[depth] = false;
        isCall[depth] = isPunct(t, "(") && !!prev && (prev.kind === "ident" ? !NON_CALL.has(prev.upper) : prev.kind === "backtick" || prev.kind === "quotedIdent");
        continue;
      }
      if (isPunct(t, ")") || isPunct(t, "]")) {
        depth = Math.max(0, depth - 1);
        continue;
      }
      if (isCall[depth]) continue;
      if (isWord(t, "FROM", "JOIN") || (isPunct(t, ",") && inFrom[depth])) {
        inFrom[depth] = true;
        const r = this.tableAt(i + 1, ctes);
        if (r.ref) refs.push(r.ref);
        i = r.next - 1;
        continue;
      }
      if (t.kind === "ident" && FROM_END.has(t.upper)) inFrom[depth] = false;
    }
    return refs;
  }
}

function replaceSpans(sql: string, edits: { start: number; end: number; text: string }[]): string {
  let out = sql;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The SQL of a streaming DataFrame's current rows, to embed as a subquery. */
function streamSql(sdf: StreamingDataFrame, name: string): string {
  try {
    return sdf._df.toSQL();
  } catch (e) {
    throw new LakehouseError("PIPELINE_INVALID_QUERY", `STREAM(${name}) reads a view whose DataFrame needs its input columns to build its SQL (withColumn replacing a column, drop, joins on names…), which a SQL query can only embed once the stream runs. Define that view in SQL, or read it from a TypeScript dataset with ctx.readStream("${name}"). (${(e as Error).message})`, { name });
  }
}

/** DuckDB's reader for a batch read_files(…) / cloud_files(…). */
function batchFilesSql(call: FilesCall): string {
  const opt = (k: string) => Object.entries(call.options).find(([x]) => x.toLowerCase() === k.toLowerCase() || x.toLowerCase() === `cloudfiles.${k.toLowerCase()}`)?.[1];
  const format = (opt("format") ?? "").toLowerCase();
  let path = call.path.replace(/^file:(\/\/)?/, "");
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "**", "*");
  const p = quoteString(path);
  if (format === "json") return `SELECT * FROM read_json_auto(${p})`;
  if (format === "parquet") return `SELECT * FROM read_parquet(${p})`;
  if (format === "csv") return `SELECT * FROM read_csv_auto(${p}, header = ${opt("header") === "true" ? "true" : "false"})`;
  throw new LakehouseError("INVALID_ARGUMENT", `${call.fn}('${call.path}'): give the format (format => 'json' | 'csv' | 'parquet').`, { path: call.path });
}

/** Options of read_files / cloud_files for Auto Loader. */
function autoLoaderOptions(call: FilesCall): Record<string, string> {
  const o: Record<string, string> = { ...call.options };
  if (call.fn === "read_files" && !Object.keys(o).some((k) => /^(cloudfiles\.)?infercolumntypes$/i.test(k))) o["inferColumnTypes"] = "true";
  return o;
}

/**
 * A query function over SQL text: table names become reads of datasets/tables (declaring the
 * dependencies), STREAM(x) the one streaming input.
 */
export function sqlQueryFunction(text: string, streaming: boolean): (ctx: FlowContext) => DataFrame | StreamingDataFrame {
  const refs = new RefScanner(text).scan();
  return (ctx: FlowContext) => {
    const edits: { start: number; end: number; text: string }[] = [];
    let stream: StreamingDataFrame | undefined;
    const sub = (r: QueryRef, sql: string) => `(${sql})${r.hasAlias ? "" : ` AS ${quoteIdent(r.defaultAlias)}`}`;
    for (const r of refs) {
      if (r.kind === "table") {
        edits.push({ start: r.start, end: r.end, text: sub(r, ctx.read(r.name!).toSQL()) });
        continue;
      }
      const streamingRef = r.kind === "stream" || (r.kind === "files" && (r.streamingFiles || streaming));
      if (!streamingRef) {
        edits.push({ start: r.start, end: r.end, text: sub(r, batchFilesSql(r.files!)) });
        continue;
      }
      if (stream) {
        throw new LakehouseError("PIPELINE_INVALID_QUERY", "This query reads more than one stream. The local engine runs one streaming source per query (no stream-stream joins or unions): read one STREAM(…) and join static tables, or write each stream into the same streaming table with its own flow (CREATE FLOW … AS INSERT INTO …).", {});
      }
      if (r.kind === "stream") {
        stream = ctx.readStream(r.name!);
        edits.push({ start: r.start, end: r.end, text: sub(r, streamSql(stream, r.name!)) });
      } else {
        const c = ctx as Partial<PipelineFlowContext>;
        if (typeof c.readFiles !== "function") throw new LakehouseError("INVALID_ARGUMENT", "read_files() in a streaming query needs a pipeline FlowContext.", {});
        stream = c.readFiles(r.files!.path, autoLoaderOptions(r.files!));
        edits.push({ start: r.start, end: r.end, text: sub(r, streamSql(stream, r.files!.path)) });
      }
    }
    const sql = replaceSpans(text, edits);
    if (stream) return new StreamingDataFrame(ctx.spark, stream._input, DataFrame.fromSql(ctx.spark, sql));
    return DataFrame.fromSql(ctx.spark, sql);
  };
}

/** True when the query reads a stream (STREAM(…), STREAM read_files(…), cloud_files(…)). */
function readsStream(text: string): boolean {
  return new RefScanner(text).scan().some((r) => r.kind === "stream" || (r.kind === "files" && r.streamingFiles));
}

function readsFiles(text: string): boolean {
  return new RefScanner(text).scan().some((r) => r.kind === "files");
}

/** Databricks SQL conditions: "text" is a string literal there. */
function sparkCondition(text: string): string {
  const edits = tokenize(text).filter((t) => t.kind === "quotedIdent").map((t) => ({ start: t.start, end: t.end, text: quoteString(t.value) }));
  return replaceSpans(text, edits).trim();
}

// ---------------------------------------------------------------------------------------------
// Statements

type Statement =
  | {
      kind: "dataset"; type: "streaming_table" | "materialized_view" | "view"; name: string; comment?: string; expectations: Expectation[];
      partitionBy?: string[]; tableProperties?: Record<string, string>; query?: string; cdc?: Omit<AutoCdcDef, "target">;
    }
  | { kind: "cdc"; def: AutoCdcDef }
  | { kind: "append"; name: string; target: string; query: string };

class StatementParser {
  private i = 0;
  private readonly t: Token[];
  constructor(private readonly sql: string) {
    this.t = tokenize(sql);
    while (this.t.length && isPunct(this.t[this.t.length - 1], ";")) this.t.pop();
  }

  private peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }
  private is(...words: string[]): boolean {
    return isWord(this.peek(), ...words);
  }
  private accept(...words: string[]): boolean {
    if (!this.is(...words)) return false;
    this.i++;
    return true;
  }
  private fail(msg: string, hint: string, tok = this.peek()): never {
    throw syntaxError(this.sql, tok?.start ?? this.sql.length, msg, hint);
  }
  private expect(word: string, hint: string): void {
    if (!this.accept(word)) this.fail(`Expected ${word}`, hint);
  }
  private expectPunct(p: string, hint: string): void {
    if (!isPunct(this.peek(), p)) this.fail(`Expected '${p}'`, hint);
    this.i++;
  }
  private atEnd(): boolean {
    return this.i >= this.t.length;
  }

  /** A dotted name, returned as written (back-quotes kept) for parseName. */
  private name(hint: string): string {
    if (!isIdentifier(this.peek())) this.fail("Expected a name", hint);
    const parts: string[] = [];
    for (;;) {
      const tok = this.t[this.i++]!;
      parts.push(tok.kind === "ident" ? tok.text : `\`${tok.value.replace(/`/g, "``")}\``);
      if (isPunct(this.peek(), ".") && isIdentifier(this.peek(1))) this.i++;
      else break;
    }
    return parts.join(".");
  }

  private string(hint: string): string {
    const tok = this.peek();
    if (tok?.kind !== "string") this.fail("Expected a string literal", hint);
    this.i++;
    return tok.value;
  }

  /** (a, b, …) — or a bare list when `parens` is optional. */
  private columnList(hint: string, parensOptional = false): string[] {
    const paren = isPunct(this.peek(), "(");
    if (!paren && !parensOptional) this.fail("Expected '('", hint);
    if (paren) this.i++;
    const out: string[] = [];
    for (;;) {
      if (!isIdentifier(this.peek())) this.fail("Expected a column name", hint);
      out.push(this.t[this.i++]!.value);
      if (isPunct(this.peek(), ",")) {
        this.i++;
        continue;
      }
      break;
    }
    if (paren) this.expectPunct(")", hint);
    return out;
  }

  /** The text of the parenthesised expression at the cursor (the cursor is on '('). */
  private parenExpr(hint: string): string {
    const open = this.peek();
    if (!isPunct(open, "(")) this.fail("Expected '('", hint);
    const close = scanTo(this.t, this.i + 1, this.t.length, () => false);
    if (!isPunct(this.t[close], ")")) this.fail("Unclosed '('", hint, open);
    const text = this.sql.slice(open!.end, this.t[close]!.start).trim();
    if (!text) this.fail("Expected an expression", hint, this.t[close]);
    this.i = close + 1;
    return text;
  }

  /** An expression up to the next top-level clause word. */
  private exprUntil(stops: string[], hint: string): string {
    const start = this.i;
    const end = scanTo(this.t, start, this.t.length, (tok) => isWord(tok, ...stops));
    if (end === start) this.fail("Expected an expression", hint);
    this.i = end;
    return this.sql.slice(this.t[start]!.start, this.t[end - 1]!.end).trim();
  }

  /** The rest of the statement (a query). */
  private rest(hint: string): string {
    if (this.atEnd()) this.fail("Expected a query", hint);
    const text = this.sql.slice(this.peek()!.start).trim().replace(/;\s*$/, "");
    this.i = this.t.length;
    return text;
  }

  parse(): Statement {
    if (this.atEnd()) this.fail("Expected a pipeline statement", HINT.statement);
    if (this.accept("APPLY")) {
      this.expect("CHANGES", HINT.cdc);
      this.expect("INTO", HINT.cdc);
      return { kind: "cdc", def: this.cdcBody(this.name(HINT.cdc)) };
    }
    if (this.is("AUTO") && isWord(this.peek(1), "CDC")) {
      this.i += 2;
      this.expect("INTO", HINT.cdc);
      return { kind: "cdc", def: this.cdcBody(this.name(HINT.cdc)) };
    }
    if (!this.accept("CREATE")) this.fail("Unsupported pipeline statement", HINT.statement);
    if (this.accept("OR")) {
      if (!this.accept("REFRESH", "REPLACE")) this.fail("Expected REFRESH", HINT.table);
    }
    const mods = new Set<string>();
    while (this.is("TEMPORARY", "TEMP", "STREAMING", "MATERIALIZED", "LIVE", "PRIVATE")) mods.add(this.t[this.i++]!.upper);
    if (this.accept("FLOW")) return this.flow();
    let type: "streaming_table" | "materialized_view" | "view";
    let hint: string;
    if (this.accept("TABLE")) {
      type = mods.has("STREAMING") ? "streaming_table" : "materialized_view";
      hint = type === "streaming_table" ? HINT.table : HINT.mv;
    } else if (this.accept("VIEW")) {
      type = mods.has("MATERIALIZED") ? "materialized_view" : "view";
      hint = type === "view" ? "CREATE TEMPORARY VIEW name [(CONSTRAINT c EXPECT (cond) …)] AS SELECT …" : HINT.mv;
    } else this.fail("Expected STREAMING TABLE, MATERIALIZED VIEW, TEMPORARY VIEW or FLOW", HINT.statement);
    if (this.accept("IF")) {
      this.expect("NOT", hint);
      this.expect("EXISTS", hint);
    }
    const st: Extract<Statement, { kind: "dataset" }> = { kind: "dataset", type, name: this.name(hint), expectations: [] };
    if (isPunct(this.peek(), "(")) this.elements(st, hint);
    for (;;) {
      if (this.accept("COMMENT")) st.comment = this.string(hint);
      else if (this.accept("PARTITIONED")) {
        this.expect("BY", hint);
        st.partitionBy = this.columnList(hint);
      } else if (this.accept("CLUSTER")) {
        this.expect("BY", hint);
        if (this.accept("AUTO") || this.accept("NONE")) continue;
        this.columnList(hint);
      } else if (this.accept("TBLPROPERTIES")) st.tableProperties = this.properties(hint);
      else if (this.accept("USING")) this.name(hint);
      else if (this.is("LOCATION")) this.fail("LOCATION is not supported for pipeline datasets (they are managed tables)", hint);
      else break;
    }
    if (this.is("FLOW") && isWord(this.peek(1), "AUTO") && isWord(this.peek(2), "CDC")) {
      if (type !== "streaming_table") this.fail("FLOW AUTO CDC needs a STREAMING TABLE", HINT.cdc);
      this.i += 3;
      const { target: _t, ...cdc } = this.cdcBody(st.name);
      st.cdc = cdc;
      return st;
    }
    if (this.accept("AS")) {
      st.query = this.rest(hint);
      const streams = readsStream(st.query) || (type === "streaming_table" && readsFiles(st.query));
      if (type === "streaming_table" && !streams) {
        this.fail(`The query of streaming table ${st.name} reads no stream; read the source with STREAM(source) (or STREAM read_files(…)), or declare a MATERIALIZED VIEW`, hint, this.t[this.t.length - 1]);
      }
      if (type === "materialized_view" && readsStream(st.query)) {
        this.fail(`Materialized view ${st.name} reads a stream; a materialized view is computed from batch reads (drop STREAM(…)), or declare a STREAMING TABLE`, hint, this.t[this.t.length - 1]);
      }
    } else if (!this.atEnd()) this.fail("Expected AS or the end of the statement", hint);
    else if (type !== "streaming_table") this.fail(`${type === "view" ? "A view" : "A materialized view"} needs AS query`, hint);
    return st;
  }

  private elements(st: Extract<Statement, { kind: "dataset" }>, hint: string): void {
    this.i++; // (
    for (;;) {
      if (this.accept("CONSTRAINT")) {
        if (!isIdentifier(this.peek())) this.fail("Expected a constraint name", hint);
        const name = this.t[this.i++]!.value;
        if (this.accept("EXPECT")) {
          const condition = sparkCondition(this.parenExpr(hint));
          let action: Expectation["action"] = "warn";
          if (this.accept("ON")) {
            this.expect("VIOLATION", hint);
            if (this.accept("DROP")) {
              this.expect("ROW", hint);
              action = "drop";
            } else if (this.accept("FAIL")) {
              this.expect("UPDATE", hint);
              action = "fail";
            } else this.fail("Expected DROP ROW or FAIL UPDATE", hint);
          }
          st.expectations.push({ name, condition, action });
        } else this.skipElement();
      } else this.skipElement();
      if (isPunct(this.peek(), ",")) {
        this.i++;
        continue;
      }
      this.expectPunct(")", hint);
      return;
    }
  }

  /** A column definition or another constraint: accepted and ignored. */
  private skipElement(): void {
    this.i = scanTo(this.t, this.i, this.t.length, (tok) => isPunct(tok, ","));
  }

  private properties(hint: string): Record<string, string> {
    this.expectPunct("(", hint);
    const out: Record<string, string> = {};
    for (;;) {
      let key: string;
      if (this.peek()?.kind === "string") key = this.string(hint);
      else key = this.name(hint).replace(/`/g, "");
      if (isPunct(this.peek(), "=") || this.peek()?.text === "=") this.i++;
      const v = literalValue(this.peek());
      if (v === undefined) this.fail("Expected a literal property value", hint);
      this.i++;
      out[key] = v;
      if (isPunct(this.peek(), ",")) {
        this.i++;
        continue;
      }
      this.expectPunct(")", hint);
      return out;
    }
  }

  private flow(): Statement {
    const name = this.name(HINT.flow);
    if (this.accept("COMMENT")) this.string(HINT.flow);
    this.expect("AS", HINT.flow);
    if (this.is("AUTO") && isWord(this.peek(1), "CDC")) {
      this.i += 2;
      if (this.is("ONCE")) this.fail("AUTO CDC ONCE (a one-time backfill flow) is not supported locally", HINT.cdc);
      this.expect("INTO", HINT.cdc);
      return { kind: "cdc", def: { ...this.cdcBody(this.name(HINT.cdc)), name } };
    }
    if (this.accept("APPLY")) {
      this.expect("CHANGES", HINT.cdc);
      this.expect("INTO", HINT.cdc);
      return { kind: "cdc", def: { ...this.cdcBody(this.name(HINT.cdc)), name } };
    }
    if (this.accept("INSERT")) {
      this.expect("INTO", HINT.flow);
      const target = this.name(HINT.flow);
      if (this.accept("BY")) this.expect("NAME", HINT.flow);
      const query = this.rest(HINT.flow);
      if (!readsStream(query) && !readsFiles(query)) this.fail(`The append flow ${name} reads no stream; read the source with STREAM(source)`, HINT.flow, this.t[this.t.length - 1]);
      return { kind: "append", name, target, query };
    }
    this.fail("Expected AUTO CDC INTO, APPLY CHANGES INTO or INSERT INTO", HINT.flow);
  }

  private cdcBody(target: string): AutoCdcDef {
    const h = HINT.cdc;
    this.expect("FROM", h);
    let source: string;
    if (this.accept("STREAM")) {
      if (isPunct(this.peek(), "(")) {
        this.i++;
        source = this.name(h);
        this.expectPunct(")", h);
      } else source = this.name(h);
    } else source = this.name(h);
    this.expect("KEYS", h);
    const def: AutoCdcDef = { target, source, keys: this.columnList(h), sequenceBy: "", storedAs: "SCD1" };
    const stops = ["APPLY", "SEQUENCE", "COLUMNS", "STORED", "TRACK", "IGNORE", "KEYS"];
    while (!this.atEnd()) {
      if (this.accept("IGNORE")) {
        this.expect("NULL", h);
        this.expect("UPDATES", h);
        if (this.is("ON")) this.fail("IGNORE NULL UPDATES ON (columns) is not supported locally; IGNORE NULL UPDATES applies to every column", h);
        def.ignoreNullUpdates = true;
      } else if (this.accept("APPLY")) {
        this.expect("AS", h);
        if (this.accept("DELETE")) {
          this.expect("WHEN", h);
          def.applyAsDeletes = sparkCondition(this.exprUntil(stops, h));
        } else if (this.accept("TRUNCATE")) {
          this.expect("WHEN", h);
          def.applyAsTruncates = sparkCondition(this.exprUntil(stops, h));
        } else this.fail("Expected DELETE or TRUNCATE", h);
      } else if (this.accept("SEQUENCE")) {
        this.expect("BY", h);
        def.sequenceBy = sparkCondition(this.exprUntil(stops, h));
      } else if (this.accept("COLUMNS")) {
        if (this.peek()?.text === "*") {
          this.i++;
          this.expect("EXCEPT", h);
          def.exceptColumns = this.columnList(h);
        } else def.columns = this.columnList(h, true);
      } else if (this.accept("STORED")) {
        this.expect("AS", h);
        this.expect("SCD", h);
        this.expect("TYPE", h);
        const n = this.peek();
        if (n?.kind !== "number" || (n.text !== "1" && n.text !== "2")) this.fail("Expected SCD TYPE 1 or 2", h);
        this.i++;
        def.storedAs = n.text === "2" ? "SCD2" : "SCD1";
      } else if (this.accept("TRACK")) {
        this.expect("HISTORY", h);
        this.expect("ON", h);
        if (this.peek()?.text === "*") {
          this.i++;
          this.expect("EXCEPT", h);
          def.trackHistoryExceptColumns = this.columnList(h);
        } else def.trackHistoryColumns = this.columnList(h, true);
      } else this.fail("Unexpected clause in AUTO CDC", h);
    }
    if (!def.sequenceBy) this.fail("AUTO CDC needs SEQUENCE BY (the column ordering the changes of a key)", h);
    if ((def.trackHistoryColumns || def.trackHistoryExceptColumns) && def.storedAs !== "SCD2") this.fail("TRACK HISTORY ON needs STORED AS SCD TYPE 2", h);
    return def;
  }
}

/** Parses a pipeline SQL script and adds its datasets and flows to `p`. */
export function applyPipelineSql(p: Pipeline, text: string): void {
  if (typeof text !== "string") throw new LakehouseError("INVALID_ARGUMENT", "sql() takes the SQL text of pipeline statements.", {});
  for (const stmt of splitStatements(text)) {
    const st = new StatementParser(stmt).parse();
    if (st.kind === "cdc") {
      p.createAutoCdcFlow(st.def);
      continue;
    }
    if (st.kind === "append") {
      p.appendFlow({ name: st.name, target: st.target, query: sqlQueryFunction(st.query, true) });
      continue;
    }
    const common = { name: st.name, comment: st.comment, expectations: st.expectations, partitionBy: st.partitionBy, tableProperties: st.tableProperties };
    if (st.type === "view") p.temporaryView({ name: st.name, expectations: st.expectations, query: sqlQueryFunction(st.query!, readsStream(st.query!)) });
    else if (st.type === "materialized_view") p.materializedView({ ...common, query: sqlQueryFunction(st.query!, false) });
    else if (st.query) p.streamingTable({ ...common, query: sqlQueryFunction(st.query, true) });
    else {
      p.createStreamingTable(common);
      if (st.cdc) p.createAutoCdcFlow({ ...st.cdc, target: st.name });
    }
  }
}
