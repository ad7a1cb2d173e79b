/**
 * Stateful streaming operators: the event-time watermark, deduplication and aggregation, with
 * their state kept in the checkpoint between micro-batches.
 *
 * Spark keeps operator state in a versioned state store per operator and partition
 * (`state/<operatorId>/<partition>/<version>.delta|.snapshot`); version v is the state after
 * batch v−1, so a re-run of batch N after a crash starts again from version N. This engine keeps
 * the same versioning with one Parquet snapshot per version:
 *
 *   state/<operatorId>/0/<version>.parquet     the whole state after batch version−1
 *   state/<operatorId>/_metadata/metadata      what the operator is (checked on restart)
 *
 * Semantics, as in Spark:
 *   - Watermark: after batch N, watermark = max(previous, max(event time seen in N) − delay);
 *     batch N+1 runs with it (`batchWatermarkMs` in offsets/N+1). Rows are "late" when their
 *     event time ≤ watermark (for a window key: when the window's end ≤ watermark).
 *   - dropDuplicates(keys): first row per key ever seen; late rows are dropped; when the event
 *     time column is among the keys, keys behind the watermark are evicted from state.
 *   - dropDuplicatesWithinWatermark(keys): first row per key; the key is remembered until the
 *     watermark passes (its event time + delay); late rows are dropped.
 *   - Aggregation: per-batch partial aggregates are merged into the state's partials
 *     (count/sum/min/max, avg as sum+count). Output mode decides what a batch emits:
 *     complete = every group (state never evicted); update = the groups this batch changed;
 *     append = only groups that can no longer change, i.e. whose window end (or event time
 *     key) is ≤ the watermark — emitted once, then evicted. Late rows are dropped (not in complete).
 * Because the watermark used by batch N comes from batch N−1, an append-mode window is emitted by
 * the batch after the one that moved the watermark past it — often a "no-data batch", which the
 * engine runs for exactly this reason.
 */
import { join } from "node:path";
import { LakehouseError } from "../errors.js";
import { quoteIdent, quoteString } from "../engine/duckdb.js";
import { resolveMarkers, type Column } from "../sql/dataframe/column.js";
import type { Field } from "../sql/dataframe/plan.js";
import type { SparkSession } from "../sql/session.js";
import { tempName } from "../operations/context.js";
import { UnsupportedStreamingOperationError } from "./errors.js";
import { windowInfo } from "./functions.js";
import type { StatefulOp } from "./streaming-dataframe.js";

export type OutputMode = "append" | "update" | "complete";

export interface StateOperatorProgress {
  operatorName: string;
  numRowsTotal: number;
  numRowsUpdated: number;
  numRowsRemoved: number;
  numRowsDroppedByWatermark: number;
}

export interface EventTimeStats {
  maxUs: number;
  minUs: number;
  avgUs: number;
  count: number;
}

export interface BatchEnv {
  spark: SparkSession;
  batchId: number;
  /** The watermark this batch runs with (ms since the epoch; 0 = none yet). */
  watermarkMs: number;
  outputMode: OutputMode;
}

const qi = quoteIdent;

function findField(fields: readonly Field[], name: string): Field | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

function isTimestampType(t: string): boolean {
  return /^TIMESTAMP/i.test(t);
}

/** The upstream watermark an operator sees. */
export interface WatermarkSpec {
  column: string;
  delayMs: number;
}

export abstract class OperatorExec {
  /** The state directory id (stateful operators only). */
  stateId: number | undefined;
  progress: StateOperatorProgress | undefined;
  constructor(readonly op: StatefulOp, readonly relation: string) {}
  /** Validates against the input columns; returns the output columns. */
  abstract prepare(spark: SparkSession, inputFields: Field[], watermark: WatermarkSpec | undefined, mode: OutputMode, stateDir: string | undefined, inputRelation: string): Promise<Field[]>;
  /** Reads the rows of `input` (a temp table) and writes the output rows to `this.relation`. */
  abstract execute(env: BatchEnv, input: string): Promise<void>;
}

async function replaceTable(spark: SparkSession, name: string, sql: string): Promise<void> {
  await spark.db.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${sql}`);
}

async function count(spark: SparkSession, relation: string): Promise<number> {
  const r = await spark.db.query(`SELECT count(*) AS n FROM ${relation}`);
  return Number(r.rows[0]!["n"]);
}

/** Versioned Parquet snapshots of one operator's state. */
class StateStore {
  constructor(private readonly spark: SparkSession, readonly dir: string) {}

  private file(version: number): string {
    return join(this.dir, "0", `${version}.parquet`);
  }

  async checkMetadata(meta: Record<string, unknown>): Promise<void> {
    const storage = this.spark.engine.storage;
    const p = join(this.dir, "_metadata", "metadata");
    const text = JSON.stringify(meta);
    if (await storage.exists(p)) {
      const old = await storage.readText(p);
      if (old.trim() !== text) {
        throw new LakehouseError("STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA",
          `The stateful operator ${this.dir} does not match what the checkpoint recorded (checkpoint: ${old.trim()}; query: ${text}). A query's stateful operators (dropDuplicates keys, groupBy keys and aggregates) cannot change across restarts. Revert the change, or start with a new checkpoint location.`,
          { dir: this.dir });
      }
      return;
    }
    await storage.writeAtomic(p, text + "\n");
  }

  /** Loads state version `version` into temp table `into`; `empty` is a SELECT … WHERE false of the state's columns. */
  async load(version: number, into: string, empty: string): Promise<void> {
    const storage = this.spark.engine.storage;
    const f = this.file(version);
    if (await storage.exists(f)) {
      await replaceTable(this.spark, into, `SELECT * FROM read_parquet(${quoteString(f)})`);
      return;
    }
    const existing = (await storage.list(join(this.dir, "0"), { withStats: false })).filter((x) => /^\d+\.parquet$/.test(x.name));
    if (version > 0 && existing.some((x) => Number(x.name.split(".")[0]) < version)) {
      throw new LakehouseError("STREAMING_STATE_VERSION_NOT_FOUND", `State version ${version} of ${this.dir} is missing while older versions exist: the checkpoint is incomplete. Restore it, or start with a new checkpoint location.`, { dir: this.dir, version });
    }
    await replaceTable(this.spark, into, empty);
  }

  /** Writes temp table `from` as state version `version` (atomically), and forgets versions older than `retain` versions. */
  async save(version: number, from: string, retain: number): Promise<void> {
    const storage = this.spark.engine.storage;
    await storage.mkdirs(join(this.dir, "0"));
    const final = this.file(version);
    const tmp = `${final}.${tempName("tmp")}.tmp`;
    await this.spark.db.run(`COPY (SELECT * FROM ${from}) TO ${quoteString(tmp)} (FORMAT parquet)`);
    await storage.rename(tmp, final);
    for (const x of await storage.list(join(this.dir, "0"), { withStats: false })) {
      const m = /^(\d+)\.parquet$/.exec(x.name);
      if (m && Number(m[1]) <= version - retain) await storage.delete(x.path);
    }
  }
}

/** withWatermark: passes rows through and measures their event time. */
export class WatermarkExec extends OperatorExec {
  stats: EventTimeStats | undefined;
  private column = "";

  async prepare(_spark: SparkSession, inputFields: Field[]): Promise<Field[]> {
    const op = this.op as Extract<StatefulOp, { kind: "watermark" }>;
    const f = findField(inputFields, op.column);
    if (!f) {
      throw new LakehouseError("UNRESOLVED_COLUMN", `withWatermark: the event-time column \`${op.column}\` is not a column of the stream (columns: ${inputFields.map((x) => x.name).join(", ")}).`, { name: op.column }, "42703");
    }
    if (!isTimestampType(f.type)) {
      throw new LakehouseError("EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE", `The event time \`${f.name}\` has the invalid type ${f.type}, but expected TIMESTAMP. Convert it first: withColumn("${f.name}", col("${f.name}").cast("timestamp")).`, { column: f.name, type: f.type });
    }
    this.column = f.name;
    return inputFields;
  }

  async execute(env: BatchEnv, input: string): Promise<void> {
    await replaceTable(env.spark, this.relation, `SELECT * FROM ${input}`);
    const c = qi(this.column);
    const r = await env.spark.db.query(`SELECT count(${c}) AS n, max(epoch_us(${c})) AS mx, min(epoch_us(${c})) AS mn, avg(epoch_us(${c})) AS av FROM ${this.relation}`);
    const row = r.rows[0]!;
    const n = Number(row["n"]);
    this.stats = n > 0 ? { count: n, maxUs: Number(row["mx"]), minUs: Number(row["mn"]), avgUs: Number(row["av"]) } : undefined;
  }

  get delayMs(): number {
    return (this.op as Extract<StatefulOp, { kind: "watermark" }>).delayMs;
  }
}

/** dropDuplicates / dropDuplicatesWithinWatermark. */
export class DedupExec extends OperatorExec {
  private keys: string[] = [];
  private eventTime: string | undefined;
  private delayMs = 0;
  private store!: StateStore;
  private inputFields: Field[] = [];
  private evictOnKey = false;
  private retain = 100;

  private get within(): boolean {
    return (this.op as Extract<StatefulOp, { kind: "dedup" }>).withinWatermark;
  }

  async prepare(spark: SparkSession, inputFields: Field[], watermark: WatermarkSpec | undefined, mode: OutputMode, stateDir: string | undefined): Promise<Field[]> {
    const op = this.op as Extract<StatefulOp, { kind: "dedup" }>;
    const name = this.within ? "dropDuplicatesWithinWatermark" : "dropDuplicates";
    if (mode === "complete") {
      throw new UnsupportedStreamingOperationError(`${name} in complete mode`, `Complete output mode is not supported when there are no streaming aggregations: ${name} emits each row once. Use outputMode("append").`, {}, "STREAMING_OUTPUT_MODE_UNSUPPORTED");
    }
    this.inputFields = inputFields;
    this.keys = (op.subset ?? inputFields.map((f) => f.name)).map((k) => {
      const f = findField(inputFields, k);
      if (!f) throw new LakehouseError("UNRESOLVED_COLUMN", `${name}: cannot resolve column \`${k}\` (columns: ${inputFields.map((x) => x.name).join(", ")}).`, { name: k }, "42703");
      return f.name;
    });
    const wm = watermark && findField(inputFields, watermark.column);
    if (this.within && !wm) {
      throw new UnsupportedStreamingOperationError("dropDuplicatesWithinWatermark without watermark",
        "dropDuplicatesWithinWatermark needs an event-time watermark on its input: call withWatermark(\"eventTime\", \"10 minutes\") before it (and keep that column).", {}, "STREAMING_WATERMARK_REQUIRED");
    }
    if (wm) {
      this.eventTime = wm.name;
      this.delayMs = watermark!.delayMs;
      this.evictOnKey = !this.within && this.keys.some((k) => k.toLowerCase() === wm.name.toLowerCase());
    }
    this.store = new StateStore(spark, stateDir!);
    await this.store.checkMetadata({ operatorName: this.within ? "dedupeWithinWatermark" : "dedupe", keys: this.keys });
    this.retain = Number(spark.conf.get("spark.sql.streaming.minBatchesToRetain") ?? 100);
    return inputFields;
  }

  async execute(env: BatchEnv, input: string): Promise<void> {
    const { spark } = env;
    const wmUs = env.watermarkMs * 1000;
    const state = tempName("dedupstate");
    const cand = tempName("dedupcand");
    const fresh = tempName("dedupnew");
    const next = tempName("dedupnext");
    const keyCols = this.keys.map(qi);
    const emptyState = `SELECT ${[...keyCols.map((k) => `${k}`), ...(this.within ? ["CAST(NULL AS BIGINT) AS __expires_at_us"] : [])].join(", ")} FROM ${input} WHERE false`;
    try {
      await this.store.load(env.batchId, state, emptyState);
      const late = this.eventTime && env.watermarkMs > 0 ? `epoch_us(${qi(this.eventTime)}) <= ${wmUs}` : "false";
      await replaceTable(spark, cand, `SELECT *, rowid AS __ord, (${late}) AS __late FROM ${input}`);
      const dropped = Number((await spark.db.query(`SELECT count(*) AS n FROM ${cand} WHERE __late`)).rows[0]!["n"]);
      const match = keyCols.map((k) => `s.${k} IS NOT DISTINCT FROM c.${k}`).join(" AND ");
      await replaceTable(spark, fresh, `SELECT * FROM ${cand} AS c WHERE NOT c.__late AND NOT EXISTS (SELECT 1 FROM ${state} AS s WHERE ${match}) QUALIFY row_number() OVER (PARTITION BY ${keyCols.map((k) => `c.${k}`).join(", ")} ORDER BY c.__ord) = 1`);
      const cols = this.inputFields.map((f) => qi(f.name)).join(", ");
      await replaceTable(spark, this.relation, `SELECT ${cols} FROM ${fresh} ORDER BY __ord`);
      const added = this.within
        ? `SELECT ${keyCols.join(", ")}, epoch_us(${qi(this.eventTime!)}) + ${Math.round(this.delayMs * 1000)} AS __expires_at_us FROM ${fresh}`
        : `SELECT ${keyCols.join(", ")} FROM ${fresh}`;
      const keep = this.within
        ? (env.watermarkMs > 0 ? `__expires_at_us > ${wmUs}` : "true")
        : this.evictOnKey && env.watermarkMs > 0 ? `NOT (epoch_us(${qi(this.eventTime!)}) <= ${wmUs})` : "true";
      await replaceTable(spark, next, `SELECT * FROM (SELECT * FROM ${state} UNION ALL BY NAME ${added}) WHERE ${keep}`);
      const before = (await count(spark, state)) + (await count(spark, fresh));
      const total = await count(spark, next);
      await this.store.save(env.batchId + 1, next, this.retain);
      this.progress = {
        operatorName: this.within ? "dedupeWithinWatermark" : "dedupe",
        numRowsTotal: total, numRowsUpdated: await count(spark, fresh), numRowsRemoved: before - total, numRowsDroppedByWatermark: dropped,
      };
    } finally {
      for (const t of [state, cand, fresh, next]) await spark.db.run(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}

type AggFn = "count" | "sum" | "min" | "max" | "avg";

interface AggSpec {
  fn: AggFn;
  arg: string;
  name: string;
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

function parseAgg(c: Column): AggSpec {
  const name = c._s.alias ?? c._s.name;
  const sql = resolveMarkers(c._s.sql).trim();
  const m = /^(count|sum|min|max|avg)\((.*)\)$/is.exec(sql);
  const arg = m?.[2]?.trim();
  if (!c._s.agg || !m || !arg || !balanced(arg) || /^distinct\b/i.test(arg) || (arg === "*" && m[1]!.toLowerCase() !== "count")) {
    throw new UnsupportedStreamingOperationError(`aggregate ${name}`,
      `The streaming aggregate \`${name}\` (${sql}) is not supported by this local engine: streaming state keeps mergeable partial aggregates only — count, sum, avg/mean, min, max, each applied directly to a column or expression. Compute other values from these in a select after the aggregation (e.g. sum / count), or aggregate each batch in foreachBatch. countDistinct is not mergeable: use approx counts in a batch job, or dropDuplicates then count.`,
      { aggregate: name });
  }
  return { fn: m[1]!.toLowerCase() as AggFn, arg, name };
}

/** groupBy(…).agg(…) on a stream. */
export class AggregateExec extends OperatorExec {
  private keySql: string[] = [];
  private keyNames: string[] = [];
  private aggs: AggSpec[] = [];
  /** SQL deciding that a state row's event-time key is behind the watermark. */
  private evictKey: string | undefined;
  /** Same test on an input row (late data). */
  private lateRow: string | undefined;
  private finalTypes: Field[] = [];
  private partialSql = "";
  private partialTypes: Field[] = [];
  private store!: StateStore;
  private mode: OutputMode = "append";
  private retain = 100;

  async prepare(spark: SparkSession, inputFields: Field[], watermark: WatermarkSpec | undefined, mode: OutputMode, stateDir: string | undefined, inputRelation: string): Promise<Field[]> {
    const op = this.op as Extract<StatefulOp, { kind: "aggregate" }>;
    this.mode = mode;
    this.keySql = op.keys.map((k) => resolveMarkers(k._s.sql));
    this.keyNames = op.keys.map((k) => k._s.alias ?? k._s.name);
    this.aggs = op.aggs.map(parseAgg);
    const wm = watermark && findField(inputFields, watermark.column);
    if (wm) {
      op.keys.forEach((k, i) => {
        const w = windowInfo(k);
        const colName = w ? w.timeColumn : k._s.ref && k._s.ref.parts.length === 1 ? k._s.ref.parts[0] : undefined;
        if (!colName || colName.toLowerCase() !== wm.name.toLowerCase() || this.evictKey) return;
        const keyRef = qi(`__k${i}`);
        this.evictKey = w ? `epoch_us(struct_extract(${keyRef}, 'end'))` : `epoch_us(${keyRef})`;
        this.lateRow = w ? `epoch_us(struct_extract(${this.keySql[i]}, 'end'))` : `epoch_us(${this.keySql[i]})`;
      });
    }
    if (mode === "append" && !this.evictKey) {
      throw new UnsupportedStreamingOperationError("append mode aggregation without watermark",
        `Append output mode not supported when there are streaming aggregations on streaming DataFrames without watermark: a group could still change, so it can never be emitted. Add withWatermark("ts", "10 minutes") and group by window(col("ts"), …) (or by the event-time column), or use outputMode("complete") / ("update") (Delta sinks take complete; update needs foreachBatch).`,
        {}, "STREAMING_OUTPUT_MODE_UNSUPPORTED");
    }
    const rel = inputRelation;
    const keys = this.keySql.map((s, i) => `${s} AS ${qi(`__k${i}`)}`);
    const partials: string[] = [];
    this.aggs.forEach((a, j) => {
      if (a.fn === "avg") partials.push(`sum(${a.arg}) AS ${qi(`__p${j}`)}`, `count(${a.arg}) AS ${qi(`__c${j}`)}`);
      else partials.push(`${a.fn}(${a.arg}) AS ${qi(`__p${j}`)}`);
    });
    this.partialSql = `SELECT ${[...keys, ...partials].join(", ")} FROM %INPUT%%WHERE%${keys.length ? ` GROUP BY ${keys.map((_, i) => i + 1).join(", ")}` : ""}`;
    this.partialTypes = await spark.db.describe(this.partialSql.replace("%INPUT%", rel).replace("%WHERE%", ""));
    const finals = [...this.keySql.map((s, i) => `${s} AS ${qi(this.keyNames[i]!)}`), ...op.aggs.map((a, j) => `${resolveMarkers(a._s.sql)} AS ${qi(this.aggs[j]!.name)}`)];
    this.finalTypes = await spark.db.describe(`SELECT ${finals.join(", ")} FROM ${rel}${keys.length ? ` GROUP BY ${keys.map((_, i) => i + 1).join(", ")}` : ""}`);
    this.store = new StateStore(spark, stateDir!);
    await this.store.checkMetadata({ operatorName: "stateStoreSave", keys: this.keySql, aggregates: this.aggs.map((a) => `${a.fn}(${a.arg})`) });
    this.retain = Number(spark.conf.get("spark.sql.streaming.minBatchesToRetain") ?? 100);
    return this.finalTypes;
  }

  async execute(env: BatchEnv, input: string): Promise<void> {
    const { spark } = env;
    const wmUs = env.watermarkMs * 1000;
    const state = tempName("aggstate");
    const partial = tempName("aggpartial");
    const merged = tempName("aggmerged");
    const next = tempName("aggnext");
    const keys = this.keyNames.map((_, i) => qi(`__k${i}`));
    const dropLate = this.lateRow && this.mode !== "complete" && env.watermarkMs > 0;
    try {
      await this.store.load(env.batchId, state, `SELECT * FROM (${this.partialSql.replace("%INPUT%", input).replace("%WHERE%", "")}) WHERE false`);
      const total = await count(spark, input);
      let dropped = 0;
      const where = dropLate ? ` WHERE NOT (${this.lateRow} <= ${wmUs})` : "";
      if (dropLate) dropped = Number((await spark.db.query(`SELECT count(*) AS n FROM ${input} WHERE ${this.lateRow} <= ${wmUs}`)).rows[0]!["n"]);
      // A global aggregation over no rows still yields one row: only merge it when rows arrived.
      const partialSql = this.partialSql.replace("%INPUT%", input).replace("%WHERE%", where);
      await replaceTable(spark, partial, keys.length || total - dropped > 0 ? partialSql : `SELECT * FROM (${partialSql}) WHERE false`);
      const merges: string[] = [];
      for (const t of this.partialTypes) {
        if (t.name.startsWith("__k")) continue;
        const j = Number(t.name.slice(3));
        const a = this.aggs[j]!;
        const fn = t.name.startsWith("__c") || a.fn === "count" || a.fn === "sum" || a.fn === "avg" ? "sum" : a.fn;
        merges.push(`CAST(${fn}(${qi(t.name)}) AS ${t.type}) AS ${qi(t.name)}`);
      }
      await replaceTable(spark, merged, `SELECT ${[...keys, ...merges, "max(__upd) AS __upd"].join(", ")} FROM (SELECT *, 0 AS __upd FROM ${state} UNION ALL BY NAME SELECT *, 1 AS __upd FROM ${partial})${keys.length ? ` GROUP BY ${keys.join(", ")}` : " HAVING count(*) > 0"}`);
      const evictable = this.evictKey && this.mode !== "complete" ? `(${this.evictKey} <= ${wmUs})` : "false";
      let emit: string;
      if (this.mode === "complete") emit = "true";
      else if (this.mode === "update") emit = "__upd = 1";
      else emit = evictable;
      const outCols = [
        ...this.keyNames.map((n, i) => `CAST(${keys[i]} AS ${this.finalTypes[i]!.type}) AS ${qi(n)}`),
        ...this.aggs.map((a, j) => {
          const t = this.finalTypes[this.keyNames.length + j]!.type;
          const v = a.fn === "avg" ? `CAST(${qi(`__p${j}`)} AS DOUBLE) / NULLIF(${qi(`__c${j}`)}, 0)` : qi(`__p${j}`);
          return `CAST(${v} AS ${t}) AS ${qi(a.name)}`;
        }),
      ];
      await replaceTable(spark, this.relation, `SELECT ${outCols.join(", ")} FROM ${merged} WHERE ${emit}`);
      await replaceTable(spark, next, `SELECT * EXCLUDE (__upd) FROM ${merged} WHERE NOT ${evictable}`);
      const totalState = await count(spark, next);
      await this.store.save(env.batchId + 1, next, this.retain);
      this.progress = {
        operatorName: "stateStoreSave",
        numRowsTotal: totalState,
        numRowsUpdated: Number((await spark.db.query(`SELECT count(*) AS n FROM ${merged} WHERE __upd = 1`)).rows[0]!["n"]),
        numRowsRemoved: (await count(spark, merged)) - totalState,
        numRowsDroppedByWatermark: dropped,
      };
    } finally {
      for (const t of [state, partial, merged, next]) await spark.db.run(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}

export function makeExec(op: StatefulOp, relation: string): OperatorExec {
  switch (op.kind) {
    case "watermark": return new WatermarkExec(op, relation);
    case "dedup": return new DedupExec(op, relation);
    case "aggregate": return new AggregateExec(op, relation);
  }
}
