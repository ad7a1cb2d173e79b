/**
 * Bronze ingestion helpers: Auto Loader streams of the four Customer 360 sources, with the
 * ingestion metadata every bronze row carries:
 *
 *   _rescued_data  Auto Loader's rescued-data column: fields that did not fit the declared
 *                  schema (wrong type, unknown name) and malformed records (`_corrupt_record`),
 *                  with `_file_path`; NULL when the record was clean
 *   _source_file   the file the row came from
 *   _ingested_at   when the micro-batch that loaded the row ran
 *
 * Schemas are declared (Databricks' advice for production Auto Loader: inference is for
 * exploration) and `rescuedDataColumn` keeps whatever does not fit, so nothing is lost and
 * nothing surprises the downstream tables: the CRM field `preferred_channel`, which appears from
 * batch 3 on, is part of the declared schema (NULL before it existed); a field nobody declared
 * lands in `_rescued_data` until the schema is extended.
 *
 * `_source_file`: on Databricks it is `_metadata.file_path`. The local Auto Loader has no
 * `_metadata` column, so the stream is read one file per micro-batch
 * (`cloudFiles.maxFilesPerTrigger` = 1) and a thin wrapper around the Auto Loader source
 * (SourceFileColumn) adds the file of the batch, which it reads from the source's own file log
 * in the checkpoint. A batch of several files (Trigger.Once ignores the rate limit) falls back
 * to the `_file_path` Auto Loader puts in `_rescued_data`, else NULL.
 */
import { quoteIdent, quoteString } from "../../lakehouse/engine/duckdb.js";
import { FileLog } from "../../lakehouse/ingest/index.js";
import type { Field } from "../../lakehouse/sql/dataframe/index.js";
import { current_timestamp } from "../../lakehouse/sql/dataframe/index.js";
import type { SparkSession } from "../../lakehouse/sql/session.js";
import { StreamingDataFrame } from "../../lakehouse/streaming/index.js";
import type { ReadLimit, SourceContext, SourceFactory, SourceOffset, StreamSource } from "../../lakehouse/streaming/source.js";

/** Declared schemas of the sources (Spark DDL). Amounts stay text: bad values must be seen, not nulled. */
export const SOURCE_SCHEMAS = Object.freeze({
  crm: [
    "customer_id BIGINT", "first_name STRING", "last_name STRING", "email STRING", "phone STRING",
    "address STRUCT<street: STRING, city: STRING, region: STRING, postal_code: STRING, country: STRING>",
    "date_of_birth DATE", "signup_date DATE", "loyalty_tier STRING", "marketing_opt_in BOOLEAN", "updated_at TIMESTAMP",
    "preferred_channel STRING",
  ].join(", "),
  transactions: [
    "transaction_id BIGINT", "customer_id BIGINT", "order_ts TIMESTAMP", "amount STRING", "currency STRING", "channel STRING",
    "store_id STRING", "product_category STRING", "quantity INT", "payment_method STRING",
  ].join(", "),
  clickstream: [
    "event_id BIGINT", "customer_id BIGINT", "device_id STRING", "event_ts TIMESTAMP", "event_type STRING", "page STRING",
    "product_id STRING", "referrer STRING",
  ].join(", "),
  support_tickets: [
    "ticket_id BIGINT", "customer_id BIGINT", "operation STRING", "sequence_num BIGINT", "change_ts TIMESTAMP", "status STRING",
    "priority STRING", "channel STRING", "subject STRING", "body STRING",
  ].join(", "),
});

export type SourceName = keyof typeof SOURCE_SCHEMAS;

/** Folder and file format of each source inside the source directory (datasets/README.md). */
export const SOURCE_LAYOUT: Readonly<Record<SourceName, { folder: string; format: "json" | "csv" | "parquet" }>> = Object.freeze({
  crm: { folder: "crm", format: "json" },
  transactions: { folder: "transactions", format: "csv" },
  clickstream: { folder: "clickstream", format: "parquet" },
  support_tickets: { folder: "support_tickets", format: "json" },
});

/** Wraps a file source: one more column with the batch's file (see the module comment). */
class SourceFileColumn implements StreamSource {
  readonly description: string;
  private log!: FileLog;
  private spark!: SparkSession;
  private hasRescue = false;

  constructor(private readonly inner: StreamSource, private readonly column: string) {
    this.description = inner.description;
  }

  async initialize(ctx: SourceContext): Promise<Field[]> {
    this.spark = ctx.spark;
    this.log = new FileLog(ctx.spark.engine.storage, ctx.metadataPath);
    const fields = await this.inner.initialize(ctx);
    this.hasRescue = fields.some((f) => f.name === "_rescued_data");
    return [...fields, { name: this.column, type: "VARCHAR" }];
  }

  prepareForTriggerAvailableNow(): Promise<void> {
    return this.inner.prepareForTriggerAvailableNow();
  }

  latestOffset(start: SourceOffset | null, limit: ReadLimit): Promise<SourceOffset | null> {
    return this.inner.latestOffset(start, limit);
  }

  async getBatch(start: SourceOffset | null, end: SourceOffset, relation: string): Promise<number> {
    const n = await this.inner.getBatch(start, end, relation);
    const after = start ? Number(start["logOffset"]) : undefined;
    const files = await this.log.filesBetween(after, Number(end["logOffset"]));
    const col = quoteIdent(this.column);
    if (files.length === 1) {
      // A constant default fills the existing rows without rewriting them.
      await this.spark.db.run(`ALTER TABLE ${relation} ADD COLUMN ${col} VARCHAR DEFAULT ${quoteString(files[0]!.path)}`);
    } else {
      await this.spark.db.run(`ALTER TABLE ${relation} ADD COLUMN ${col} VARCHAR`);
      if (this.hasRescue) await this.spark.db.run(`UPDATE ${relation} SET ${col} = json_extract_string(_rescued_data, '$._file_path')`);
    }
    return n;
  }

  metrics(): Record<string, string> {
    return this.inner.metrics?.() ?? {};
  }
}

class SourceFileColumnFactory implements SourceFactory {
  readonly description: string;
  constructor(private readonly inner: SourceFactory, private readonly column: string) {
    this.description = inner.description;
  }
  create(): StreamSource {
    return new SourceFileColumn(this.inner.create(), this.column);
  }
}

/**
 * The Auto Loader stream of one source directory with `_rescued_data`, `_source_file` and
 * `_ingested_at`:
 *
 *   spark.readStream.format("cloudFiles")
 *     .option("cloudFiles.format", format).schema(ddl).option("rescuedDataColumn", "_rescued_data")
 *     .option("cloudFiles.maxFilesPerTrigger", 1)        // one file per batch → _source_file
 *     .load(dir)
 *     .withColumn("_ingested_at", current_timestamp())
 */
export function autoLoaderStream(spark: SparkSession, dir: string, format: "json" | "csv" | "parquet", schemaDdl: string): StreamingDataFrame {
  let reader = spark.readStream.format("cloudFiles")
    .option("cloudFiles.format", format)
    .schema(schemaDdl)
    .option("rescuedDataColumn", "_rescued_data")
    .option("cloudFiles.maxFilesPerTrigger", 1);
  if (format === "csv") reader = reader.option("header", "true");
  const sdf = reader.load(dir);
  const input = sdf._input;
  if (input.kind !== "source") return sdf.withColumn("_ingested_at", current_timestamp());
  return StreamingDataFrame.fromSource(spark, new SourceFileColumnFactory(input.factory, "_source_file"))
    .withColumn("_ingested_at", current_timestamp());
}
