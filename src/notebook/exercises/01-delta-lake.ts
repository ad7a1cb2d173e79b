/**
 * Exercises of notebook 01 (Delta Lake) on `c360.silver.customers`.
 */
import { samplePath } from "../sandbox.js";
import type { SparkSession } from "../../lakehouse/sql/session.js";
import { answerRows, diffKeyed, history, keyed, norm, tableColumns, type Exercise } from "./types.js";

const TABLE = "c360.silver.customers";

/** Counts per tier from rows with a tier column and one numeric column. */
function tierCounts(rows: readonly Record<string, unknown>[]): Map<string, number> | string {
  if (!rows.length) return "Your answer has no rows.";
  const cols = Object.keys(rows[0]!);
  const tier = cols.find((c) => c.toLowerCase() === "loyalty_tier");
  if (!tier) return `Your answer has the columns ${cols.join(", ")}; it needs a loyalty_tier column.`;
  const num = cols.find((c) => c !== tier && (typeof rows[0]![c] === "bigint" || typeof rows[0]![c] === "number"));
  if (!num) return "Your answer needs a count column next to loyalty_tier (e.g. count(*) AS customers).";
  return new Map(rows.map((r) => [String(r[tier]), Number(norm(r[num]))]));
}

async function countsAt(spark: SparkSession, version: number | undefined): Promise<Map<string, number>> {
  const tt = version === undefined ? "" : ` VERSION AS OF ${version}`;
  const rows = await (await spark.sql(`SELECT loyalty_tier, count(*) AS n FROM ${TABLE}${tt} GROUP BY loyalty_tier`)).collect();
  return new Map(rows.map((r) => [String(r["loyalty_tier"]), Number(r["n"])]));
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function describeCounts(m: Map<string, number>): string {
  return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(", ");
}

const CRM_COLS = ["email", "country", "loyalty_tier", "updated_at", "preferred_channel"];

/** The expected silver customers after batches 1–3, computed straight from the raw files. */
async function expectedCustomers(spark: SparkSession): Promise<Map<string, string>> {
  const files = [1, 2, 3].map((b) => `'${samplePath("crm", `customers_batch_000${b}.json`)}'`).join(", ");
  const rows = await (await spark.sql(`
    SELECT * FROM (
      SELECT TRY_CAST(customer_id AS BIGINT) AS customer_id, lower(trim(email)) AS email, address.country AS country,
             loyalty_tier, CAST(updated_at AS TIMESTAMPTZ) AS updated_at, preferred_channel
      FROM read_json([${files}], format = 'newline_delimited', ignore_errors = true, union_by_name = true)
    ) WHERE customer_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1`)).collect();
  return keyed(rows, "customer_id", CRM_COLS);
}

export const EXERCISES_01: Exercise[] = [
  {
    id: "01.1-time-travel",
    title: "Exercise 1 — customers per loyalty tier at version 1",
    hints: [
      "Put the version right after the table name: FROM c360.silver.customers VERSION AS OF 1 (or the shorthand c360.silver.customers@v1).",
      "Group by loyalty_tier and count: SELECT loyalty_tier, count(*) AS customers … GROUP BY loyalty_tier.",
      "DESCRIBE HISTORY (or showHistory) tells you which operation made each version: version 1 is the initial load, version 2 the MERGE of batch 2.",
    ],
    async grade(spark, answer) {
      const rows = await answerRows(answer);
      if (!rows) return { ok: false, message: "Pass your query as the answer: check(\"01.1-time-travel\", spark, spark.sql(\"SELECT …\")).", hints: [0, 1] };
      const got = tierCounts(rows);
      if (typeof got === "string") return { ok: false, message: got, hints: [1] };
      const want = await countsAt(spark, 1);
      if (sameCounts(got, want)) return { ok: true, message: `Right: at version 1 the tiers were ${describeCounts(want)}. The table has moved on since, yet version 1 is still readable because its files are still referenced by the log.` };
      const latest = await countsAt(spark, undefined);
      if (sameCounts(got, latest)) return { ok: false, message: "These are the counts of the current version, not of version 1.", hints: [0, 2] };
      return { ok: false, message: `Your counts (${describeCounts(got)}) do not match version 1 (${want.size} tiers).`, hints: [0, 1, 2] };
    },
  },
  {
    id: "01.2-merge-batch-3",
    title: "Exercise 2 — upsert CRM batch 3, with its new column",
    hints: [
      "Deduplicate the source first: keep the newest line per customer_id (QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1).",
      "Only apply newer versions: WHEN MATCHED AND s.updated_at > t.updated_at THEN UPDATE SET *, and WHEN NOT MATCHED THEN INSERT *.",
      "Batch 3 has a new field, preferred_channel: select it in the source and write MERGE WITH SCHEMA EVOLUTION INTO … so the table gains the column.",
      "Use the same cleaning as the notebook: customer_id cast to BIGINT (drop lines where that fails), email lower-cased and trimmed, country from address.country.",
    ],
    async grade(spark) {
      const cols = await tableColumns(spark, TABLE);
      if (!cols) return { ok: false, message: `${TABLE} does not exist: run the notebook from the top first.`, hints: [] };
      if (!cols.has("preferred_channel")) return { ok: false, message: `${TABLE} has no preferred_channel column yet: the schema did not evolve.`, hints: [2] };
      const rows = await (await spark.sql(`SELECT customer_id, ${CRM_COLS.join(", ")} FROM ${TABLE}`)).collect();
      const ids = new Set(rows.map((r) => String(norm(r["customer_id"]))));
      if (ids.size !== rows.length) return { ok: false, message: `${rows.length - ids.size} customer_id values appear more than once: the source was not deduplicated, or rows were appended instead of merged.`, hints: [0, 1] };
      const diff = diffKeyed(keyed(rows, "customer_id", CRM_COLS), await expectedCustomers(spark), "customers", CRM_COLS);
      if (diff) return { ok: false, message: `The table does not match CRM batches 1–3 applied in order:\n${diff}`, hints: [0, 1, 3] };
      const last = (await history(spark, TABLE))[0];
      return { ok: true, message: `Right: ${rows.length} customers, each at its newest version, with preferred_channel filled for the ones batch 3 touched. Last commit: version ${norm(last?.["version"])} (${last?.["operation"]}).` };
    },
  },
  {
    id: "01.3-restore",
    title: "Exercise 3 — undo the accidental DELETE",
    hints: [
      "Find the DELETE in DESCRIBE HISTORY: the version just before it is the last good one.",
      "RESTORE TABLE c360.silver.customers TO VERSION AS OF <last good version> — a RESTORE is itself a new commit; history is kept.",
      "Restoring to the DELETE's own version changes nothing: pick the version before it.",
    ],
    async grade(spark) {
      const h = await history(spark, TABLE);
      const del = h.find((r) => r["operation"] === "DELETE");
      if (!del) return { ok: false, message: "There is no DELETE in the table's history: run the cell that makes the accident first.", hints: [] };
      const delVersion = Number(norm(del["version"]));
      const restored = h.find((r) => r["operation"] === "RESTORE" && Number(norm(r["version"])) > delVersion);
      if (!restored) return { ok: false, message: `The DELETE is version ${delVersion}, and no RESTORE came after it.`, hints: [0, 1] };
      const good = delVersion - 1;
      const q = (tt: string) => `SELECT customer_id, email, loyalty_tier, country, updated_at FROM ${TABLE}${tt}`;
      const missing = await (await spark.sql(`SELECT count(*) AS n FROM (${q(` VERSION AS OF ${good}`)} EXCEPT ${q("")})`)).collect();
      const extra = await (await spark.sql(`SELECT count(*) AS n FROM (${q("")} EXCEPT ${q(` VERSION AS OF ${good}`)})`)).collect();
      const m = Number(missing[0]!["n"]), x = Number(extra[0]!["n"]);
      if (m || x) return { ok: false, message: `After your RESTORE the table differs from version ${good} (the last version before the DELETE): ${m} rows missing, ${x} rows extra.`, hints: [0, 2] };
      return { ok: true, message: `Right: version ${norm(restored["version"])} (RESTORE) brings back version ${good}. The DELETE stays in history as version ${delVersion} — RESTORE never rewrites the past, it adds a commit.` };
    },
  },
];
