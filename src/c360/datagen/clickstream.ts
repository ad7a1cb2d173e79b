/**
 * Web and app clickstream: Parquet, one file per batch, rows in event_ts order. There is no
 * session column: sessions have to be derived (30 minutes of inactivity per device ends one).
 *
 * Events come from visits: a burst of 1–26 events a few seconds to a minute and a half apart.
 * Some visits pause 5–25 minutes (still one session) and some break for 31 minutes to 3 hours
 * and come back, with a fresh external referrer (two sessions). About half the visits are
 * logged in (customer_id set); some log in mid-visit (customer_id null before the `login` event);
 * the rest are anonymous, partly on devices that also appear logged in elsewhere (so identities
 * can be stitched by device_id). Buying visits end add_to_cart → checkout → purchase; a few buy
 * with "buy now" without an add_to_cart. Planted: duplicate events (at-least-once delivery) and
 * late events (events from the last two days of a window delivered with the next batch).
 */
import { join } from "node:path";
import { BROWSE_PAGES, LANDING_PAGES, REFERRERS, SEARCH_TERMS } from "./vocab.js";
import { sqlList, sqlStr, yearFractionSql, type Ctx, type FileReport, type SourceReport, PERIOD_END, SPAN_SECONDS, singleThreaded } from "./context.js";
import { batchFile, fileBytes } from "./files.js";

/** Mean events per visit of the n formula below (measured), used to size the visit count. */
const MEAN_EVENTS_PER_VISIT = 7.4;
const PRODUCTS = 4000;

export async function generateClickstream(ctx: Ctx): Promise<SourceReport> {
  const { db, sizes, batches } = ctx;
  const NV = Math.max(50, Math.round(sizes.clickEvents / MEAN_EVENTS_PER_VISIT));
  const baseTypes = sqlList([
    ...Array(40).fill("page_view"), ...Array(30).fill("product_view"), ...Array(12).fill("search"),
    ...Array(9).fill("add_to_cart"), ...Array(2).fill("remove_from_cart"),
  ]);

  await db.run(`CREATE TABLE visits AS
    WITH a AS (${yearFractionSql("v", NV, "visit_t")}),
    b AS (
      SELECT v, sec,
        (1 + floor(u(v, 'n1') * u(v, 'n2') * 24) + floor(u(v, 'n3') * 3))::INTEGER AS n,
        u(v, 'login') < 0.52 AS logged,
        u(v, 'known_dev') < 0.3 AS known_dev,
        cust_at(sec / ${SPAN_SECONDS}, u(v, 'visit_cust')) AS c
      FROM a)
    SELECT v, sec, batch_of(ts_at(sec)) AS vb, n, logged,
      CASE WHEN logged OR known_dev THEN c END AS cidx,
      CASE WHEN logged AND n >= 3 AND u(v, 'midlogin') < 0.15 THEN 1 + floor(u(v, 'login_j') * (n - 2))::INTEGER ELSE 0 END AS login_at,
      'd' || lower(lpad(to_hex(CASE WHEN logged OR known_dev
          THEN h3(c, floor(u(v, 'dev') * (1 + floor(u(c, 'ndev') * 3))), 'device')
          ELSE h(floor(u(v, 'anon_dev') * ${Math.round(NV * 0.7)}), 'anon_device') END), 16, '0')) AS device_id,
      n >= 4 AND u(v, 'buy') < CASE WHEN logged THEN 0.12 ELSE 0.04 END AS buyer,
      u(v, 'buy_now') < 0.05 AS buy_now,
      CASE WHEN n >= 3 AND u(v, 'pause') < 0.10 THEN 1 + floor(u(v, 'pause_j') * (n - 1))::INTEGER ELSE 999 END AS pause_at,
      300 + u(v, 'pause_s') * 1200 AS pause_s,
      CASE WHEN n >= 3 AND u(v, 'break') < 0.15 THEN 1 + floor(u(v, 'break_j') * (n - 1))::INTEGER ELSE 999 END AS break_at,
      1860 + u(v, 'break_s') * u(v, 'break_s2') * 9000 AS break_s
    FROM b`);

  // The events of one batch (a visit lasts a few hours at most, so it starts in this batch or
  // the one before).
  const eventsOfBatch = (b: number) => `
    WITH e AS (SELECT *, unnest(range(n)) AS j FROM visits WHERE vb IN (${b - 1}, ${b})),
    f AS (
      SELECT *,
        ts_at(sec + j * 40 + u3(v, j, 'gap') * 35
          + CASE WHEN j >= pause_at THEN pause_s ELSE 0 END
          + CASE WHEN j >= break_at THEN break_s ELSE 0 END) AS event_ts,
        CASE WHEN j = 0 THEN CASE WHEN u3(v, j, 'etype') < 0.25 THEN 'search' ELSE 'page_view' END
          ELSE pick(${baseTypes}, u3(v, j, 'etype')) END AS base_type
      FROM e),
    g AS (
      SELECT *,
        CASE WHEN buyer AND j = n - 1 THEN 'purchase'
          WHEN buyer AND j = n - 2 THEN 'checkout'
          WHEN buyer AND j = n - 3 AND NOT buy_now THEN 'add_to_cart'
          WHEN buyer AND j = n - 3 AND base_type IN ('add_to_cart', 'remove_from_cart') THEN 'product_view'
          WHEN login_at > 0 AND j = login_at THEN 'login'
          ELSE base_type END AS event_type,
        'P' || lpad((1 + floor(${PRODUCTS} * u3(v, CASE WHEN buyer AND j = n - 1 THEN n - 3 ELSE j END, 'product')
          * u3(v, CASE WHEN buyer AND j = n - 1 THEN n - 3 ELSE j END, 'product')))::BIGINT::VARCHAR, 5, '0') AS pid
      FROM f
      WHERE event_ts < TIMESTAMP '${PERIOD_END}' AND batch_of(event_ts) = ${b})
    SELECT v, j, v * 32 + j + 1000000001 AS event_id,
      CASE WHEN logged AND j >= login_at THEN cust_id(cidx) END AS customer_id,
      device_id, event_ts, event_type,
      CASE event_type
        WHEN 'page_view' THEN CASE WHEN j = 0 OR j = break_at THEN pick(${sqlList(LANDING_PAGES)}, u3(v, j, 'page'))
          ELSE pick(${sqlList(BROWSE_PAGES)}, u3(v, j, 'page')) END
        WHEN 'search' THEN '/search?q=' || pick(${sqlList(SEARCH_TERMS)}, u3(v, j, 'term'))
        WHEN 'product_view' THEN '/p/' || pid
        WHEN 'add_to_cart' THEN '/p/' || pid
        WHEN 'remove_from_cart' THEN '/cart'
        WHEN 'checkout' THEN '/checkout'
        WHEN 'purchase' THEN '/checkout/confirmation'
        WHEN 'login' THEN '/account/login'
      END AS page,
      CASE WHEN event_type IN ('product_view', 'add_to_cart', 'remove_from_cart', 'purchase') THEN pid END AS product_id,
      CASE WHEN (j = 0 OR j = break_at) AND u3(v, j, 'direct') >= 0.35 THEN pick(${sqlList(REFERRERS)}, u3(v, j, 'referrer')) END AS referrer,
      j = break_at AS after_break, j = pause_at AS after_pause
    FROM g`;

  // One batch at a time, so only one batch's events are in memory. Batch b's file holds its own
  // events except its late ones (held back to the next file), the late events of batch b - 1,
  // and a second copy of its duplicated events.
  const cols = "event_id, customer_id, device_id, event_ts, event_type, page, product_id, referrer";
  await db.run(`CREATE TABLE click_carry (event_id BIGINT, customer_id BIGINT, device_id VARCHAR, event_ts TIMESTAMP, event_type VARCHAR, page VARCHAR, product_id VARCHAR, referrer VARCHAR)`);
  await db.run(`CREATE TABLE click_carts (v BIGINT, j BIGINT)`);
  await db.run(`CREATE TABLE click_purchases (v BIGINT, j BIGINT)`);
  const files: FileReport[] = [];
  const tot = { events: 0, breaks: 0, pauses: 0, anon: 0, midLogin: 0, late: 0, dups: 0 };
  for (let b = 1; b <= batches; b++) {
    await db.run(`SET threads = ${ctx.threads}`);
    await db.run(`CREATE TABLE cb AS ${eventsOfBatch(b)}`);
    const n = Number((await db.query(`SELECT count(*) AS n FROM cb`)).rows[0]!["n"]);
    const late = b < batches ? Math.max(1, Math.round(n * 0.002)) : 0;
    const dups = Math.max(1, Math.round(n * 0.001));
    await db.run(`CREATE TABLE cb_late AS SELECT event_id FROM cb WHERE event_ts >= win_start(${b + 1}) - INTERVAL 2 DAY
      ORDER BY u(event_id, 'click_late'), event_id LIMIT ${late}`);
    await db.run(`CREATE TABLE cb_dup AS SELECT event_id FROM cb WHERE event_id NOT IN (SELECT event_id FROM cb_late)
      ORDER BY u(event_id, 'click_dup'), event_id LIMIT ${dups}`);
    await db.run(`INSERT INTO click_carts SELECT v, min(j) FROM cb WHERE event_type = 'add_to_cart' GROUP BY v`);
    await db.run(`INSERT INTO click_purchases SELECT v, j FROM cb WHERE event_type = 'purchase'`);
    const st = (await db.query(`SELECT count(*) FILTER (WHERE after_break) AS breaks, count(*) FILTER (WHERE after_pause) AS pauses,
        count(*) FILTER (WHERE customer_id IS NULL) AS anon, count(*) FILTER (WHERE event_type = 'login') AS logins,
        (SELECT count(*) FROM cb_late) AS late, (SELECT count(*) FROM cb_dup) AS dups FROM cb`)).rows[0]!;
    tot.events += n;
    tot.breaks += Number(st["breaks"]);
    tot.pauses += Number(st["pauses"]);
    tot.anon += Number(st["anon"]);
    tot.midLogin += Number(st["logins"]);
    tot.late += Number(st["late"]);
    tot.dups += Number(st["dups"]);

    await singleThreaded(db);
    const rel = batchFile("clickstream", "clickstream", b, "parquet");
    const path = join(ctx.out, rel);
    await db.run(`COPY (
      SELECT ${cols} FROM (
        SELECT ${cols}, 0 AS copy FROM cb WHERE event_id NOT IN (SELECT event_id FROM cb_late)
        UNION ALL SELECT ${cols}, 0 AS copy FROM click_carry
        UNION ALL SELECT ${cols}, 1 AS copy FROM cb WHERE event_id IN (SELECT event_id FROM cb_dup))
      ORDER BY event_ts, event_id, copy
    ) TO ${sqlStr(path)} (FORMAT parquet, COMPRESSION zstd)`);
    const carried = Number((await db.query(`SELECT count(*) AS n FROM click_carry`)).rows[0]!["n"]);
    files.push({ path: rel, batch: b, rows: n - late + carried + dups, bytes: fileBytes(path) });
    await db.run(`DELETE FROM click_carry`);
    await db.run(`INSERT INTO click_carry SELECT ${cols} FROM cb WHERE event_id IN (SELECT event_id FROM cb_late)`);
    await db.run(`DROP TABLE cb`);
    await db.run(`DROP TABLE cb_late`);
    await db.run(`DROP TABLE cb_dup`);
  }

  const st = (await db.query(`SELECT
      (SELECT count(*) FROM visits) AS visits,
      (SELECT count(*) FROM click_purchases) AS purchases,
      (SELECT count(*) FROM click_purchases p LEFT JOIN (SELECT v, min(j) AS mj FROM click_carts GROUP BY v) c USING (v)
        WHERE c.mj IS NULL OR c.mj > p.j) AS purchase_no_cart,
      (SELECT count(DISTINCT device_id) FROM visits) AS devices`)).rows[0]!;
  return {
    source: "clickstream",
    format: "parquet",
    files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    anomalies: {
      gaps_over_30_minutes: tot.breaks,
      pauses_5_to_25_minutes: tot.pauses,
      anonymous_events: tot.anon,
      visits_logging_in_midway: tot.midLogin,
      purchases_without_add_to_cart: Number(st["purchase_no_cart"]),
      duplicate_events: tot.dups,
      late_events: tot.late,
    },
    facts: {
      distinct_events: tot.events,
      visits: Number(st["visits"]),
      visits_with_a_break: tot.breaks,
      purchases: Number(st["purchases"]),
      devices: Number(st["devices"]),
    },
  };
}
