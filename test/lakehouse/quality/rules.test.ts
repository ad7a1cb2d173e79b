/**
 * Reusable rule sets and the quarantine pattern: clean + quarantine partition the input exactly,
 * NULLs included.
 */
import { afterEach, beforeEach, describe, expect as want, it } from "vitest";
import { Pipeline, expectAll, expectAllOrDrop, readFiles } from "../../../src/lakehouse/pipelines/index.js";
import { combine, inRange, matches, nonNegative, notNull, oneOf, passesAll, quarantine, rule, validEmail, type RuleSet } from "../../../src/lakehouse/quality/index.js";
import { expr } from "../../../src/lakehouse/sql/dataframe/index.js";
import { drop, lab, ok, query, type Lab } from "../pipelines/helpers.js";

let L: Lab;
beforeEach(async () => {
  L = await lab();
});
afterEach(() => L.close());

const people = [
  { id: 1, email: "ada@example.com", age: 36, country: "FR" },
  { id: 2, email: "bob@example", age: 17, country: "DE" },
  { id: 3, email: null, age: null, country: null },
  { id: null, email: "cy @example.com", age: 150, country: "US" },
  { id: 5, email: "dee@example.org", age: 0, country: "FR" },
];

/** Which ids pass each rule of `rules`, evaluated by the session over `people`. */
async function passing(rules: RuleSet): Promise<Record<string, unknown[]>> {
  const values = people.map((p) => `(${p.id ?? "NULL"}, ${p.email === null ? "NULL" : `'${p.email}'`}, ${p.age ?? "NULL"}, ${p.country === null ? "NULL" : `'${p.country}'`})`).join(", ");
  const out: Record<string, unknown[]> = {};
  for (const [name, cond] of Object.entries(rules)) {
    const rows = await query(L.spark, `SELECT coalesce(CAST(id AS VARCHAR), 'null') AS id, (${cond}) AS ok FROM (VALUES ${values}) AS t(id, email, age, country) ORDER BY id`);
    // Builders never produce NULL.
    want(rows.every((r) => r["ok"] === true || r["ok"] === false)).toBe(true);
    out[name] = rows.filter((r) => r["ok"] === true).map((r) => r["id"]);
  }
  return out;
}

describe("rule builders", () => {
  it("produce named, two-valued conditions", async () => {
    const rules = combine(
      notNull("id", "email"), inRange("age", 18, 120), validEmail("email"), oneOf("country", ["FR", "DE"]),
      matches("email", "%.com"), nonNegative("age", { allowNull: true }), rule("custom", "id <> 2"),
    );
    want(Object.keys(rules)).toEqual(["id_not_null", "email_not_null", "age_in_range", "email_valid_email", "country_one_of", "email_matches", "age_non_negative", "custom"]);
    const { custom: _custom, ...builders } = rules;
    want(await passing(builders)).toEqual({
      id_not_null: ["1", "2", "3", "5"],
      email_not_null: ["1", "2", "5", "null"],
      age_in_range: ["1"],
      email_valid_email: ["1", "5"],
      country_one_of: ["1", "2", "5"],
      email_matches: ["1", "null"],
      age_non_negative: ["1", "2", "3", "5", "null"],
    });
    want(await passing(inRange("age", 18, 120, { allowNull: true }))).toEqual({ age_in_range: ["1", "3"] });
    want(oneOf("country", ["O'Hare"])).toEqual({ country_one_of: "(country IS NOT NULL AND (country IN ('O''Hare')))" });
  });

  it("quarantine() is the exact inverse of passing every rule, even for rules that can be NULL", async () => {
    const rules: RuleSet = { adult: "age >= 18", fr: "country = 'FR'" };
    want(passesAll(rules)).toBe("coalesce((age >= 18), true) AND coalesce((country = 'FR'), true)");
    want(quarantine(rules)).toBe(`NOT (${passesAll(rules)})`);
    want(quarantine(expectAll(rules))).toBe(quarantine(rules));
    const good = (await passing({ good: passesAll(rules) }))["good"];
    const bad = (await passing({ bad: quarantine(rules) }))["bad"];
    // Person 3 (NULL age and country) passes: NULL results are not violations.
    want(good).toEqual(["1", "3"]);
    want(bad).toEqual(["2", "5", "null"]);
  });
});

describe("quarantine pattern in a pipeline", () => {
  const rules = combine(notNull("id"), validEmail("email", { allowNull: true }), { adult: "age >= 18" });

  it("routes records failing the rules to a quarantine table: clean + quarantine = input", async () => {
    drop(L.landing, people);
    const p = new Pipeline({ name: "quarantine", catalog: "main", schema: "qa" })
      .streamingTable({ name: "people_raw", query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }) })
      .streamingTable({ name: "people_clean", query: (ctx) => ctx.readStream("people_raw"), expectations: expectAllOrDrop(rules) })
      .streamingTable({ name: "people_quarantine", query: (ctx) => ctx.readStream("people_raw"), expectations: expectAllOrDrop({ quarantined: quarantine(rules) }) });
    const r = await ok(p.run(L.spark));
    const ids = async (t: string) => (await query(L.spark, `SELECT coalesce(CAST(id AS VARCHAR), 'null') AS id FROM main.qa.${t} ORDER BY id`)).map((x) => x["id"]);
    // Person 3 has a NULL age: `age >= 18` is NULL, which passes — in clean only, never in both.
    want(await ids("people_clean")).toEqual(["1", "3"]);
    want(await ids("people_quarantine")).toEqual(["2", "5", "null"]);
    want(r.flows.find((f) => f.dataset === "main.qa.people_clean")!.expectations).toEqual([
      { name: "id_not_null", action: "drop", passed: 4, failed: 1 },
      { name: "email_valid_email", action: "drop", passed: 3, failed: 2 },
      { name: "adult", action: "drop", passed: 3, failed: 2 },
    ]);
    want(r.flows.find((f) => f.dataset === "main.qa.people_quarantine")).toMatchObject({ numOutputRows: 3, expectations: [{ name: "quarantined", passed: 3, failed: 2 }] });

    // The naive inversion NOT (r1 AND r2 AND r3) is NULL for person 3, which passes too: it would land in both tables.
    const naive = `NOT (${Object.values(rules).join(" AND ")})`;
    want(await query(L.spark, `SELECT (${naive}) AS q FROM main.qa.people_raw WHERE id = 3`)).toEqual([{ q: null }]);
    want(await query(L.spark, `SELECT (${quarantine(rules)}) AS q FROM main.qa.people_raw WHERE id = 3`)).toEqual([{ q: false }]);
  });

  it("the flag-and-split variant: a view marks is_quarantined, two tables split on it", async () => {
    drop(L.landing, people);
    const p = new Pipeline({ name: "flagged", catalog: "main", schema: "fl" })
      .temporaryView({
        name: "people_flagged", expectations: expectAll(rules),
        query: (ctx) => readFiles(ctx, L.landing, { format: "json", inferColumnTypes: true }).withColumn("is_quarantined", expr(quarantine(rules))),
      })
      .streamingTable({ name: "people_clean", query: (ctx) => ctx.readStream("people_flagged").filter("NOT is_quarantined").drop("is_quarantined") })
      .streamingTable({ name: "people_quarantine", query: (ctx) => ctx.readStream("people_flagged").filter("is_quarantined") });
    const r = await ok(p.run(L.spark));
    want((await query(L.spark, "SELECT id FROM main.fl.people_clean ORDER BY id")).map((x) => x["id"])).toEqual([1, 3]);
    want((await query(L.spark, "SELECT id FROM main.fl.people_quarantine ORDER BY id NULLS LAST")).map((x) => x["id"])).toEqual([2, 5, null]);
    // The view's warn rules are counted once per flow reading it (the view is inlined into each).
    want(r.flows.find((f) => f.dataset === "main.fl.people_flagged")!.expectations.find((e) => e.name === "adult")).toEqual({ name: "adult", action: "warn", passed: 6, failed: 4 });
  });
});
