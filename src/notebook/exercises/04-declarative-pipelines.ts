/**
 * Exercises of notebook 04 (declarative pipelines) on the `c360_tickets` pipeline.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sandboxPath } from "../sandbox.js";
import type { SparkSession } from "../../lakehouse/sql/session.js";
import { answerRows, norm, tableColumns, type Exercise } from "./types.js";

const LANDING = () => sandboxPath("04-declarative-pipelines", "landing", "tickets");

/** Current state of every ticket from the landed change files: highest sequence_num wins, deletes removed. */
function currentSql(): string {
  const files = readdirSync(LANDING()).filter((f) => f.endsWith(".json")).sort().map((f) => `'${join(LANDING(), f)}'`).join(", ");
  return `SELECT ticket_id, status FROM (
      SELECT * FROM read_json([${files}], format = 'newline_delimited')
      QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY sequence_num DESC) = 1)
    WHERE operation <> 'DELETE'`;
}

async function expectedCurrent(spark: SparkSession): Promise<Map<string, string>> {
  const rows = await (await spark.sql(currentSql())).collect();
  return new Map(rows.map((r) => [String(norm(r["ticket_id"])), String(r["status"])]));
}

export const EXERCISES_04: Exercise[] = [
  {
    id: "04.1-current-from-scd2",
    title: "Exercise 1 — the current state of every ticket, from its SCD2 history",
    hints: [
      "In an SCD type 2 table the current version of a key is the row whose __END_AT is NULL.",
      "A deleted ticket has no current version: AUTO CDC closed its last version (set __END_AT) when the DELETE came.",
      "Return ticket_id and status: spark.sql(\"SELECT ticket_id, status FROM c360.silver.tickets_history WHERE …\").",
    ],
    async grade(spark, answer) {
      const rows = await answerRows(answer);
      if (!rows) return { ok: false, message: "Pass your query as the answer: check(\"04.1-current-from-scd2\", spark, spark.sql(\"SELECT …\")).", hints: [2] };
      if (!rows.length) return { ok: false, message: "Your query returns no rows.", hints: [0] };
      const cols = Object.keys(rows[0]!);
      const id = cols.find((c) => c.toLowerCase() === "ticket_id");
      const st = cols.find((c) => c.toLowerCase() === "status");
      if (!id || !st) return { ok: false, message: `Your answer has the columns ${cols.join(", ")}; it needs ticket_id and status.`, hints: [2] };
      const want = await expectedCurrent(spark);
      const got = new Map<string, string>();
      for (const r of rows) {
        const k = String(norm(r[id]));
        if (got.has(k)) return { ok: false, message: `Ticket ${k} appears more than once: you kept several versions of it.`, hints: [0] };
        got.set(k, String(r[st]));
      }
      const missing = [...want.keys()].filter((k) => !got.has(k));
      const extra = [...got.keys()].filter((k) => !want.has(k));
      const wrong = [...want.keys()].filter((k) => got.has(k) && got.get(k) !== want.get(k));
      if (missing.length || extra.length || wrong.length) {
        return { ok: false, message: `Expected ${want.size} current tickets; yours has ${missing.length} missing, ${extra.length} that should not be there (deleted tickets?) and ${wrong.length} with another status.`, hints: extra.length ? [1] : [0] };
      }
      return { ok: true, message: `Right: ${want.size} current tickets, the same as replaying the landed change files by sequence_num and removing the deleted ones. The history keeps every older version for "as of" questions.` };
    },
  },
  {
    id: "04.2-gold-materialized-view",
    title: "Exercise 2 — a gold materialized view in the c360_tickets pipeline",
    hints: [
      "tickets.materializedView({ name: \"c360.gold.tickets_by_status\", query: (ctx) => ctx.read(\"c360.silver.tickets_history\")… }): ctx.read (batch), not ctx.readStream.",
      "Keep only the current versions (__END_AT IS NULL), then groupBy(\"status\").agg(F.count(\"*\").alias(\"tickets\")).",
      "Run an update of the pipeline afterwards: await tickets.run(spark).",
    ],
    async grade(spark) {
      const cols = await tableColumns(spark, "c360.gold.tickets_by_status");
      if (!cols) return { ok: false, message: "c360.gold.tickets_by_status does not exist yet: declare it in the pipeline and run an update.", hints: [0, 2] };
      if (!cols.has("status") || !cols.has("tickets")) return { ok: false, message: `c360.gold.tickets_by_status has the columns ${[...cols.keys()].join(", ")}; it needs status and tickets.`, hints: [1] };
      const defs = await (await spark.sql(`SELECT details FROM c360.silver.pipeline_event_log
        WHERE event_type = 'flow_definition' AND dataset = 'c360.gold.tickets_by_status' AND pipeline_name = 'c360_tickets'`)).collect();
      if (!defs.length) return { ok: false, message: "No update of the c360_tickets pipeline has defined c360.gold.tickets_by_status yet (see its event log).", hints: [0, 2] };
      if (!defs.some((d) => String(d["details"]).includes("MATERIALIZED_VIEW"))) return { ok: false, message: "c360.gold.tickets_by_status is not a materialized view in the pipeline.", hints: [0] };
      const want = new Map<string, number>();
      for (const s of (await expectedCurrent(spark)).values()) want.set(s, (want.get(s) ?? 0) + 1);
      const got = new Map((await (await spark.sql("SELECT status, tickets FROM c360.gold.tickets_by_status")).collect()).map((r) => [String(r["status"]), Number(norm(r["tickets"]))]));
      const fmt = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k}=${v}`).join(", ");
      if (fmt(got) !== fmt(want)) return { ok: false, message: `The view holds ${fmt(got) || "nothing"}; the current tickets are ${fmt(want)}.`, hints: [1, 2] };
      return { ok: true, message: `Right: ${fmt(want)}. The view is recomputed on every update, so it follows the history as new changes land.` };
    },
  },
];
