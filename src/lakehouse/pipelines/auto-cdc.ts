/**
 * AUTO CDC (formerly APPLY CHANGES): applies a stream of change records to a streaming table,
 * per key and in SEQUENCE BY order, whatever order the records arrive in.
 *
 * Each micro-batch of the source (foreachBatch of a streaming query with its own checkpoint) is
 * staged in a DuckDB temp table and applied with the session's MERGE:
 *
 *   SCD type 1  the target holds the latest row per key. Within a batch the latest change per key
 *               wins; a change whose sequence value is not newer than the last one applied to
 *               that key (kept in the flow's state, tombstones of deletes included) is ignored,
 *               so a late, older update never overwrites newer data nor resurrects a deleted row.
 *               Deletes (APPLY AS DELETE WHEN) remove the row; APPLY AS TRUNCATE WHEN empties
 *               the table. IGNORE NULL UPDATES keeps the current value of columns that are NULL in
 *               an update.
 *   SCD type 2  the target keeps every version of a row with `__START_AT` (the sequence value the
 *               version became current) and `__END_AT` (when it stopped, NULL for the current
 *               version). The history of every key touched by a batch is rebuilt from its existing
 *               versions plus the batch's changes, sorted by sequence value, so a late change lands
 *               between the versions it belongs to (splitting one) and a late delete closes the
 *               version current at that point. A change that leaves the tracked columns (TRACK
 *               HISTORY ON, default: all columns) unchanged updates the version in place instead of
 *               opening a new one. The rebuilt history is compared with the stored one and only
 *               the differences are merged (one atomic MERGE per batch), which also makes a re-run
 *               batch a no-op.
 *
 * The flow's state — the last sequence value and delete flag per key (SCD1), the delete events
 * (SCD2) — lives in a Delta table inside the flow's checkpoint directory (`<checkpoint>/cdc_state`),
 * so a full refresh, which deletes the checkpoint, also forgets it. Databricks keeps the same
 * information in hidden columns of a backing table and garbage-collects tombstones after
 * `pipelines.cdc.tombstoneGCThresholdInSeconds`; here they are kept forever.
 *
 * Target columns are the source columns (or COLUMNS (…)) minus COLUMNS * EXCEPT (…); keys must
 * stay. Columns that appear later in the source are added to the target (ALTER TABLE ADD
 * COLUMNS). Several changes for one key with the same sequence value are ambiguous (Databricks
 * requires distinct values); one of them is picked. A NULL sequence value fails the flow.
 */
import { LakehouseError } from "../errors.js";
import { quoteIdent } from "../engine/duckdb.js";
import { fromDuckType, typeToSql } from "../kernel/schema.js";
import { tempName } from "../operations/context.js";
import { DataFrame } from "../sql/dataframe/index.js";
import { DeltaTable } from "../sql/delta-table.js";
import type { SparkSession } from "../sql/session.js";

export interface CdcSpec {
  flowName: string;
  /** Qualified target table. */
  target: string;
  keys: string[];
  sequenceBy: string;
  applyAsDeletes?: string;
  applyAsTruncates?: string;
  columns?: string[];
  exceptColumns?: string[];
  storedAs: "SCD1" | "SCD2";
  trackHistoryColumns?: string[];
  trackHistoryExceptColumns?: string[];
  ignoreNullUpdates?: boolean;
  /** Directory of the flow's state Delta table. */
  statePath: string;
}

export interface CdcBatchResult {
  changes: number;
  upserts: number;
  deletes: number;
  /** Changes older than what the target already had (SCD1). */
  ignored: number;
}

const START = "__START_AT";
const END = "__END_AT";
const q = quoteIdent;

function cdcError(spec: CdcSpec, message: string, params: Record<string, unknown> = {}): LakehouseError {
  return new LakehouseError("AUTO_CDC_INVALID", `AUTO CDC into ${spec.target}: ${message}`, { target: spec.target, ...params });
}

/** A path table reference for SQL. */
function pathRef(path: string): string {
  return `delta.\`${path.replace(/`/g, "``")}\``;
}

interface Layout {
  keys: string[];
  /** Target data columns (keys included), in source order, with DuckDB types. */
  cols: { name: string; type: string }[];
  nonKeys: string[];
  tracked: string[];
  untracked: string[];
}

async function layoutOf(spark: SparkSession, spec: CdcSpec, relation: string): Promise<Layout> {
  const src = await spark.db.describe(`SELECT * FROM ${relation}`);
  const find = (n: string, what: string) => {
    const c = src.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (!c) throw cdcError(spec, `the ${what} column '${n}' is not a column of the source (columns: ${src.map((x) => x.name).join(", ")}).`, { column: n });
    return c.name;
  };
  const keys = spec.keys.map((k) => find(k, "KEYS"));
  if (!keys.length) throw cdcError(spec, "KEYS needs at least one column.");
  let cols = spec.columns?.length ? spec.columns.map((c) => src.find((x) => x.name === find(c, "COLUMNS"))!) : src;
  const except = new Set((spec.exceptColumns ?? []).map((c) => find(c, "COLUMNS * EXCEPT").toLowerCase()));
  cols = cols.filter((c) => !except.has(c.name.toLowerCase()));
  for (const k of keys) {
    if (!cols.some((c) => c.name === k)) throw cdcError(spec, `the key column '${k}' is excluded from the target columns; keys must be part of the target.`, { column: k });
  }
  for (const c of cols) {
    if (c.name.toUpperCase() === START || c.name.toUpperCase() === END) {
      throw cdcError(spec, `the source has a column named ${c.name}, which AUTO CDC reserves for SCD type 2 history. Exclude or rename it.`);
    }
  }
  const nonKeys = cols.map((c) => c.name).filter((n) => !keys.includes(n));
  let tracked = nonKeys;
  if (spec.trackHistoryColumns?.length) tracked = spec.trackHistoryColumns.map((c) => find(c, "TRACK HISTORY ON")).filter((n) => nonKeys.includes(n));
  else if (spec.trackHistoryExceptColumns?.length) {
    const ex = new Set(spec.trackHistoryExceptColumns.map((c) => find(c, "TRACK HISTORY ON * EXCEPT").toLowerCase()));
    tracked = nonKeys.filter((n) => !ex.has(n.toLowerCase()));
  }
  return { keys, cols: cols.map((c) => ({ name: c.name, type: c.type })), nonKeys, tracked, untracked: nonKeys.filter((n) => !tracked.includes(n)) };
}

async function tableExists(spark: SparkSession, name: string): Promise<boolean> {
  return (await spark.targetOf({ kind: "name", parts: name.split(".") }, false)).snapshot !== undefined;
}

async function pathTableExists(spark: SparkSession, path: string): Promise<boolean> {
  return (await spark.targetOf({ kind: "path", format: "delta", path }, false)).snapshot !== undefined;
}

/** Temp tables of one batch, dropped at the end. */
class Temps {
  private readonly names: string[] = [];
  constructor(private readonly spark: SparkSession) {}
  async create(kind: string, sql: string): Promise<string> {
    const n = tempName(kind);
    this.names.push(n);
    await this.spark.db.run(`CREATE TEMP TABLE ${n} AS ${sql}`);
    return n;
  }
  async dropAll(): Promise<void> {
    for (const n of this.names.splice(0)) await this.spark.db.run(`DROP TABLE IF EXISTS ${n}`);
  }
}

const keyEq = (keys: string[], a: string, b: string) => keys.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(" AND ");

/** The change events of a batch: target columns, __seq, __del (and __trunc). */
function eventsSql(spec: CdcSpec, layout: Layout, relation: string): string {
  const cols = layout.cols.map((c) => q(c.name));
  cols.push(`(${spec.sequenceBy}) AS __seq`, `coalesce((${spec.applyAsDeletes ?? "false"}), false) AS __del`);
  if (spec.applyAsTruncates) cols.push(`coalesce((${spec.applyAsTruncates}), false) AS __trunc`);
  return `SELECT ${cols.join(", ")} FROM ${relation}`;
}

/** Adds target columns that appeared in the source since the target was created. */
async function ensureColumns(spark: SparkSession, target: string, layout: Layout): Promise<void> {
  const t = await spark.targetOf({ kind: "name", parts: target.split(".") });
  const have = new Set(t.snapshot!.schema.fields.map((f) => f.name.toLowerCase()));
  const missing = layout.cols.filter((c) => !have.has(c.name.toLowerCase()));
  if (!missing.length) return;
  await spark.sql(`ALTER TABLE ${target} ADD COLUMNS (${missing.map((c) => `\`${c.name.replace(/`/g, "``")}\` ${typeToSql(fromDuckType(c.type))}`).join(", ")})`);
}

/** Creates the target (empty) with the layout's columns (plus history columns for SCD2) if it does not exist. */
export async function ensureCdcTarget(spark: SparkSession, spec: CdcSpec, relation: string, partitionBy: string[] = [], properties: Record<string, string> = {}): Promise<boolean> {
  if (await tableExists(spark, spec.target)) return false;
  const layout = await layoutOf(spark, spec, relation);
  const ev = eventsSql(spec, layout, relation);
  const cols = layout.cols.map((c) => q(c.name));
  if (spec.storedAs === "SCD2") cols.push(`__seq AS ${START}`, `__seq AS ${END}`);
  await spark.write(`SELECT ${cols.join(", ")} FROM (${ev}) AS __e WHERE false`, {
    format: "delta", mode: "append", options: Object.fromEntries(Object.entries(properties).filter(([k]) => k.startsWith("delta."))), partitionBy, target: { kind: "table", name: spec.target },
  });
  return true;
}

/** Applies one staged batch of change records (`relation`) to the target. */
export async function applyCdcBatch(spark: SparkSession, spec: CdcSpec, relation: string): Promise<CdcBatchResult> {
  const layout = await layoutOf(spark, spec, relation);
  const temps = new Temps(spark);
  try {
    const ev0 = await temps.create("cdc_ev", eventsSql(spec, layout, relation));
    const counts = (await spark.db.query(`SELECT count(*) AS n, count(*) FILTER (WHERE __seq IS NULL) AS nulls, count(*) FILTER (WHERE __del) AS dels FROM ${ev0}`)).rows[0]!;
    const n = Number(counts["n"]);
    if (Number(counts["nulls"]) > 0) {
      throw cdcError(spec, `${Number(counts["nulls"])} change record(s) have a NULL SEQUENCE BY value (${spec.sequenceBy}). Every change needs a sequence value to be ordered; filter or fix them upstream.`);
    }
    if (n === 0) return { changes: 0, upserts: 0, deletes: 0, ignored: 0 };
    await ensureCdcTarget(spark, spec, relation);
    await ensureColumns(spark, spec.target, layout);
    return spec.storedAs === "SCD2" ? await applyScd2(spark, spec, layout, ev0, temps, n) : await applyScd1(spark, spec, layout, ev0, temps, n);
  } finally {
    await temps.dropAll();
  }
}

async function readState(spark: SparkSession, spec: CdcSpec): Promise<string | undefined> {
  if (!(await pathTableExists(spark, spec.statePath))) return undefined;
  return (await spark.compile(`SELECT * FROM ${pathRef(spec.statePath)}`)).sql;
}

/** Upserts (key, __seq, __del) rows of `relation` into the state table. */
async function saveState(spark: SparkSession, spec: CdcSpec, layout: Layout, relation: string, onlyNewer: boolean): Promise<void> {
  const cols = [...layout.keys.map(q), "__seq", "__del"].join(", ");
  if (!(await pathTableExists(spark, spec.statePath))) {
    await spark.write(`SELECT ${cols} FROM ${relation}`, { format: "delta", mode: "append", options: {}, partitionBy: [], target: { kind: "path", path: spec.statePath } });
    return;
  }
  const dt = await DeltaTable.forPath(spark, spec.statePath);
  let m = dt.alias("t").merge(DataFrame.fromTable(spark, relation), keyEq(layout.keys, "t", "s") + (onlyNewer ? "" : " AND t.__seq = s.__seq"), "s");
  if (onlyNewer) m = m.whenMatchedUpdate({ __seq: "s.__seq", __del: "s.__del" }, "s.__seq > t.__seq");
  const ins: Record<string, string> = {};
  for (const k of layout.keys) ins[k] = `s.${q(k)}`;
  ins["__seq"] = "s.__seq";
  ins["__del"] = "s.__del";
  await m.whenNotMatchedInsert(ins).execute();
}

async function applyScd1(spark: SparkSession, spec: CdcSpec, layout: Layout, ev0: string, temps: Temps, n: number): Promise<CdcBatchResult> {
  const K = layout.keys.map(q).join(", ");
  let events = ev0;

  // APPLY AS TRUNCATE WHEN: empty the target; older changes (and older late arrivals) are void.
  if (spec.applyAsTruncates) {
    const t = (await spark.db.query(`SELECT count(*) FILTER (WHERE __trunc) AS n FROM ${ev0}`)).rows[0]!;
    if (Number(t["n"]) > 0) {
      await spark.sql(`DELETE FROM ${spec.target}`);
      const tmax = await temps.create("cdc_tr", `SELECT max(__seq) AS __tseq FROM ${ev0} WHERE __trunc`);
      const state = await readState(spark, spec);
      if (state) {
        // Every known key becomes a tombstone at the truncate's sequence value.
        const tomb = await temps.create("cdc_tomb", `SELECT ${layout.keys.map((k) => `s.${q(k)}`).join(", ")}, x.__tseq AS __seq, true AS __del FROM (${state}) AS s, ${tmax} AS x`);
        await saveState(spark, spec, layout, tomb, true);
      }
      events = await temps.create("cdc_ev", `SELECT * EXCLUDE (__trunc) FROM ${ev0} WHERE NOT __trunc AND __seq > (SELECT __tseq FROM ${tmax})`);
    } else events = await temps.create("cdc_ev", `SELECT * EXCLUDE (__trunc) FROM ${ev0}`);
  }

  // Changes not newer than what was already applied to the key are ignored.
  const state = await readState(spark, spec);
  const fresh = state
    ? await temps.create("cdc_fresh", `SELECT e.* FROM ${events} AS e LEFT JOIN (${state}) AS s ON ${keyEq(layout.keys, "e", "s")} WHERE s.__seq IS NULL OR e.__seq > s.__seq`)
    : events;
  const freshN = Number((await spark.db.query(`SELECT count(*) AS n FROM ${fresh}`)).rows[0]!["n"]);

  // IGNORE NULL UPDATES: a NULL takes the last non-NULL value of the key since its last delete.
  let filled = fresh;
  if (spec.ignoreNullUpdates && layout.nonKeys.length) {
    const grp = `sum(CASE WHEN __del THEN 1 ELSE 0 END) OVER (PARTITION BY ${K} ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    const g = await temps.create("cdc_grp", `SELECT *, ${grp} AS __grp FROM ${fresh}`);
    const fill = layout.nonKeys.map((c) => `last_value(${q(c)} IGNORE NULLS) OVER (PARTITION BY ${K}, __grp ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${q(c)}`);
    filled = await temps.create("cdc_fill", `SELECT ${layout.keys.map(q).join(", ")}, ${fill.join(", ")}, __seq, __del, __grp > 0 AS __fresh FROM ${g}`);
  }
  const latest = await temps.create("cdc_latest", `SELECT * FROM ${filled} QUALIFY row_number() OVER (PARTITION BY ${K} ORDER BY __seq DESC) = 1`);
  const kinds = (await spark.db.query(`SELECT count(*) FILTER (WHERE __del) AS d, count(*) FILTER (WHERE NOT __del) AS u FROM ${latest}`)).rows[0]!;
  const upserts = Number(kinds["u"]);
  const deletes = Number(kinds["d"]);

  if (upserts + deletes > 0) {
    const dt = await DeltaTable.forName(spark, spec.target);
    const set: Record<string, string> = {};
    for (const c of layout.nonKeys) {
      set[c] = spec.ignoreNullUpdates ? `CASE WHEN s.__fresh THEN s.${q(c)} ELSE coalesce(s.${q(c)}, t.${q(c)}) END` : `s.${q(c)}`;
    }
    const ins: Record<string, string> = {};
    for (const c of layout.cols) ins[c.name] = `s.${q(c.name)}`;
    let m = dt.alias("t").merge(DataFrame.fromTable(spark, latest), keyEq(layout.keys, "t", "s"), "s").whenMatchedDelete("s.__del");
    if (Object.keys(set).length) m = m.whenMatchedUpdate(set, "NOT s.__del");
    await m.whenNotMatchedInsert(ins, "NOT s.__del").execute();
    await saveState(spark, spec, layout, latest, true);
  }
  return { changes: n, upserts, deletes, ignored: n - freshN };
}

async function applyScd2(spark: SparkSession, spec: CdcSpec, layout: Layout, ev0: string, temps: Temps, n: number): Promise<CdcBatchResult> {
  const K = layout.keys.map(q).join(", ");
  const D = layout.nonKeys.map(q);
  const keysOf = (alias: string) => layout.keys.map((k) => `${alias}.${q(k)}`).join(", ");
  const affected = await temps.create("cdc_keys", `SELECT DISTINCT ${K} FROM ${ev0}`);
  const scan = (await spark.compile(`SELECT * FROM ${spec.target}`)).sql;
  const X = await temps.create("cdc_cur", `SELECT t.* FROM (${scan}) AS t WHERE EXISTS (SELECT 1 FROM ${affected} AS a WHERE ${keyEq(layout.keys, "a", "t")})`);
  const state = await readState(spark, spec);

  // Every event of the affected keys: the stored versions (an upsert at __START_AT, a delete at an
  // __END_AT no version starts at), stored deletes, and the batch (which wins on equal sequence).
  const parts = [
    `SELECT ${K}${D.length ? `, ${D.join(", ")}` : ""}, ${START} AS __seq, false AS __del, 0 AS __pri FROM ${X}`,
    `SELECT ${keysOf("x")}, x.${END} AS __seq, true AS __del, 0 AS __pri FROM ${X} AS x WHERE x.${END} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${X} AS y WHERE ${keyEq(layout.keys, "x", "y")} AND y.${START} = x.${END})`,
    `SELECT ${K}${D.length ? `, ${D.join(", ")}` : ""}, __seq, __del, 1 AS __pri FROM ${ev0}`,
  ];
  if (state) parts.push(`SELECT ${keysOf("s")}, s.__seq, true AS __del, 0 AS __pri FROM (${state}) AS s WHERE s.__del AND EXISTS (SELECT 1 FROM ${affected} AS a WHERE ${keyEq(layout.keys, "a", "s")})`);
  let ev = await temps.create("cdc_all", `SELECT * FROM (${parts.join(" UNION ALL BY NAME ")}) QUALIFY row_number() OVER (PARTITION BY ${K}, __seq ORDER BY __pri DESC) = 1`);

  if (spec.ignoreNullUpdates && D.length) {
    const grp = `sum(CASE WHEN __del THEN 1 ELSE 0 END) OVER (PARTITION BY ${K} ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    const g = await temps.create("cdc_grp", `SELECT *, ${grp} AS __grp FROM ${ev}`);
    const fill = D.map((c) => `last_value(${c} IGNORE NULLS) OVER (PARTITION BY ${K}, __grp ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS ${c}`);
    ev = await temps.create("cdc_fill", `SELECT ${K}, ${fill.join(", ")}, __seq, __del FROM ${g}`);
  }

  // A delete after a delete (or first) changes nothing; an upsert whose tracked columns equal the
  // previous upsert's continues that version. Runs start at the remaining (leading) events.
  const w = `(PARTITION BY ${K} ORDER BY __seq)`;
  const same = layout.tracked.map((c) => `${q(c)} IS NOT DISTINCT FROM lag(${q(c)}) OVER ${w}`);
  const red = `CASE WHEN __del THEN (lag(__seq) OVER ${w} IS NULL OR lag(__del) OVER ${w}) ELSE (lag(__seq) OVER ${w} IS NOT NULL AND NOT lag(__del) OVER ${w}${same.length ? ` AND ${same.join(" AND ")}` : ""}) END`;
  const r = await temps.create("cdc_red", `SELECT *, ${red} AS __red FROM ${ev}`);
  const run = await temps.create("cdc_run", `SELECT *, sum(CASE WHEN __red THEN 0 ELSE 1 END) OVER (PARTITION BY ${K} ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __run FROM ${r}`);
  const untracked = layout.untracked.map((c) => `last_value(${q(c)}) OVER (PARTITION BY ${K}, __run ORDER BY __seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS ${q(c)}`);
  const withUntracked = untracked.length ? `SELECT * EXCLUDE (${layout.untracked.map(q).join(", ")}), ${untracked.join(", ")} FROM ${run}` : `SELECT * FROM ${run}`;
  const lead = await temps.create("cdc_lead", `SELECT * EXCLUDE (__red, __run) FROM (${withUntracked}) AS __w WHERE NOT __red`);
  const colsOut = layout.cols.map((c) => q(c.name)).join(", ");
  const H = await temps.create("cdc_hist", `SELECT ${colsOut}, __seq AS ${START}, __end AS ${END} FROM (SELECT *, lead(__seq) OVER ${w} AS __end FROM ${lead}) WHERE NOT __del`);

  // Only the differences go into the MERGE.
  const sameRow = [...layout.nonKeys, END].map((c) => `h.${q(c)} IS NOT DISTINCT FROM x.${q(c)}`).join(" AND ");
  const diff = await temps.create("cdc_diff", [
    `SELECT h.*, 'U' AS __op FROM ${H} AS h WHERE NOT EXISTS (SELECT 1 FROM ${X} AS x WHERE ${keyEq(layout.keys, "h", "x")} AND h.${START} = x.${START} AND ${sameRow})`,
    `SELECT ${keysOf("x")}, x.${START}, 'D' AS __op FROM ${X} AS x WHERE NOT EXISTS (SELECT 1 FROM ${H} AS h WHERE ${keyEq(layout.keys, "h", "x")} AND h.${START} = x.${START})`,
  ].join(" UNION ALL BY NAME "));
  const changed = Number((await spark.db.query(`SELECT count(*) AS n FROM ${diff}`)).rows[0]!["n"]);
  if (changed > 0) {
    const dt = await DeltaTable.forName(spark, spec.target);
    const set: Record<string, string> = {};
    for (const c of [...layout.nonKeys, END]) set[c] = `s.${q(c)}`;
    const ins: Record<string, string> = {};
    for (const c of [...layout.cols.map((x) => x.name), START, END]) ins[c] = `s.${q(c)}`;
    await dt.alias("t").merge(DataFrame.fromTable(spark, diff), `${keyEq(layout.keys, "t", "s")} AND t.${START} = s.${START}`, "s")
      .whenMatchedDelete("s.__op = 'D'")
      .whenMatchedUpdate(set)
      .whenNotMatchedInsert(ins, "s.__op = 'U'")
      .execute();
  }
  // Deletes are kept so that a later, older change cannot reopen a deleted key.
  const dels = await temps.create("cdc_dels", `SELECT DISTINCT ${K}, __seq, true AS __del FROM ${ev0} WHERE __del`);
  const d = Number((await spark.db.query(`SELECT count(*) AS n FROM ${dels}`)).rows[0]!["n"]);
  if (d > 0) await saveState(spark, spec, layout, dels, false);
  const kinds = (await spark.db.query(`SELECT count(*) FILTER (WHERE __del) AS d FROM ${ev0}`)).rows[0]!;
  return { changes: n, upserts: n - Number(kinds["d"]), deletes: Number(kinds["d"]), ignored: 0 };
}
