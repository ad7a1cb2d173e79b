import { describe, expect, it } from "vitest";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("INSERT", () => {
  it("parses INSERT OVERWRITE … REPLACE WHERE with the query as raw text", () => {
    const sql = `INSERT OVERWRITE TABLE c360.silver.events
      REPLACE WHERE event_date >= '2024-01-01' AND event_date < '2024-02-01'
      SELECT * FROM c360.bronze.events WHERE event_date BETWEEN '2024-01-01' AND '2024-01-31'`;
    expect(parseStatement(sql)).toEqual({
      type: "insert",
      table: { kind: "name", parts: ["c360", "silver", "events"] },
      overwrite: true,
      replaceWhere: "event_date >= '2024-01-01' AND event_date < '2024-02-01'",
      query: "SELECT * FROM c360.bronze.events WHERE event_date BETWEEN '2024-01-01' AND '2024-01-31'",
    });
  });

  it("ends a REPLACE WHERE condition at a parenthesised query but not at a function call", () => {
    expect(parseStatement("INSERT INTO t REPLACE WHERE d = date('2024-01-01') (SELECT * FROM s)")).toMatchObject({
      replaceWhere: "d = date('2024-01-01')",
      query: "(SELECT * FROM s)",
    });
    expect(parseStatement("INSERT INTO t REPLACE WHERE id IN (SELECT id FROM u) SELECT * FROM s")).toMatchObject({
      replaceWhere: "id IN (SELECT id FROM u)",
      query: "SELECT * FROM s",
    });
  });

  it("parses a column list and VALUES", () => {
    expect(parseStatement("INSERT INTO t (id, `full name`) VALUES (1, 'a;b'), (2, 'WHEN')")).toEqual({
      type: "insert",
      table: { kind: "name", parts: ["t"] },
      overwrite: false,
      columns: ["id", "full name"],
      query: "VALUES (1, 'a;b'), (2, 'WHEN')",
    });
  });

  it("parses PARTITION specs (static and dynamic) and BY NAME", () => {
    expect(parseStatement("INSERT OVERWRITE sales PARTITION (country = 'NL', dt) SELECT * FROM staged")).toMatchObject({
      overwrite: true,
      partitionSpec: { country: "NL", dt: null },
      query: "SELECT * FROM staged",
    });
    expect(parseStatement("INSERT INTO t BY NAME SELECT b, a FROM s")).toMatchObject({ byName: true, query: "SELECT b, a FROM s" });
  });

  it("does not take a parenthesised query for a column list", () => {
    expect(parseStatement("INSERT INTO t (SELECT 1)")).toMatchObject({ query: "(SELECT 1)" });
    expect(parseStatement("INSERT INTO t SELECT 1")).not.toHaveProperty("columns");
  });

  it("requires a query", () => {
    expect(() => parseStatement("INSERT INTO t")).toThrow(/Expected a query or VALUES/);
    expect(() => parseStatement("INSERT t VALUES (1)")).toThrow(/Expected INTO or OVERWRITE after INSERT at line 1, column 8 near 't'/);
  });
});
