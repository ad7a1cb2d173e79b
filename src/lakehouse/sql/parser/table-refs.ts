/**
 * Finds the Databricks-only table references inside a query that DuckDB would not understand:
 * time travel (`t VERSION AS OF 3`, `t TIMESTAMP AS OF '…'`, `t@v3`, `t@20240101000000000`),
 * path tables (delta.`/tmp/x`) and `table_changes(…)` calls. The caller replaces each reported
 * span with the name of a view it prepares, so a span covers exactly the reference and its
 * time-travel clause, never a following alias.
 *
 * The scan works on tokens, so string literals and comments can never produce a match, and it
 * only looks at table positions (after FROM, JOIN, a comma of a FROM list, USING of a MERGE).
 */
import type { TableRef, TimeTravel } from "./ast.js";
import {
  isIdentifier,
  isPunct,
  isStrayWord,
  isWord,
  scanTo,
  syntaxError,
  tokenize,
  type Token,
} from "./tokenizer.js";

export interface SpecialRef {
  start: number;
  end: number;
  ref: TableRef;
  timeTravel?: TimeTravel;
  tableChanges?: { start: number | string; end?: number | string };
}

/** A table reference recognised at a token index; `next` is the index of the token after it. */
export interface TableReferenceMatch extends SpecialRef {
  next: number;
}

/** File formats Spark accepts in front of a back-quoted path: delta.`/p`, parquet.`/p` … */
const PATH_FORMATS = new Set(["delta", "parquet", "json", "csv", "orc", "avro", "text", "binaryfile"]);

/** Words that end a TIMESTAMP AS OF expression: the next clause of the surrounding query. */
const CLAUSE_WORDS = new Set([
  "AS", "ON", "USING", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "QUALIFY", "WINDOW",
  "UNION", "EXCEPT", "INTERSECT", "MINUS", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL",
  "SEMI", "ANTI", "LATERAL", "PIVOT", "UNPIVOT", "TABLESAMPLE", "CLUSTER", "DISTRIBUTE", "SORT", "FETCH",
  "SELECT", "FROM", "VALUES", "WITH", "WHEN", "SET",
]);

/** Words after which a parenthesis opens a subquery or a grouping, not a function's arguments. */
const NON_CALL_WORDS = new Set([
  "IN", "EXISTS", "FROM", "JOIN", "AS", "ANY", "ALL", "SOME", "LATERAL", "USING", "SELECT", "WHERE", "ON",
  "AND", "OR", "NOT", "UNION", "EXCEPT", "INTERSECT", "MINUS", "WITH", "THEN", "ELSE", "WHEN", "HAVING",
  "BY", "TABLE", "VALUES", "INTO", "RETURN",
]);

/**
 * Words that end a FROM list at the current nesting level. ON and USING do not: a join condition
 * has no top-level comma, and `FROM a JOIN b ON …, c` continues the list.
 */
const FROM_LIST_ENDS = new Set([
  "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "QUALIFY", "WINDOW", "UNION", "EXCEPT", "INTERSECT",
  "MINUS", "SELECT", "SET", "WHEN", "VALUES",
]);

const TABLE_CHANGES_HINT = "table_changes('catalog.schema.table', start_version_or_timestamp [, end_version_or_timestamp])";
const TIME_TRAVEL_HINT = "table_name { VERSION AS OF n | TIMESTAMP AS OF timestamp_expression }, table_name@v<n> or table_name@yyyyMMddHHmmssSSS";

/**
 * Scans a SELECT-ish query and returns, in source order, the spans of the references DuckDB
 * cannot read. Names without time travel are not reported: DuckDB resolves them itself.
 */
export function findSpecialTableRefs(sql: string): SpecialRef[] {
  const tokens = tokenize(sql);
  const refs: SpecialRef[] = [];
  // One state per parenthesis level, so that a subquery's FROM list does not leak out of it.
  interface Level {
    call: boolean;
    fromList: boolean;
    merge: boolean;
  }
  const levels: Level[] = [{ call: false, fromList: false, merge: false }];

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const prev = tokens[i - 1];
    if (isPunct(tok, "(")) {
      // Arguments of a function are no query, unless the parenthesis obviously starts one.
      const call =
        ((prev?.kind === "ident" && !NON_CALL_WORDS.has(prev.upper)) || prev?.kind === "quotedIdent" || prev?.kind === "backtick") &&
        !isWord(tokens[i + 1], "SELECT", "WITH", "FROM", "VALUES", "TABLE");
      levels.push({ call, fromList: false, merge: false });
      continue;
    }
    if (isPunct(tok, ")")) {
      if (levels.length > 1) levels.pop();
      continue;
    }
    const level = levels[levels.length - 1]!;
    if (level.call) continue;

    let tablePosition = false;
    if (isWord(tok, "FROM") && !isWord(prev, "DISTINCT")) {
      tablePosition = true;
      level.fromList = true;
    } else if (isWord(tok, "JOIN")) {
      tablePosition = true;
      level.fromList = true;
    } else if (isPunct(tok, ",")) {
      tablePosition = level.fromList;
    } else if (isWord(tok, "MERGE")) {
      level.merge = true;
    } else if (isWord(tok, "USING") && level.merge) {
      tablePosition = true;
      level.merge = false;
    } else if (tok.kind === "ident" && FROM_LIST_ENDS.has(tok.upper)) {
      level.fromList = false;
    }
    if (!tablePosition) continue;

    const match = matchTableReference(sql, tokens, i + 1);
    if (!match) continue;
    const special =
      match.timeTravel !== undefined || match.tableChanges !== undefined || match.ref.kind === "path";
    if (special && (match.ref.kind === "path" || match.ref.parts.length <= 3)) {
      const { next: _next, ...ref } = match;
      refs.push(ref);
    }
    i = match.next - 1;
  }
  return refs;
}

/**
 * Recognises a table reference starting at token `i`: a table_changes(…) call, a path table or a
 * dotted name (any number of parts: the caller checks the count), each with an optional
 * time-travel clause. Returns undefined when no name starts there. Throws ParseError when a
 * recognised construct is malformed (VERSION AS OF without an integer, bad table_changes args).
 */
export function matchTableReference(sql: string, tokens: Token[], i: number): TableReferenceMatch | undefined {
  if (isWord(tokens[i], "TABLE_CHANGES") && isPunct(tokens[i + 1], "(")) {
    return matchTableChanges(sql, tokens, i);
  }
  const name = matchTableName(tokens, i);
  if (!name || name.timeTravel) return name;
  const tt = matchTimeTravel(sql, tokens, name.next);
  if (tt) {
    name.timeTravel = tt.timeTravel;
    name.end = tokens[tt.next - 1]!.end;
    name.next = tt.next;
  }
  return name;
}

/**
 * Recognises a plain table name or a path table at token `i`, without a time-travel clause after
 * it (statements such as RESTORE put their own VERSION AS OF there). Only a time travel written
 * inside a back-quoted path (delta.`/p@v2`) is reported.
 */
export function matchTableName(tokens: Token[], i: number): TableReferenceMatch | undefined {
  const first = tokens[i];
  if (!isIdentifier(first)) return undefined;

  // Dotted name: identifier ( '.' identifier )*
  const parts: Token[] = [first];
  let j = i + 1;
  while (isPunct(tokens[j], ".") && isIdentifier(tokens[j + 1])) {
    parts.push(tokens[j + 1]!);
    j += 2;
  }

  let ref: TableRef;
  let timeTravel: TimeTravel | undefined;
  const formatTok = parts[0]!;
  const pathTok = parts[1];
  if (
    parts.length === 2 &&
    formatTok.kind === "ident" &&
    PATH_FORMATS.has(formatTok.value.toLowerCase()) &&
    pathTok?.kind === "backtick"
  ) {
    // Spark also accepts the time travel inside the path: delta.`/p@v2`.
    const inPath = splitPathTimeTravel(pathTok.value);
    ref = { kind: "path", format: formatTok.value.toLowerCase(), path: inPath.path };
    timeTravel = inPath.timeTravel;
  } else {
    ref = { kind: "name", parts: parts.map((p) => p.value) };
  }

  const match: TableReferenceMatch = { start: first.start, end: tokens[j - 1]!.end, ref, next: j };
  if (timeTravel) match.timeTravel = timeTravel;
  return match;
}

/** Recognises a time-travel suffix at token `j` (`@v3`, `@<17 digits>`, `[FOR] VERSION AS OF …`). */
export function matchTimeTravel(sql: string, tokens: Token[], j: number): { timeTravel: TimeTravel; next: number } | undefined {
  const at = tokens[j];
  const after = tokens[j + 1];
  if (isPunct(at, "@") && after && at.start === tokens[j - 1]?.end && after.start === at.end) {
    const shorthand = parseAtShorthand(after.text);
    if (!shorthand) {
      throw syntaxError(sql, after.start, "Expected v<version> or a 17-digit yyyyMMddHHmmssSSS timestamp after '@'", TIME_TRAVEL_HINT, after.text);
    }
    return { timeTravel: shorthand, next: j + 2 };
  }

  let k = j;
  if (isWord(tokens[k], "FOR")) k++;
  const kindTok = tokens[k];
  if (!isWord(kindTok, "VERSION", "SYSTEM_VERSION", "TIMESTAMP", "SYSTEM_TIME")) return undefined;
  if (!isWord(tokens[k + 1], "AS") || !isWord(tokens[k + 2], "OF")) return undefined;
  const valueIndex = k + 3;
  const valueTok = tokens[valueIndex];

  if (kindTok.upper === "VERSION" || kindTok.upper === "SYSTEM_VERSION") {
    if (valueTok?.kind !== "number" || !/^\d+$/.test(valueTok.text)) {
      throw syntaxError(
        sql,
        valueTok?.start ?? sql.length,
        `Expected an integer version after ${kindTok.text} AS OF`,
        TIME_TRAVEL_HINT,
        valueTok?.text,
      );
    }
    return { timeTravel: { version: Number(valueTok.text) }, next: valueIndex + 1 };
  }

  // TIMESTAMP AS OF <expr>: the expression runs to the next clause, alias, comma or ')'.
  const stop = scanTo(tokens, valueIndex, tokens.length, (tok, idx) => {
    if (idx === valueIndex) return false;
    if (tok.kind === "punct" && (tok.text === "," || tok.text === ";")) return true;
    if (tok.kind === "ident" && CLAUSE_WORDS.has(tok.upper)) return true;
    return isStrayWord(tokens[idx - 1], tok);
  });
  if (stop === valueIndex) {
    throw syntaxError(sql, valueTok?.start ?? sql.length, `Expected a timestamp expression after ${kindTok.text} AS OF`, TIME_TRAVEL_HINT, valueTok?.text);
  }
  const timestamp = sql.slice(valueTok!.start, tokens[stop - 1]!.end).trim();
  return { timeTravel: { timestamp }, next: stop };
}

/** `v12` → version 12; `20240101123000000` → that instant as a SQL timestamp string literal. */
function parseAtShorthand(text: string): TimeTravel | undefined {
  if (/^[vV]\d+$/.test(text)) return { version: Number(text.slice(1)) };
  if (/^\d{17}$/.test(text)) {
    const t = text;
    return {
      timestamp: `'${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}.${t.slice(14)}'`,
    };
  }
  return undefined;
}

function splitPathTimeTravel(path: string): { path: string; timeTravel?: TimeTravel } {
  const at = path.lastIndexOf("@");
  if (at > 0) {
    const tt = parseAtShorthand(path.slice(at + 1));
    if (tt) return { path: path.slice(0, at), timeTravel: tt };
  }
  return { path };
}

/** table_changes('name', start [, end]) where start/end are integers or timestamp strings. */
function matchTableChanges(sql: string, tokens: Token[], i: number): TableReferenceMatch {
  const fail = (k: number, what: string): never => {
    const tok = tokens[k];
    throw syntaxError(sql, tok?.start ?? sql.length, what, TABLE_CHANGES_HINT, tok?.text);
  };
  let k = i + 2;
  const nameTok = tokens[k];
  if (nameTok?.kind !== "string") fail(k, "Expected the table name as a string literal in table_changes");
  const ref = tableRefFromString(sql, nameTok!);
  k++;
  const bounds: (number | string)[] = [];
  while (isPunct(tokens[k], ",") && bounds.length < 2) {
    const v = tokens[k + 1];
    if (v?.kind === "number" && /^\d+$/.test(v.text)) bounds.push(Number(v.text));
    else if (v?.kind === "string") bounds.push(v.value);
    else fail(k + 1, "Expected an integer version or a timestamp string in table_changes");
    k += 2;
  }
  if (bounds.length === 0) fail(k, "Expected ',' and a start version or timestamp in table_changes");
  if (!isPunct(tokens[k], ")")) fail(k, "Expected ')' to close table_changes");
  const tableChanges: { start: number | string; end?: number | string } = { start: bounds[0]! };
  if (bounds.length > 1) tableChanges.end = bounds[1]!;
  return { start: tokens[i]!.start, end: tokens[k]!.end, ref, tableChanges, next: k + 1 };
}

/** Parses the table name inside a string literal ('c360.silver.t', or with back-quoted parts). */
function tableRefFromString(sql: string, tok: Token): TableRef {
  const inner = tokenize(tok.value);
  const m = matchTableReference(tok.value, inner, 0);
  if (!m || m.next !== inner.length || m.timeTravel || (m.ref.kind === "name" && m.ref.parts.length > 3)) {
    throw syntaxError(sql, tok.start, `Expected a table name of 1 to 3 parts in ${tok.text}`, TABLE_CHANGES_HINT, tok.text);
  }
  return m.ref;
}
