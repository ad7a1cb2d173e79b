/**
 * Churn features: one row per customer for a churn model, with the label.
 *
 * Label: **churned = no order in the last 90 days of data.** The data ends on its max order
 * date D (the latest order_date of a clean order); the label window is the 90 days
 * (D − 90, D]. A customer who places no order in that window has churned.
 *
 * Features are measured **as of the cutoff date D − 90**, using only what happened on or before
 * it. Measuring them over the whole data would leak the label (recency would simply restate
 * it); with the cutoff, the table is what a model trained today would have seen 90 days ago.
 * The population is every current customer with at least one order on or before the cutoff
 * (someone who never bought cannot churn).
 *
 * Columns:
 *   customer_id
 *   feature_date            the cutoff, D − 90
 *   label_end_date          D
 *   recency_days            days from the last order (≤ cutoff) to the cutoff
 *   frequency               orders up to the cutoff
 *   monetary                USD spent up to the cutoff
 *   avg_order_value_usd     monetary / frequency
 *   tenure_days             days from signup to the cutoff
 *   sessions_30d            sessions (identified to the customer) starting in the 30 days up to the cutoff
 *   sessions_90d            … in the 90 days up to the cutoff
 *   days_since_last_session days from the last session (≤ cutoff) to the cutoff, NULL when none
 *   tickets                 support tickets opened up to the cutoff (not deleted by then)
 *   negative_ticket_share   share of those tickets whose opening message scores negative, NULL when no tickets
 *   avg_sentiment           mean sentiment of all the customer's ticket messages up to the cutoff, NULL when none
 *   orders_in_label_window  orders in (cutoff, D]
 *   churned                 orders_in_label_window = 0
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

export const CHURN_HORIZON_DAYS = 90;

export interface ChurnInputs {
  /** Current profiles: customer_id, signup_date. */
  customers: Relation;
  /** Clean orders: customer_id, transaction_id, order_ts, amount_usd. */
  transactions: Relation;
  /** Sessions: customer_id, session_start. */
  sessions: Relation;
  /**
   * The ticket change feed (every change, not only the latest): ticket_id, customer_id,
   * operation, sequence_num, change_ts, sentiment_score.
   */
  ticketChanges: Relation;
}

export interface ChurnOptions {
  /** Length of the label window in days (default 90). */
  horizonDays?: number;
}

export function churnFeaturesSql(inputs: ChurnInputs, opts: ChurnOptions = {}): string {
  const h = opts.horizonDays ?? CHURN_HORIZON_DAYS;
  return `WITH tx AS (
      SELECT CAST(customer_id AS BIGINT) AS customer_id, transaction_id,
        CAST(CAST(order_ts AS TIMESTAMPTZ) AS DATE) AS order_date, amount_usd
      FROM ${relationSql(inputs.transactions)}
    ),
    bounds AS (
      SELECT max(order_date) AS label_end_date, CAST(max(order_date) - ${h} AS DATE) AS cutoff FROM tx
    ),
    history AS (
      SELECT tx.customer_id, max(order_date) AS last_order_date, count(DISTINCT transaction_id) AS frequency,
        CAST(sum(amount_usd) AS DECIMAL(18,2)) AS monetary
      FROM tx, bounds WHERE tx.order_date <= bounds.cutoff GROUP BY tx.customer_id
    ),
    future AS (
      SELECT tx.customer_id, count(DISTINCT transaction_id) AS orders_in_label_window
      FROM tx, bounds WHERE tx.order_date > bounds.cutoff AND tx.order_date <= bounds.label_end_date GROUP BY tx.customer_id
    ),
    sess AS (
      SELECT CAST(s.customer_id AS BIGINT) AS customer_id,
        count(*) FILTER (WHERE CAST(CAST(s.session_start AS TIMESTAMPTZ) AS DATE) > bounds.cutoff - 30) AS sessions_30d,
        count(*) FILTER (WHERE CAST(CAST(s.session_start AS TIMESTAMPTZ) AS DATE) > bounds.cutoff - 90) AS sessions_90d,
        max(CAST(CAST(s.session_start AS TIMESTAMPTZ) AS DATE)) AS last_session_date
      FROM ${relationSql(inputs.sessions)} AS s, bounds
      WHERE s.customer_id IS NOT NULL AND CAST(CAST(s.session_start AS TIMESTAMPTZ) AS DATE) <= bounds.cutoff
      GROUP BY 1
    ),
    changes AS (
      SELECT CAST(k.ticket_id AS BIGINT) AS ticket_id, CAST(k.customer_id AS BIGINT) AS customer_id, k.operation,
        CAST(k.sequence_num AS BIGINT) AS sequence_num, k.sentiment_score
      FROM ${relationSql(inputs.ticketChanges)} AS k, bounds
      WHERE CAST(CAST(k.change_ts AS TIMESTAMPTZ) AS DATE) <= bounds.cutoff
    ),
    ticket AS (
      SELECT ticket_id, any_value(customer_id) AS customer_id,
        arg_min(sentiment_score, sequence_num) FILTER (WHERE operation <> 'DELETE') AS opening_sentiment,
        bool_or(operation = 'DELETE') AS deleted
      FROM changes GROUP BY ticket_id
    ),
    tk AS (
      SELECT t.customer_id, count(*) AS tickets,
        count(*) FILTER (WHERE t.opening_sentiment < 0) / count(*) AS negative_ticket_share
      FROM ticket AS t WHERE NOT t.deleted GROUP BY t.customer_id
    ),
    sentiment AS (
      SELECT c.customer_id, avg(c.sentiment_score) AS avg_sentiment
      FROM changes AS c JOIN ticket AS t USING (ticket_id)
      WHERE NOT t.deleted AND c.operation <> 'DELETE' GROUP BY c.customer_id
    )
    SELECT c.customer_id, b.cutoff AS feature_date, b.label_end_date,
      date_diff('day', h.last_order_date, b.cutoff) AS recency_days,
      h.frequency, h.monetary,
      CAST(round(h.monetary / h.frequency, 2) AS DECIMAL(18,2)) AS avg_order_value_usd,
      date_diff('day', CAST(c.signup_date AS DATE), b.cutoff) AS tenure_days,
      coalesce(s.sessions_30d, 0) AS sessions_30d,
      coalesce(s.sessions_90d, 0) AS sessions_90d,
      date_diff('day', s.last_session_date, b.cutoff) AS days_since_last_session,
      coalesce(t.tickets, 0) AS tickets,
      CAST(t.negative_ticket_share AS DOUBLE) AS negative_ticket_share,
      m.avg_sentiment,
      coalesce(f.orders_in_label_window, 0) AS orders_in_label_window,
      coalesce(f.orders_in_label_window, 0) = 0 AS churned
    FROM ${relationSql(inputs.customers)} AS c
      JOIN history AS h ON h.customer_id = c.customer_id
      CROSS JOIN bounds AS b
      LEFT JOIN future AS f ON f.customer_id = c.customer_id
      LEFT JOIN sess AS s ON s.customer_id = c.customer_id
      LEFT JOIN tk AS t ON t.customer_id = c.customer_id
      LEFT JOIN sentiment AS m ON m.customer_id = c.customer_id`;
}

export function churnFeatures(spark: QueryRunner, inputs: ChurnInputs, opts?: ChurnOptions): DataFrame {
  return frame(spark, churnFeaturesSql(inputs, opts));
}
