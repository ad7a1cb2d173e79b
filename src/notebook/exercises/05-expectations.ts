/**
 * Exercises of notebook 05 (expectations) on the `c360_crm` pipeline and its event log.
 */
import { qualitySummary } from "../../lakehouse/pipelines/event-log.js";
import { answerRows, norm, type Exercise } from "./types.js";

const CASES: [string | null, boolean][] = [["bronze", true], ["platinum", true], ["gold", true], [null, false], ["GOLD", false], ["diamond", false], ["", false]];

export const EXERCISES_05: Exercise[] = [
  {
    id: "05.1-null-safe-rule",
    title: "Exercise 1 — a loyalty-tier rule that does not let NULL through",
    hints: [
      "A pipeline counts a record as failing a rule only when the condition is false; NULL passes. loyalty_tier IN ('bronze', …) is NULL when loyalty_tier is NULL.",
      "Make the condition two-valued: loyalty_tier IS NOT NULL AND loyalty_tier IN ('bronze', 'silver', 'gold', 'platinum') (or use the oneOf() rule builder's condition).",
      "Pass the condition as a string: check(\"05.1-null-safe-rule\", spark, \"…\").",
    ],
    async grade(spark, answer) {
      let cond = answer;
      if (cond && typeof cond === "object" && !Array.isArray(cond)) cond = Object.values(cond as Record<string, unknown>)[0];
      if (typeof cond !== "string" || !cond.trim()) return { ok: false, message: "Pass the SQL condition as a string (or a one-rule RuleSet).", hints: [2] };
      const values = CASES.map(([v], i) => `(${i}, ${v === null ? "CAST(NULL AS VARCHAR)" : `'${v}'`})`).join(", ");
      const rows = await (await spark.sql(`SELECT i, coalesce((${cond}), true) AS passes FROM (VALUES ${values}) AS t(i, loyalty_tier) ORDER BY i`)).collect();
      const wrong = rows.filter((r) => Boolean(r["passes"]) !== CASES[Number(norm(r["i"]))]![1]).map((r) => {
        const v = CASES[Number(norm(r["i"]))]![0];
        return `${v === null ? "NULL" : `'${v}'`} ${r["passes"] ? "passes" : "fails"}`;
      });
      if (wrong.length) return { ok: false, message: `Judged as a pipeline judges it (a NULL result passes): ${wrong.join(", ")}.`, hints: wrong.some((w) => w.startsWith("NULL")) ? [0, 1] : [1] };
      return { ok: true, message: "Right: the four tiers pass, and NULL, wrong case, unknown tiers and the empty string fail. The rule is two-valued, so a pipeline and a Delta CHECK constraint judge it the same way." };
    },
  },
  {
    id: "05.2-failed-per-rule",
    title: "Exercise 2 — failed records per rule, from the event log",
    hints: [
      "qualitySummary(spark, \"c360.silver.pipeline_event_log\") gives one row per dataset and rule of the latest update.",
      "Keep the rows of c360.silver.customers_clean and return expectation and failed_records.",
      "Or read the flow_progress events yourself: json_extract(details, '$.flow_progress.data_quality.expectations').",
    ],
    async grade(spark, answer) {
      const rows = await answerRows(answer);
      if (!rows) return { ok: false, message: "Pass a DataFrame or rows with the columns expectation and failed_records.", hints: [0, 1] };
      const want = (await (await qualitySummary(spark, "c360.silver.pipeline_event_log")).collect())
        .filter((r) => r["dataset"] === "c360.silver.customers_clean");
      if (!want.length) return { ok: false, message: "The latest update in c360.silver.pipeline_event_log has no expectation counts for c360.silver.customers_clean. Run the c360_crm pipeline first.", hints: [0] };
      const cols = rows.length ? Object.keys(rows[0]!) : [];
      if (!cols.includes("expectation") || !cols.includes("failed_records")) return { ok: false, message: `Your answer has the columns ${cols.join(", ") || "(none)"}; it needs expectation and failed_records.`, hints: [1] };
      const fmt = (rs: Record<string, unknown>[]) => rs.map((r) => `${String(r["expectation"])}=${norm(r["failed_records"])}`).sort().join(", ");
      if (fmt(rows) !== fmt(want)) return { ok: false, message: `Expected ${fmt(want)}; yours: ${fmt(rows)}.`, hints: [1, 2] };
      return { ok: true, message: `Right: ${fmt(want)}. These are the numbers to alert on: a rule whose failure rate jumps is the first sign of an upstream change.` };
    },
  },
];
