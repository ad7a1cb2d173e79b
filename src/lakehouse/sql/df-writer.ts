/**
 * df.write…save()/saveAsTable()/insertInto(): resolves the target through the session and runs
 * the WRITE operation. Options follow delta-spark: mergeSchema, overwriteSchema, replaceWhere,
 * maxRecordsPerFile, txnAppId/txnVersion (idempotent writes), userMetadata, path.
 */
import { LakehouseError } from "../errors.js";
import { executeWrite, type WriteMode } from "../operations/write.js";
import { conditionToPredicate } from "./predicates.js";
import type { WriteSpec } from "./dataframe/runner.js";
import type { SparkSession } from "./session.js";
import type { TableRef } from "./parser/ast.js";

export async function writeDataFrame(spark: SparkSession, sql: string, spec: WriteSpec): Promise<void> {
  if (spec.format.toLowerCase() !== "delta") {
    throw new LakehouseError("UNSUPPORTED_DATA_SOURCE", `Writing format("${spec.format}") is not supported; the lakehouse writes Delta tables. Use format("delta") (the default on Databricks).`, {});
  }
  const opt = (k: string): string | undefined => Object.entries(spec.options).find(([x]) => x.toLowerCase() === k.toLowerCase())?.[1];
  let ref: TableRef;
  let mode: WriteMode = spec.mode === "error" ? "errorifexists" : spec.mode;
  if (spec.target.kind === "path") ref = { kind: "path", format: "delta", path: spec.target.path };
  else ref = { kind: "name", parts: spec.target.name.split(".") };
  if (spec.target.kind === "insertInto") mode = spec.target.overwrite ? "overwrite" : "append";
  const resolved = await spark.resolveTable(ref, spec.target.kind === "insertInto");
  const target = await spark.targetOf({ kind: "path", format: "delta", path: resolved.root }, false);
  target.name = resolved.name;
  const compiled = await spark.compile(sql);
  const rw = opt("replaceWhere");
  const txnAppId = opt("txnAppId");
  const txnVersion = opt("txnVersion");
  const res = await executeWrite(spark.opContext, target, {
    sourceSql: compiled.sql,
    mode,
    partitionBy: spec.partitionBy,
    mergeSchema: opt("mergeSchema") === "true" || spark.conf.get("spark.databricks.delta.schema.autoMerge.enabled") === "true",
    overwriteSchema: opt("overwriteSchema") === "true",
    replaceWhere: rw && target.snapshot ? { sql: rw, predicate: await conditionToPredicate(spark.db, rw, target.snapshot.schema.fields.map((f) => f.name)) } : undefined,
    maxRecordsPerFile: opt("maxRecordsPerFile") ? Number(opt("maxRecordsPerFile")) : undefined,
    txn: txnAppId && txnVersion ? { appId: txnAppId, version: Number(txnVersion) } : undefined,
    userMetadata: opt("userMetadata"),
    properties: Object.fromEntries(Object.entries(spec.options).filter(([k]) => k.startsWith("delta."))),
    operation: target.snapshot ? "WRITE" : spec.target.kind === "table" ? "CREATE TABLE AS SELECT" : "WRITE",
  });
  if (res.commit) await spark.rememberSnapshot(res.commit.snapshot);
  if (spec.target.kind === "table" && !resolved.entry) {
    const [catalog, schema, name] = resolved.parts!;
    await spark.metastore.registerTable({ catalog, schema, name, type: opt("path") ? "EXTERNAL" : "MANAGED", location: resolved.root });
  }
}
