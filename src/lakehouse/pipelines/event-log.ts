/**
 * The pipeline event log: one row per event of every update, in a Delta table (default
 * `<catalog>.<schema>.pipeline_event_log`), so notebooks can query and chart it like the event log
 * Databricks publishes for a pipeline.
 *
 * Columns: id, pipeline_name, update_id, sequence (order of the event within its update),
 * timestamp, event_type, level, dataset, flow_name, message, details (a JSON string), error. Databricks nests pipeline/update/flow/dataset in an
 * `origin` struct; here they are flat columns. `details` follows Databricks' shape:
 *
 *   create_update     {"create_update": {"cause": "API_CALL", "full_refresh": …, "full_refresh_selection": […]}}
 *   update_progress   {"update_progress": {"state": "RUNNING" | "COMPLETED" | "FAILED"}}
 *   flow_definition   {"flow_definition": {"output_dataset": …, "input_datasets": […], "flow_type": …}}
 *   flow_progress     {"flow_progress": {"status": "COMPLETED" | "FAILED" | "SKIPPED",
 *                        "metrics": {"num_output_rows": n, "num_input_rows": n, …},
 *                        "data_quality": {"dropped_records": n,
 *                          "expectations": [{"name", "dataset", "action", "passed_records", "failed_records"}]}}}
 *
 * so the queries from Databricks' docs carry over (with DuckDB's JSON functions instead of the
 * `details:flow_progress…` path syntax), e.g.
 *
 *   SELECT dataset, json_extract(details, '$.flow_progress.metrics.num_output_rows') AS rows
 *   FROM c360.silver.pipeline_event_log WHERE event_type = 'flow_progress'
 *
 * Local difference: the events of an update are buffered and appended in one Delta commit when
 * the update ends (successfully or not); Databricks streams them while the update runs.
 */
import { randomUUID } from "node:crypto";
import { quoteString } from "../engine/duckdb.js";
import { DataFrame } from "../sql/dataframe/index.js";
import type { SparkSession } from "../sql/session.js";

export type EventLevel = "INFO" | "WARN" | "ERROR" | "METRICS";

export interface PipelineEvent {
  id: string;
  pipeline_name: string;
  update_id: string;
  sequence: number;
  timestamp: Date;
  event_type: string;
  level: EventLevel;
  dataset: string | null;
  flow_name: string | null;
  message: string;
  details: Record<string, unknown>;
  error: string | null;
}

const COLUMNS: [keyof PipelineEvent, string][] = [
  ["id", "VARCHAR"], ["pipeline_name", "VARCHAR"], ["update_id", "VARCHAR"], ["sequence", "BIGINT"], ["timestamp", "TIMESTAMPTZ"], ["event_type", "VARCHAR"],
  ["level", "VARCHAR"], ["dataset", "VARCHAR"], ["flow_name", "VARCHAR"], ["message", "VARCHAR"], ["details", "VARCHAR"], ["error", "VARCHAR"],
];

/** Collects the events of one update and appends them to the event log table. */
export class EventLogWriter {
  private readonly events: PipelineEvent[] = [];
  private next = 0;
  constructor(readonly table: string, readonly pipelineName: string, readonly updateId: string) {}

  add(e: { event_type: string; level?: EventLevel; dataset?: string | null; flow_name?: string | null; message: string; details: Record<string, unknown>; error?: string | null }): void {
    this.events.push({
      id: randomUUID(), pipeline_name: this.pipelineName, update_id: this.updateId, sequence: this.next++, timestamp: new Date(), event_type: e.event_type,
      level: e.level ?? "INFO", dataset: e.dataset ?? null, flow_name: e.flow_name ?? null, message: e.message, details: e.details, error: e.error ?? null,
    });
  }

  get size(): number {
    return this.events.length;
  }

  /** Appends the buffered events (one commit) and clears the buffer. */
  async flush(spark: SparkSession): Promise<void> {
    if (!this.events.length) return;
    const lit = (v: unknown, type: string): string => {
      if (v === null || v === undefined) return `CAST(NULL AS ${type})`;
      if (v instanceof Date) return `CAST(${quoteString(v.toISOString())} AS TIMESTAMPTZ)`;
      if (typeof v === "object") return quoteString(JSON.stringify(v));
      return `CAST(${quoteString(String(v))} AS ${type})`;
    };
    const rows = this.events.map((e) => `SELECT ${COLUMNS.map(([c, t]) => `${lit(e[c], t)} AS "${c}"`).join(", ")}`);
    await spark.write(rows.join(" UNION ALL "), {
      format: "delta", mode: "append", options: {}, partitionBy: [], target: { kind: "table", name: this.table },
    });
    this.events.length = 0;
  }
}

function tableSql(name: string): string {
  return name.split(".").map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? p : `\`${p.replace(/`/g, "``")}\``)).join(".");
}

/**
 * Data quality per dataset and rule for the latest update (or `updateId`): one row per
 * (dataset, expectation) with the action, passed and failed record counts and the failure rate.
 * Built from the `flow_progress` events, as Databricks' documented event-log query does.
 */
export async function qualitySummary(spark: SparkSession, eventLogTable: string, updateId?: string): Promise<DataFrame> {
  const tbl = tableSql(eventLogTable);
  const upd = updateId !== undefined
    ? `SELECT ${quoteString(updateId)} AS update_id`
    : `SELECT update_id FROM ev WHERE event_type = 'create_update' ORDER BY "timestamp" DESC, sequence DESC LIMIT 1`;
  const struct = `'[{"name":"VARCHAR","dataset":"VARCHAR","action":"VARCHAR","passed_records":"BIGINT","failed_records":"BIGINT"}]'`;
  const sql = `WITH ev AS (SELECT update_id, event_type, details, "timestamp", sequence FROM ${tbl}),
upd AS (${upd}),
x AS (
  SELECT ev.update_id AS update_id, unnest(from_json(json_extract(ev.details, '$.flow_progress.data_quality.expectations'), ${struct}), recursive := true)
  FROM ev JOIN upd ON ev.update_id = upd.update_id
  WHERE ev.event_type = 'flow_progress'
)
SELECT update_id, dataset, name AS expectation, any_value(action) AS action,
  CAST(sum(passed_records) AS BIGINT) AS passed_records, CAST(sum(failed_records) AS BIGINT) AS failed_records,
  CASE WHEN sum(passed_records) + sum(failed_records) = 0 THEN 0.0 ELSE round(CAST(sum(failed_records) AS DOUBLE) / CAST(sum(passed_records) + sum(failed_records) AS DOUBLE), 6) END AS failure_rate
FROM x GROUP BY update_id, dataset, name ORDER BY dataset, name`;
  return DataFrame.fromSql(spark, sql);
}
