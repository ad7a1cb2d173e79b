/**
 * Customer 360 analytics: pure SQL / DataFrame builders over table names or DataFrames, used by
 * the medallion pipeline (../pipeline) and testable on their own against the raw sample files.
 *
 *   fx.ts            static FX table, amount → USD
 *   transactions.ts  dedupe, amount parsing and validation, currency normalisation
 *   customers.ts     CRM quality rules, profile normalisation, current profile
 *   sessions.ts      30-minute-inactivity sessionisation with device stitching
 *   sentiment.ts     lexicon sentiment score in SQL, with negation
 *   rfm.ts           RFM quintile scores and named segments
 *   customer360.ts   one row per current customer
 *   revenue.ts       daily / monthly revenue by channel and segment
 *   churn.ts         churn features and label
 */
export * from "./relation.js";
export * from "./fx.js";
export * from "./transactions.js";
export * from "./customers.js";
export * from "./sessions.js";
export * from "./sentiment.js";
export * from "./rfm.js";
export * from "./customer360.js";
export * from "./revenue.js";
export * from "./churn.js";
