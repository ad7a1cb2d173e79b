import { describe, expect, it } from "vitest";
import { findSpecialTableRefs } from "../../../../src/lakehouse/sql/parser/table-refs.js";

/** The refs with the text each span covers, for exact span assertions. */
const spans = (sql: string) => findSpecialTableRefs(sql).map((r) => ({ text: sql.slice(r.start, r.end), ...r }));

describe("findSpecialTableRefs", () => {
  it("finds time travel with aliases after it, in a join", () => {
    const sql = "SELECT old.id, new.tier FROM t VERSION AS OF 3 AS old JOIN t@v4 new ON old.id = new.id";
    const refs = spans(sql);
    expect(refs.map((r) => r.text)).toEqual(["t VERSION AS OF 3", "t@v4"]);
    expect(refs[0]).toMatchObject({ ref: { kind: "name", parts: ["t"] }, timeTravel: { version: 3 } });
    expect(refs[1]).toMatchObject({ ref: { kind: "name", parts: ["t"] }, timeTravel: { version: 4 } });
  });

  it("ends TIMESTAMP AS OF at the alias, the next clause, a comma or a parenthesis", () => {
    const sql = `SELECT * FROM c360.silver.customers TIMESTAMP AS OF '2024-01-01 00:00:00' c
      LEFT JOIN orders FOR SYSTEM_TIME AS OF current_timestamp() - INTERVAL 1 DAY o ON c.id = o.cid,
      c360.gold.x FOR VERSION AS OF 7, y FOR SYSTEM_VERSION AS OF 2
      WHERE c.id IN (SELECT id FROM vip TIMESTAMP AS OF date_sub(current_date(), 7))`;
    const refs = spans(sql);
    expect(refs.map((r) => r.text)).toEqual([
      "c360.silver.customers TIMESTAMP AS OF '2024-01-01 00:00:00'",
      "orders FOR SYSTEM_TIME AS OF current_timestamp() - INTERVAL 1 DAY",
      "c360.gold.x FOR VERSION AS OF 7",
      "y FOR SYSTEM_VERSION AS OF 2",
      "vip TIMESTAMP AS OF date_sub(current_date(), 7)",
    ]);
    expect(refs.map((r) => r.timeTravel)).toEqual([
      { timestamp: "'2024-01-01 00:00:00'" },
      { timestamp: "current_timestamp() - INTERVAL 1 DAY" },
      { version: 7 },
      { version: 2 },
      { timestamp: "date_sub(current_date(), 7)" },
    ]);
    expect(refs[0]!.ref).toEqual({ kind: "name", parts: ["c360", "silver", "customers"] });
  });

  it("keeps a typed literal whole", () => {
    const sql = "SELECT * FROM t TIMESTAMP AS OF TIMESTAMP '2024-01-01 10:00' AS x";
    expect(spans(sql).map((r) => [r.text, r.timeTravel])).toEqual([
      ["t TIMESTAMP AS OF TIMESTAMP '2024-01-01 10:00'", { timestamp: "TIMESTAMP '2024-01-01 10:00'" }],
    ]);
  });

  it("reads the 17-digit @ timestamp shorthand", () => {
    const sql = "SELECT count(*) FROM c360.silver.t@20240115103000123";
    expect(spans(sql)).toEqual([
      {
        text: "c360.silver.t@20240115103000123",
        start: 21,
        end: sql.length,
        ref: { kind: "name", parts: ["c360", "silver", "t"] },
        timeTravel: { timestamp: "'2024-01-15 10:30:00.123'" },
      },
    ]);
  });

  it("finds path tables, with and without time travel", () => {
    const sql = "SELECT * FROM delta.`/tmp/x` a, parquet.`/data/p.parquet`, DELTA.`/tmp/y@v2`, delta.`/tmp/z` VERSION AS OF 1 z";
    const refs = spans(sql);
    expect(refs.map((r) => r.text)).toEqual(["delta.`/tmp/x`", "parquet.`/data/p.parquet`", "DELTA.`/tmp/y@v2`", "delta.`/tmp/z` VERSION AS OF 1"]);
    expect(refs.map((r) => [r.ref, r.timeTravel])).toEqual([
      [{ kind: "path", format: "delta", path: "/tmp/x" }, undefined],
      [{ kind: "path", format: "parquet", path: "/data/p.parquet" }, undefined],
      [{ kind: "path", format: "delta", path: "/tmp/y" }, { version: 2 }],
      [{ kind: "path", format: "delta", path: "/tmp/z" }, { version: 1 }],
    ]);
  });

  it("finds table_changes calls with versions or timestamps", () => {
    const sql =
      "SELECT * FROM table_changes('c360.silver.t', 2, 5) c JOIN table_changes('`my cat`.s.u', '2024-01-01') d ON c.id = d.id";
    const refs = spans(sql);
    expect(refs.map((r) => r.text)).toEqual(["table_changes('c360.silver.t', 2, 5)", "table_changes('`my cat`.s.u', '2024-01-01')"]);
    expect(refs[0]).toMatchObject({ ref: { kind: "name", parts: ["c360", "silver", "t"] }, tableChanges: { start: 2, end: 5 } });
    expect(refs[1]).toMatchObject({ ref: { kind: "name", parts: ["my cat", "s", "u"] }, tableChanges: { start: "2024-01-01" } });
    expect(refs[1]!.tableChanges).not.toHaveProperty("end");
  });

  it("looks inside CTEs and subqueries", () => {
    const sql = `WITH before AS (SELECT * FROM c360.silver.t VERSION AS OF 10),
      after AS (SELECT * FROM (SELECT * FROM c360.silver.t@v11) x)
      SELECT * FROM before FULL OUTER JOIN after USING (id)`;
    expect(spans(sql).map((r) => r.text)).toEqual(["c360.silver.t VERSION AS OF 10", "c360.silver.t@v11"]);
  });

  it("finds the source of a MERGE", () => {
    const sql = "MERGE INTO t USING s VERSION AS OF 2 src ON t.id = src.id WHEN MATCHED THEN UPDATE SET *";
    expect(spans(sql).map((r) => r.text)).toEqual(["s VERSION AS OF 2"]);
  });

  it("never matches inside string literals, comments, or outside table positions", () => {
    const sql = `SELECT 'FROM t VERSION AS OF 1' AS s, "VERSION" -- FROM u VERSION AS OF 2
      /* JOIN v@v3 */ FROM t version WHERE version = 1 AND x IN ('delta.\`/tmp\`')`;
    expect(findSpecialTableRefs(sql)).toEqual([]);
    expect(findSpecialTableRefs("SELECT extract(YEAR FROM ts) FROM t")).toEqual([]);
    expect(findSpecialTableRefs("SELECT a, b VERSION AS OF 1 FROM t")).toEqual([]);
  });

  it("reports malformed time travel with its position", () => {
    expect(() => findSpecialTableRefs("SELECT * FROM t VERSION AS OF 'x'")).toThrow(
      /Expected an integer version after VERSION AS OF at line 1, column 31 near ''x''/,
    );
    expect(() => findSpecialTableRefs("SELECT * FROM t@x1")).toThrow(/after '@'/);
    expect(() => findSpecialTableRefs("SELECT * FROM table_changes(t, 1)")).toThrow(
      /Expected the table name as a string literal in table_changes .*Syntax: table_changes\('catalog.schema.table'/,
    );
  });
});
