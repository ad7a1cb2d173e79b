/**
 * Point-of-sale and online transactions: CSV with a header, one file per batch, rows in order_ts
 * order. Volume follows retail seasonality (November and December peak, evenings and weekends
 * busier); loyal, older customers buy more often. Amounts are in the customer's local currency
 * (a few foreign-currency purchases too). Planted: exact duplicate rows (in the same file, and
 * re-sent in the next file), late-arriving rows (ordered in the last days of a window, delivered
 * in the next batch), bad amounts (negative, empty, "N/A", absurdly large), unknown customers.
 */
import { join } from "node:path";
import { CATEGORIES, COUNTRIES, PAYMENT_ONLINE, PAYMENT_STORE } from "./vocab.js";
import { sqlList, sqlStr, weightedIndexList, yearFractionSql, type Ctx, type FileReport, type SourceReport, SPAN_SECONDS, singleThreaded } from "./context.js";
import { batchFile, fileBytes } from "./files.js";

export const TX_BAD_KINDS = ["negative_amount", "empty_amount", "na_amount", "huge_amount", "unknown_customer_id", "duplicate_same_batch", "duplicate_next_batch"] as const;

export async function generateTransactions(ctx: Ctx): Promise<SourceReport> {
  const { db, sizes, batches } = ctx;
  const NT = sizes.transactions;
  const channels = sqlList([...Array(45).fill("web"), ...Array(35).fill("store"), ...Array(20).fill("app")]);

  await db.run(`CREATE TABLE tx AS
    WITH a AS (${yearFractionSql("n", NT, "tx_t")}),
    b AS (SELECT n, sec, ts_at(sec) AS ts, cust_at(sec / ${SPAN_SECONDS}, u(n, 'tx_cust')) AS cidx,
            pick(${channels}, u(n, 'channel')) AS channel0,
            pick(${weightedIndexList(CATEGORIES.map((c) => c.weight))}, u(n, 'cat')) AS cat,
            pick([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 4], u(n, 'qty')) AS qty,
            u(n, 'fx_usd') < 0.03 AS foreign_usd
          FROM a),
    c AS (SELECT b.*, cty(cidx) AS ci,
            -- Stores trade 9:00-21:00 local time; other hours' orders are online.
            CASE WHEN channel0 = 'store' AND (hour(ts) + 24 + ${sqlList(COUNTRIES.map((x) => x.utcOffset))}[cty(cidx) + 1]) % 24 NOT BETWEEN 9 AND 20
              THEN CASE WHEN u(n, 'channel2') < 0.6 THEN 'web' ELSE 'app' END ELSE channel0 END AS channel,
            ${sqlList(CATEGORIES.map((c) => c.price))}[cat + 1] * (0.3 + 2.2 * u(n, 'p1') * u(n, 'p2') + 0.5 * u(n, 'p3')) AS unit_usd,
            CASE WHEN u(n, 'disc') < 0.15 THEN 0.8 + 0.1 * floor(u(n, 'disc2') * 2) ELSE 1 END AS disc
          FROM b),
    d AS (SELECT c.*,
            CASE WHEN foreign_usd THEN 'USD' ELSE ${sqlList(COUNTRIES.map((x) => x.currency))}[ci + 1] END AS currency,
            CASE WHEN foreign_usd THEN 1 ELSE ${sqlList(COUNTRIES.map((x) => x.fx))}[ci + 1] END AS fx
          FROM c)
    SELECT n, 100000001 + n AS transaction_id, cidx, cust_id(cidx) AS customer_id, ts AS order_ts, batch_of(ts) AS batch,
      currency, channel,
      CASE WHEN channel = 'store' THEN 'ST-' || ${sqlList(COUNTRIES.map((x) => x.code))}[ci + 1] || '-'
        || lpad((1 + floor(u(n, 'store') * ${sqlList(COUNTRIES.map((x) => x.stores))}[ci + 1]))::BIGINT::VARCHAR, 3, '0') END AS store_id,
      ${sqlList(CATEGORIES.map((c) => c.name))}[cat + 1] AS product_category,
      qty AS quantity,
      CASE WHEN channel = 'store' THEN pick(${sqlList(PAYMENT_STORE)}, u(n, 'pay')) ELSE pick(${sqlList(PAYMENT_ONLINE)}, u(n, 'pay')) END AS payment_method,
      CASE WHEN currency = 'JPY' THEN (floor(unit_usd * fx / 100) * 100 + 80) * qty * disc
        ELSE (floor(unit_usd * fx) + 0.99) * qty * disc END AS amount_num
    FROM d`);

  // Anomalies, each on its own rows: the rows with the lowest hash('tx_anomaly') take them, in
  // the order of TX_BAD_KINDS, so every kind is present even at a tiny scale.
  const counts: Record<(typeof TX_BAD_KINDS)[number], number> = {
    negative_amount: Math.max(2, Math.round(NT * 0.0008)),
    empty_amount: Math.max(2, Math.round(NT * 0.0008)),
    na_amount: Math.max(2, Math.round(NT * 0.0004)),
    huge_amount: Math.max(2, Math.round(NT * 0.0002)),
    unknown_customer_id: Math.max(3, Math.round(NT * 0.0005)),
    duplicate_same_batch: Math.max(5, Math.round(NT * 0.003)),
    duplicate_next_batch: batches > 1 ? Math.max(2, Math.round(NT * 0.0005)) : 0,
  };
  const arms: string[] = [];
  let upto = 0;
  for (const k of TX_BAD_KINDS) {
    if (k === "duplicate_next_batch") continue;
    upto += counts[k];
    arms.push(`WHEN r <= ${upto} THEN ${sqlStr(k)}`);
  }
  await db.run(`CREATE TABLE tx_anom AS
    SELECT n, CASE ${arms.join(" ")} END AS kind FROM (
      SELECT n, row_number() OVER (ORDER BY h, n) AS r FROM (
        SELECT n, u(n, 'tx_anomaly') AS h FROM tx ORDER BY h, n LIMIT ${upto}))`);
  // Re-sent rows (the tail of a file delivered again with the next batch) come from the last
  // ten days of a window that is not the last.
  await db.run(`INSERT INTO tx_anom
    SELECT n, 'duplicate_next_batch' FROM tx
    WHERE batch < ${batches} AND order_ts >= win_start(batch + 1) - INTERVAL 10 DAY AND n NOT IN (SELECT n FROM tx_anom)
    ORDER BY u(n, 'tx_resend'), n LIMIT ${counts.duplicate_next_batch}`);

  // Late arrivals: rows from the last 5 days of a window (not the last one) delivered with the
  // next batch.
  const late = batches > 1 ? Math.max(3, Math.round(NT * 0.004)) : 0;
  await db.run(`CREATE TABLE tx_late AS
    SELECT n FROM tx
    WHERE batch < ${batches} AND order_ts >= win_start(batch + 1) - INTERVAL 5 DAY AND n NOT IN (SELECT n FROM tx_anom)
    ORDER BY u(n, 'tx_late'), n LIMIT ${late}`);

  await db.run(`CREATE TABLE tx_rows AS
    SELECT t.n, t.transaction_id,
      CASE WHEN a.kind = 'unknown_customer_id' THEN 90000001 + floor(u(t.n, 'unk') * 900000)::BIGINT ELSE t.customer_id END AS customer_id,
      t.order_ts, t.batch,
      CASE WHEN l.n IS NOT NULL THEN t.batch + 1 ELSE t.batch END AS file_batch,
      CASE a.kind
        WHEN 'negative_amount' THEN '-' || t.amount_str
        WHEN 'empty_amount' THEN NULL
        WHEN 'na_amount' THEN 'N/A'
        WHEN 'huge_amount' THEN pick(['9999999.99', '99999999.00', '123456789.12'], u(t.n, 'huge'))
        ELSE t.amount_str
      END AS amount,
      t.currency, t.channel, t.store_id, t.product_category, t.quantity, t.payment_method,
      a.kind, l.n IS NOT NULL AS late
    FROM (SELECT *, CASE WHEN currency = 'JPY' THEN CAST(amount_num AS DECIMAL(14, 0))::VARCHAR
            ELSE CAST(amount_num AS DECIMAL(14, 2))::VARCHAR END AS amount_str FROM tx) t
      LEFT JOIN tx_anom a ON a.n = t.n LEFT JOIN tx_late l ON l.n = t.n`);

  const st0 = (await db.query(`SELECT count(DISTINCT currency) AS currencies, count(*) FILTER (WHERE currency <> 'USD') AS non_usd,
      count(DISTINCT customer_id) AS buyers FROM tx`)).rows[0]!;
  await db.run("DROP TABLE tx");

  // The original rows, one extra copy of every duplicated row (two for a tenth of them).
  await db.run(`CREATE TABLE tx_out AS
    SELECT *, 0 AS copy FROM tx_rows
    UNION ALL SELECT * REPLACE (CASE WHEN kind = 'duplicate_next_batch' THEN batch + 1 ELSE file_batch END AS file_batch), 1 AS copy
      FROM tx_rows WHERE kind IN ('duplicate_same_batch', 'duplicate_next_batch')
    UNION ALL SELECT *, 2 AS copy FROM tx_rows WHERE kind = 'duplicate_same_batch' AND u(n, 'dup3') < 0.1
    ORDER BY file_batch, order_ts, transaction_id, copy`);
  await db.run("DROP TABLE tx_rows");

  await singleThreaded(db);
  const files: FileReport[] = [];
  for (let b = 1; b <= batches; b++) {
    const rel = batchFile("transactions", "transactions", b, "csv");
    const path = join(ctx.out, rel);
    await db.run(`COPY (
      SELECT transaction_id, customer_id, strftime(order_ts, '%Y-%m-%d %H:%M:%S') AS order_ts, amount, currency, channel,
        store_id, product_category, quantity, payment_method
      FROM tx_out WHERE file_batch = ${b} ORDER BY order_ts, transaction_id, copy
    ) TO ${sqlStr(path)} (FORMAT csv, HEADER true)`);
    const rows = Number((await db.query(`SELECT count(*) AS n FROM tx_out WHERE file_batch = ${b}`)).rows[0]!["n"]);
    files.push({ path: rel, batch: b, rows, bytes: fileBytes(path) });
  }

  const st = (await db.query(`SELECT
      (SELECT count(*) FROM tx_out WHERE copy > 0 AND kind = 'duplicate_same_batch') AS dup_same,
      (SELECT count(*) FROM tx_out WHERE copy > 0 AND kind = 'duplicate_next_batch') AS dup_next,
      (SELECT count(*) FROM tx_late) AS late`)).rows[0]!;
  const byKind = await db.query(`SELECT kind, count(*) AS n FROM tx_anom GROUP BY kind`);
  const k = Object.fromEntries(byKind.rows.map((r) => [String(r["kind"]), Number(r["n"])]));
  return {
    source: "transactions",
    format: "csv",
    files,
    rows: files.reduce((s, f) => s + f.rows, 0),
    anomalies: {
      duplicate_rows_same_batch: Number(st["dup_same"]),
      duplicate_rows_next_batch: Number(st["dup_next"]),
      late_arriving_rows: Number(st["late"]),
      negative_amount: k["negative_amount"] ?? 0,
      empty_amount: k["empty_amount"] ?? 0,
      na_amount: k["na_amount"] ?? 0,
      huge_amount: k["huge_amount"] ?? 0,
      unknown_customer_id: k["unknown_customer_id"] ?? 0,
      non_usd_currency_rows: Number(st0["non_usd"]),
    },
    facts: { distinct_transactions: NT, currencies: Number(st0["currencies"]), distinct_buyers: Number(st0["buyers"]) },
  };
}
