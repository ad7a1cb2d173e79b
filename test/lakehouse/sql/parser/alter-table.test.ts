import { describe, expect, it } from "vitest";
import type { AlterAction } from "../../../../src/lakehouse/sql/parser/ast.js";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

const action = (sql: string): AlterAction => {
  const stmt = parseStatement(sql);
  if (stmt.type !== "alterTable") throw new Error(`not ALTER TABLE: ${stmt.type}`);
  expect(stmt.table).toEqual({ kind: "name", parts: ["c360", "silver", "customers"] });
  return stmt.action;
};

describe("ALTER TABLE", () => {
  it("adds columns with and without parentheses", () => {
    expect(action("ALTER TABLE c360.silver.customers ADD COLUMNS (phone STRING COMMENT 'E.164', tags ARRAY<STRING> AFTER phone)")).toEqual({
      kind: "addColumns",
      columns: [
        { name: "phone", type: "STRING", nullable: true, comment: "E.164" },
        { name: "tags", type: "ARRAY<STRING>", nullable: true, position: "AFTER phone" },
      ],
    });
    expect(action("ALTER TABLE c360.silver.customers ADD COLUMN vip BOOLEAN FIRST")).toEqual({
      kind: "addColumns",
      columns: [{ name: "vip", type: "BOOLEAN", nullable: true, position: "FIRST" }],
    });
  });

  it("sets and unsets table properties", () => {
    expect(action("ALTER TABLE c360.silver.customers SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true', 'owner' = 'crm')")).toEqual({
      kind: "setTblProperties",
      properties: { "delta.enableChangeDataFeed": "true", owner: "crm" },
    });
    expect(action("ALTER TABLE c360.silver.customers UNSET TBLPROPERTIES IF EXISTS ('owner', delta.appendOnly)")).toEqual({
      kind: "unsetTblProperties",
      keys: ["owner", "delta.appendOnly"],
      ifExists: true,
    });
  });

  it("adds and drops CHECK constraints", () => {
    expect(action("ALTER TABLE c360.silver.customers ADD CONSTRAINT valid_email CHECK (email LIKE '%@%' AND length(email) > 3)")).toEqual({
      kind: "addConstraint",
      name: "valid_email",
      check: "email LIKE '%@%' AND length(email) > 3",
    });
    expect(action("ALTER TABLE c360.silver.customers DROP CONSTRAINT IF EXISTS valid_email")).toEqual({
      kind: "dropConstraint",
      name: "valid_email",
      ifExists: true,
    });
  });

  it("alters columns and renames", () => {
    expect(action("ALTER TABLE c360.silver.customers ALTER COLUMN email SET NOT NULL")).toEqual({
      kind: "alterColumn",
      column: "email",
      setNotNull: true,
    });
    expect(action("ALTER TABLE c360.silver.customers CHANGE email DROP NOT NULL")).toEqual({
      kind: "alterColumn",
      column: "email",
      dropNotNull: true,
    });
    expect(action("ALTER TABLE c360.silver.customers ALTER COLUMN email COMMENT 'primary address'")).toEqual({
      kind: "alterColumn",
      column: "email",
      comment: "primary address",
    });
    expect(action("ALTER TABLE c360.silver.customers RENAME TO c360.silver.clients")).toEqual({
      kind: "renameTo",
      newName: { kind: "name", parts: ["c360", "silver", "clients"] },
    });
  });

  it("reports unsupported actions and passes ALTER VIEW through", () => {
    expect(() => parseStatement("ALTER TABLE t DROP COLUMN a")).toThrow(/Expected ADD, SET TBLPROPERTIES, .* near 'DROP'/);
    expect(parseStatement("ALTER VIEW v AS SELECT 1")).toEqual({ type: "query", sql: "ALTER VIEW v AS SELECT 1" });
  });
});
