import { describe, expect, it } from "vitest";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("UPDATE", () => {
  it("parses assignments up to WHERE, keeping commas inside calls", () => {
    expect(
      parseStatement("UPDATE c360.silver.customers AS c SET c.email = lower(trim(email)), tier = 'gold', `score x` = greatest(1, 2) WHERE c.spend > 1000 AND c.region IN ('EU', 'US');"),
    ).toEqual({
      type: "update",
      table: { kind: "name", parts: ["c360", "silver", "customers"] },
      alias: "c",
      assignments: [
        { column: "c.email", value: "lower(trim(email))" },
        { column: "tier", value: "'gold'" },
        { column: "`score x`", value: "greatest(1, 2)" },
      ],
      where: "c.spend > 1000 AND c.region IN ('EU', 'US')",
    });
  });

  it("parses an UPDATE without WHERE and with an alias without AS", () => {
    expect(parseStatement("update events e set processed = true")).toEqual({
      type: "update",
      table: { kind: "name", parts: ["events"] },
      alias: "e",
      assignments: [{ column: "processed", value: "true" }],
    });
  });

  it("requires '=' in assignments", () => {
    expect(() => parseStatement("UPDATE t SET a 1")).toThrow(/Expected '=' after column 'a' in SET at line 1, column 16 near '1'/);
  });
});

describe("DELETE", () => {
  it("parses DELETE FROM with alias and WHERE containing a subquery", () => {
    expect(parseStatement("DELETE FROM c360.silver.events AS e WHERE e.customer_id IN (SELECT id FROM gdpr_requests WHERE status = 'approved')")).toEqual({
      type: "delete",
      table: { kind: "name", parts: ["c360", "silver", "events"] },
      alias: "e",
      where: "e.customer_id IN (SELECT id FROM gdpr_requests WHERE status = 'approved')",
    });
  });

  it("parses DELETE without WHERE", () => {
    expect(parseStatement("DELETE FROM staging")).toEqual({ type: "delete", table: { kind: "name", parts: ["staging"] } });
  });

  it("requires FROM", () => {
    expect(() => parseStatement("DELETE t WHERE x = 1")).toThrow(/Expected FROM after DELETE .*Syntax: DELETE FROM name/);
  });
});
