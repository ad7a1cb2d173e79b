/**
 * RFM segmentation: Recency, Frequency, Monetary value per customer, scored in quintiles and
 * mapped to named segments.
 *
 * Measures, over clean orders (deduplicated, plausible amount, converted to USD):
 *   recency_days  days from the customer's last order date to the as-of date, which is the
 *                 data's max order date (the latest order_date in the input) unless given
 *   frequency     number of orders (distinct transaction_id)
 *   monetary      total spend in USD
 *
 * Scores, 1 (worst) … 5 (best), with NTILE(5), which cuts the customers into five groups of
 * equal size (the first groups one larger when the count does not divide by 5):
 *   r_score  NTILE(5) OVER (ORDER BY recency_days DESC, customer_id)  — the most recent fifth gets 5
 *   f_score  NTILE(5) OVER (ORDER BY frequency ASC, customer_id)      — the most frequent fifth gets 5
 *   m_score  NTILE(5) OVER (ORDER BY monetary ASC, customer_id)       — the biggest spenders get 5
 * Customers with equal values can land in neighbouring quintiles; customer_id breaks such ties
 * (the lower id gets the lower score) so the scores are deterministic.
 *
 * Segments, from the standard RFM map on R and FM = (f_score + m_score) / 2:
 *
 * | R \ FM | 1 – 1.5          | 2 – 2.5              | 3 – 3.5         | 4 – 5            |
 * |--------|------------------|----------------------|-----------------|------------------|
 * | 5      | New Customers    | Potential Loyalists  | Loyal Customers | Champions        |
 * | 4      | Promising        | Potential Loyalists  | Loyal Customers | Champions        |
 * | 3      | About to Sleep   | Need Attention       | Loyal Customers | Loyal Customers  |
 * | 2      | Hibernating      | About to Sleep       | At Risk         | At Risk          |
 * | 1      | Lost             | Hibernating          | At Risk         | Can't Lose Them  |
 *
 * Read it as: Champions bought recently, often and a lot; Loyal Customers buy often and spend
 * well; Potential Loyalists are recent with average frequency; New Customers bought very
 * recently but rarely; Promising are recent, rare buyers; Need Attention are middling on all
 * three; About to Sleep are drifting away with little history; At Risk used to buy often and
 * well but not lately; Can't Lose Them were the best customers long ago; Hibernating are old,
 * small, rare buyers; Lost have the lowest scores on everything.
 *
 * Only customers with at least one clean order are scored; with `customers`, only those in that
 * relation (orders of customer_ids unknown to the CRM are left out).
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

export const RFM_SEGMENTS = [
  "Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
  "About to Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost",
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** The segment of an (r, fm) pair, as in the table above (fm = (f + m) / 2). */
export function rfmSegment(r: number, fm: number): RfmSegment {
  const band = fm <= 1.5 ? 0 : fm <= 2.5 ? 1 : fm <= 3.5 ? 2 : 3;
  const grid: Record<number, RfmSegment[]> = {
    5: ["New Customers", "Potential Loyalists", "Loyal Customers", "Champions"],
    4: ["Promising", "Potential Loyalists", "Loyal Customers", "Champions"],
    3: ["About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"],
    2: ["Hibernating", "About to Sleep", "At Risk", "At Risk"],
    1: ["Lost", "Hibernating", "At Risk", "Can't Lose Them"],
  };
  const row = grid[r];
  if (!row) throw new RangeError(`r must be 1..5, got ${r}`);
  return row[band]!;
}

/** The segment as SQL over integer score columns `r` and `f`, `m`. */
export function rfmSegmentSql(r = "r_score", f = "f_score", m = "m_score"): string {
  const fm = `((${f} + ${m}) / 2.0)`;
  return `CASE
      WHEN ${r} >= 4 AND ${fm} >= 4 THEN 'Champions'
      WHEN ${r} >= 3 AND ${fm} >= 3 THEN 'Loyal Customers'
      WHEN ${r} >= 4 AND ${fm} >= 2 THEN 'Potential Loyalists'
      WHEN ${r} = 5 THEN 'New Customers'
      WHEN ${r} = 4 THEN 'Promising'
      WHEN ${r} = 3 AND ${fm} >= 2 THEN 'Need Attention'
      WHEN ${r} = 3 THEN 'About to Sleep'
      WHEN ${r} = 2 AND ${fm} >= 3 THEN 'At Risk'
      WHEN ${r} = 2 AND ${fm} >= 2 THEN 'About to Sleep'
      WHEN ${r} = 2 THEN 'Hibernating'
      WHEN ${fm} >= 4 THEN 'Can''t Lose Them'
      WHEN ${fm} >= 3 THEN 'At Risk'
      WHEN ${fm} >= 2 THEN 'Hibernating'
      ELSE 'Lost'
    END`;
}

export interface RfmOptions {
  /** Restrict to these customers (a relation with customer_id). */
  customers?: Relation;
  /** The as-of date as a SQL expression (default: the latest order date in the input). */
  asOf?: string;
}

/**
 * One row per scored customer: customer_id, as_of_date, first_order_ts, last_order_ts,
 * recency_days, frequency, monetary, r_score, f_score, m_score, fm_score, rfm_code ('545'),
 * rfm_segment. The input needs customer_id, transaction_id, order_ts and amount_usd of clean
 * orders (see transactions.ts).
 */
export function rfmSql(transactions: Relation, opts: RfmOptions = {}): string {
  const tx = relationSql(transactions);
  const asOf = opts.asOf ? `CAST(${opts.asOf} AS DATE)` : `(SELECT CAST(max(CAST(order_ts AS TIMESTAMPTZ)) AS DATE) FROM ${tx})`;
  const only = opts.customers ? ` WHERE customer_id IN (SELECT customer_id FROM ${relationSql(opts.customers)})` : "";
  return `WITH per_customer AS (
      SELECT CAST(customer_id AS BIGINT) AS customer_id,
        min(CAST(order_ts AS TIMESTAMPTZ)) AS first_order_ts,
        max(CAST(order_ts AS TIMESTAMPTZ)) AS last_order_ts,
        count(DISTINCT transaction_id) AS frequency,
        CAST(sum(amount_usd) AS DECIMAL(18,2)) AS monetary
      FROM ${tx}${only}
      GROUP BY CAST(customer_id AS BIGINT)
    ),
    measured AS (
      SELECT *, ${asOf} AS as_of_date,
        date_diff('day', CAST(last_order_ts AS DATE), ${asOf}) AS recency_days
      FROM per_customer WHERE customer_id IS NOT NULL
    ),
    scored AS (
      SELECT *,
        CAST(ntile(5) OVER (ORDER BY recency_days DESC, customer_id) AS INTEGER) AS r_score,
        CAST(ntile(5) OVER (ORDER BY frequency ASC, customer_id) AS INTEGER) AS f_score,
        CAST(ntile(5) OVER (ORDER BY monetary ASC, customer_id) AS INTEGER) AS m_score
      FROM measured
    )
    SELECT customer_id, as_of_date, first_order_ts, last_order_ts, recency_days, frequency, monetary,
      r_score, f_score, m_score, (f_score + m_score) / 2.0 AS fm_score,
      CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_code,
      ${rfmSegmentSql()} AS rfm_segment
    FROM scored`;
}

export function rfm(spark: QueryRunner, transactions: Relation, opts?: RfmOptions): DataFrame {
  return frame(spark, rfmSql(transactions, opts));
}
