/**
 * The Customer 360 medallion pipeline, declared with the lakehouse's pipeline framework
 * (Databricks Lakeflow Declarative Pipelines, formerly DLT):
 *
 *   bronze  (streaming tables, Auto Loader, one per source; raw rows + _rescued_data,
 *            _source_file, _ingested_at; WARN when a row needed rescuing)
 *     c360.bronze.crm_customers        CRM profile lines (JSON)
 *     c360.bronze.transactions         order lines (CSV, amount as text)
 *     c360.bronze.clickstream          web/app events (Parquet)
 *     c360.bronze.support_tickets      ticket change feed (CDC JSON)
 *
 *   silver
 *     c360.silver.crm_customers_clean  streaming: valid, normalised CRM lines (CRM_QUALITY_RULES, DROP)
 *     c360.silver.crm_quarantine       streaming: the CRM lines that failed, with failed_rules
 *     c360.silver.customers_scd2       AUTO CDC SCD2 of the clean lines, keyed by customer_id,
 *                                      sequenced by updated_at (__START_AT / __END_AT)
 *     c360.silver.customers            materialized view: the SCD2 dimension with valid_from,
 *                                      valid_to, is_current
 *     c360.silver.transactions         materialized view: deduplicated, amount parsed,
 *                                      USD-normalised, customer joined; expectations
 *                                      valid_amount (DROP), known_currency (DROP), known_customer (WARN)
 *     c360.silver.sessions             materialized view: 30-minute sessions of the clickstream
 *     c360.silver.support_ticket_changes  streaming: the clean change feed with sentiment
 *     c360.silver.support_tickets      AUTO CDC SCD1 of the change feed by ticket_id, sequenced
 *                                      by sequence_num, APPLY AS DELETE WHEN operation = 'DELETE'
 *
 *   gold (materialized views)
 *     c360.gold.customer_rfm           RFM scores and segment per customer
 *     c360.gold.customer_360           one row per current customer
 *     c360.gold.revenue_daily          revenue by day, channel, segment
 *     c360.gold.revenue_monthly        revenue by month, channel, segment
 *     c360.gold.churn_features         churn features and label per customer
 *
 *   event log  c360.ops.pipeline_event_log (expectation counts: `qualitySummary`)
 *
 * Every transformation is an analytics builder (../analytics), so what the pipeline computes
 * can be tested without it. Flows read their inputs with `ctx.read` / `ctx.readStream`, which
 * is how the framework learns the dependency graph.
 */
import { join, resolve } from "node:path";
import { current_timestamp, expr, type DataFrame } from "../../lakehouse/sql/dataframe/index.js";
import {
  expect, expectAllOrDrop, expectOrDrop, Pipeline, type FlowContext,
} from "../../lakehouse/pipelines/index.js";
import {
  churnFeaturesSql, CRM_QUALITY_RULES, crmFailedRulesSql, crmRulesConditionSql, customer360Sql, frame, normalisedTransactionsSql,
  profileSelectList, relationSql, revenueDailySql, revenueMonthlySql, rfmSql, sentimentColumns, sentimentLabelSql, sessionsSql,
} from "../analytics/index.js";
import { autoLoaderStream, SOURCE_LAYOUT, SOURCE_SCHEMAS, type SourceName } from "./ingest.js";

export const PIPELINE_NAME = "customer_360";

export interface Customer360PipelineOptions {
  /** Directory with the four source folders (crm/, transactions/, clickstream/, support_tickets/). */
  sourceDir: string;
  /** Catalog of every table (default and only supported value: "c360"). */
  catalog?: "c360";
  /** Where the pipeline keeps checkpoints (passed to the framework; its default otherwise). */
  storage?: string;
  /** Event log table (default `<catalog>.ops.pipeline_event_log`). */
  eventLog?: string;
}

/** Fully qualified names of every table the pipeline maintains. */
export function customer360Tables(catalog = "c360") {
  const n = (schema: string, table: string) => `${catalog}.${schema}.${table}`;
  return {
    bronze: {
      crm_customers: n("bronze", "crm_customers"),
      transactions: n("bronze", "transactions"),
      clickstream: n("bronze", "clickstream"),
      support_tickets: n("bronze", "support_tickets"),
    },
    silver: {
      crm_customers_clean: n("silver", "crm_customers_clean"),
      crm_quarantine: n("silver", "crm_quarantine"),
      customers_scd2: n("silver", "customers_scd2"),
      customers: n("silver", "customers"),
      transactions: n("silver", "transactions"),
      sessions: n("silver", "sessions"),
      support_ticket_changes: n("silver", "support_ticket_changes"),
      support_tickets: n("silver", "support_tickets"),
    },
    gold: {
      customer_rfm: n("gold", "customer_rfm"),
      customer_360: n("gold", "customer_360"),
      revenue_daily: n("gold", "revenue_daily"),
      revenue_monthly: n("gold", "revenue_monthly"),
      churn_features: n("gold", "churn_features"),
    },
    eventLog: n("ops", "pipeline_event_log"),
  } as const;
}

export type Customer360Tables = ReturnType<typeof customer360Tables>;

/** Every table in build order (bronze, silver, gold). */
export function customer360TableList(catalog = "c360"): string[] {
  const t = customer360Tables(catalog);
  return [...Object.values(t.bronze), ...Object.values(t.silver), ...Object.values(t.gold)];
}

/** Metadata columns of bronze rows that are not part of the business record. */
const INGEST_COLUMNS = ["_rescued_data", "_source_file", "_ingested_at"];

/** Expectations on the transactions silver table. */
export const TRANSACTION_EXPECTATIONS = Object.freeze({
  /** amount present, numeric, not negative, at most 100,000 USD (see analytics/transactions.ts). */
  valid_amount: "amount_issue IS NULL",
  known_currency: "currency_known",
  known_customer: "is_known_customer",
});

/** Expectations on the clean ticket change feed. */
export const TICKET_CHANGE_EXPECTATIONS = Object.freeze({
  valid_ticket_id: "ticket_id IS NOT NULL",
  valid_sequence_num: "sequence_num IS NOT NULL AND sequence_num >= 1",
  valid_operation: "operation IN ('INSERT', 'UPDATE', 'DELETE')",
});

/** The pipeline (not yet run): `await customer360Pipeline({ sourceDir }).run(spark)`. */
export function customer360Pipeline(opts: Customer360PipelineOptions): Pipeline {
  const catalog = opts.catalog ?? "c360";
  if (catalog !== "c360") throw new RangeError(`customer360Pipeline: catalog must be "c360", got "${String(catalog)}"`);
  const sourceDir = resolve(opts.sourceDir);
  const t = customer360Tables(catalog);
  const p = new Pipeline({
    name: PIPELINE_NAME, catalog, schema: "ops",
    ...(opts.storage ? { storage: opts.storage } : {}),
    eventLog: opts.eventLog ?? t.eventLog,
  });

  // ---- bronze: Auto Loader streaming tables ------------------------------------------------
  const bronze: [SourceName, string, string][] = [
    ["crm", t.bronze.crm_customers, "CRM customer profile lines as delivered (JSON lines); a later line for a customer is a newer full version."],
    ["transactions", t.bronze.transactions, "Order lines as delivered (CSV), duplicates and bad amounts included; amount is text."],
    ["clickstream", t.bronze.clickstream, "Web and app events as delivered (Parquet), duplicate deliveries included."],
    ["support_tickets", t.bronze.support_tickets, "Helpdesk change feed (CDC JSON lines): one INSERT/UPDATE/DELETE per line, possibly out of order."],
  ];
  for (const [source, name, comment] of bronze) {
    const layout = SOURCE_LAYOUT[source];
    p.streamingTable({
      name,
      comment: `${comment} Ingested with Auto Loader from ${layout.folder}/; with _rescued_data, _source_file, _ingested_at.`,
      query: (ctx: FlowContext) => autoLoaderStream(ctx.spark, join(sourceDir, layout.folder), layout.format, SOURCE_SCHEMAS[source]),
      expectations: [expect("rescued_data_empty", "_rescued_data IS NULL")],
      tableProperties: { quality: "bronze" },
    });
  }

  // ---- silver: customers ---------------------------------------------------------------------
  p.streamingTable({
    name: t.silver.crm_customers_clean,
    comment: "CRM lines that pass the quality rules, normalised (email lower-cased, address flattened). Source of the SCD2 dimension.",
    query: (ctx) => ctx.readStream(t.bronze.crm_customers).selectExpr(...profileSelectList(), ...INGEST_COLUMNS),
    expectations: expectAllOrDrop({ ...CRM_QUALITY_RULES }),
    tableProperties: { quality: "silver" },
  });
  p.streamingTable({
    name: t.silver.crm_quarantine,
    comment: "CRM lines that failed a quality rule (truncated JSON, non-numeric customer_id, invalid date, non-boolean opt-in), with the rules they failed.",
    query: (ctx) => ctx.readStream(t.bronze.crm_customers)
      .filter(`NOT (${crmRulesConditionSql()})`)
      .withColumn("failed_rules", expr(crmFailedRulesSql()))
      .withColumn("quarantined_at", current_timestamp()),
    tableProperties: { quality: "quarantine" },
  });
  p.createStreamingTable({
    name: t.silver.customers_scd2,
    comment: "Customer profiles, SCD type 2 (AUTO CDC keyed by customer_id, sequenced by updated_at): one row per version, __START_AT/__END_AT.",
    tableProperties: { quality: "silver" },
  });
  p.createAutoCdcFlow({
    target: t.silver.customers_scd2,
    source: t.silver.crm_customers_clean,
    keys: ["customer_id"],
    sequenceBy: "updated_at",
    exceptColumns: [...INGEST_COLUMNS],
    storedAs: "SCD2",
  });
  p.materializedView({
    name: t.silver.customers,
    comment: "Customer dimension, SCD type 2: one row per profile version with valid_from, valid_to (NULL while current) and is_current.",
    query: (ctx) => frame(ctx.spark, `SELECT * EXCLUDE (__START_AT, __END_AT),
        __START_AT AS valid_from, __END_AT AS valid_to, __END_AT IS NULL AS is_current
      FROM ${relationSql(ctx.read(t.silver.customers_scd2))}`),
    tableProperties: { quality: "silver" },
  });

  // ---- silver: transactions, sessions ----------------------------------------------------------
  const currentCustomers = (ctx: FlowContext): DataFrame => ctx.read(t.silver.customers).filter("is_current");
  p.materializedView({
    name: t.silver.transactions,
    comment: "One row per order: deduplicated (latest arrival wins), amount parsed and converted to USD with the static FX table, joined to the current customer profile.",
    query: (ctx) => frame(ctx.spark, normalisedTransactionsSql(ctx.read(t.bronze.transactions), {
      arrivalOrder: ["_ingested_at", "_source_file"],
      passThrough: ["_source_file", "_ingested_at"],
      customers: currentCustomers(ctx),
    })),
    expectations: [
      expectOrDrop("valid_amount", TRANSACTION_EXPECTATIONS.valid_amount),
      expectOrDrop("known_currency", TRANSACTION_EXPECTATIONS.known_currency),
      expect("known_customer", TRANSACTION_EXPECTATIONS.known_customer),
    ],
    tableProperties: { quality: "silver" },
  });
  p.materializedView({
    name: t.silver.sessions,
    comment: "Web/app sessions: a visitor's events with no gap over 30 minutes; anonymous devices stitched to the customer who logged in on them.",
    query: (ctx) => frame(ctx.spark, sessionsSql(ctx.read(t.bronze.clickstream))),
    tableProperties: { quality: "silver" },
  });

  // ---- silver: support tickets -----------------------------------------------------------------
  const sentiment = sentimentColumns("body");
  p.streamingTable({
    name: t.silver.support_ticket_changes,
    comment: "The ticket change feed, validated, with the lexicon sentiment of each message (analytics/sentiment.ts). Source of support_tickets; the ticket history.",
    query: (ctx) => ctx.readStream(t.bronze.support_tickets)
      .withColumns(Object.fromEntries(Object.entries(sentiment).map(([n, e]) => [n, expr(e)])))
      .withColumn("sentiment_label", expr(sentimentLabelSql("sentiment_score"))),
    expectations: expectAllOrDrop({ ...TICKET_CHANGE_EXPECTATIONS }),
    tableProperties: { quality: "silver" },
  });
  p.createStreamingTable({
    name: t.silver.support_tickets,
    comment: "Current state of every ticket (AUTO CDC SCD1 by ticket_id, sequenced by sequence_num; deleted tickets removed), with the sentiment of its latest message.",
    tableProperties: { quality: "silver" },
  });
  p.createAutoCdcFlow({
    target: t.silver.support_tickets,
    source: t.silver.support_ticket_changes,
    keys: ["ticket_id"],
    sequenceBy: "sequence_num",
    applyAsDeletes: "operation = 'DELETE'",
    exceptColumns: ["operation", ...INGEST_COLUMNS],
    storedAs: "SCD1",
  });

  // ---- gold --------------------------------------------------------------------------------------
  p.materializedView({
    name: t.gold.customer_rfm,
    comment: "RFM per customer with at least one clean order: recency to the data's last order date, frequency, USD monetary, NTILE(5) scores, named segment.",
    query: (ctx) => frame(ctx.spark, rfmSql(ctx.read(t.silver.transactions), { customers: currentCustomers(ctx) })),
    tableProperties: { quality: "gold" },
  });
  p.materializedView({
    name: t.gold.customer_360,
    comment: "One row per current customer: profile, lifetime spend, orders, sessions, last activity, open tickets, average sentiment, RFM segment.",
    query: (ctx) => frame(ctx.spark, customer360Sql({
      customers: currentCustomers(ctx),
      transactions: ctx.read(t.silver.transactions),
      sessions: ctx.read(t.silver.sessions),
      tickets: ctx.read(t.silver.support_tickets),
      rfm: ctx.read(t.gold.customer_rfm),
    })),
    tableProperties: { quality: "gold" },
  });
  p.materializedView({
    name: t.gold.revenue_daily,
    comment: "Revenue in USD per order date, channel and RFM segment.",
    query: (ctx) => frame(ctx.spark, revenueDailySql({ transactions: ctx.read(t.silver.transactions), rfm: ctx.read(t.gold.customer_rfm) })),
    tableProperties: { quality: "gold" },
  });
  p.materializedView({
    name: t.gold.revenue_monthly,
    comment: "Revenue in USD per month, channel and RFM segment.",
    query: (ctx) => frame(ctx.spark, revenueMonthlySql({ transactions: ctx.read(t.silver.transactions), rfm: ctx.read(t.gold.customer_rfm) })),
    tableProperties: { quality: "gold" },
  });
  p.materializedView({
    name: t.gold.churn_features,
    comment: "Churn features as of 90 days before the data's last order date, and the label churned = no order in those last 90 days.",
    query: (ctx) => frame(ctx.spark, churnFeaturesSql({
      customers: currentCustomers(ctx),
      transactions: ctx.read(t.silver.transactions),
      sessions: ctx.read(t.silver.sessions),
      ticketChanges: ctx.read(t.silver.support_ticket_changes),
    })),
    tableProperties: { quality: "gold" },
  });
  return p;
}
