/**
 * Recursive-descent parser for the Databricks-only statements of the lakehouse (MERGE, INSERT …
 * REPLACE WHERE, CREATE TABLE … USING, DESCRIBE HISTORY, RESTORE, VACUUM, OPTIMIZE, ALTER TABLE,
 * catalog/schema commands, SET). Everything else is handed back verbatim as a query for DuckDB.
 *
 * Embedded expressions and queries are not parsed into trees: they are cut out of the original
 * string by token offsets (so quoting and spacing survive exactly) because DuckDB evaluates them.
 * The parser only has to find where they end, which it does at top-level keywords, commas or
 * closing parentheses, ignoring anything inside brackets and CASE … END.
 */
import type {
  AlterAction,
  Assignment,
  ColumnDef,
  MergeAction,
  MergeClause,
  Statement,
  TableRef,
} from "./ast.js";
import { matchTableName, matchTableReference } from "./table-refs.js";
import {
  endsOperand,
  findStrayWord,
  isIdentifier,
  isPunct,
  isWord,
  scanTo,
  suggestKeyword,
  syntaxError,
  tokenize,
  type Token,
} from "./tokenizer.js";

/** Statement syntax shown at the end of every error message of that statement family. */
const HINTS = {
  statement: "one SQL statement, e.g. SELECT …, MERGE INTO …, CREATE TABLE …",
  createTable:
    "CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(col type [NOT NULL] [COMMENT 'c'] [DEFAULT expr] [GENERATED ALWAYS AS (expr)], …, [CONSTRAINT n CHECK (expr)])] [USING delta] [PARTITIONED BY (col, …)] [CLUSTER BY (col, …)] [LOCATION 'path'] [COMMENT 'c'] [TBLPROPERTIES ('k' = 'v', …)] [AS query]",
  insert:
    "INSERT {INTO | OVERWRITE} [TABLE] name [PARTITION (k = v, …)] [(col, …) | BY NAME] [REPLACE WHERE condition] {query | VALUES (…), …}",
  merge:
    "MERGE [WITH SCHEMA EVOLUTION] INTO target [[AS] t] USING {source | (query)} [[AS] s] ON condition WHEN MATCHED [AND cond] THEN {UPDATE SET col = expr, … | UPDATE SET * | DELETE} | WHEN NOT MATCHED [BY TARGET] [AND cond] THEN {INSERT * | INSERT (col, …) VALUES (expr, …)} | WHEN NOT MATCHED BY SOURCE [AND cond] THEN {UPDATE SET col = expr, … | DELETE} …",
  update: "UPDATE name [[AS] alias] SET col = expr [, …] [WHERE condition]",
  delete: "DELETE FROM name [[AS] alias] [WHERE condition]",
  describe: "DESCRIBE HISTORY name [LIMIT n] | DESCRIBE DETAIL name | DESCRIBE [TABLE] [EXTENDED] name",
  restore: "RESTORE [TABLE] name [TO] {VERSION AS OF n | TIMESTAMP AS OF timestamp_expression}",
  vacuum: "VACUUM {name | delta.`/path`} [LITE | FULL] [RETAIN n HOURS] [DRY RUN]",
  optimize: "OPTIMIZE name [WHERE predicate] [ZORDER BY (col, …)]",
  alter:
    "ALTER TABLE name {ADD COLUMN[S] (col type, …) | SET TBLPROPERTIES ('k' = 'v', …) | UNSET TBLPROPERTIES [IF EXISTS] ('k', …) | ADD CONSTRAINT n CHECK (expr) | DROP CONSTRAINT [IF EXISTS] n | ALTER COLUMN c {SET NOT NULL | DROP NOT NULL | COMMENT 'c'} | RENAME TO name}",
  use: "USE CATALOG c | USE {SCHEMA | DATABASE} [c.]s | USE [c.]s",
  show: "SHOW CATALOGS [LIKE 'p'] | SHOW SCHEMAS [IN c] [LIKE 'p'] | SHOW TABLES [IN [c.]s] [LIKE 'p'] | SHOW TBLPROPERTIES name | SHOW COLUMNS IN name",
  createCatalog: "CREATE CATALOG [IF NOT EXISTS] name [MANAGED LOCATION 'path'] [COMMENT 'c']",
  createSchema: "CREATE {SCHEMA | DATABASE} [IF NOT EXISTS] [catalog.]schema [MANAGED LOCATION 'path'] [COMMENT 'c']",
  drop: "DROP TABLE [IF EXISTS] name | DROP {SCHEMA | DATABASE} [IF EXISTS] name [CASCADE | RESTRICT] | DROP CATALOG [IF EXISTS] name [CASCADE | RESTRICT]",
  set: "SET key = value | SET key | RESET [key]",
};

/** Words that begin a query, e.g. after INSERT INTO t or inside MERGE USING ( … ). */
const QUERY_START = ["SELECT", "WITH", "VALUES", "FROM", "TABLE"];

/** Words ending a column's type: the column options that may follow it. */
const COLUMN_OPTIONS = ["NOT", "NULL", "COMMENT", "DEFAULT", "GENERATED", "CONSTRAINT", "MASK", "PRIMARY", "FIRST", "AFTER"];

/** Parses one statement; a trailing ';' is allowed. Throws ParseError on a syntax error. */
export function parseStatement(sql: string): Statement {
  const all = tokenize(sql);
  let n = all.length;
  while (n > 0 && isPunct(all[n - 1], ";")) n--;
  const tokens = all.slice(0, n);
  if (tokens.length === 0) throw syntaxError(sql, sql.length, "Expected a SQL statement", HINTS.statement);
  const semicolon = tokens.find((t) => isPunct(t, ";"));
  if (semicolon) {
    throw syntaxError(
      sql,
      semicolon.start,
      "Expected end of statement: run one statement at a time (splitStatements splits a script)",
      HINTS.statement,
      ";",
    );
  }
  const parser = new Parser(sql, tokens);
  return parser.statement() ?? { type: "query", sql: sql.slice(0, tokens[n - 1]!.end).trim() };
}

/**
 * Splits a script on top-level ';' (not inside strings, comments, quoted names or brackets).
 * Returns the statements' trimmed source texts without the ';'; empty or comment-only pieces are
 * dropped.
 */
export function splitStatements(sql: string): string[] {
  const tokens = tokenize(sql);
  const out: string[] = [];
  let depth = 0;
  let pieceStart = 0;
  let tokensInPiece = 0;
  const flush = (end: number): void => {
    if (tokensInPiece > 0) out.push(sql.slice(pieceStart, end).trim());
    tokensInPiece = 0;
  };
  for (const tok of tokens) {
    if (tok.kind === "punct") {
      if (tok.text === "(" || tok.text === "[" || tok.text === "{") depth++;
      else if (tok.text === ")" || tok.text === "]" || tok.text === "}") depth = Math.max(0, depth - 1);
      else if (tok.text === ";" && depth === 0) {
        flush(tok.start);
        pieceStart = tok.end;
        continue;
      }
    }
    tokensInPiece++;
  }
  flush(sql.length);
  return out;
}

class Parser {
  private i = 0;
  private hint = HINTS.statement;

  constructor(
    private readonly sql: string,
    private readonly tokens: Token[],
  ) {}

  // ---- dispatch -------------------------------------------------------------------------------

  /** The parsed statement, or undefined when it is not one of ours (a query for DuckDB). */
  statement(): Statement | undefined {
    const first = this.tokens[0]!;
    if (first.kind !== "ident") return undefined;
    this.i = 1;
    switch (first.upper) {
      case "CREATE":
        return this.create();
      case "INSERT":
        return this.insert();
      case "MERGE":
        return this.merge();
      case "UPDATE":
        return this.update();
      case "DELETE":
        return this.delete();
      case "DESCRIBE":
      case "DESC":
        return this.describe();
      case "RESTORE":
        return this.restore();
      case "VACUUM":
        return this.vacuum();
      case "OPTIMIZE":
        return this.optimize();
      case "ALTER":
        return this.alter();
      case "USE":
        return this.use();
      case "SHOW":
        return this.show();
      case "DROP":
        return this.drop();
      case "SET":
        return this.set();
      case "RESET":
        return this.reset();
      default:
        return undefined;
    }
  }

  // ---- token helpers --------------------------------------------------------------------------

  private get tok(): Token | undefined {
    return this.tokens[this.i];
  }

  private peek(offset: number): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  /** True when the next tokens are the given words in order. */
  private at(...words: string[]): boolean {
    return words.every((w, k) => isWord(this.tokens[this.i + k], w));
  }

  private accept(...words: string[]): boolean {
    if (!this.at(...words)) return false;
    this.i += words.length;
    return true;
  }

  private acceptPunct(p: string): boolean {
    if (!isPunct(this.tok, p)) return false;
    this.i++;
    return true;
  }

  private fail(message: string, tok: Token | undefined = this.tok, suggestions: string[] = []): never {
    throw syntaxError(
      this.sql,
      tok?.start ?? this.sql.length,
      message,
      this.hint,
      tok?.text,
      suggestKeyword(tok, suggestions),
    );
  }

  /** Consumes the word sequence or fails with "Expected <words> <context>". */
  private expect(words: string[], context: string): void {
    for (const w of words) {
      if (!isWord(this.tok, w)) this.fail(`Expected ${words.join(" ")} ${context}`, this.tok, [w]);
      this.i++;
    }
  }

  private expectPunct(p: string, context: string): Token {
    const tok = this.tok;
    if (!isPunct(tok, p)) this.fail(`Expected '${p}' ${context}`);
    this.i++;
    return tok!;
  }

  private expectOp(op: string, context: string): void {
    if (this.tok?.kind !== "op" || this.tok.text !== op) this.fail(`Expected '${op}' ${context}`);
    this.i++;
  }

  /** Fails unless every token has been consumed. */
  private end(expected = "end of statement", suggestions: string[] = []): void {
    if (!this.atEnd()) this.fail(`Expected ${expected}`, this.tok, suggestions);
  }

  private identifier(what: string): string {
    const tok = this.tok;
    if (!isIdentifier(tok)) this.fail(`Expected ${what}`);
    this.i++;
    return tok!.value;
  }

  /** Dotted name of at most `max` parts, unquoted. */
  private qualifiedName(what: string, max: number): string[] {
    const parts = [this.identifier(what)];
    while (isPunct(this.tok, ".") && isIdentifier(this.peek(1))) {
      if (parts.length === max) this.fail(`Expected a name of at most ${max} parts for ${what}`, this.peek(1));
      this.i++;
      parts.push(this.identifier(what));
    }
    return parts;
  }

  /** Dotted column reference, kept as written (quotes included), e.g. t.`my col`. */
  private columnRef(what: string): string {
    const first = this.tok;
    this.identifier(what);
    while (isPunct(this.tok, ".") && isIdentifier(this.peek(1))) this.i += 2;
    return this.sql.slice(first!.start, this.tokens[this.i - 1]!.end);
  }

  private tableName(what = "a table name"): TableRef {
    const m = matchTableName(this.tokens, this.i);
    if (!m) this.fail(`Expected ${what}`);
    if (m.timeTravel) this.fail(`Time travel is not allowed for ${what}`);
    if (m.ref.kind === "name" && m.ref.parts.length > 3) {
      this.fail(`Expected ${what} of at most 3 parts (catalog.schema.table)`);
    }
    this.i = m.next;
    return m.ref;
  }

  private stringLiteral(what: string): string {
    const tok = this.tok;
    if (tok?.kind !== "string") this.fail(`Expected ${what} as a string literal`);
    this.i++;
    return tok!.value;
  }

  private integer(what: string): number {
    const tok = this.tok;
    if (tok?.kind !== "number" || !/^\d+$/.test(tok.text)) this.fail(`Expected ${what} (an integer)`);
    this.i++;
    return Number(tok!.text);
  }

  /** [AS] alias, unless the next word is one of `stops` (the clause that follows). */
  private optionalAlias(stops: string[]): string | undefined {
    if (this.accept("AS")) return this.identifier("an alias after AS");
    const tok = this.tok;
    if (isIdentifier(tok) && !(tok.kind === "ident" && stops.includes(tok.upper))) {
      this.i++;
      return tok.value;
    }
    return undefined;
  }

  /**
   * Raw source text from the current token up to (not including) the first top-level token for
   * which `stop` holds, or to the end. Moves past the text. Fails with "Expected <what>" if empty.
   */
  private raw(what: string, stop: (tok: Token, index: number) => boolean = () => false): string {
    const from = this.i;
    const to = scanTo(this.tokens, from, this.tokens.length, stop);
    if (to === from) this.fail(`Expected ${what}`);
    this.i = to;
    return this.sql.slice(this.tokens[from]!.start, this.tokens[to - 1]!.end).trim();
  }

  /** Raw text of the parenthesised part starting at '(' (the parentheses excluded). */
  private parenthesized(what: string, context: string): string {
    this.expectPunct("(", context);
    const text = this.raw(what, (tok) => isPunct(tok, ")"));
    this.expectPunct(")", `to close ${what}`);
    return text;
  }

  /** ( item, … ) */
  private list<T>(item: () => T, context: string): T[] {
    this.expectPunct("(", context);
    const items: T[] = [];
    do items.push(item());
    while (this.acceptPunct(","));
    this.expectPunct(")", "or ',' in the list");
    return items;
  }

  /** ( 'k' = 'v', k.dotted = true, … ): keys and string values unquoted. */
  private properties(context: string): Record<string, string> {
    const props: Record<string, string> = {};
    this.expectPunct("(", context);
    if (this.acceptPunct(")")) return props;
    do {
      const key = this.propertyKey();
      if (this.tok?.kind === "op" && this.tok.text === "=") this.i++;
      const tok = this.tok;
      if (tok?.kind === "string") props[key] = tok.value;
      else if (tok?.kind === "number" || tok?.kind === "ident") props[key] = tok.text;
      else this.fail(`Expected a value for property '${key}'`);
      this.i++;
    } while (this.acceptPunct(","));
    this.expectPunct(")", "or ',' after a property");
    return props;
  }

  private propertyKey(): string {
    if (this.tok?.kind === "string") return this.stringLiteral("a property key");
    return this.qualifiedName("a property key", Infinity).join(".");
  }

  // ---- CREATE ---------------------------------------------------------------------------------

  private create(): Statement | undefined {
    const orReplace = this.accept("OR", "REPLACE");
    if (this.at("TABLE")) return this.createTable(orReplace);
    if (orReplace) return undefined; // CREATE OR REPLACE VIEW / FUNCTION … go to DuckDB
    if (this.at("CATALOG")) return this.createCatalog();
    if (this.at("SCHEMA") || this.at("DATABASE")) return this.createSchema();
    return undefined;
  }

  private createTable(orReplace: boolean): Statement {
    this.hint = HINTS.createTable;
    this.i++; // TABLE
    const ifNotExists = this.accept("IF", "NOT", "EXISTS");
    if (orReplace && ifNotExists) this.fail("OR REPLACE and IF NOT EXISTS cannot be combined", this.tokens[this.i - 3]);
    const table = this.tableName();
    const stmt: Extract<Statement, { type: "createTable" }> = {
      type: "createTable",
      orReplace,
      ifNotExists,
      table,
      partitionedBy: [],
      tblProperties: {},
    };

    if (isPunct(this.tok, "(") && !isWord(this.peek(1), ...QUERY_START)) {
      const { columns, constraints } = this.columnList(true);
      stmt.columns = columns;
      if (constraints.length > 0) stmt.constraints = constraints;
    }

    // Table clauses may come in any order, each at most once.
    const seen = new Set<string>();
    const once = (name: string): void => {
      if (seen.has(name)) this.fail(`Duplicate ${name} clause`, this.tokens[this.i - 1]);
      seen.add(name);
    };
    while (!this.atEnd()) {
      if (this.accept("USING")) {
        once("USING");
        stmt.using = this.identifier("a data source format after USING (e.g. delta)").toLowerCase();
      } else if (this.accept("PARTITIONED", "BY")) {
        once("PARTITIONED BY");
        // Items may carry a type (PARTITIONED BY (dt DATE)): only the name matters here.
        stmt.partitionedBy = this.list(() => {
          const name = this.identifier("a partition column");
          if (!isPunct(this.tok, ",") && !isPunct(this.tok, ")")) {
            this.raw("a type", (t) => isPunct(t, ","));
          }
          return name;
        }, "after PARTITIONED BY");
      } else if (this.accept("CLUSTER", "BY")) {
        once("CLUSTER BY");
        if (this.accept("AUTO")) {
          stmt.clusterBy = [];
          stmt.clusterByAuto = true;
        } else if (this.accept("NONE")) {
          stmt.clusterBy = [];
        } else {
          stmt.clusterBy = this.list(() => this.columnRef("a clustering column"), "after CLUSTER BY");
        }
      } else if (this.accept("LOCATION")) {
        once("LOCATION");
        stmt.location = this.stringLiteral("a path after LOCATION");
      } else if (this.accept("COMMENT")) {
        once("COMMENT");
        stmt.comment = this.stringLiteral("a comment");
      } else if (this.accept("TBLPROPERTIES")) {
        once("TBLPROPERTIES");
        stmt.tblProperties = this.properties("after TBLPROPERTIES");
      } else if (this.accept("OPTIONS")) {
        once("OPTIONS");
        stmt.options = this.properties("after OPTIONS");
      } else if (this.accept("AS")) {
        stmt.asSelect = this.raw("a query after AS");
      } else {
        const expected = "USING, PARTITIONED BY, CLUSTER BY, LOCATION, COMMENT, TBLPROPERTIES, AS query or end of statement";
        this.fail(`Expected ${expected}`, this.tok, ["USING", "PARTITIONED", "CLUSTER", "LOCATION", "COMMENT", "TBLPROPERTIES", "OPTIONS"]);
      }
    }
    return stmt;
  }

  /** ( col type …, … [, CONSTRAINT n CHECK (expr)] ) */
  private columnList(allowConstraints: boolean): { columns: ColumnDef[]; constraints: { name: string; check: string }[] } {
    const columns: ColumnDef[] = [];
    const constraints: { name: string; check: string }[] = [];
    this.expectPunct("(", "to open the column list");
    do {
      if (allowConstraints && this.accept("CONSTRAINT")) {
        const name = this.identifier("a constraint name");
        this.expect(["CHECK"], "after the constraint name (only CHECK constraints are supported)");
        constraints.push({ name, check: this.parenthesized("a CHECK condition", "after CHECK") });
      } else {
        columns.push(this.columnDef());
      }
    } while (this.acceptPunct(","));
    this.expectPunct(")", "or ',' in the column list");
    return { columns, constraints };
  }

  /** name type [NOT NULL] [COMMENT 'c'] [DEFAULT expr] [GENERATED …] [FIRST | AFTER col] */
  private columnDef(): ColumnDef {
    const nameTok = this.tok;
    const name = this.identifier("a column name");
    // The type runs to a top-level ',' or ')' or a column option; '<' '>' nest like brackets
    // (STRUCT<a: INT, b: MAP<STRING, INT>>), and '>>' counts twice.
    let angle = 0;
    const typeStart = this.i;
    const typeEnd = scanTo(this.tokens, typeStart, this.tokens.length, (tok) => {
      if (tok.kind === "op") {
        for (const c of tok.text) angle += c === "<" ? 1 : c === ">" ? -1 : 0;
        return false;
      }
      if (angle > 0) return false;
      return isPunct(tok, ",") || (tok.kind === "ident" && COLUMN_OPTIONS.includes(tok.upper));
    });
    if (typeEnd === typeStart) this.fail(`Expected a data type for column '${nameTok!.value}'`);
    const col: ColumnDef = {
      name,
      type: this.sql.slice(this.tokens[typeStart]!.start, this.tokens[typeEnd - 1]!.end).trim(),
      nullable: true,
    };
    this.i = typeEnd;

    for (;;) {
      if (this.accept("NOT", "NULL")) col.nullable = false;
      else if (this.accept("NULL")) col.nullable = true;
      else if (this.accept("COMMENT")) col.comment = this.stringLiteral("a column comment");
      else if (this.accept("DEFAULT")) {
        col.default = this.raw("a default expression after DEFAULT", (tok, k) =>
          isPunct(tok, ",") ||
          (tok.kind === "ident" &&
            COLUMN_OPTIONS.includes(tok.upper) &&
            tok.upper !== "NULL" &&
            (tok.upper !== "NOT" || isWord(this.tokens[k + 1], "NULL"))),
        );
      } else if (this.accept("GENERATED")) {
        const always = this.accept("ALWAYS");
        if (!always) this.expect(["BY", "DEFAULT"], "after GENERATED (ALWAYS or BY DEFAULT)");
        this.expect(["AS"], "after GENERATED ALWAYS");
        if (this.accept("IDENTITY")) {
          col.identity = { always };
          if (isPunct(this.tok, "(")) col.identity.options = this.parenthesized("identity options", "after IDENTITY");
        } else {
          if (!always) this.fail("Expected IDENTITY after GENERATED BY DEFAULT AS");
          col.generatedAs = this.parenthesized("a generation expression", "after GENERATED ALWAYS AS");
        }
      } else if (this.accept("FIRST")) col.position = "FIRST";
      else if (this.accept("AFTER")) col.position = `AFTER ${this.columnRef("a column after AFTER")}`;
      else break;
    }
    return col;
  }

  private createCatalog(): Statement {
    this.hint = HINTS.createCatalog;
    this.i++; // CATALOG
    const ifNotExists = this.accept("IF", "NOT", "EXISTS");
    const name = this.identifier("a catalog name");
    const stmt: Extract<Statement, { type: "createCatalog" }> = { type: "createCatalog", name, ifNotExists };
    while (!this.atEnd()) {
      if (this.accept("MANAGED", "LOCATION")) stmt.managedLocation = this.stringLiteral("a path after MANAGED LOCATION");
      else if (this.accept("COMMENT")) stmt.comment = this.stringLiteral("a comment");
      else this.end("MANAGED LOCATION, COMMENT or end of statement", ["MANAGED", "COMMENT"]);
    }
    return stmt;
  }

  private createSchema(): Statement {
    this.hint = HINTS.createSchema;
    this.i++; // SCHEMA | DATABASE
    const ifNotExists = this.accept("IF", "NOT", "EXISTS");
    const name = this.qualifiedName("a schema name", 2);
    const stmt: Extract<Statement, { type: "createSchema" }> = { type: "createSchema", name, ifNotExists };
    while (!this.atEnd()) {
      if (this.accept("MANAGED", "LOCATION")) stmt.managedLocation = this.stringLiteral("a path after MANAGED LOCATION");
      else if (this.accept("LOCATION")) stmt.location = this.stringLiteral("a path after LOCATION");
      else if (this.accept("COMMENT")) stmt.comment = this.stringLiteral("a comment");
      else if (this.accept("WITH", "DBPROPERTIES") || this.accept("WITH", "PROPERTIES")) {
        stmt.properties = this.properties("after WITH DBPROPERTIES");
      } else this.end("MANAGED LOCATION, LOCATION, COMMENT, WITH DBPROPERTIES or end of statement", ["MANAGED", "LOCATION", "COMMENT"]);
    }
    return stmt;
  }

  // ---- INSERT ---------------------------------------------------------------------------------

  private insert(): Statement {
    this.hint = HINTS.insert;
    const withSchemaEvolution = this.accept("WITH", "SCHEMA", "EVOLUTION");
    let overwrite = false;
    if (this.accept("OVERWRITE")) overwrite = true;
    else this.expect(["INTO"], "or OVERWRITE after INSERT");
    this.accept("TABLE");
    const table = this.tableName();
    const stmt: Extract<Statement, { type: "insert" }> = { type: "insert", table, overwrite, query: "" };
    if (withSchemaEvolution) stmt.withSchemaEvolution = true;

    if (this.accept("PARTITION")) {
      const spec: Record<string, string | null> = {};
      this.list(() => {
        const key = this.identifier("a partition column");
        if (this.tok?.kind === "op" && this.tok.text === "=") {
          this.i++;
          const v = this.tok;
          if (v?.kind === "string") spec[key] = v.value;
          else if (v?.kind === "number" || v?.kind === "ident") spec[key] = v.text;
          else this.fail(`Expected a literal value for partition column '${key}'`);
          this.i++;
        } else {
          spec[key] = null; // dynamic partition: the value comes from the query
        }
      }, "after PARTITION");
      stmt.partitionSpec = spec;
    }

    if (isPunct(this.tok, "(") && !isWord(this.peek(1), ...QUERY_START) && !isPunct(this.peek(1), "(")) {
      stmt.columns = this.list(() => this.identifier("a column name"), "to open the column list");
    }
    if (this.accept("BY", "NAME")) stmt.byName = true;

    if (this.accept("REPLACE")) {
      this.expect(["WHERE"], "after REPLACE");
      // The condition ends where the query begins: a top-level query keyword, or a '(' that
      // opens a parenthesised query right after a complete operand.
      stmt.replaceWhere = this.raw("a condition after REPLACE WHERE", (tok, k) => {
        if (isWord(tok, ...QUERY_START)) return true;
        const prev = this.tokens[k - 1];
        return (
          isPunct(tok, "(") &&
          isWord(this.tokens[k + 1], ...QUERY_START) &&
          endsOperand(prev) &&
          !(prev!.kind === "ident" && prev!.end === tok.start)
        );
      });
    }
    if (this.atEnd()) this.fail("Expected a query or VALUES (…) after the INSERT target");
    stmt.query = this.raw("a query");
    this.end();
    return stmt;
  }

  // ---- MERGE ----------------------------------------------------------------------------------

  private merge(): Statement {
    this.hint = HINTS.merge;
    const withSchemaEvolution = this.accept("WITH", "SCHEMA", "EVOLUTION");
    this.expect(["INTO"], "after MERGE");
    const target = this.tableName("a target table name");
    const targetAlias = this.optionalAlias(["USING"]);
    this.expect(["USING"], "after the MERGE target");

    let source: Extract<Statement, { type: "merge" }>["source"];
    if (isPunct(this.tok, "(")) {
      source = { kind: "query", sql: this.parenthesized("a source query", "after USING") };
    } else {
      const m = matchTableReference(this.sql, this.tokens, this.i);
      if (!m) this.fail("Expected a source table or (query) after USING");
      if (m.ref.kind === "name" && m.ref.parts.length > 3) this.fail("Expected a source table name of at most 3 parts");
      if (m.tableChanges) {
        // A change feed is a table-valued function: hand it on as a query over it.
        source = { kind: "query", sql: `SELECT * FROM ${this.sql.slice(m.start, m.end)}` };
      } else {
        source = { kind: "table", table: m.ref };
        if (m.timeTravel) source.timeTravel = m.timeTravel;
      }
      this.i = m.next;
    }
    const sourceAlias = this.optionalAlias(["ON"]);
    this.expect(["ON"], "after the MERGE source");

    const onStart = this.i;
    const on = this.raw("a merge condition after ON", (tok) => isWord(tok, "WHEN"));
    if (this.atEnd()) {
      // No WHEN at all: point at the word that broke the condition (often a misspelled WHEN).
      const stray = findStrayWord(this.tokens, onStart, this.tokens.length);
      this.fail("Expected WHEN after ON condition", stray, ["WHEN"]);
    }

    const clauses: MergeClause[] = [];
    while (!this.atEnd()) {
      this.expect(["WHEN"], clauses.length === 0 ? "after ON condition" : "or end of statement after a WHEN clause");
      clauses.push(this.mergeClause());
    }
    const stmt: Extract<Statement, { type: "merge" }> = { type: "merge", target, source, on, clauses };
    if (targetAlias !== undefined) stmt.targetAlias = targetAlias;
    if (sourceAlias !== undefined) stmt.sourceAlias = sourceAlias;
    if (withSchemaEvolution) stmt.withSchemaEvolution = true;
    return stmt;
  }

  private mergeClause(): MergeClause {
    let kind: MergeClause["kind"];
    if (this.accept("MATCHED")) kind = "matched";
    else if (this.accept("NOT", "MATCHED")) {
      if (this.accept("BY", "SOURCE")) kind = "notMatchedBySource";
      else {
        this.accept("BY", "TARGET");
        kind = "notMatched";
      }
    } else {
      this.fail("Expected MATCHED, NOT MATCHED or NOT MATCHED BY SOURCE after WHEN", this.tok, ["MATCHED", "NOT"]);
    }
    const clause: MergeClause = { kind, action: { type: "delete" } };
    if (this.accept("AND")) {
      const from = this.i;
      clause.condition = this.raw("a clause condition after AND", (tok) => isWord(tok, "THEN"));
      if (this.atEnd()) {
        this.fail("Expected THEN after the WHEN condition", findStrayWord(this.tokens, from, this.tokens.length), ["THEN"]);
      }
    }
    this.expect(["THEN"], "after WHEN [NOT] MATCHED");
    clause.action = this.mergeAction(kind);
    return clause;
  }

  private mergeAction(kind: MergeClause["kind"]): MergeAction {
    const actionTok = this.tok;
    if (kind === "notMatched") {
      if (!this.accept("INSERT")) this.fail("Expected INSERT after WHEN NOT MATCHED THEN", actionTok, ["INSERT"]);
      if (this.tok?.kind === "op" && this.tok.text === "*") {
        this.i++;
        const action: MergeAction = { type: "insertAll" };
        if (this.accept("EXCEPT")) action.except = this.list(() => this.columnRef("a column name"), "after EXCEPT");
        return action;
      }
      const columns = this.list(() => this.columnRef("a column name"), "or '*' after INSERT");
      this.expect(["VALUES"], "after the INSERT column list");
      this.expectPunct("(", "after VALUES");
      const values: string[] = [];
      do values.push(this.raw("a value", (tok) => isPunct(tok, ",")));
      while (this.acceptPunct(","));
      this.expectPunct(")", "or ',' in the VALUES list");
      if (values.length !== columns.length) {
        this.fail(`Expected ${columns.length} values for ${columns.length} INSERT columns, got ${values.length}`, actionTok);
      }
      return { type: "insert", columns, values };
    }

    if (this.accept("DELETE")) return { type: "delete" };
    if (this.accept("UPDATE")) {
      this.expect(["SET"], "after UPDATE");
      if (this.tok?.kind === "op" && this.tok.text === "*") {
        if (kind === "notMatchedBySource") this.fail("UPDATE SET * is not allowed in WHEN NOT MATCHED BY SOURCE: list the assignments");
        this.i++;
        const action: MergeAction = { type: "updateAll" };
        if (this.accept("EXCEPT")) action.except = this.list(() => this.columnRef("a column name"), "after EXCEPT");
        return action;
      }
      return { type: "update", assignments: this.assignments("WHEN") };
    }
    const clauseName = kind === "matched" ? "WHEN MATCHED" : "WHEN NOT MATCHED BY SOURCE";
    if (this.at("INSERT")) this.fail(`INSERT is not allowed in ${clauseName}: use UPDATE or DELETE`);
    return this.fail(`Expected UPDATE or DELETE after ${clauseName} THEN`, actionTok, ["UPDATE", "DELETE"]);
  }

  /** col = expr, … ending at the top-level word `stop` or the end of the statement. */
  private assignments(stop: string): Assignment[] {
    const out: Assignment[] = [];
    do {
      const column = this.columnRef("a column name in SET");
      this.expectOp("=", `after column '${column}' in SET`);
      const value = this.raw(`a value for column '${column}'`, (tok) => isPunct(tok, ",") || isWord(tok, stop));
      out.push({ column, value });
    } while (this.acceptPunct(","));
    return out;
  }

  // ---- UPDATE / DELETE ------------------------------------------------------------------------

  private update(): Statement {
    this.hint = HINTS.update;
    const table = this.tableName();
    const alias = this.optionalAlias(["SET"]);
    this.expect(["SET"], "after the UPDATE table");
    const assignments = this.assignments("WHERE");
    const stmt: Extract<Statement, { type: "update" }> = { type: "update", table, assignments };
    if (alias !== undefined) stmt.alias = alias;
    if (this.accept("WHERE")) stmt.where = this.raw("a condition after WHERE");
    this.end("WHERE or end of statement", ["WHERE"]);
    return stmt;
  }

  private delete(): Statement {
    this.hint = HINTS.delete;
    this.expect(["FROM"], "after DELETE");
    const table = this.tableName();
    const alias = this.optionalAlias(["WHERE"]);
    const stmt: Extract<Statement, { type: "delete" }> = { type: "delete", table };
    if (alias !== undefined) stmt.alias = alias;
    if (this.accept("WHERE")) stmt.where = this.raw("a condition after WHERE");
    this.end("WHERE or end of statement", ["WHERE"]);
    return stmt;
  }

  // ---- DESCRIBE / RESTORE / VACUUM / OPTIMIZE -------------------------------------------------

  private describe(): Statement | undefined {
    this.hint = HINTS.describe;
    // HISTORY / DETAIL are keywords only when a name follows (a table may be called "history").
    if (this.at("HISTORY") && isIdentifier(this.peek(1))) {
      this.i++;
      const table = this.tableName();
      const stmt: Extract<Statement, { type: "describeHistory" }> = { type: "describeHistory", table };
      if (this.accept("LIMIT")) stmt.limit = this.integer("a row count after LIMIT");
      this.end("LIMIT or end of statement", ["LIMIT"]);
      return stmt;
    }
    if (this.at("DETAIL") && isIdentifier(this.peek(1))) {
      this.i++;
      const table = this.tableName();
      this.end();
      return { type: "describeDetail", table };
    }
    const other = ["QUERY", "FUNCTION", "SCHEMA", "DATABASE", "CATALOG", "VOLUME", "CONNECTION", "LOCATION", "SELECT", "WITH", "VALUES", "FROM"];
    if (this.atEnd() || isPunct(this.tok, "(") || (isWord(this.tok, ...other) && !isPunct(this.peek(1), "."))) {
      return undefined;
    }
    this.accept("TABLE");
    let extended = false;
    if (isWord(this.tok, "EXTENDED", "FORMATTED") && isIdentifier(this.peek(1))) {
      this.i++;
      extended = true;
    }
    const table = this.tableName();
    const stmt: Extract<Statement, { type: "describeTable" }> = { type: "describeTable", table, extended };
    if (!this.atEnd()) stmt.column = this.columnRef("a column name");
    this.end();
    return stmt;
  }

  private restore(): Statement {
    this.hint = HINTS.restore;
    this.accept("TABLE");
    const table = this.tableName();
    this.accept("TO");
    if (this.accept("VERSION", "AS", "OF")) {
      const version = this.integer("a version number after VERSION AS OF");
      this.end();
      return { type: "restore", table, version };
    }
    if (this.accept("TIMESTAMP", "AS", "OF")) {
      const timestamp = this.raw("a timestamp after TIMESTAMP AS OF");
      this.end();
      return { type: "restore", table, timestamp };
    }
    return this.fail("Expected VERSION AS OF or TIMESTAMP AS OF", this.tok, ["VERSION", "TIMESTAMP"]);
  }

  private vacuum(): Statement {
    this.hint = HINTS.vacuum;
    const table = this.tableName("a table name or delta.`/path`");
    const stmt: Extract<Statement, { type: "vacuum" }> = { type: "vacuum", table, dryRun: false };
    while (!this.atEnd()) {
      if (this.accept("LITE")) stmt.lite = true;
      else if (this.accept("FULL")) stmt.full = true;
      else if (this.accept("DRY", "RUN")) stmt.dryRun = true;
      else if (this.accept("RETAIN")) {
        const tok = this.tok;
        if (tok?.kind !== "number" || !/^\d*\.?\d+$/.test(tok.text)) this.fail("Expected a number of hours after RETAIN");
        this.i++;
        stmt.retainHours = Number(tok!.text);
        this.expect(["HOURS"], "after the RETAIN number");
      } else {
        this.end("LITE, FULL, RETAIN n HOURS, DRY RUN or end of statement", ["LITE", "FULL", "RETAIN", "DRY"]);
      }
    }
    if (stmt.lite && stmt.full) this.fail("VACUUM takes LITE or FULL, not both", this.tokens[0]);
    return stmt;
  }

  private optimize(): Statement {
    this.hint = HINTS.optimize;
    const table = this.tableName();
    const stmt: Extract<Statement, { type: "optimize" }> = { type: "optimize", table };
    if (this.accept("WHERE")) stmt.where = this.raw("a predicate after WHERE", (tok) => isWord(tok, "ZORDER"));
    if (this.accept("ZORDER")) {
      this.expect(["BY"], "after ZORDER");
      if (isPunct(this.tok, "(")) stmt.zorderBy = this.list(() => this.columnRef("a column name"), "after ZORDER BY");
      else {
        stmt.zorderBy = [];
        do stmt.zorderBy.push(this.columnRef("a column name after ZORDER BY"));
        while (this.acceptPunct(","));
      }
    } else if (this.accept("FULL")) stmt.full = true;
    this.end("WHERE, ZORDER BY or end of statement", ["WHERE", "ZORDER"]);
    return stmt;
  }

  // ---- ALTER TABLE ----------------------------------------------------------------------------

  private alter(): Statement | undefined {
    if (!this.at("TABLE")) return undefined; // ALTER VIEW / SCHEMA … go to DuckDB
    this.hint = HINTS.alter;
    this.i++;
    const table = this.tableName();
    const action = this.alterAction();
    this.end();
    return { type: "alterTable", table, action };
  }

  private alterAction(): AlterAction {
    if (this.accept("ADD")) {
      if (this.accept("CONSTRAINT")) {
        const name = this.identifier("a constraint name");
        this.expect(["CHECK"], "after the constraint name (only CHECK constraints are supported)");
        return { kind: "addConstraint", name, check: this.parenthesized("a CHECK condition", "after CHECK") };
      }
      if (!this.accept("COLUMNS") && !this.accept("COLUMN")) {
        this.fail("Expected COLUMN, COLUMNS or CONSTRAINT after ADD", this.tok, ["COLUMN", "COLUMNS", "CONSTRAINT"]);
      }
      if (isPunct(this.tok, "(")) return { kind: "addColumns", columns: this.columnList(false).columns };
      const columns: ColumnDef[] = [];
      do columns.push(this.columnDef());
      while (this.acceptPunct(","));
      return { kind: "addColumns", columns };
    }
    if (this.accept("SET", "TBLPROPERTIES")) {
      return { kind: "setTblProperties", properties: this.properties("after SET TBLPROPERTIES") };
    }
    if (this.accept("UNSET", "TBLPROPERTIES")) {
      const ifExists = this.accept("IF", "EXISTS");
      return { kind: "unsetTblProperties", ifExists, keys: this.list(() => this.propertyKey(), "after UNSET TBLPROPERTIES") };
    }
    if (this.accept("DROP", "CONSTRAINT")) {
      const ifExists = this.accept("IF", "EXISTS");
      return { kind: "dropConstraint", ifExists, name: this.identifier("a constraint name") };
    }
    if (this.accept("ALTER") || this.accept("CHANGE")) {
      this.accept("COLUMN");
      const column = this.columnRef("a column name");
      if (this.accept("SET", "NOT", "NULL")) return { kind: "alterColumn", column, setNotNull: true };
      if (this.accept("DROP", "NOT", "NULL")) return { kind: "alterColumn", column, dropNotNull: true };
      if (this.accept("COMMENT")) return { kind: "alterColumn", column, comment: this.stringLiteral("a column comment") };
      this.fail(`Expected SET NOT NULL, DROP NOT NULL or COMMENT after column '${column}'`, this.tok, ["SET", "DROP", "COMMENT"]);
    }
    if (this.accept("RENAME")) {
      this.expect(["TO"], "after RENAME (only RENAME TO new_name is supported)");
      return { kind: "renameTo", newName: this.tableName("a new table name") };
    }
    return this.fail(
      "Expected ADD, SET TBLPROPERTIES, UNSET TBLPROPERTIES, DROP CONSTRAINT, ALTER COLUMN or RENAME TO after the table name",
      this.tok,
      ["ADD", "SET", "UNSET", "DROP", "ALTER", "RENAME"],
    );
  }

  // ---- USE / SHOW / CREATE & DROP of catalogs and schemas -------------------------------------

  private use(): Statement {
    this.hint = HINTS.use;
    let stmt: Statement;
    // CATALOG / SCHEMA are keywords only when a name follows them.
    if (this.at("CATALOG") && isIdentifier(this.peek(1))) {
      this.i++;
      stmt = { type: "use", kind: "catalog", name: [this.identifier("a catalog name")] };
    } else if ((this.at("SCHEMA") || this.at("DATABASE")) && isIdentifier(this.peek(1))) {
      this.i++;
      stmt = { type: "use", kind: "schema", name: this.qualifiedName("a schema name", 2) };
    } else {
      stmt = { type: "use", kind: "default", name: this.qualifiedName("a catalog or schema name", 2) };
    }
    this.end();
    return stmt;
  }

  private show(): Statement | undefined {
    this.hint = HINTS.show;
    let stmt: Extract<Statement, { type: "show" }>;
    if (this.accept("CATALOGS")) {
      stmt = { type: "show", what: "catalogs" };
      this.showLike(stmt);
    } else if (this.accept("SCHEMAS") || this.accept("DATABASES")) {
      stmt = { type: "show", what: "schemas" };
      if (this.accept("IN") || this.accept("FROM")) stmt.in = [this.identifier("a catalog name")];
      this.showLike(stmt);
    } else if (this.accept("TABLES")) {
      stmt = { type: "show", what: "tables" };
      if (this.accept("IN") || this.accept("FROM")) stmt.in = this.qualifiedName("a schema name", 2);
      this.showLike(stmt);
    } else if (this.accept("TBLPROPERTIES")) {
      stmt = { type: "show", what: "tblproperties", table: this.tableName() };
      if (isPunct(this.tok, "(")) {
        this.i++;
        stmt.key = this.propertyKey();
        this.expectPunct(")", "after the property key");
      }
    } else if (this.accept("COLUMNS")) {
      if (!this.accept("IN") && !this.accept("FROM")) this.fail("Expected IN or FROM after SHOW COLUMNS", this.tok, ["IN", "FROM"]);
      let table = this.tableName();
      if (this.accept("IN") || this.accept("FROM")) {
        const schema = this.qualifiedName("a schema name", 2);
        if (table.kind === "name" && table.parts.length === 1) table = { kind: "name", parts: [...schema, table.parts[0]!] };
      }
      stmt = { type: "show", what: "columns", table };
    } else {
      return undefined; // SHOW CREATE TABLE, SHOW VIEWS, … go to DuckDB
    }
    this.end();
    return stmt;
  }

  private showLike(stmt: { like?: string }): void {
    if (this.accept("LIKE") || this.tok?.kind === "string") stmt.like = this.stringLiteral("a pattern after LIKE");
  }

  private drop(): Statement | undefined {
    if (this.at("TABLE")) {
      this.hint = HINTS.drop;
      this.i++;
      const ifExists = this.accept("IF", "EXISTS");
      const table = this.tableName();
      this.accept("PURGE");
      this.end();
      return { type: "dropTable", table, ifExists };
    }
    if (this.at("SCHEMA") || this.at("DATABASE") || this.at("CATALOG")) {
      this.hint = HINTS.drop;
      const catalog = this.at("CATALOG");
      this.i++;
      const ifExists = this.accept("IF", "EXISTS");
      const name = catalog ? [this.identifier("a catalog name")] : this.qualifiedName("a schema name", 2);
      let cascade = false;
      if (this.accept("CASCADE")) cascade = true;
      else this.accept("RESTRICT");
      this.end("CASCADE, RESTRICT or end of statement", ["CASCADE", "RESTRICT"]);
      return catalog
        ? { type: "dropCatalog", name: name[0]!, ifExists, cascade }
        : { type: "dropSchema", name, ifExists, cascade };
    }
    return undefined; // DROP VIEW / FUNCTION … go to DuckDB
  }

  // ---- SET / RESET ----------------------------------------------------------------------------

  private set(): Statement | undefined {
    this.hint = HINTS.set;
    if (this.atEnd()) return { type: "set", key: "" };
    if (this.at("VAR") || this.at("VARIABLE")) return undefined; // session variables: DuckDB's SET VARIABLE
    if (this.accept("TIME", "ZONE")) {
      // Databricks documents SET TIME ZONE as setting this configuration key.
      return { type: "set", key: "spark.sql.session.timeZone", value: this.setValue() };
    }
    const keyStart = this.i;
    const eq = scanTo(this.tokens, keyStart, this.tokens.length, (tok) => tok.kind === "op" && tok.text === "=");
    const key = this.setKey(keyStart, eq);
    if (eq === this.tokens.length) return { type: "set", key };
    if (eq === keyStart) this.fail("Expected a configuration key before '='", this.tokens[eq]);
    this.i = eq + 1;
    return { type: "set", key, value: this.setValue() };
  }

  private reset(): Statement {
    this.hint = HINTS.set;
    if (this.atEnd()) return { type: "set", key: "", reset: true };
    return { type: "set", key: this.setKey(this.i, this.tokens.length), reset: true };
  }

  /** Raw key text (spark.sql.x, or a single quoted name unquoted). */
  private setKey(from: number, to: number): string {
    if (to - from === 1 && this.tokens[from]!.kind !== "ident") return this.tokens[from]!.value;
    return this.sql.slice(this.tokens[from]!.start, this.tokens[to - 1]!.end).trim();
  }

  /** Raw value text; a lone string literal is unquoted. */
  private setValue(): string {
    const from = this.i;
    const text = this.raw("a value");
    this.end();
    return this.tokens.length - from === 1 && this.tokens[from]!.kind === "string" ? this.tokens[from]!.value : text;
  }
}
