/**
 * Revenue rollups of clean orders (amounts in USD), by day or month, sales channel and customer
 * segment.
 *
 * segment = the customer's current RFM segment (rfm.ts) — revenue is attributed to the segment
 * the customer is in *now*, the usual "where does our revenue come from" view; orders of
 * customer_ids the CRM does not know have no segment and appear as 'Unknown Customer'.
 *
 * Columns: order_date (daily) or month (first day of the month, monthly), channel, segment,
 * orders, customers (distinct), units (sum of quantity), revenue_usd, avg_order_value_usd.
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { frame, relationSql, type Relation } from "./relation.js";

export interface RevenueInputs {
  /** Clean orders: transaction_id, customer_id, order_ts, channel, quantity, amount_usd. */
  transactions: Relation;
  /** RFM scores with customer_id and rfm_segment. */
  rfm: Relation;
}

function rollupSql(inputs: RevenueInputs, period: string, periodName: string): string {
  return `SELECT ${period} AS ${periodName}, t.channel,
      coalesce(r.rfm_segment, 'Unknown Customer') AS segment,
      count(DISTINCT t.transaction_id) AS orders,
      count(DISTINCT t.customer_id) AS customers,
      CAST(sum(t.quantity) AS BIGINT) AS units,
      CAST(sum(t.amount_usd) AS DECIMAL(18,2)) AS revenue_usd,
      CAST(round(sum(t.amount_usd) / count(DISTINCT t.transaction_id), 2) AS DECIMAL(18,2)) AS avg_order_value_usd
    FROM ${relationSql(inputs.transactions)} AS t
      LEFT JOIN (SELECT customer_id, rfm_segment FROM ${relationSql(inputs.rfm)}) AS r ON r.customer_id = CAST(t.customer_id AS BIGINT)
    GROUP BY ALL`;
}

/** Revenue per order date (UTC), channel and segment. */
export function revenueDailySql(inputs: RevenueInputs): string {
  return rollupSql(inputs, "CAST(CAST(t.order_ts AS TIMESTAMPTZ) AS DATE)", "order_date");
}

/** Revenue per month (the month's first day), channel and segment. */
export function revenueMonthlySql(inputs: RevenueInputs): string {
  return rollupSql(inputs, "CAST(date_trunc('month', CAST(CAST(t.order_ts AS TIMESTAMPTZ) AS DATE)) AS DATE)", "month");
}

export function revenueDaily(spark: QueryRunner, inputs: RevenueInputs): DataFrame {
  return frame(spark, revenueDailySql(inputs));
}
export function revenueMonthly(spark: QueryRunner, inputs: RevenueInputs): DataFrame {
  return frame(spark, revenueMonthlySql(inputs));
}
