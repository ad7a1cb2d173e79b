import { describe, expect, it } from "vitest";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("MERGE INTO", () => {
  it("parses a multi-clause MERGE with conditions and NOT MATCHED BY SOURCE", () => {
    const sql = `-- upsert customers from the CDC feed
MERGE INTO c360.silver.customers AS t
USING (
  SELECT * FROM c360.bronze.customer_updates WHERE op <> 'WHEN'   -- keyword in a string
) AS s
ON t.customer_id = s.customer_id AND t.region = s.region
WHEN MATCHED AND s.op = 'DELETE' THEN DELETE
WHEN MATCHED AND s.updated_at > t.updated_at THEN
  UPDATE SET t.email = s.email,
             t.tier = CASE WHEN s.spend > 1000 THEN 'gold' ELSE 'std' END,
             updated_at = s.updated_at
WHEN NOT MATCHED AND s.op != 'DELETE' THEN
  INSERT (customer_id, region, email, tier) VALUES (s.customer_id, s.region, lower(s.email), coalesce(s.tier, 'std'))
WHEN NOT MATCHED BY SOURCE AND t.active THEN UPDATE SET active = false
WHEN NOT MATCHED BY SOURCE THEN DELETE;`;
    expect(parseStatement(sql)).toEqual({
      type: "merge",
      target: { kind: "name", parts: ["c360", "silver", "customers"] },
      targetAlias: "t",
      source: {
        kind: "query",
        // the trailing comment is not part of the span: it would comment out a closing ')'
        sql: "SELECT * FROM c360.bronze.customer_updates WHERE op <> 'WHEN'",
      },
      sourceAlias: "s",
      on: "t.customer_id = s.customer_id AND t.region = s.region",
      clauses: [
        { kind: "matched", condition: "s.op = 'DELETE'", action: { type: "delete" } },
        {
          kind: "matched",
          condition: "s.updated_at > t.updated_at",
          action: {
            type: "update",
            assignments: [
              { column: "t.email", value: "s.email" },
              { column: "t.tier", value: "CASE WHEN s.spend > 1000 THEN 'gold' ELSE 'std' END" },
              { column: "updated_at", value: "s.updated_at" },
            ],
          },
        },
        {
          kind: "notMatched",
          condition: "s.op != 'DELETE'",
          action: {
            type: "insert",
            columns: ["customer_id", "region", "email", "tier"],
            values: ["s.customer_id", "s.region", "lower(s.email)", "coalesce(s.tier, 'std')"],
          },
        },
        {
          kind: "notMatchedBySource",
          condition: "t.active",
          action: { type: "update", assignments: [{ column: "active", value: "false" }] },
        },
        { kind: "notMatchedBySource", action: { type: "delete" } },
      ],
    });
  });

  it("parses UPDATE SET * / INSERT *, schema evolution and BY TARGET", () => {
    expect(
      parseStatement(
        "MERGE WITH SCHEMA EVOLUTION INTO target USING source ON target.key = source.key WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED BY TARGET THEN INSERT *",
      ),
    ).toEqual({
      type: "merge",
      withSchemaEvolution: true,
      target: { kind: "name", parts: ["target"] },
      source: { kind: "table", table: { kind: "name", parts: ["source"] } },
      on: "target.key = source.key",
      clauses: [
        { kind: "matched", action: { type: "updateAll" } },
        { kind: "notMatched", action: { type: "insertAll" } },
      ],
    });
  });

  it("accepts a time-travelled or path source with an alias without AS", () => {
    expect(parseStatement("MERGE INTO t USING c360.silver.t VERSION AS OF 3 old ON t.id = old.id WHEN MATCHED THEN DELETE")).toMatchObject({
      source: { kind: "table", table: { kind: "name", parts: ["c360", "silver", "t"] }, timeTravel: { version: 3 } },
      sourceAlias: "old",
    });
    expect(
      parseStatement("MERGE INTO t x USING delta.`/tmp/src` TIMESTAMP AS OF '2024-01-01' s ON x.id = s.id WHEN MATCHED THEN DELETE"),
    ).toMatchObject({
      targetAlias: "x",
      source: { kind: "table", table: { kind: "path", format: "delta", path: "/tmp/src" }, timeTravel: { timestamp: "'2024-01-01'" } },
      sourceAlias: "s",
    });
  });

  it("turns a table_changes source into a query", () => {
    expect(
      parseStatement("MERGE INTO t USING table_changes('c360.silver.s', 2) c ON t.id = c.id WHEN MATCHED THEN DELETE"),
    ).toMatchObject({ source: { kind: "query", sql: "SELECT * FROM table_changes('c360.silver.s', 2)" }, sourceAlias: "c" });
  });

  it("parses UPDATE SET * EXCEPT and INSERT * EXCEPT", () => {
    expect(
      parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * EXCEPT (created_at) WHEN NOT MATCHED THEN INSERT * EXCEPT (a, b)"),
    ).toMatchObject({
      clauses: [
        { action: { type: "updateAll", except: ["created_at"] } },
        { action: { type: "insertAll", except: ["a", "b"] } },
      ],
    });
  });

  it("points at a misspelled WHEN", () => {
    const sql = "MERGE INTO t USING s ON t.id = s.id WEHN MATCHED THEN DELETE";
    expect(() => parseStatement(sql)).toThrow(
      /Expected WHEN after ON condition at line 1, column 37 near 'WEHN' \(did you mean WHEN\?\)\. Syntax: MERGE/,
    );
  });

  it("rejects actions that do not fit the clause", () => {
    expect(() => parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN DELETE")).toThrow(
      /Expected INSERT after WHEN NOT MATCHED THEN/,
    );
    expect(() => parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN INSERT *")).toThrow(
      /INSERT is not allowed in WHEN MATCHED/,
    );
    expect(() => parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET *")).toThrow(
      /UPDATE SET \* is not allowed/,
    );
    expect(() =>
      parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.a)"),
    ).toThrow(/Expected 2 values for 2 INSERT columns, got 1/);
    expect(() => parseStatement("MERGE INTO t USING s ON t.id = s.id")).toThrow(
      /Expected WHEN after ON condition at line 1, column 36 at end of input/,
    );
    expect(() => parseStatement("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED s.x > 1 THEN DELETE")).toThrow(
      /Expected THEN after WHEN \[NOT\] MATCHED/,
    );
  });
});
