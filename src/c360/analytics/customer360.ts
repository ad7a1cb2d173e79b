/**
 * The Customer 360 table: one row per current customer, with the profile and a summary of
 * everything the customer did — orders, web/app sessions, support tickets — and the RFM
 * segment.
 *
 * Inputs (relations; see relation.ts):
 *   customers     current profiles, one row per customer_id (customers.ts `currentCustomersSql`,
 *                 or the SCD2 dimension filtered on is_current)
 *   transactions  clean orders: customer_id, transaction_id, order_ts, amount_usd
 *   sessions      sessions: customer_id (NULL for anonymous), session_start, session_end, converted
 *   tickets       current tickets (one row per ticket, deletes applied): customer_id, status,
 *                 sentiment_score, change_ts
 *   rfm           RFM scores (rfm.ts): customer_id, recency_days, r_score, f_score, m_score, rfm_segment
 *
 * Columns: the profile (customer_id, first_name, last_name, email, phone, city, region, country,
 * date_of_birth, signup_date, loyalty_tier, marketing_opt_in, preferred_channel,
 * profile_updated_at), order_count, lifetime_spend_usd, avg_order_value_usd, first_order_ts,
 * last_order_ts, session_count, converted_sessions, last_session_ts, ticket_count, open_tickets
 * (status open or pending), avg_sentiment (mean sentiment_score of the customer's tickets' latest
 * messages), last_ticket_ts, last_activity_ts (latest of last order, session end and ticket
 * change), recency_days, r_score, f_score, m_score, rfm_segment ('No Orders' for customers
 * without a clean order). Counts and spend are 0, not NULL, for customers without activity.
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

export interface Customer360Inputs {
  customers: Relation;
  transactions: Relation;
  sessions: Relation;
  tickets: Relation;
  rfm: Relation;
}

export function customer360Sql(inputs: Customer360Inputs): string {
  return `WITH orders AS (
      SELECT CAST(customer_id AS BIGINT) AS customer_id, count(DISTINCT transaction_id) AS order_count,
        CAST(sum(amount_usd) AS DECIMAL(18,2)) AS lifetime_spend_usd,
        min(CAST(order_ts AS TIMESTAMPTZ)) AS first_order_ts, max(CAST(order_ts AS TIMESTAMPTZ)) AS last_order_ts
      FROM ${relationSql(inputs.transactions)} GROUP BY 1
    ),
    sess AS (
      SELECT CAST(customer_id AS BIGINT) AS customer_id, count(*) AS session_count,
        count(*) FILTER (WHERE converted) AS converted_sessions,
        max(CAST(session_end AS TIMESTAMPTZ)) AS last_session_ts
      FROM ${relationSql(inputs.sessions)} WHERE customer_id IS NOT NULL GROUP BY 1
    ),
    tk AS (
      SELECT CAST(customer_id AS BIGINT) AS customer_id, count(*) AS ticket_count,
        count(*) FILTER (WHERE status IN ('open', 'pending')) AS open_tickets,
        avg(sentiment_score) AS avg_sentiment,
        max(CAST(change_ts AS TIMESTAMPTZ)) AS last_ticket_ts
      FROM ${relationSql(inputs.tickets)} GROUP BY 1
    ),
    scores AS (
      SELECT customer_id, recency_days, r_score, f_score, m_score, rfm_segment FROM ${relationSql(inputs.rfm)}
    )
    SELECT c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.city, c.region, c.country,
      c.date_of_birth, c.signup_date, c.loyalty_tier, c.marketing_opt_in, c.preferred_channel,
      c.updated_at AS profile_updated_at,
      coalesce(o.order_count, 0) AS order_count,
      coalesce(o.lifetime_spend_usd, CAST(0 AS DECIMAL(18,2))) AS lifetime_spend_usd,
      CAST(round(o.lifetime_spend_usd / nullif(o.order_count, 0), 2) AS DECIMAL(18,2)) AS avg_order_value_usd,
      o.first_order_ts, o.last_order_ts,
      coalesce(s.session_count, 0) AS session_count,
      coalesce(s.converted_sessions, 0) AS converted_sessions,
      s.last_session_ts,
      coalesce(t.ticket_count, 0) AS ticket_count,
      coalesce(t.open_tickets, 0) AS open_tickets,
      t.avg_sentiment, t.last_ticket_ts,
      greatest(o.last_order_ts, s.last_session_ts, t.last_ticket_ts) AS last_activity_ts,
      r.recency_days, r.r_score, r.f_score, r.m_score,
      coalesce(r.rfm_segment, 'No Orders') AS rfm_segment
    FROM ${relationSql(inputs.customers)} AS c
      LEFT JOIN orders AS o ON o.customer_id = c.customer_id
      LEFT JOIN sess AS s ON s.customer_id = c.customer_id
      LEFT JOIN tk AS t ON t.customer_id = c.customer_id
      LEFT JOIN scores AS r ON r.customer_id = c.customer_id`;
}

export function customer360(spark: QueryRunner, inputs: Customer360Inputs): DataFrame {
  return frame(spark, customer360Sql(inputs));
}
