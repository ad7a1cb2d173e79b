/**
 * DeltaTable, after delta-spark's Python API: `DeltaTable.forName(spark, "c360.silver.customers")`
 * with the merge builder (whenMatchedUpdate/Delete, whenNotMatchedInsert,
 * whenNotMatchedBySourceUpdate/Delete), history, detail, vacuum, restore, update and delete.
 * Everything goes through the session's operations, like SQL does.
 *
 * @example
 *   const t = await DeltaTable.forName(spark, "main.default.customers");
 *   await t.alias("t")
 *     .merge(updatesDf.alias("s"), "t.id = s.id")
 *     .whenMatchedUpdateAll()
 *     .whenNotMatchedInsertAll()
 *     .execute();
 */
import { LakehouseError } from "../errors.js";
import { executeDelete } from "../operations/delete.js";
import { executeUpdate } from "../operations/update.js";
import { executeMerge, type MergeClause } from "../operations/merge.js";
import { conditionToPredicate } from "./predicates.js";
import type { DataFrame } from "./dataframe/index.js";
import type { TableRef } from "./parser/ast.js";
import type { SparkSession } from "./session.js";

type Assignments = Record<string, string>;

export class DeltaTable {
  private constructor(private readonly spark: SparkSession, private readonly ref: TableRef, private readonly aliasName?: string) {}

  static async forName(spark: SparkSession, name: string): Promise<DeltaTable> {
    const ref: TableRef = { kind: "name", parts: name.split(".") };
    await spark.targetOf(ref);
    return new DeltaTable(spark, ref);
  }

  static async forPath(spark: SparkSession, path: string): Promise<DeltaTable> {
    const ref: TableRef = { kind: "path", format: "delta", path };
    await spark.targetOf(ref);
    return new DeltaTable(spark, ref);
  }

  static async isDeltaTable(spark: SparkSession, path: string): Promise<boolean> {
    return spark.engine.storage.exists(`${path}/_delta_log/${"0".repeat(20)}.json`).then(async (v0) => v0 || (await spark.engine.storage.list(`${path}/_delta_log`)).some((f) => /^\d{20}\.(json|checkpoint)/.test(f.name)));
  }

  private get sqlName(): string {
    return this.ref.kind === "path" ? `delta.\`${this.ref.path}\`` : this.ref.parts.join(".");
  }

  alias(name: string): DeltaTable {
    return new DeltaTable(this.spark, this.ref, name);
  }

  toDF(): DataFrame {
    return this.spark.table(this.sqlName);
  }

  history(limit?: number): Promise<DataFrame> {
    return this.spark.sql(`DESCRIBE HISTORY ${this.sqlName}${limit ? ` LIMIT ${limit}` : ""}`);
  }

  detail(): Promise<DataFrame> {
    return this.spark.sql(`DESCRIBE DETAIL ${this.sqlName}`);
  }

  vacuum(retentionHours?: number): Promise<DataFrame> {
    return this.spark.sql(`VACUUM ${this.sqlName}${retentionHours !== undefined ? ` RETAIN ${retentionHours} HOURS` : ""}`);
  }

  restoreToVersion(version: number): Promise<DataFrame> {
    return this.spark.sql(`RESTORE TABLE ${this.sqlName} TO VERSION AS OF ${Math.trunc(version)}`);
  }

  restoreToTimestamp(ts: string): Promise<DataFrame> {
    return this.spark.sql(`RESTORE TABLE ${this.sqlName} TO TIMESTAMP AS OF '${ts.replace(/'/g, "''")}'`);
  }

  async delete(condition?: string): Promise<void> {
    const target = await this.spark.targetOf(this.ref);
    const alias = this.aliasName ?? (this.ref.kind === "name" ? this.ref.parts[this.ref.parts.length - 1]! : "t");
    await executeDelete(this.spark.opContext, target, { alias, condition: condition ? { sql: condition, predicate: await conditionToPredicate(this.spark.db, condition, target.snapshot!.schema.fields.map((f) => f.name), alias) } : undefined });
  }

  /** delta-spark's update(condition, set): `set` maps column → SQL expression. */
  async update(condition: string | undefined, set: Assignments): Promise<void> {
    const target = await this.spark.targetOf(this.ref);
    const alias = this.aliasName ?? (this.ref.kind === "name" ? this.ref.parts[this.ref.parts.length - 1]! : "t");
    await executeUpdate(this.spark.opContext, target, {
      alias,
      assignments: Object.entries(set).map(([column, value]) => ({ column, value })),
      condition: condition ? { sql: condition, predicate: await conditionToPredicate(this.spark.db, condition, target.snapshot!.schema.fields.map((f) => f.name), alias) } : undefined,
    });
  }

  /** Starts a merge with `source` (a DataFrame, optionally aliased via `sourceAlias`). */
  merge(source: DataFrame, condition: string, sourceAlias = "source"): DeltaMergeBuilder {
    return new DeltaMergeBuilder(this.spark, this.ref, this.aliasName, source, sourceAlias, condition, []);
  }
}

export class DeltaMergeBuilder {
  constructor(
    private readonly spark: SparkSession,
    private readonly ref: TableRef,
    private readonly targetAlias: string | undefined,
    private readonly source: DataFrame,
    private readonly sourceAlias: string,
    private readonly on: string,
    private readonly clauses: readonly MergeClause[],
  ) {}

  private add(c: MergeClause): DeltaMergeBuilder {
    return new DeltaMergeBuilder(this.spark, this.ref, this.targetAlias, this.source, this.sourceAlias, this.on, [...this.clauses, c]);
  }
  private static assign(set: Assignments) {
    return Object.entries(set).map(([column, value]) => ({ column, value }));
  }
  whenMatchedUpdate(set: Assignments, condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "matched", condition, action: { type: "update", assignments: DeltaMergeBuilder.assign(set) } });
  }
  whenMatchedUpdateAll(condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "matched", condition, action: { type: "updateAll" } });
  }
  whenMatchedDelete(condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "matched", condition, action: { type: "delete" } });
  }
  whenNotMatchedInsert(values: Assignments, condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "notMatched", condition, action: { type: "insert", columns: Object.keys(values), values: Object.values(values) } });
  }
  whenNotMatchedInsertAll(condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "notMatched", condition, action: { type: "insertAll" } });
  }
  whenNotMatchedBySourceUpdate(set: Assignments, condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "notMatchedBySource", condition, action: { type: "update", assignments: DeltaMergeBuilder.assign(set) } });
  }
  whenNotMatchedBySourceDelete(condition?: string): DeltaMergeBuilder {
    return this.add({ kind: "notMatchedBySource", condition, action: { type: "delete" } });
  }
  withSchemaEvolution(): DeltaMergeBuilder {
    return new DeltaMergeBuilderEvolving(this.spark, this.ref, this.targetAlias, this.source, this.sourceAlias, this.on, this.clauses);
  }

  protected evolve = false;

  async execute(): Promise<Record<string, number>> {
    if (!this.clauses.length) throw new LakehouseError("DELTA_MERGE_INVALID_CLAUSE", "Add at least one when…() clause before execute().", {});
    const target = await this.spark.targetOf(this.ref);
    const source = await this.source.resolve();
    const compiled = await this.spark.compile(source.toSQL());
    const res = await executeMerge(this.spark.opContext, target, {
      sourceSql: compiled.sql,
      sourceAlias: this.sourceAlias,
      targetAlias: this.targetAlias ?? (this.ref.kind === "name" ? this.ref.parts[this.ref.parts.length - 1]! : "target"),
      on: this.on,
      clauses: [...this.clauses],
      schemaEvolution: this.evolve || this.spark.conf.get("spark.databricks.delta.schema.autoMerge.enabled") === "true",
    });
    return res.metrics;
  }
}

class DeltaMergeBuilderEvolving extends DeltaMergeBuilder {
  protected override evolve = true;
}
