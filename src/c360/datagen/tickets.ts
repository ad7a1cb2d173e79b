/**
 * Support tickets as a change-data-capture feed: JSON lines, one change per line, one file per
 * batch. Each ticket is INSERTed as `open` and moves through pending / resolved / closed (some
 * reopen, some stay open at the end of the data); a few are DELETEd (spam, duplicates, erasure
 * requests). sequence_num counts a ticket's changes from 1. Every INSERT/UPDATE line carries the
 * full ticket after the change; a DELETE carries only the keys. The body is the latest message:
 * complaints and follow-ups use negative words, resolutions and thanks positive ones.
 * Planted: out-of-order changes, where change n of a ticket is delivered one batch after change
 * n + 1 (so the newer change arrives first and sequence_num must decide).
 */
import { join } from "node:path";
import {
  BODY_AGENT_PENDING, BODY_COMPLAINT, BODY_FOLLOWUP, BODY_QUESTION, BODY_RESOLVED, BODY_STILL_UNHAPPY, BODY_THANKS,
  TICKET_ITEMS, TICKET_TOPICS,
} from "./vocab.js";
import { sqlList, sqlStr, weightedIndexList, yearFractionSql, type Ctx, type FileReport, type SourceReport, PERIOD_END, SPAN_SECONDS, singleThreaded } from "./context.js";
import { batchFile, fileBytes } from "./files.js";

const PATTERNS: { statuses: string[]; weight: number }[] = [
  { statuses: ["open"], weight: 10 },
  { statuses: ["open", "pending"], weight: 10 },
  { statuses: ["open", "resolved", "closed"], weight: 25 },
  { statuses: ["open", "pending", "resolved", "closed"], weight: 30 },
  { statuses: ["open", "pending", "open", "pending", "resolved", "closed"], weight: 12 },
  { statuses: ["open", "pending", "resolved", "open", "resolved", "closed"], weight: 8 },
  { statuses: ["open", "closed"], weight: 5 },
];
const PRIORITIES = ["low", "medium", "high", "urgent"];

export async function generateTickets(ctx: Ctx): Promise<SourceReport> {
  const { db, sizes, batches } = ctx;
  const NK = sizes.tickets;
  const patterns = `[${PATTERNS.map((p) => sqlList(p.statuses)).join(", ")}]`;
  const prio = `[${TICKET_TOPICS.map((t) => weightedIndexList(t.priority)).join(", ")}]`;
  const subjects = `[${TICKET_TOPICS.map((t) => sqlList(t.subjects)).join(", ")}]`;
  const channels = sqlList([...Array(40).fill("email"), ...Array(25).fill("chat"), ...Array(20).fill("phone"), ...Array(15).fill("web_form")]);

  await db.run(`CREATE TABLE tk AS
    WITH a AS (${yearFractionSql("t", NK, "ticket_t")})
    SELECT t, 500001 + t AS ticket_id, ts_at(sec) AS created_ts,
      cust_id(cust_at(sec / ${SPAN_SECONDS}, u(t, 'ticket_cust'))) AS customer_id,
      pick(${weightedIndexList(TICKET_TOPICS.map((x) => x.weight))}, u(t, 'topic')) AS topic,
      pick(${weightedIndexList(PATTERNS.map((p) => p.weight))}, u(t, 'pattern')) AS pat,
      u(t, 'escalate') < 0.15 AS escalate,
      pick(${channels}, u(t, 'channel')) AS channel,
      3600 + u(t, 'gap1') * u(t, 'gap2') * 259200 AS gap_s,
      u(t, 'deleted') < 0.02 AS deleted,
      (200000001 + floor(u(t, 'order') * 9000000))::BIGINT::VARCHAR AS order_no,
      pick(${sqlList(TICKET_ITEMS)}, u(t, 'item')) AS item
    FROM a`);

  const fill = (list: string[], salt: string) => `replace(replace(pick(${sqlList(list)}, u3(t, k, ${sqlStr(salt)})), '{item}', item), '{order}', order_no)`;
  await db.run(`CREATE TABLE tk_chg AS
    WITH e AS (
      SELECT tk.*, ${patterns}[pat + 1] AS statuses,
        unnest(range(len(${patterns}[pat + 1]) + CASE WHEN deleted THEN 1 ELSE 0 END)) AS k
      FROM tk),
    f AS (
      SELECT *,
        created_ts + to_milliseconds(floor((k * gap_s + CASE WHEN k > 0 THEN u3(t, k, 'change_gap') * gap_s * 0.8 ELSE 0 END) * 1000)::BIGINT) AS change_ts,
        CASE WHEN k < len(statuses) THEN statuses[k + 1] END AS status,
        CASE WHEN k = 0 THEN 'INSERT' WHEN k >= len(statuses) THEN 'DELETE' ELSE 'UPDATE' END AS operation,
        u3(t, k, 'mood') AS mood
      FROM e)
    SELECT t, k, ticket_id, customer_id, operation, (k + 1)::INTEGER AS sequence_num, change_ts, batch_of(change_ts) AS batch,
      status,
      CASE WHEN operation <> 'DELETE' THEN ${sqlList(PRIORITIES)}[least(3, pick(${prio}[topic + 1], u(t, 'priority')) + CASE WHEN escalate AND k >= 1 THEN 1 ELSE 0 END) + 1] END AS priority,
      CASE WHEN operation <> 'DELETE' THEN channel END AS channel,
      CASE WHEN operation <> 'DELETE' THEN replace(replace(pick(${subjects}[topic + 1], u(t, 'subject')), '{item}', item), '{order}', order_no) END AS subject,
      CASE
        WHEN operation = 'DELETE' THEN NULL
        WHEN k = 0 THEN CASE WHEN mood < CASE WHEN topic IN (3, 6) THEN 0.3 ELSE 0.75 END
          THEN ${fill(BODY_COMPLAINT, "complaint")} ELSE ${fill(BODY_QUESTION, "question")} END
        WHEN status = 'pending' THEN ${fill(BODY_AGENT_PENDING, "pending")}
        WHEN status = 'open' THEN ${fill(BODY_FOLLOWUP, "followup")}
        WHEN status = 'resolved' THEN ${fill(BODY_RESOLVED, "resolved")} || CASE WHEN mood < 0.5 THEN ' ' || ${fill(BODY_THANKS, "thanks")} ELSE '' END
        ELSE CASE WHEN mood < 0.7 THEN ${fill(BODY_THANKS, "thanks2")} ELSE ${fill(BODY_STILL_UNHAPPY, "unhappy")} END
      END AS body,
      pat
    FROM f
    WHERE change_ts < TIMESTAMP '${PERIOD_END}'`);

  // Out-of-order delivery: a change from the last ten days of a window whose successor falls in
  // the same batch is held back one batch, so the successor (higher sequence_num) arrives first.
  const ooo = batches > 1 ? Math.max(3, Math.round(NK * 3.3 * 0.01)) : 0;
  await db.run(`CREATE TABLE tk_late AS
    WITH l AS (SELECT t, k, batch, lead(batch) OVER (PARTITION BY t ORDER BY k) AS next_batch FROM tk_chg)
    SELECT t, k FROM l JOIN tk_chg USING (t, k)
    WHERE l.batch < ${batches} AND next_batch = l.batch AND change_ts >= win_start(l.batch + 1) - INTERVAL 10 DAY
    ORDER BY u3(t, k, 'out_of_order'), t, k LIMIT ${ooo}`);
  await db.run(`CREATE TABLE tk_out AS
    SELECT c.*, CASE WHEN l.t IS NOT NULL THEN c.batch + 1 ELSE c.batch END AS file_batch, l.t IS NOT NULL AS held_back
    FROM tk_chg c LEFT JOIN tk_late l ON l.t = c.t AND l.k = c.k
    ORDER BY file_batch, change_ts, ticket_id, sequence_num`);

  await singleThreaded(db);
  const files: FileReport[] = [];
  for (let b = 1; b <= batches; b++) {
    const rel = batchFile("support_tickets", "tickets_cdc", b, "json");
    const path = join(ctx.out, rel);
    await db.run(`COPY (
      SELECT ticket_id, customer_id, operation, sequence_num, strftime(change_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS change_ts,
        status, priority, channel, subject, body
      FROM tk_out WHERE file_batch = ${b} ORDER BY change_ts, ticket_id, sequence_num
    ) TO ${sqlStr(path)} (FORMAT json)`);
    const rows = Number((await db.query(`SELECT count(*) AS n FROM tk_out WHERE file_batch = ${b}`)).rows[0]!["n"]);
    files.push({ path: rel, batch: b, rows, bytes: fileBytes(path) });
  }

  const st = (await db.query(`SELECT
      (SELECT count(DISTINCT t) FROM tk_chg) AS tickets,
      (SELECT count(*) FROM tk_out WHERE held_back) AS held,
      (SELECT count(*) FROM tk_chg WHERE operation = 'DELETE') AS deletes,
      (SELECT count(*) FROM tk_chg WHERE operation = 'UPDATE') AS updates,
      (SELECT count(DISTINCT t) FROM tk_chg WHERE pat = 5 AND k >= 3) AS reopened,
      (SELECT count(*) FROM (SELECT t FROM tk_chg GROUP BY t HAVING max(k) = 0)) AS single,
      (SELECT count(*) FROM (SELECT t, arg_max(status, k) AS s, bool_or(operation = 'DELETE') AS d FROM tk_chg GROUP BY t) WHERE NOT d AND s IN ('open', 'pending')) AS still_open`)).rows[0]!;
  return {
    source: "support_tickets",
    format: "jsonl",
    files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    anomalies: {
      out_of_order_changes: Number(st["held"]),
      deletes: Number(st["deletes"]),
      reopened_tickets: Number(st["reopened"]),
    },
    facts: {
      tickets: Number(st["tickets"]),
      updates: Number(st["updates"]),
      tickets_with_only_an_insert: Number(st["single"]),
      tickets_open_at_end: Number(st["still_open"]),
    },
  };
}
