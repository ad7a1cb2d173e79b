/**
 * Exercises of notebook 03 (Structured Streaming and change data) on `c360.silver.tickets`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { samplePath } from "../sandbox.js";
import { tablePath } from "../delta.js";
import type { SparkSession } from "../../lakehouse/sql/session.js";
import { answerRows, norm, tableColumns, type Exercise } from "./types.js";

const SILVER = "c360.silver.tickets";
const GOLD = "c360.gold.ticket_events";

/** State of every ticket after CDC batches 1..n: its change with the highest sequence_num, deletes removed. */
function stateAfter(n: number): string {
  const files = Array.from({ length: n }, (_, i) => `'${samplePath("support_tickets", `tickets_cdc_batch_000${i + 1}.json`)}'`).join(", ");
  return `SELECT ticket_id, status FROM (
      SELECT * FROM read_json([${files}], format = 'newline_delimited')
      QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY sequence_num DESC) = 1)
    WHERE operation <> 'DELETE'`;
}

export const EXERCISES_03: Exercise[] = [
  {
    id: "03.1-status-changes",
    title: "Exercise 1 — which tickets changed status when batch 3 was applied?",
    hints: [
      "Find the version of c360.silver.tickets that applied batch 3 (DESCRIBE HISTORY: one MERGE per micro-batch), then read only that commit: table_changes('c360.silver.tickets', v, v).",
      "An update is two rows in the change feed: update_preimage (before) and update_postimage (after), with the same ticket_id and _commit_version. Join them.",
      "Keep the rows where the status differs, and return ticket_id, the old status and the new status.",
    ],
    async grade(spark, answer) {
      const rows = await answerRows(answer);
      if (!rows) return { ok: false, message: "Pass your query as the answer: check(\"03.1-status-changes\", spark, spark.sql(\"SELECT …\")).", hints: [0] };
      const expected = await (await spark.sql(`
        SELECT b.ticket_id, b.status AS old_status, a.status AS new_status
        FROM (${stateAfter(2)}) b JOIN (${stateAfter(3)}) a USING (ticket_id)
        WHERE a.status IS DISTINCT FROM b.status`)).collect();
      if (!rows.length) return { ok: false, message: `Your query returns no rows; ${expected.length} tickets changed status in that commit.`, hints: [0, 1] };
      const cols = Object.keys(rows[0]!);
      const id = cols.find((c) => c.toLowerCase() === "ticket_id");
      const others = cols.filter((c) => c !== id);
      if (!id || others.length < 2) return { ok: false, message: `Your answer has the columns ${cols.join(", ")}; it needs ticket_id, the old status and the new status (in that order).`, hints: [2] };
      const key = (t: unknown, o: unknown, n: unknown) => `${norm(t)}:${String(o)}→${String(n)}`;
      const got = new Set(rows.map((r) => key(r[id], r[others[0]!], r[others[1]!])));
      const want = new Set(expected.map((r) => key(r["ticket_id"], r["old_status"], r["new_status"])));
      const missing = [...want].filter((k) => !got.has(k));
      const extra = [...got].filter((k) => !want.has(k));
      if (missing.length || extra.length) {
        return { ok: false, message: `Expected ${want.size} status changes (e.g. ${[...want].slice(0, 2).join(", ")}); yours has ${missing.length} missing and ${extra.length} unexpected.${extra.length && !missing.length ? " Did you read more than one commit, or keep updates that did not change the status?" : ""}`, hints: [0, 1, 2] };
      }
      return { ok: true, message: `Right: ${want.size} tickets changed status in that commit (${[...want].join(", ")}). The change feed gave you both sides of each update without keeping any history table yourself.` };
    },
  },
  {
    id: "03.2-change-feed-stream",
    title: "Exercise 2 — a gold stream that survives updates and deletes upstream",
    hints: [
      "Read the change feed instead of the table: spark.readStream.option(\"readChangeFeed\", \"true\").option(\"startingVersion\", 1).table(\"c360.silver.tickets\").",
      "Write it with its own checkpoint to c360.gold.ticket_events (append), trigger({ availableNow: true }), and wait for it.",
      "Pass the checkpoint folder as the answer.",
    ],
    async grade(spark, answer) {
      if (typeof answer !== "string" || !existsSync(join(answer, "offsets"))) return { ok: false, message: "Pass the checkpoint folder of your gold stream (it must have run at least once).", hints: [1, 2] };
      const cols = await tableColumns(spark, GOLD);
      if (!cols) return { ok: false, message: `${GOLD} does not exist yet.`, hints: [0, 1] };
      if (!cols.has("_change_type") || !cols.has("_commit_version")) return { ok: false, message: `${GOLD} has no _change_type/_commit_version columns: the stream read the table, not its change feed.`, hints: [0] };
      // The checkpoint must be the one of the stream that wrote the gold table: its query id is the
      // appId of the txn actions the Delta sink wrote.
      const queryId = (JSON.parse(readFileSync(join(answer, "metadata"), "utf8")) as { id?: string }).id;
      const logDir = join(await tablePath(spark, GOLD), "_delta_log");
      const appIds = new Set(readdirSync(logDir).filter((f) => /^\d{20}\.json$/.test(f)).flatMap((f) =>
        readFileSync(join(logDir, f), "utf8").split("\n").filter((l) => l.includes('"txn"')).map((l) => (JSON.parse(l) as { txn: { appId: string } }).txn.appId)));
      if (!queryId || !appIds.has(queryId)) return { ok: false, message: `That checkpoint belongs to another query: no commit of ${GOLD} was written by query ${queryId ?? "?"}.`, hints: [1, 2] };
      const q = (from: string) => `SELECT _commit_version AS v, _change_type AS t, count(*) AS n FROM ${from} GROUP BY ALL`;
      const got = await (await spark.sql(q(GOLD))).collect();
      const want = await (await spark.sql(q(`table_changes('${SILVER}', 1)`))).collect();
      const fmt = (rows: Record<string, unknown>[]) => rows.map((r) => `v${norm(r["v"])} ${r["t"]}=${norm(r["n"])}`).sort().join(", ");
      if (fmt(got) !== fmt(want)) return { ok: false, message: `The gold table holds ${fmt(got) || "nothing"}; the change feed from version 1 holds ${fmt(want)}.`, hints: [0, 1] };
      return { ok: true, message: `Right: every change since version 1 is in ${GOLD} (${fmt(want)}), and the stream will keep working after the next MERGE upstream, because updates and deletes are rows of the change feed, not rewritten files.` };
    },
  },
];
