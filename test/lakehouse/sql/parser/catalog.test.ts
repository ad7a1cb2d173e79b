import { describe, expect, it } from "vitest";
import { parseStatement } from "../../../../src/lakehouse/sql/parser/parse.js";

describe("USE", () => {
  it("parses USE CATALOG / SCHEMA / DATABASE / dotted names", () => {
    expect(parseStatement("USE CATALOG c360")).toEqual({ type: "use", kind: "catalog", name: ["c360"] });
    expect(parseStatement("USE SCHEMA silver")).toEqual({ type: "use", kind: "schema", name: ["silver"] });
    expect(parseStatement("use database c360.gold;")).toEqual({ type: "use", kind: "schema", name: ["c360", "gold"] });
    expect(parseStatement("USE c360.bronze")).toEqual({ type: "use", kind: "default", name: ["c360", "bronze"] });
    expect(parseStatement("USE `my-schema`")).toEqual({ type: "use", kind: "default", name: ["my-schema"] });
    expect(() => parseStatement("USE a.b.c")).toThrow(/at most 2 parts/);
  });
});

describe("SHOW", () => {
  it("parses the supported SHOW forms", () => {
    expect(parseStatement("SHOW CATALOGS LIKE 'c3*'")).toEqual({ type: "show", what: "catalogs", like: "c3*" });
    expect(parseStatement("SHOW DATABASES FROM c360")).toEqual({ type: "show", what: "schemas", in: ["c360"] });
    expect(parseStatement("SHOW TABLES IN c360.silver LIKE 'cust*'")).toEqual({
      type: "show",
      what: "tables",
      in: ["c360", "silver"],
      like: "cust*",
    });
    expect(parseStatement("SHOW TABLES")).toEqual({ type: "show", what: "tables" });
    expect(parseStatement("SHOW TBLPROPERTIES c360.silver.t")).toEqual({
      type: "show",
      what: "tblproperties",
      table: { kind: "name", parts: ["c360", "silver", "t"] },
    });
    expect(parseStatement("SHOW TBLPROPERTIES t ('delta.minReaderVersion')")).toMatchObject({ key: "delta.minReaderVersion" });
    expect(parseStatement("SHOW COLUMNS IN c360.silver.t")).toEqual({
      type: "show",
      what: "columns",
      table: { kind: "name", parts: ["c360", "silver", "t"] },
    });
    expect(parseStatement("SHOW CREATE TABLE t")).toEqual({ type: "query", sql: "SHOW CREATE TABLE t" });
  });
});

describe("CREATE / DROP CATALOG and SCHEMA, DROP TABLE", () => {
  it("parses CREATE CATALOG and CREATE SCHEMA", () => {
    expect(parseStatement("CREATE CATALOG IF NOT EXISTS c360 MANAGED LOCATION '/lake/c360' COMMENT 'Customer 360'")).toEqual({
      type: "createCatalog",
      name: "c360",
      ifNotExists: true,
      managedLocation: "/lake/c360",
      comment: "Customer 360",
    });
    expect(parseStatement("CREATE SCHEMA c360.silver COMMENT 'cleaned'")).toEqual({
      type: "createSchema",
      name: ["c360", "silver"],
      ifNotExists: false,
      comment: "cleaned",
    });
    expect(parseStatement("CREATE DATABASE IF NOT EXISTS gold")).toEqual({ type: "createSchema", name: ["gold"], ifNotExists: true });
  });

  it("parses DROP TABLE / SCHEMA / CATALOG", () => {
    expect(parseStatement("DROP TABLE IF EXISTS c360.gold.t")).toEqual({
      type: "dropTable",
      table: { kind: "name", parts: ["c360", "gold", "t"] },
      ifExists: true,
    });
    expect(parseStatement("DROP SCHEMA c360.tmp CASCADE")).toEqual({ type: "dropSchema", name: ["c360", "tmp"], ifExists: false, cascade: true });
    expect(parseStatement("DROP DATABASE IF EXISTS tmp RESTRICT")).toEqual({ type: "dropSchema", name: ["tmp"], ifExists: true, cascade: false });
    expect(parseStatement("DROP CATALOG IF EXISTS sandbox CASCADE")).toEqual({ type: "dropCatalog", name: "sandbox", ifExists: true, cascade: true });
    expect(parseStatement("DROP VIEW v")).toEqual({ type: "query", sql: "DROP VIEW v" });
    expect(() => parseStatement("DROP SCHEMA s CASCDE")).toThrow(/near 'CASCDE' \(did you mean CASCADE\?\)/);
  });
});

describe("SET / RESET", () => {
  it("parses SET key = value with dotted keys and raw or unquoted values", () => {
    expect(parseStatement("SET spark.databricks.delta.retentionDurationCheck.enabled = false")).toEqual({
      type: "set",
      key: "spark.databricks.delta.retentionDurationCheck.enabled",
      value: "false",
    });
    expect(parseStatement("SET c360.run_date = '2024-01-01';")).toEqual({ type: "set", key: "c360.run_date", value: "2024-01-01" });
    expect(parseStatement("SET spark.sql.shuffle.partitions=8")).toEqual({ type: "set", key: "spark.sql.shuffle.partitions", value: "8" });
  });

  it("parses SET key, SET, TIME ZONE and RESET", () => {
    expect(parseStatement("SET spark.sql.ansi.enabled")).toEqual({ type: "set", key: "spark.sql.ansi.enabled" });
    expect(parseStatement("SET")).toEqual({ type: "set", key: "" });
    expect(parseStatement("SET TIME ZONE 'UTC'")).toEqual({ type: "set", key: "spark.sql.session.timeZone", value: "UTC" });
    expect(parseStatement("RESET spark.sql.ansi.enabled")).toEqual({ type: "set", key: "spark.sql.ansi.enabled", reset: true });
    expect(parseStatement("SET VARIABLE x = 1")).toEqual({ type: "query", sql: "SET VARIABLE x = 1" });
  });
});
