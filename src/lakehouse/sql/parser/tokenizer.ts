/**
 * Tokenizer for the Databricks SQL front, plus the token-level helpers the parser and the
 * table-reference scanner share (keyword tests, raw-span scanning, positioned errors).
 *
 * Every token keeps its [start, end) character offsets so that callers can cut the exact
 * source text of an expression out of the original string instead of re-printing tokens.
 * Comments and whitespace produce no tokens; they survive only inside such raw spans.
 */
import { ParseError } from "../../errors.js";

export type TokenKind = "ident" | "quotedIdent" | "backtick" | "string" | "number" | "op" | "punct";

export interface Token {
  kind: TokenKind;
  /** Exact source text, quotes included. */
  text: string;
  /**
   * Processed value: identifiers and quoted identifiers unquoted and unescaped, string
   * literals without their quotes ('' → '; backslash escapes kept raw), others = text.
   */
  value: string;
  /** Upper-cased text of an unquoted identifier, for keyword tests; "" for other kinds. */
  upper: string;
  start: number;
  end: number;
}

/** Operators, longest first so that the scanner can take the longest match. */
const OPERATORS = [
  "<=>",
  "<>",
  "!=",
  ">=",
  "<=",
  "::",
  "||",
  "=>",
  "->",
  "==",
  "<<",
  ">>",
  "+",
  "-",
  "*",
  "/",
  "%",
  "=",
  "<",
  ">",
  "!",
  "~",
  "&",
  "|",
  "^",
  ":",
  "?",
  "$",
];

const PUNCT = new Set(["(", ")", "[", "]", "{", "}", ",", ";", ".", "@"]);

function isIdentStart(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || ch === "_" || (ch > "\x7f" && /\p{L}/u.test(ch));
}

function isIdentPart(ch: string): boolean {
  return isIdentStart(ch) || isDigit(ch) || ch === "$";
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/** 1-based line and column of a character offset. */
export function lineCol(sql: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < sql.length; i++) {
    if (sql[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/**
 * Builds the ParseError every syntax problem ends in: what was expected, where (line, column and
 * the offending text) and, last, the right syntax, so the learner can fix the statement.
 */
export function syntaxError(
  sql: string,
  position: number,
  message: string,
  hint?: string,
  near?: string,
  suggestion?: string,
): ParseError {
  const { line, column } = lineCol(sql, position);
  let where: string;
  if (position >= sql.trimEnd().length) {
    where = "at end of input";
  } else {
    let end = position;
    while (end < sql.length && end - position < 20 && sql[end]!.trim() !== "") end++;
    where = `near '${near ?? sql.slice(position, end)}'`;
  }
  let text = `${message} at line ${line}, column ${column} ${where}`;
  if (suggestion) text += ` (did you mean ${suggestion}?)`;
  if (hint) text += `. Syntax: ${hint}`;
  return new ParseError(text, { position, sql });
}

/** Splits SQL text into tokens. Throws ParseError on an unterminated string, identifier or comment. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;

  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, upper: kind === "ident" ? text.toUpperCase() : "", start, end });
  };

  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1] ?? "";

    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v") {
      i++;
      continue;
    }

    if (ch === "-" && next === "-") {
      while (i < n && sql[i] !== "\n") i++;
      continue;
    }

    if (ch === "/" && next === "*") {
      // Spark allows nested bracketed comments, so count the nesting depth.
      const start = i;
      let depth = 0;
      do {
        if (sql[i] === "/" && sql[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          depth--;
          i += 2;
        } else {
          i++;
        }
      } while (depth > 0 && i < n);
      if (depth > 0) {
        throw syntaxError(sql, start, "Unterminated comment", "close every /* with */", "/*");
      }
      continue;
    }

    if ((ch === "r" || ch === "R") && next === "'") {
      // Raw literal r'…': backslashes are plain characters, so only the quote ends it.
      const close = sql.indexOf("'", i + 2);
      if (close < 0) throw syntaxError(sql, i, "Unterminated string literal", "r'raw text'", "r'");
      push("string", i, close + 1, sql.slice(i + 2, close));
      i = close + 1;
      continue;
    }

    if (ch === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= n) {
          throw syntaxError(sql, start, "Unterminated string literal", "'text' (write '' or \\' for a quote inside)", "'");
        }
        const c = sql[i]!;
        if (c === "\\" && i + 1 < n) {
          // Databricks backslash escape: the next character never ends the literal. Kept raw.
          value += c + sql[i + 1];
          i += 2;
        } else if (c === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += c;
          i++;
        }
      }
      push("string", start, i, value);
      continue;
    }

    if (ch === '"' || ch === "`") {
      // Quoted identifiers; the quote character doubled stands for itself.
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= n) {
          const name = ch === "`" ? "backtick-quoted" : "double-quoted";
          throw syntaxError(sql, start, `Unterminated ${name} identifier`, `${ch}name${ch}`, ch);
        }
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      push(ch === "`" ? "backtick" : "quotedIdent", start, i, value);
      continue;
    }

    if (ch === "$") {
      // Dollar-quoted bodies ($$…$$ or $tag$…$tag$) of SQL functions may contain ';'.
      let j = i + 1;
      while (j < n && isIdentPart(sql[j]!) && sql[j] !== "$") j++;
      if (sql[j] === "$" && (j === i + 1 || isIdentStart(sql[i + 1]!))) {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        if (close < 0) throw syntaxError(sql, i, "Unterminated dollar-quoted string", `${tag}…${tag}`, tag);
        push("string", i, close + tag.length, sql.slice(j + 1, close));
        i = close + tag.length;
        continue;
      }
    }

    if (isDigit(ch) || (ch === "." && isDigit(next) && !endsOperandAt(tokens, i))) {
      const start = i;
      while (i < n && isDigit(sql[i]!)) i++;
      if (sql[i] === "." && isDigit(sql[i + 1] ?? "")) {
        i++;
        while (i < n && isDigit(sql[i]!)) i++;
      } else if (sql[i] === "." && !isIdentStart(sql[i + 1] ?? "")) {
        i++; // "1." is a number; "1.x" is not
      }
      if ((sql[i] === "e" || sql[i] === "E") && (isDigit(sql[i + 1] ?? "") || ((sql[i + 1] === "+" || sql[i + 1] === "-") && isDigit(sql[i + 2] ?? "")))) {
        i += 2;
        while (i < n && isDigit(sql[i]!)) i++;
      }
      // Spark literal suffixes: 10L, 1S, 2Y, 1.5D, 1.5F, 1.5BD.
      const s1 = (sql[i] ?? "").toUpperCase();
      const s2 = (sql[i + 1] ?? "").toUpperCase();
      if (s1 === "B" && s2 === "D" && !isIdentPart(sql[i + 2] ?? "")) i += 2;
      else if (s1 !== "" && "LSYDF".includes(s1) && !isIdentPart(sql[i + 1] ?? "")) i += 1;
      push("number", start, i);
      continue;
    }

    if (isIdentStart(ch)) {
      const start = i;
      while (i < n && isIdentPart(sql[i]!)) i++;
      push("ident", start, i);
      continue;
    }

    if (PUNCT.has(ch)) {
      push("punct", i, i + 1);
      i++;
      continue;
    }

    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    // Anything unknown becomes a one-character operator: DuckDB reports it if it matters.
    const len = op?.length ?? 1;
    push("op", i, i + len);
    i += len;
  }
  return tokens;
}

/** True when the last token pushed so far ends right at `pos` and is something a '.' could follow. */
function endsOperandAt(tokens: Token[], pos: number): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.end === pos && last.kind !== "op" && last.kind !== "punct";
}

// ---------------------------------------------------------------------------------------------
// Token-level helpers shared by the parser and the table-reference scanner.

/** True when `tok` is the unquoted word `word` (upper case), or one of `words`. */
export function isWord(tok: Token | undefined, ...words: string[]): boolean {
  return tok !== undefined && tok.kind === "ident" && words.includes(tok.upper);
}

export function isPunct(tok: Token | undefined, p: string): boolean {
  return tok !== undefined && tok.kind === "punct" && tok.text === p;
}

export function isIdentifier(tok: Token | undefined): tok is Token {
  return tok !== undefined && (tok.kind === "ident" || tok.kind === "quotedIdent" || tok.kind === "backtick");
}

/**
 * Words that may follow a complete operand inside an expression without starting a new one:
 * binary keywords, interval units, window/collation suffixes. Any other bare word directly after
 * an operand is an alias or a misspelled keyword, which is how expression ends are detected.
 */
const CONTINUATION_WORDS = new Set([
  "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "SIMILAR", "BETWEEN", "ESCAPE",
  "DIV", "MOD", "COLLATE", "OVER", "FILTER", "WITHIN", "RESPECT", "IGNORE", "NULLS", "AT", "TIME", "ZONE",
  "TO", "WHEN", "THEN", "ELSE", "END",
  "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES",
  "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS",
]);

/** Words that are operators or expression syntax, never a complete operand. */
const OPERATOR_WORDS = new Set([
  "AND", "OR", "NOT", "IS", "IN", "LIKE", "ILIKE", "RLIKE", "REGEXP", "SIMILAR", "BETWEEN", "ESCAPE", "DIV",
  "MOD", "CASE", "WHEN", "THEN", "ELSE", "INTERVAL", "DISTINCT", "ANY", "ALL", "SOME", "EXISTS", "COLLATE",
  "AT", "TIME", "ZONE", "TO", "OVER", "FILTER", "WITHIN",
]);

/** True when `tok` ends a complete operand (so a following bare word would be an alias). */
export function endsOperand(tok: Token | undefined): boolean {
  if (!tok) return false;
  switch (tok.kind) {
    case "number":
    case "string":
    case "quotedIdent":
    case "backtick":
      return true;
    case "ident":
      return !OPERATOR_WORDS.has(tok.upper);
    case "punct":
      return tok.text === ")" || tok.text === "]" || tok.text === "}";
    default:
      return false;
  }
}

/** Type names that prefix a typed literal: TIMESTAMP '2024-01-01' is one operand, not two. */
const TYPED_LITERAL_PREFIXES = new Set(["DATE", "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "X"]);

/** True when `tok`, following `prev`, cannot continue the expression `prev` belongs to. */
export function isStrayWord(prev: Token | undefined, tok: Token): boolean {
  if (!endsOperand(prev)) return false;
  if (tok.kind === "string" && prev!.kind === "ident" && TYPED_LITERAL_PREFIXES.has(prev!.upper)) return false;
  if (tok.kind === "ident") return !CONTINUATION_WORDS.has(tok.upper);
  return tok.kind === "quotedIdent" || tok.kind === "backtick" || tok.kind === "string" || tok.kind === "number";
}

/**
 * Walks tokens from `from` and returns the index of the first token at nesting depth 0 (outside
 * (), [], {} and CASE … END) for which `stop` is true, or `to` if there is none. A closing
 * bracket that would take the depth below 0 also stops the scan: it belongs to the caller.
 */
export function scanTo(tokens: Token[], from: number, to: number, stop: (tok: Token, index: number) => boolean): number {
  let depth = 0;
  let caseDepth = 0;
  for (let i = from; i < to; i++) {
    const tok = tokens[i]!;
    if (depth === 0 && caseDepth === 0 && stop(tok, i)) return i;
    if (tok.kind === "punct") {
      if (tok.text === "(" || tok.text === "[" || tok.text === "{") depth++;
      else if (tok.text === ")" || tok.text === "]" || tok.text === "}") {
        if (depth === 0) return i;
        depth--;
      }
    } else if (depth === 0 && tok.kind === "ident") {
      if (tok.upper === "CASE") caseDepth++;
      else if (tok.upper === "END" && caseDepth > 0) caseDepth--;
    }
  }
  return to;
}

/** The first top-level token in [from, to) that cannot continue an expression, if any. */
export function findStrayWord(tokens: Token[], from: number, to: number): Token | undefined {
  const i = scanTo(tokens, from, to, (tok, idx) => idx > from && isStrayWord(tokens[idx - 1], tok));
  return i < to ? tokens[i] : undefined;
}

/** Edit distance counting a swap of neighbours as one edit ("WEHN" is 1 away from "WHEN"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0]![j] = j;
        continue;
      }
      const row = d[i]!;
      let v = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      row[j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate keyword closest to a misspelled word, if it is close enough to be a typo. */
export function suggestKeyword(tok: Token | undefined, candidates: string[]): string | undefined {
  if (tok?.kind !== "ident") return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(tok.upper, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance > 0 && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}
