import { describe, expect, it } from "vitest";
import { ParseError } from "../../../../src/lakehouse/errors.js";
import { lineCol, tokenize } from "../../../../src/lakehouse/sql/parser/tokenizer.js";

const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.text]);

describe("tokenize", () => {
  it("records exact offsets for every token", () => {
    const sql = "SELECT a.b, `x y` FROM t";
    for (const t of tokenize(sql)) expect(sql.slice(t.start, t.end)).toBe(t.text);
  });

  it("skips line and block comments, including nested block comments", () => {
    expect(kinds("SELECT -- WHEN ;\n 1 /* outer /* inner */ still; */ + 2")).toEqual([
      ["ident", "SELECT"],
      ["number", "1"],
      ["op", "+"],
      ["number", "2"],
    ]);
  });

  it("reads string literals with '' escapes and keeps backslash escapes raw", () => {
    const [a, b] = tokenize(`'it''s' 'C:\\\\dir\\'s'`);
    expect(a).toMatchObject({ kind: "string", value: "it's", text: "'it''s'" });
    expect(b).toMatchObject({ kind: "string", value: "C:\\\\dir\\'s" });
  });

  it("reads raw literals without backslash escapes", () => {
    expect(tokenize("r'C:\\' x")[0]).toMatchObject({ kind: "string", value: "C:\\" });
  });

  it("unquotes double-quoted and backtick identifiers", () => {
    const [a, , b] = tokenize('"my ""col""".`we``ird`');
    expect(a).toMatchObject({ kind: "quotedIdent", value: 'my "col"' });
    expect(b).toMatchObject({ kind: "backtick", value: "we`ird" });
  });

  it("takes the longest operator", () => {
    expect(kinds("a <=> b <> c != d >= e :: f || g => h -> i").filter(([k]) => k === "op").map(([, t]) => t)).toEqual([
      "<=>",
      "<>",
      "!=",
      ">=",
      "::",
      "||",
      "=>",
      "->",
    ]);
  });

  it("reads numbers with fractions, exponents and Spark suffixes", () => {
    expect(kinds("1 2.5 .5 1e10 3.2E-4 10L 1.5BD").map(([, t]) => t)).toEqual(["1", "2.5", ".5", "1e10", "3.2E-4", "10L", "1.5BD"]);
  });

  it("splits the @ time-travel shorthand into name, @ and suffix", () => {
    expect(kinds("t@v4 u@20240101000000000")).toEqual([
      ["ident", "t"],
      ["punct", "@"],
      ["ident", "v4"],
      ["ident", "u"],
      ["punct", "@"],
      ["number", "20240101000000000"],
    ]);
  });

  it("keeps dollar-quoted bodies as one string", () => {
    const toks = tokenize("AS $$ SELECT 1; $$ x");
    expect(toks[1]).toMatchObject({ kind: "string", value: " SELECT 1; " });
    expect(toks[2]!.text).toBe("x");
  });

  it("reports unterminated strings and comments with their position", () => {
    expect(() => tokenize("SELECT 'abc")).toThrow(ParseError);
    expect(() => tokenize("SELECT\n  'abc")).toThrow(/Unterminated string literal at line 2, column 3/);
    expect(() => tokenize("SELECT /* x")).toThrow(/Unterminated comment/);
    expect(() => tokenize("SELECT `x")).toThrow(/Unterminated backtick-quoted identifier/);
  });

  it("computes 1-based line and column", () => {
    expect(lineCol("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
