import { describe, expect, it } from "vitest";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("DESCRIBE", () => {
  it("parses DESCRIBE HISTORY with LIMIT and DESCRIBE DETAIL", () => {
    expect(parseStatement("DESCRIBE HISTORY c360.silver.customers LIMIT 5")).toEqual({
      type: "describeHistory",
      table: { kind: "name", parts: ["c360", "silver", "customers"] },
      limit: 5,
    });
    expect(parseStatement("desc history delta.`/lake/t`")).toEqual({
      type: "describeHistory",
      table: { kind: "path", format: "delta", path: "/lake/t" },
    });
    expect(parseStatement("DESCRIBE DETAIL customers")).toEqual({ type: "describeDetail", table: { kind: "name", parts: ["customers"] } });
  });

  it("parses DESCRIBE [TABLE] [EXTENDED] name", () => {
    expect(parseStatement("DESCRIBE TABLE EXTENDED c360.gold.t")).toEqual({
      type: "describeTable",
      table: { kind: "name", parts: ["c360", "gold", "t"] },
      extended: true,
    });
    expect(parseStatement("DESC t")).toEqual({ type: "describeTable", table: { kind: "name", parts: ["t"] }, extended: false });
    // a table that happens to be called "history"
    expect(parseStatement("DESCRIBE history")).toEqual({ type: "describeTable", table: { kind: "name", parts: ["history"] }, extended: false });
  });

  it("passes DESCRIBE of queries and functions through", () => {
    expect(parseStatement("DESCRIBE SELECT 1")).toEqual({ type: "query", sql: "DESCRIBE SELECT 1" });
    expect(parseStatement("DESCRIBE FUNCTION upper")).toEqual({ type: "query", sql: "DESCRIBE FUNCTION upper" });
  });
});

describe("RESTORE", () => {
  it("parses RESTORE TABLE t TO TIMESTAMP AS OF '2024-01-01'", () => {
    expect(parseStatement("RESTORE TABLE t TO TIMESTAMP AS OF '2024-01-01'")).toEqual({
      type: "restore",
      table: { kind: "name", parts: ["t"] },
      timestamp: "'2024-01-01'",
    });
  });

  it("parses VERSION AS OF and expression timestamps", () => {
    expect(parseStatement("RESTORE c360.silver.t VERSION AS OF 12;")).toEqual({
      type: "restore",
      table: { kind: "name", parts: ["c360", "silver", "t"] },
      version: 12,
    });
    expect(parseStatement("RESTORE t TO TIMESTAMP AS OF date_sub(current_date(), 1)")).toMatchObject({
      timestamp: "date_sub(current_date(), 1)",
    });
  });

  it("explains a missing AS OF clause", () => {
    expect(() => parseStatement("RESTORE TABLE t TO VERSON AS OF 1")).toThrow(
      /Expected VERSION AS OF or TIMESTAMP AS OF at line 1, column 20 near 'VERSON' \(did you mean VERSION\?\)\. Syntax: RESTORE/,
    );
    expect(() => parseStatement("RESTORE t VERSION AS OF 1.5")).toThrow(/Expected a version number after VERSION AS OF \(an integer\)/);
  });
});

describe("VACUUM", () => {
  it("parses VACUUM … RETAIN 0 HOURS DRY RUN", () => {
    expect(parseStatement("VACUUM c360.silver.events RETAIN 0 HOURS DRY RUN")).toEqual({
      type: "vacuum",
      table: { kind: "name", parts: ["c360", "silver", "events"] },
      retainHours: 0,
      dryRun: true,
    });
  });

  it("parses paths, LITE/FULL and decimal hours", () => {
    expect(parseStatement("VACUUM delta.`/tmp/events` LITE RETAIN 168.5 HOURS")).toEqual({
      type: "vacuum",
      table: { kind: "path", format: "delta", path: "/tmp/events" },
      lite: true,
      retainHours: 168.5,
      dryRun: false,
    });
    expect(parseStatement("VACUUM t FULL")).toMatchObject({ full: true, dryRun: false });
    expect(() => parseStatement("VACUUM t LITE FULL")).toThrow(/LITE or FULL, not both/);
    expect(() => parseStatement("VACUUM t RETAIN 7 DAYS")).toThrow(/Expected HOURS after the RETAIN number/);
  });
});

describe("OPTIMIZE", () => {
  it("parses WHERE and ZORDER BY", () => {
    expect(parseStatement("OPTIMIZE c360.silver.events WHERE event_date >= current_date() - INTERVAL 7 DAYS ZORDER BY (customer_id, event_type)")).toEqual({
      type: "optimize",
      table: { kind: "name", parts: ["c360", "silver", "events"] },
      where: "event_date >= current_date() - INTERVAL 7 DAYS",
      zorderBy: ["customer_id", "event_type"],
    });
    expect(parseStatement("OPTIMIZE t ZORDER BY a, b")).toMatchObject({ zorderBy: ["a", "b"] });
    expect(parseStatement("OPTIMIZE t")).toEqual({ type: "optimize", table: { kind: "name", parts: ["t"] } });
  });

  it("rejects a misspelled ZORDER", () => {
    expect(() => parseStatement("OPTIMIZE t ZORDR BY (a)")).toThrow(/Expected WHERE, ZORDER BY or end of statement .*\(did you mean ZORDER\?\)/);
  });
});
