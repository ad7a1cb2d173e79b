/**
 * Transaction cleaning: from raw order lines (every column as delivered, `amount` as text) to
 * one row per order with a numeric amount in its currency and in US dollars.
 *
 * Steps, in this order:
 *
 *   1. Deduplicate. The feed delivers exact copies of rows (in the same file) and re-sends rows
 *      in the next file; a transaction_id is one order, so one row per transaction_id is kept:
 *      the **latest arrival** (greatest `arrivalOrder` key, e.g. `_ingested_at`, `_source_file`),
 *      which is also the one a correction would come with. Exact copies are interchangeable;
 *      the remaining ties are broken by the row's other columns so the result is deterministic.
 *      `copies` says how many rows the feed delivered for the order.
 *   2. Parse the amount: `TRY_CAST(trim(amount) AS DECIMAL(18,2))`.
 *   3. Convert to USD with the static FX table (fx.ts).
 *   4. Classify the amount (`amount_issue`, NULL when the amount is good):
 *        missing      empty / NULL
 *        non_numeric  does not parse as a number (`N/A`, `abc`)
 *        negative     below zero
 *        too_large    above `maxAmountUsd` (default 100,000) in USD — absurd for a retail
 *                     order; compared in USD because a legitimate order can be ¥260,000.
 *                     Amounts in an unknown currency are compared as given.
 *   5. Flag the currency (`currency_known`).
 *
 * `normalisedTransactionsSql` keeps every deduplicated row with its flags (the pipeline's
 * silver table drops the bad ones with expectations, so the counts show in the event log);
 * `cleanTransactionsSql` keeps only good rows; `rejectedTransactionsSql` only the bad ones.
 */
import type { DataFrame, QueryRunner } from "../../lakehouse/sql/dataframe/index.js";
import { knownCurrencySql, toUsdSql, currencyCodeSql, unitsPerUsdSql } from "./fx.js";
import { frame, relationSql, type Relation } from "./relation.js";

/** The amount above which (in USD) an order is considered absurd. */
export const MAX_AMOUNT_USD = 100_000;

export interface TransactionCleaningOptions {
  /**
   * SQL expressions giving the arrival order of the raw rows, most significant first; the
   * greatest wins among rows of one transaction_id. Default `["_ingested_at", "_source_file"]`
   * (the bronze table's ingestion metadata). For raw files read with `filename = true`, pass
   * `["filename"]` (batch files sort in arrival order).
   */
  arrivalOrder?: readonly string[];
  /** Upper bound of a plausible order in USD (default 100,000). */
  maxAmountUsd?: number;
  /** Columns of the raw rows to carry to the output unchanged (e.g. `_source_file`). */
  passThrough?: readonly string[];
  /**
   * Current customer profiles (one row per customer_id, with `country` and `loyalty_tier`):
   * when given, they are LEFT JOINed and `is_known_customer` says whether the order's customer
   * exists in the CRM.
   */
  customers?: Relation;
}

/** The raw amount's problem, or NULL when it is a plausible number. */
export function amountIssueSql(amountText: string, currency: string, maxAmountUsd = MAX_AMOUNT_USD): string {
  const num = `TRY_CAST(trim(${amountText}) AS DECIMAL(18,2))`;
  const usd = `coalesce(CAST(${num} AS DOUBLE) / (${unitsPerUsdSql(currency)}), CAST(${num} AS DOUBLE))`;
  return `CASE
      WHEN ${amountText} IS NULL OR trim(CAST(${amountText} AS VARCHAR)) = '' THEN 'missing'
      WHEN ${num} IS NULL THEN 'non_numeric'
      WHEN ${num} < 0 THEN 'negative'
      WHEN ${usd} > ${maxAmountUsd} THEN 'too_large'
    END`;
}

const TX_COLUMNS = ["transaction_id", "customer_id", "order_ts", "amount", "currency", "channel", "store_id", "product_category", "quantity", "payment_method"];

/**
 * Deduplicated raw rows (step 1): the input's columns plus `copies`.
 * @example dedupeTransactionsSql("c360.bronze.transactions")
 */
export function dedupeTransactionsSql(raw: Relation, opts: Pick<TransactionCleaningOptions, "arrivalOrder"> = {}): string {
  const arrival = opts.arrivalOrder ?? ["_ingested_at", "_source_file"];
  const order = [...arrival.map((a) => `${a} DESC NULLS LAST`), ...TX_COLUMNS.map((c) => `CAST(${c} AS VARCHAR) DESC NULLS LAST`)].join(", ");
  return `SELECT * EXCLUDE (__rn) FROM (
    SELECT r.*, count(*) OVER (PARTITION BY transaction_id) AS copies,
      row_number() OVER (PARTITION BY transaction_id ORDER BY ${order}) AS __rn
    FROM ${relationSql(raw)} AS r
    WHERE transaction_id IS NOT NULL
  ) WHERE __rn = 1`;
}

/**
 * Steps 1–5: one row per transaction_id with `amount` (DECIMAL), `amount_usd`, `amount_issue`,
 * `currency_known` (and the customer columns when `customers` is given), bad rows included.
 *
 * Columns: transaction_id, customer_id, order_ts (TIMESTAMP, UTC), order_date, amount_raw,
 * amount, currency, fx_units_per_usd, amount_usd, amount_issue, currency_known, channel,
 * store_id, product_category, quantity, payment_method, copies[, is_known_customer,
 * customer_country, loyalty_tier][, pass-through columns].
 */
export function normalisedTransactionsSql(raw: Relation, opts: TransactionCleaningOptions = {}): string {
  const max = opts.maxAmountUsd ?? MAX_AMOUNT_USD;
  const pass = (opts.passThrough ?? []).map((c) => `, d.${c}`).join("");
  const num = "TRY_CAST(trim(CAST(d.amount AS VARCHAR)) AS DECIMAL(18,2))";
  const customerCols = opts.customers
    ? `, c.customer_id IS NOT NULL AS is_known_customer, c.country AS customer_country, c.loyalty_tier`
    : "";
  const customerJoin = opts.customers
    ? ` LEFT JOIN (SELECT customer_id, country, loyalty_tier FROM ${relationSql(opts.customers)}) AS c ON c.customer_id = CAST(d.customer_id AS BIGINT)`
    : "";
  return `SELECT
      CAST(d.transaction_id AS BIGINT) AS transaction_id,
      CAST(d.customer_id AS BIGINT) AS customer_id,
      CAST(d.order_ts AS TIMESTAMPTZ) AS order_ts,
      CAST(CAST(d.order_ts AS TIMESTAMPTZ) AS DATE) AS order_date,
      CAST(d.amount AS VARCHAR) AS amount_raw,
      CASE WHEN ${num} >= 0 THEN ${num} END AS amount,
      ${currencyCodeSql("d.currency")} AS currency,
      CAST(${unitsPerUsdSql("d.currency")} AS DOUBLE) AS fx_units_per_usd,
      CASE WHEN ${num} >= 0 THEN ${toUsdSql(num, "d.currency")} END AS amount_usd,
      ${amountIssueSql("CAST(d.amount AS VARCHAR)", "d.currency", max)} AS amount_issue,
      ${knownCurrencySql("d.currency")} AS currency_known,
      lower(trim(d.channel)) AS channel,
      nullif(trim(d.store_id), '') AS store_id,
      lower(trim(d.product_category)) AS product_category,
      CAST(d.quantity AS INTEGER) AS quantity,
      lower(trim(d.payment_method)) AS payment_method,
      d.copies${customerCols}${pass}
    FROM (${dedupeTransactionsSql(raw, opts)}) AS d${customerJoin}`;
}

/** Only good rows: plausible amount and known currency (and, with `customers`, nothing else is filtered). */
export function cleanTransactionsSql(raw: Relation, opts: TransactionCleaningOptions = {}): string {
  return `SELECT * EXCLUDE (amount_issue, currency_known) FROM (${normalisedTransactionsSql(raw, opts)}) WHERE amount_issue IS NULL AND currency_known`;
}

/** Only rejected rows, with the reason (`amount_issue`, or `unknown_currency`). */
export function rejectedTransactionsSql(raw: Relation, opts: TransactionCleaningOptions = {}): string {
  return `SELECT *, coalesce(amount_issue, 'unknown_currency') AS reject_reason FROM (${normalisedTransactionsSql(raw, opts)}) WHERE amount_issue IS NOT NULL OR NOT currency_known`;
}

export function normalisedTransactions(spark: QueryRunner, raw: Relation, opts?: TransactionCleaningOptions): DataFrame {
  return frame(spark, normalisedTransactionsSql(raw, opts));
}
export function cleanTransactions(spark: QueryRunner, raw: Relation, opts?: TransactionCleaningOptions): DataFrame {
  return frame(spark, cleanTransactionsSql(raw, opts));
}
export function rejectedTransactions(spark: QueryRunner, raw: Relation, opts?: TransactionCleaningOptions): DataFrame {
  return frame(spark, rejectedTransactionsSql(raw, opts));
}
