/**
 * Declarative pipelines on the local lakehouse — Databricks' Lakeflow Declarative Pipelines
 * (formerly Delta Live Tables): streaming tables, materialized views, temporary views, AUTO CDC
 * (APPLY CHANGES) flows and append flows, with expectations and an event log, declared in
 * TypeScript or in pipeline SQL.
 *
 * @example
 *   import { Pipeline, expectOrDrop, readFiles } from "./pipelines/index.js";
 *   const p = new Pipeline({ name: "c360", catalog: "c360", schema: "silver" })
 *     .streamingTable({ name: "c360.bronze.orders_raw", query: (ctx) => readFiles(ctx, "/landing/orders", { format: "json" }) })
 *     .streamingTable({
 *       name: "orders", expectations: [expectOrDrop("valid_id", "order_id IS NOT NULL")],
 *       query: (ctx) => ctx.readStream("c360.bronze.orders_raw").select("order_id", "customer_id", "amount"),
 *     })
 *     .materializedView({ name: "c360.gold.revenue", query: (ctx) => ctx.read("orders").groupBy("customer_id").agg(sum("amount").alias("revenue")) });
 *   const update = await p.run(spark);                 // { status, flows: [{ dataset, numOutputRows, expectations }, …] }
 *   await (await qualitySummary(spark, p.eventLog)).show();
 *
 * See pipeline.ts (concepts, local differences), expectations.ts (rules, NULL semantics),
 * auto-cdc.ts (SCD1/SCD2), sql.ts (the SQL form), event-log.ts (event log schema) and
 * ../quality/rules.ts (reusable rule sets and the quarantine pattern).
 */
export {
  Pipeline, readFiles,
  type AppendFlowDef, type AutoCdcDef, type DatasetDef, type FlowContext, type FlowResult, type PipelineFlowContext, type PipelineGraph,
  type PipelineOptions, type QueryResult, type StreamingTableTargetDef, type TemporaryViewDef, type UpdateResult,
} from "./pipeline.js";
export {
  expect, expectAll, expectAllOrDrop, expectAllOrFail, expectOrDrop, expectOrFail, ExpectationViolationError,
  type Expectation, type ExpectationAction, type ExpectationResult,
} from "./expectations.js";
export { qualitySummary, type PipelineEvent } from "./event-log.js";
