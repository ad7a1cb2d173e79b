import { describe, expect, it } from "vitest";
import { ParseError } from "../../../../src/lakehouse/errors.js";
import { parseStatement, splitStatements } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("pass-through queries", () => {
  it("returns anything else verbatim, trimmed and without the trailing ';'", () => {
    for (const [sql, expected] of [
      ["  SELECT * FROM t WHERE s = 'MERGE INTO x';  ", "SELECT * FROM t WHERE s = 'MERGE INTO x'"],
      ["WITH a AS (SELECT 1 AS x) SELECT x FROM a", "WITH a AS (SELECT 1 AS x) SELECT x FROM a"],
      ["VALUES (1), (2);;", "VALUES (1), (2)"],
      ["EXPLAIN SELECT 1", "EXPLAIN SELECT 1"],
      ["FROM t SELECT a", "FROM t SELECT a"],
      ["(SELECT 1) UNION ALL (SELECT 2)", "(SELECT 1) UNION ALL (SELECT 2)"],
      ["SELECT 1; -- done", "SELECT 1"],
    ]) {
      expect(parseStatement(sql!)).toEqual({ type: "query", sql: expected });
    }
  });
});

describe("errors", () => {
  it("throws ParseError carrying the position and the SQL", () => {
    const sql = "UPDATE t\nSET = 1";
    try {
      parseStatement(sql);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      const err = e as ParseError;
      expect(err.code).toBe("PARSE_SYNTAX_ERROR");
      expect(err.params).toEqual({ position: 13, sql });
      expect(err.message).toBe(
        "[PARSE_SYNTAX_ERROR] Expected a column name in SET at line 2, column 5 near '='. Syntax: UPDATE name [[AS] alias] SET col = expr [, …] [WHERE condition]",
      );
    }
  });

  it("rejects empty input and several statements", () => {
    expect(() => parseStatement("  -- nothing\n")).toThrow(/Expected a SQL statement at line 2, column 1 at end of input/);
    expect(() => parseStatement("SELECT 1; SELECT 2")).toThrow(/run one statement at a time .* near ';'/);
  });

  it("rejects trailing garbage after a complete statement", () => {
    expect(() => parseStatement("DESCRIBE DETAIL t extra")).toThrow(/Expected end of statement at line 1, column 19 near 'extra'/);
    expect(() => parseStatement("DROP TABLE a.b.c.d")).toThrow(/at most 3 parts/);
  });
});

describe("splitStatements", () => {
  it("splits on top-level semicolons only", () => {
    const script = `
      CREATE TABLE t (a INT);
      INSERT INTO t VALUES (1), (2); -- two rows; more later
      /* a ; in a comment */ SELECT ';' AS semi, "we;ird" FROM t;
      CREATE FUNCTION f() RETURNS STRING RETURN $$ a; b $$;
      ;;
    `;
    expect(splitStatements(script)).toEqual([
      "CREATE TABLE t (a INT)",
      "INSERT INTO t VALUES (1), (2)",
      "-- two rows; more later\n      /* a ; in a comment */ SELECT ';' AS semi, \"we;ird\" FROM t",
      "CREATE FUNCTION f() RETURNS STRING RETURN $$ a; b $$",
    ]);
  });

  it("returns a last statement without ';' and drops comment-only pieces", () => {
    expect(splitStatements("SELECT 1;\n-- the end")).toEqual(["SELECT 1"]);
    expect(splitStatements("SELECT 1; SELECT 2")).toEqual(["SELECT 1", "SELECT 2"]);
    expect(splitStatements("")).toEqual([]);
  });

  it("gives statements that parseStatement accepts", () => {
    const parsed = splitStatements("USE CATALOG c360; VACUUM t RETAIN 0 HOURS DRY RUN; SELECT 1").map((s) => parseStatement(s).type);
    expect(parsed).toEqual(["use", "vacuum", "query"]);
  });
});
