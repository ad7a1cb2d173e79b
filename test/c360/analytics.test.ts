/**
 * The Customer 360 analytics builders against the committed sample (datasets/sample), read with
 * plain DuckDB SQL through a SparkSession — no pipeline framework involved: FX, transaction
 * cleaning (planted duplicates and bad amounts), sessionisation (30-minute gaps), lexicon
 * sentiment, RFM (checked against an independent SQL computation), customer_360, revenue
 * rollups and churn features.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkSession } from "../../src/lakehouse/sql/session.js";
import type { DataFrame, Row } from "../../src/lakehouse/sql/dataframe/index.js";
import * as A from "../../src/c360/analytics/index.js";
import {
  BODY_COMPLAINT, BODY_FOLLOWUP, BODY_QUESTION, BODY_STILL_UNHAPPY, BODY_THANKS, COUNTRIES,
} from "../../src/c360/datagen/vocab.js";
import { removeDir, tempDir } from "../helpers.js";

const SAMPLE = join(import.meta.dirname, "../../datasets/sample");
const manifest = JSON.parse(readFileSync(join(SAMPLE, "manifest.json"), "utf8")) as {
  sources: { source: string; anomalies: Record<string, number>; facts: Record<string, number> }[];
};
const anomalies = (source: string) => manifest.sources.find((s) => s.source === source)!.anomalies;
const facts = (source: string) => manifest.sources.find((s) => s.source === source)!.facts;

/** Raw CRM lines typed like Auto Loader does (strict JSON types; malformed → NULLs + _rescued_data). */
const CRM_SQL = `SELECT
    CASE WHEN json_type(j, '$.customer_id') IN ('BIGINT', 'UBIGINT') THEN CAST(json_extract_string(j, '$.customer_id') AS BIGINT) END AS customer_id,
    json_extract_string(j, '$.first_name') AS first_name, json_extract_string(j, '$.last_name') AS last_name,
    json_extract_string(j, '$.email') AS email, json_extract_string(j, '$.phone') AS phone,
    TRY_CAST(json_extract(j, '$.address') AS STRUCT(street VARCHAR, city VARCHAR, region VARCHAR, postal_code VARCHAR, country VARCHAR)) AS address,
    TRY_CAST(json_extract_string(j, '$.date_of_birth') AS DATE) AS date_of_birth,
    TRY_CAST(json_extract_string(j, '$.signup_date') AS DATE) AS signup_date,
    json_extract_string(j, '$.loyalty_tier') AS loyalty_tier,
    CASE WHEN json_type(j, '$.marketing_opt_in') = 'BOOLEAN' THEN CAST(json_extract_string(j, '$.marketing_opt_in') AS BOOLEAN) END AS marketing_opt_in,
    TRY_CAST(json_extract_string(j, '$.updated_at') AS TIMESTAMPTZ) AS updated_at,
    json_extract_string(j, '$.preferred_channel') AS preferred_channel,
    CASE WHEN j IS NULL THEN '{"_corrupt_record":' || to_json(line) || '}' END AS _rescued_data
  FROM (SELECT line, CASE WHEN json_valid(line) THEN CAST(line AS JSON) END AS j
    FROM read_csv('${SAMPLE}/crm/*.json', columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', escape = '', auto_detect = false))`;
const TX_SQL = `SELECT * FROM read_csv('${SAMPLE}/transactions/*.csv', header = true, all_varchar = true, filename = true)`;
const CLICKS_SQL = `SELECT * FROM read_parquet('${SAMPLE}/clickstream/*.parquet')`;
const TICKETS_SQL = `SELECT * FROM read_json('${SAMPLE}/support_tickets/*.json', format = 'newline_delimited')`;

let dir: string;
let spark: SparkSession;
let crm: DataFrame;
let tx: DataFrame;
let clicks: DataFrame;
let ticketChanges: DataFrame;
let current: DataFrame;
let clean: DataFrame;
let sessions: DataFrame;
let tickets: DataFrame;
let rfm: DataFrame;

async function rows(sql: string): Promise<Row[]> {
  return (await spark.sql(sql)).collect();
}
async function one(sql: string): Promise<Row> {
  return (await rows(sql))[0]!;
}
const num = (v: unknown) => Number(v);
/** A builder's SQL as a subquery. */
const q = (df: DataFrame) => `(${df.toSQL()})`;

beforeAll(async () => {
  dir = tempDir("c360-analytics-");
  spark = await SparkSession.create({ warehouse: join(dir, "warehouse") });
  crm = await spark.sql(CRM_SQL);
  tx = await spark.sql(TX_SQL);
  clicks = await spark.sql(CLICKS_SQL);
  ticketChanges = A.withSentiment(spark, await spark.sql(TICKETS_SQL));
  current = A.currentCustomers(spark, A.customerProfiles(spark, crm));
  clean = A.cleanTransactions(spark, tx, { arrivalOrder: ["filename"], customers: current });
  sessions = A.sessions(spark, clicks);
  tickets = await spark.sql(`SELECT * FROM ${q(ticketChanges)} QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY sequence_num DESC) = 1 AND operation <> 'DELETE'`);
  rfm = A.rfm(spark, clean, { customers: current });
});

afterAll(() => {
  spark?.stop();
  if (dir) removeDir(dir);
});

describe("FX normalisation", () => {
  it("uses the documented static rates, which match the generator's pricing", () => {
    const gen = new Map(COUNTRIES.map((c) => [c.currency, c.fx]));
    expect(A.KNOWN_CURRENCIES.slice().sort()).toEqual([...gen.keys()].sort());
    for (const r of A.FX_RATES) expect(r.unitsPerUsd).toBe(gen.get(r.currency));
  });

  it("converts to USD rounded to cents, NULL for an unknown currency", async () => {
    const r = await one(`SELECT ${A.toUsdSql("92", "'eur'")} AS eur, ${A.toUsdSql("15100", "' JPY'")} AS jpy, ${A.toUsdSql("10", "'XYZ'")} AS xyz,
      ${A.knownCurrencySql("'gbp'")} AS gbp_known, ${A.knownCurrencySql("'XYZ'")} AS xyz_known`);
    expect(r).toMatchObject({ eur: "100.00", jpy: "100.00", xyz: null, gbp_known: true, xyz_known: false });
    expect(await A.fxRates(spark).count()).toBe(6);
  });
});

describe("CRM profiles", () => {
  it("the quality rules reject exactly the planted malformed lines", async () => {
    const crmA = anomalies("crm");
    const r = await rows(`SELECT rule, count(*) AS n FROM (SELECT unnest(${A.crmFailedRulesSql()}) AS rule FROM ${q(crm)}) GROUP BY 1 ORDER BY 1`);
    const byRule = Object.fromEntries(r.map((x) => [String(x["rule"]), num(x["n"])]));
    // A truncated line fails every rule; each other kind fails its own.
    const t = crmA["malformed_truncated_json"]!;
    expect(byRule).toEqual({
      parsable_record: t,
      valid_customer_id: t + crmA["malformed_non_numeric_customer_id"]!,
      valid_signup_date: t + crmA["malformed_invalid_date"]!,
      valid_marketing_opt_in: t + crmA["malformed_wrong_type_boolean"]!,
      valid_updated_at: t,
    });
    expect(await A.customerProfiles(spark, crm).count()).toBe(facts("crm")["valid_lines"]);
    const c = await one(`SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, count(*) FILTER (WHERE email <> lower(trim(email))) AS raw_emails FROM ${q(current)}`);
    expect(num(c["n"])).toBe(facts("crm")["distinct_customers"]);
    expect(num(c["ids"])).toBe(num(c["n"]));
    expect(num(c["raw_emails"])).toBe(0);
  });
});

describe("transaction cleaning", () => {
  it("removes the planted exact duplicates and re-sent rows: one row per transaction_id", async () => {
    const raw = await one(`SELECT count(*) AS n, count(DISTINCT transaction_id) AS ids FROM ${q(tx)}`);
    const a = anomalies("transactions");
    expect(num(raw["n"]) - num(raw["ids"])).toBe(a["duplicate_rows_same_batch"]! + a["duplicate_rows_next_batch"]!);
    const norm = A.normalisedTransactions(spark, tx, { arrivalOrder: ["filename"], passThrough: ["filename"] });
    const r = await one(`SELECT count(*) AS n, count(DISTINCT transaction_id) AS ids, sum(copies) AS copies FROM ${q(norm)}`);
    expect(num(r["n"])).toBe(facts("transactions")["distinct_transactions"]);
    expect(num(r["ids"])).toBe(num(r["n"]));
    expect(num(r["copies"])).toBe(num(raw["n"]));
  });

  it("keeps the latest arrival of a re-sent row", async () => {
    const norm = A.normalisedTransactions(spark, tx, { arrivalOrder: ["filename"], passThrough: ["filename"] });
    const resent = await rows(`SELECT n.transaction_id, n.filename, r.last_file FROM ${q(norm)} AS n
      JOIN (SELECT transaction_id, max(filename) AS last_file FROM ${q(tx)} GROUP BY 1 HAVING count(DISTINCT filename) > 1) AS r
        ON r.transaction_id = CAST(n.transaction_id AS VARCHAR)`);
    expect(resent.length).toBe(anomalies("transactions")["duplicate_rows_next_batch"]);
    for (const x of resent) expect(x["filename"]).toBe(x["last_file"]);
  });

  it("classifies every planted bad amount and keeps the rest", async () => {
    const norm = A.normalisedTransactions(spark, tx, { arrivalOrder: ["filename"] });
    const byIssue = Object.fromEntries((await rows(`SELECT amount_issue, count(*) AS n FROM ${q(norm)} GROUP BY 1`)).map((r) => [String(r["amount_issue"]), num(r["n"])]));
    const a = anomalies("transactions");
    expect(byIssue["negative"]).toBe(a["negative_amount"]);
    expect(byIssue["missing"]).toBe(a["empty_amount"]);
    expect(byIssue["non_numeric"]).toBe(a["na_amount"]);
    expect(byIssue["too_large"]).toBe(a["huge_amount"]);
    const bad = a["negative_amount"]! + a["empty_amount"]! + a["na_amount"]! + a["huge_amount"]!;
    expect(await clean.count()).toBe(facts("transactions")["distinct_transactions"]! - bad);
    expect(await A.rejectedTransactions(spark, tx, { arrivalOrder: ["filename"] }).count()).toBe(bad);
    // The limit is in USD: large yen amounts are legitimate.
    const yen = await one(`SELECT max(amount) AS m FROM ${q(clean)} WHERE currency = 'JPY'`);
    expect(num(yen["m"])).toBeGreaterThan(100_000);
  });

  it("converts amounts to USD and flags unknown customers", async () => {
    const r = await one(`SELECT count(*) FILTER (WHERE NOT is_known_customer) AS unknown,
        count(*) FILTER (WHERE abs(CAST(amount_usd AS DOUBLE) - round(CAST(amount AS DOUBLE) / fx_units_per_usd, 2)) > 0.001) AS off,
        count(*) FILTER (WHERE currency <> 'USD') AS non_usd
      FROM ${q(clean)}`);
    expect(num(r["unknown"])).toBe(anomalies("transactions")["unknown_customer_id"]);
    expect(num(r["off"])).toBe(0);
    expect(num(r["non_usd"])).toBeGreaterThan(10_000);
  });
});

describe("sessionisation", () => {
  it("starts a new session only after a gap of more than 30 minutes", async () => {
    const ev = await spark.sql(`SELECT * FROM (VALUES
        (1, NULL, 'dA', TIMESTAMP '2024-03-01 10:00:00', 'page_view', '/', NULL),
        (2, NULL, 'dA', TIMESTAMP '2024-03-01 10:10:00', 'add_to_cart', '/', NULL),
        (3, NULL, 'dA', TIMESTAMP '2024-03-01 10:40:00', 'page_view', '/', NULL),
        (4, NULL, 'dA', TIMESTAMP '2024-03-01 11:10:01', 'page_view', '/', NULL),
        (5, NULL, 'dA', TIMESTAMP '2024-03-01 11:11:00', 'purchase', '/', NULL),
        (5, NULL, 'dA', TIMESTAMP '2024-03-01 11:11:00', 'purchase', '/', NULL),
        (6, NULL, 'dB', TIMESTAMP '2024-03-01 10:00:00', 'page_view', '/', NULL),
        (7, 42, 'dB', TIMESTAMP '2024-03-01 10:05:00', 'login', '/', NULL),
        (8, 42, 'dC', TIMESTAMP '2024-03-01 10:20:00', 'page_view', '/', NULL)
      ) AS e(event_id, customer_id, device_id, event_ts, event_type, page, referrer)`);
    const s = await rows(`SELECT visitor_key, customer_id, events, page_views, add_to_carts, purchases, duration_seconds, session_id
      FROM ${q(A.sessions(spark, ev))} ORDER BY visitor_key, session_start`);
    expect(s.map((x) => [x["visitor_key"], num(x["events"])])).toEqual([["c42", 3], ["d:dA", 3], ["d:dA", 2]]);
    // Exactly 30 minutes (10:10 → 10:40) does not split; 30 min 1 s (10:40 → 11:10:01) does.
    expect(num(s[1]!["duration_seconds"])).toBe(2400);
    expect(s[1]).toMatchObject({ page_views: 2n, add_to_carts: 1n, purchases: 0n, session_id: "d:dA@20240301T100000" });
    expect(s[2]).toMatchObject({ purchases: 1n, session_id: "d:dA@20240301T111001" });
    // The anonymous event before the login on dB is stitched to customer 42, with its other device.
    expect(s[0]).toMatchObject({ customer_id: 42n, session_id: "c42@20240301T100000" });
    const unstitched = await rows(`SELECT visitor_key FROM ${q(A.sessions(spark, ev, { stitchDevices: false }))} ORDER BY 1`);
    expect(unstitched.map((x) => x["visitor_key"])).toEqual(["c42", "d:dA", "d:dA", "d:dB"]);
  });

  it("splits the sample clickstream exactly at gaps over 30 minutes", async () => {
    const events = A.sessionisedEvents(spark, clicks);
    const r = await one(`SELECT count(*) AS n,
        count(*) FILTER (WHERE NOT new_session AND gap_seconds > 1800) AS long_inside,
        count(*) FILTER (WHERE new_session AND gap_seconds IS NOT NULL AND gap_seconds <= 1800) AS short_between,
        count(*) FILTER (WHERE NOT new_session AND gap_seconds BETWEEN 300 AND 1800) AS pauses_kept,
        count(DISTINCT session_id) AS sessions
      FROM ${q(events)}`);
    const distinctEvents = await one(`SELECT count(DISTINCT event_id) AS n FROM ${q(clicks)}`);
    expect(num(r["n"])).toBe(num(distinctEvents["n"]));
    expect(num(r["long_inside"])).toBe(0);
    expect(num(r["short_between"])).toBe(0);
    expect(num(r["pauses_kept"])).toBeGreaterThan(0);
    // Consecutive sessions of a visitor are more than 30 minutes apart.
    const gaps = await one(`SELECT count(*) AS n, min(gap) AS min_gap FROM (
        SELECT epoch(session_start) - epoch(lag(session_end) OVER (PARTITION BY visitor_key ORDER BY session_start)) AS gap FROM ${q(sessions)})
      WHERE gap IS NOT NULL`);
    expect(num(gaps["min_gap"])).toBeGreaterThan(1800);
    const s = await one(`SELECT count(*) AS n, sum(events) AS events, sum(purchases) AS purchases,
        count(*) FILTER (WHERE is_identified) AS identified, count(DISTINCT session_id) AS ids FROM ${q(sessions)}`);
    expect(num(s["n"])).toBe(num(r["sessions"]));
    expect(num(s["ids"])).toBe(num(s["n"]));
    expect(num(s["events"])).toBe(num(distinctEvents["n"]));
    expect(num(s["purchases"])).toBe(facts("clickstream")["purchases"] ?? 755);
    expect(num(s["identified"])).toBeGreaterThan(0);
  });
});

describe("ticket sentiment", () => {
  async function score(texts: (string | null)[]): Promise<Row[]> {
    const values = texts.map((t) => `(${t === null ? "NULL" : `'${t.replace(/'/g, "''")}'`})`).join(", ");
    return rows(A.withSentimentSql(await spark.sql(`SELECT * FROM (VALUES ${values}) AS v(body)`)));
  }

  it("scores (P − N) / (P + N + 1) with negation within 3 words", async () => {
    const r = await score([
      "Thanks, great and helpful!", "This is terrible.", "The answer was not helpful at all.", "No problem.",
      "I don't love it", "I was promised a refund and nothing happened. Terrible.", "Please send the invoice.", null,
    ]);
    expect(r.map((x) => x["sentiment_score"])).toEqual([0.75, -0.5, -0.5, 0.5, -0.5, -0.5, 0, null]);
    expect(r.map((x) => x["sentiment_label"])).toEqual(["positive", "negative", "negative", "positive", "negative", "negative", "neutral", null]);
    expect(r[0]).toMatchObject({ positive_words: 3n, negative_words: 0n });
  });

  it("gives the generator's complaints negative and its thanks positive scores", async () => {
    const fill = (s: string) => s.replace("{item}", "blender").replace("{order}", "200000001");
    const neg = await score([...BODY_COMPLAINT, ...BODY_FOLLOWUP, ...BODY_STILL_UNHAPPY].map(fill));
    for (const x of neg) expect(x["sentiment_score"], String(x["body"])).toBeLessThan(0);
    const pos = await score(BODY_THANKS.map(fill));
    for (const x of pos) expect(x["sentiment_score"], String(x["body"])).toBeGreaterThan(0);
    const neutral = await score(BODY_QUESTION.map(fill));
    for (const x of neutral) expect(x["sentiment_score"], String(x["body"])).toBe(0);
  });

  it("keeps every score of the sample inside (-1, 1); first messages lean negative", async () => {
    const r = await one(`SELECT min(sentiment_score) AS lo, max(sentiment_score) AS hi,
        avg(sentiment_score) FILTER (WHERE sequence_num = 1) AS first_avg,
        avg(sentiment_score) FILTER (WHERE status = 'closed') AS closed_avg,
        count(*) FILTER (WHERE body IS NOT NULL AND sentiment_score IS NULL) AS missing
      FROM ${q(ticketChanges)}`);
    expect(num(r["lo"])).toBeGreaterThan(-1);
    expect(num(r["hi"])).toBeLessThan(1);
    expect(num(r["first_avg"])).toBeLessThan(0);
    expect(num(r["closed_avg"])).toBeGreaterThan(0);
    expect(num(r["missing"])).toBe(0);
  });
});

describe("RFM", () => {
  it("maps (R, FM) to the documented segments in SQL as in TypeScript", async () => {
    const combos: [number, number, number][] = [];
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) combos.push([r, f, m]);
    const res = await rows(`SELECT r, f, m, ${A.rfmSegmentSql("r", "f", "m")} AS seg FROM (VALUES ${combos.map((c) => `(${c.join(", ")})`).join(", ")}) AS v(r, f, m) ORDER BY r, f, m`);
    for (const x of res) expect(x["seg"]).toBe(A.rfmSegment(num(x["r"]), (num(x["f"]) + num(x["m"])) / 2));
    expect(new Set(res.map((x) => x["seg"]))).toEqual(new Set(A.RFM_SEGMENTS));
  });

  it("equals an independent SQL computation over the raw files", async () => {
    // Written from the data's documentation only: duplicates are identical rows, a bad amount is
    // empty / non-numeric / negative / over 100k USD, rates are units per USD, unknown customers
    // are not in the CRM.
    const expected = await rows(`
      WITH lines AS (SELECT DISTINCT transaction_id, customer_id, order_ts, amount, currency
          FROM read_csv('${SAMPLE}/transactions/*.csv', header = true, all_varchar = true)),
        priced AS (
          SELECT CAST(transaction_id AS BIGINT) AS tid, CAST(customer_id AS BIGINT) AS cid, CAST(order_ts AS TIMESTAMP) AS ts,
            round(TRY_CAST(amount AS DOUBLE) / CASE currency WHEN 'USD' THEN 1 WHEN 'EUR' THEN 0.92 WHEN 'GBP' THEN 0.79
              WHEN 'CAD' THEN 1.36 WHEN 'AUD' THEN 1.52 WHEN 'JPY' THEN 151 END, 2) AS usd
          FROM lines WHERE TRY_CAST(amount AS DOUBLE) >= 0),
        good AS (SELECT * FROM priced WHERE usd <= 100000),
        crm_ids AS (SELECT DISTINCT CAST(json_extract_string(line, '$.customer_id') AS BIGINT) AS cid
          FROM read_csv('${SAMPLE}/crm/*.json', columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', escape = '', auto_detect = false)
          WHERE json_valid(line) AND json_type(line, '$.customer_id') IN ('BIGINT', 'UBIGINT')),
        per AS (SELECT cid, CAST(max(ts) AS DATE) AS last_day, count(*) AS frequency, sum(usd) AS monetary
          FROM good WHERE cid IN (SELECT cid FROM crm_ids) GROUP BY cid),
        measured AS (SELECT *, date_diff('day', last_day, (SELECT CAST(max(ts) AS DATE) FROM good)) AS recency FROM per)
      SELECT cid, recency, frequency, monetary,
        ntile(5) OVER (ORDER BY recency DESC, cid) AS r, ntile(5) OVER (ORDER BY frequency, cid) AS f, ntile(5) OVER (ORDER BY monetary, cid) AS m
      FROM measured ORDER BY cid`);
    const got = await rows(`SELECT * FROM ${q(rfm)} ORDER BY customer_id`);
    expect(got.length).toBe(expected.length);
    expect(got.length).toBeGreaterThan(700);
    for (let i = 0; i < got.length; i++) {
      const g = got[i]!;
      const e = expected[i]!;
      const id = `customer ${String(g["customer_id"])}`;
      expect(num(g["customer_id"]), id).toBe(num(e["cid"]));
      expect(num(g["recency_days"]), id).toBe(num(e["recency"]));
      expect(num(g["frequency"]), id).toBe(num(e["frequency"]));
      expect(num(g["monetary"]), id).toBeCloseTo(num(e["monetary"]), 2);
      expect([num(g["r_score"]), num(g["f_score"]), num(g["m_score"])], id).toEqual([num(e["r"]), num(e["f"]), num(e["m"])]);
      expect(g["rfm_segment"], id).toBe(A.rfmSegment(num(e["r"]), (num(e["f"]) + num(e["m"])) / 2));
    }
    // Recency: the most recent buyers score 5.
    const r = await one(`SELECT max(recency_days) FILTER (WHERE r_score = 5) AS r5, min(recency_days) FILTER (WHERE r_score = 1) AS r1 FROM ${q(rfm)}`);
    expect(num(r["r5"])).toBeLessThanOrEqual(num(r["r1"]));
  });
});

describe("customer_360, revenue and churn", () => {
  it("customer_360 has exactly one row per current customer, with consistent totals", async () => {
    const c360 = A.customer360(spark, { customers: current, transactions: clean, sessions, tickets, rfm });
    const r = await one(`SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, sum(order_count) AS orders, sum(lifetime_spend_usd) AS spend,
        count(*) FILTER (WHERE rfm_segment = 'No Orders') AS no_orders, sum(open_tickets) AS open_tickets,
        count(*) FILTER (WHERE last_activity_ts IS NULL AND (order_count > 0 OR session_count > 0)) AS bad_activity,
        count(*) FILTER (WHERE email <> lower(trim(email))) AS unnormalised
      FROM ${q(c360)}`);
    expect(num(r["n"])).toBe(facts("crm")["distinct_customers"]);
    expect(num(r["ids"])).toBe(num(r["n"]));
    const known = await one(`SELECT count(*) AS orders, sum(amount_usd) AS spend FROM ${q(clean)} WHERE is_known_customer`);
    expect(num(r["orders"])).toBe(num(known["orders"]));
    expect(num(r["spend"])).toBeCloseTo(num(known["spend"]), 2);
    expect(num(r["no_orders"])).toBe(num(r["n"]) - (await rfm.count()));
    expect(num(r["bad_activity"])).toBe(0);
    expect(num(r["unnormalised"])).toBe(0);
    expect(num(r["open_tickets"])).toBe(facts("support_tickets")["tickets_open_at_end"]);
    // The profile is the latest valid version.
    const latest = await one(`SELECT customer_id, lower(trim(email)) AS email FROM ${q(crm)} WHERE customer_id IS NOT NULL AND signup_date IS NOT NULL AND marketing_opt_in IS NOT NULL
      QUALIFY count(*) OVER (PARTITION BY customer_id) >= 3 AND row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1 ORDER BY customer_id LIMIT 1`);
    const row = await one(`SELECT email FROM ${q(c360)} WHERE customer_id = ${String(latest["customer_id"])}`);
    expect(row["email"]).toBe(latest["email"]);
  });

  it("revenue rollups add up to the clean revenue", async () => {
    const total = await one(`SELECT sum(amount_usd) AS s, count(*) AS n FROM ${q(clean)}`);
    const daily = await one(`SELECT sum(revenue_usd) AS s, sum(orders) AS n, count(DISTINCT order_date) AS days FROM ${q(A.revenueDaily(spark, { transactions: clean, rfm }))}`);
    const monthly = await rows(`SELECT month, sum(revenue_usd) AS s, sum(orders) AS n FROM ${q(A.revenueMonthly(spark, { transactions: clean, rfm }))} GROUP BY 1 ORDER BY 1`);
    expect(num(daily["s"])).toBeCloseTo(num(total["s"]), 2);
    expect(num(daily["n"])).toBe(num(total["n"]));
    expect(num(daily["days"])).toBeGreaterThan(360);
    expect(monthly.length).toBe(12);
    expect(monthly.reduce((a, m) => a + num(m["s"]), 0)).toBeCloseTo(num(total["s"]), 1);
    const unknown = await one(`SELECT sum(orders) AS n FROM ${q(A.revenueMonthly(spark, { transactions: clean, rfm }))} WHERE segment = 'Unknown Customer'`);
    expect(num(unknown["n"])).toBe(anomalies("transactions")["unknown_customer_id"]);
  });

  it("churn features use only data up to 90 days before the end; churned = no order after that", async () => {
    const churn = A.churnFeatures(spark, { customers: current, transactions: clean, sessions, ticketChanges });
    const r = await one(`SELECT count(*) AS n, count(DISTINCT customer_id) AS ids, any_value(feature_date) AS cutoff, any_value(label_end_date) AS end_date,
        count(*) FILTER (WHERE churned) AS churned, min(recency_days) AS min_recency,
        count(*) FILTER (WHERE sessions_30d > sessions_90d) AS bad_sessions,
        count(*) FILTER (WHERE negative_ticket_share < 0 OR negative_ticket_share > 1) AS bad_share
      FROM ${q(churn)}`);
    expect(num(r["ids"])).toBe(num(r["n"]));
    expect(String(r["end_date"])).toBe("2024-12-31");
    expect(String(r["cutoff"])).toBe("2024-10-02");
    expect(num(r["min_recency"])).toBeGreaterThanOrEqual(0);
    expect(num(r["bad_sessions"])).toBe(0);
    expect(num(r["bad_share"])).toBe(0);
    // Independent label: known customers with an order up to the cutoff and none after it.
    const expected = await one(`WITH o AS (SELECT customer_id, CAST(order_ts AS DATE) AS d FROM ${q(clean)} WHERE is_known_customer)
      SELECT count(*) FILTER (WHERE before) AS population,
        count(*) FILTER (WHERE before AND NOT after) AS churned FROM (
          SELECT customer_id, bool_or(d <= DATE '2024-10-02') AS before, bool_or(d > DATE '2024-10-02') AS after FROM o GROUP BY 1)`);
    expect(num(r["n"])).toBe(num(expected["population"]));
    expect(num(r["churned"])).toBe(num(expected["churned"]));
  });
});
