/**
 * A protocol validator: checks that a table's log is valid Delta, as another reader (Spark,
 * delta-rs) would need it. Tests run it on every table our writer produces, so "a valid Delta
 * table" is something we prove rather than assume. It reports every violation it finds instead
 * of stopping at the first.
 */
import type { Action, AddFile, Metadata, Protocol } from "./actions.js";
import { fileKey } from "./actions.js";
import { dvAbsolutePath, dvUniqueId } from "./deletion-vector.js";
import type { Engine } from "./engine.js";
import { classifyLog, LOG_DIR } from "./log-segment.js";
import { decodeAddPath } from "./partition-values.js";
import { applyActions, emptyState, parseCommit } from "./replay.js";
import { isArray, isMap, isStruct, parseSchemaString, type StructType } from "./schema.js";

export interface Violation {
  version?: number;
  path?: string;
  rule: string;
  message: string;
}

export interface ValidateOptions {
  /** Count the rows of a data file (checks stats.numRecords). */
  countRows?: (absPath: string) => Promise<number>;
  /** Also require a commitInfo in every commit (true for tables this lab writes). */
  requireCommitInfo?: boolean;
}

function checkProtocol(p: Protocol, v: number, out: Violation[]) {
  if (!Number.isInteger(p.minReaderVersion) || !Number.isInteger(p.minWriterVersion)) out.push({ version: v, rule: "protocol.versions", message: "protocol versions must be integers" });
  if (p.minReaderVersion === 3 && p.minWriterVersion !== 7) out.push({ version: v, rule: "protocol.reader3-writer7", message: "reader version 3 requires writer version 7" });
  if (p.minReaderVersion === 3 && !Array.isArray(p.readerFeatures)) out.push({ version: v, rule: "protocol.readerFeatures", message: "reader version 3 needs a readerFeatures list" });
  if (p.minWriterVersion === 7 && !Array.isArray(p.writerFeatures)) out.push({ version: v, rule: "protocol.writerFeatures", message: "writer version 7 needs a writerFeatures list" });
  for (const f of p.readerFeatures ?? []) {
    if (!(p.writerFeatures ?? []).includes(f)) out.push({ version: v, rule: "protocol.reader-in-writer", message: `reader feature ${f} must also be a writer feature` });
  }
}

function checkMetadata(m: Metadata, v: number, out: Violation[]): StructType | undefined {
  let schema: StructType | undefined;
  try {
    schema = parseSchemaString(m.schemaString);
  } catch (e) {
    out.push({ version: v, rule: "metaData.schemaString", message: `schemaString does not parse: ${(e as Error).message}` });
    return undefined;
  }
  if (!m.id) out.push({ version: v, rule: "metaData.id", message: "metaData.id is required" });
  if (m.format?.provider !== "parquet") out.push({ version: v, rule: "metaData.format", message: "format.provider must be parquet" });
  const names = new Set<string>();
  for (const f of schema.fields) {
    if (names.has(f.name.toLowerCase())) out.push({ version: v, rule: "schema.duplicate", message: `duplicate column ${f.name}` });
    names.add(f.name.toLowerCase());
  }
  for (const p of m.partitionColumns) {
    const f = schema.fields.find((x) => x.name === p);
    if (!f) out.push({ version: v, rule: "metaData.partitionColumns", message: `partition column ${p} is not in the schema` });
    else if (isStruct(f.type) || isArray(f.type) || isMap(f.type)) out.push({ version: v, rule: "metaData.partitionColumns", message: `partition column ${p} must be atomic` });
  }
  return schema;
}

function checkAdd(a: AddFile, partitionColumns: string[], v: number, out: Violation[]) {
  if (!a.path) out.push({ version: v, rule: "add.path", message: "add.path is required" });
  if (typeof a.size !== "number" || a.size < 0) out.push({ version: v, path: a.path, rule: "add.size", message: "add.size must be a non-negative number" });
  if (typeof a.modificationTime !== "number") out.push({ version: v, path: a.path, rule: "add.modificationTime", message: "add.modificationTime is required" });
  if (typeof a.dataChange !== "boolean") out.push({ version: v, path: a.path, rule: "add.dataChange", message: "add.dataChange must be boolean" });
  const keys = Object.keys(a.partitionValues ?? {}).sort();
  if (JSON.stringify(keys) !== JSON.stringify([...partitionColumns].sort())) {
    out.push({ version: v, path: a.path, rule: "add.partitionValues", message: `partitionValues keys [${keys.join(", ")}] must equal the partition columns [${partitionColumns.join(", ")}]` });
  }
  if (a.stats) {
    try {
      const s = JSON.parse(a.stats) as { numRecords?: unknown };
      if (a.deletionVector && typeof s.numRecords !== "number") out.push({ version: v, path: a.path, rule: "add.stats.numRecords", message: "numRecords is mandatory when a deletion vector is present" });
    } catch {
      out.push({ version: v, path: a.path, rule: "add.stats", message: "stats is not valid JSON" });
    }
  }
}

/** Validates the table at `tableRoot`; an empty list means valid. */
export async function validateTable(engine: Engine, tableRoot: string, opts: ValidateOptions = {}): Promise<Violation[]> {
  const out: Violation[] = [];
  const listing = classifyLog(await engine.storage.list(`${tableRoot}/${LOG_DIR}`));
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  if (versions.length === 0) return [{ rule: "log.empty", message: "no commits in _delta_log" }];
  for (let i = 1; i < versions.length; i++) {
    if (versions[i] !== versions[i - 1]! + 1) out.push({ version: versions[i - 1]! + 1, rule: "log.contiguous", message: `commit ${versions[i - 1]! + 1} is missing` });
  }
  const state = emptyState();
  let partitionColumns: string[] = [];
  for (const v of versions) {
    const file = listing.commits.get(v)!;
    let actions: Action[];
    try {
      actions = parseCommit(await engine.storage.readText(file.path), (d) => {
        throw new Error(d);
      });
    } catch (e) {
      out.push({ version: v, path: file.path, rule: "commit.json", message: (e as Error).message });
      continue;
    }
    const protocols = actions.filter((a) => a.protocol);
    const metas = actions.filter((a) => a.metaData);
    if (protocols.length > 1) out.push({ version: v, rule: "commit.protocol", message: "more than one protocol action" });
    if (metas.length > 1) out.push({ version: v, rule: "commit.metaData", message: "more than one metaData action" });
    if (v === 0 && versions[0] === 0 && (!protocols.length || !metas.length)) out.push({ version: v, rule: "commit.v0", message: "version 0 needs protocol and metaData" });
    if (opts.requireCommitInfo && !actions.some((a) => a.commitInfo)) out.push({ version: v, rule: "commit.commitInfo", message: "no commitInfo" });
    if (protocols[0]?.protocol) checkProtocol(protocols[0].protocol, v, out);
    if (metas[0]?.metaData) {
      checkMetadata(metas[0].metaData, v, out);
      partitionColumns = metas[0].metaData.partitionColumns;
    }
    const seen = new Map<string, string>();
    for (const a of actions) {
      const f = a.add ?? a.remove;
      if (!f) continue;
      const key = fileKey(f.path, f.deletionVector ? dvUniqueId(f.deletionVector) : undefined);
      const kind = a.add ? "add" : "remove";
      if (seen.has(key)) out.push({ version: v, path: f.path, rule: "commit.duplicate-file", message: `file appears twice in one commit (${seen.get(key)} and ${kind})` });
      seen.set(key, kind);
      if (a.add) checkAdd(a.add, partitionColumns, v, out);
      if (a.remove && typeof a.remove.dataChange !== "boolean") out.push({ version: v, path: f.path, rule: "remove.dataChange", message: "remove.dataChange must be boolean" });
    }
    for (const a of actions) {
      if (a.cdc && (a.cdc.dataChange !== false || typeof a.cdc.size !== "number")) out.push({ version: v, path: a.cdc.path, rule: "cdc", message: "cdc actions need size and dataChange=false" });
    }
    applyActions(state, actions);
  }
  // Every live file exists with the size the log says, and its stats count its rows.
  for (const add of state.files.values()) {
    const abs = add.path.startsWith("/") ? decodeAddPath(add.path) : `${tableRoot}/${decodeAddPath(add.path)}`;
    const parent = abs.slice(0, abs.lastIndexOf("/"));
    const info = (await engine.storage.list(parent)).find((f) => f.path === abs);
    if (!info) {
      out.push({ path: add.path, rule: "file.exists", message: "live data file is missing" });
      continue;
    }
    if (info.size !== add.size) out.push({ path: add.path, rule: "file.size", message: `size is ${info.size}, log says ${add.size}` });
    if (add.deletionVector) {
      const dv = dvAbsolutePath(add.deletionVector, tableRoot);
      if (dv && !(await engine.storage.exists(dv))) out.push({ path: add.path, rule: "dv.exists", message: `deletion vector file ${dv} is missing` });
    }
    if (opts.countRows && add.stats) {
      const n = (JSON.parse(add.stats) as { numRecords?: number }).numRecords;
      if (typeof n === "number") {
        const rows = await opts.countRows(abs);
        if (rows !== n) out.push({ path: add.path, rule: "stats.numRecords", message: `file has ${rows} rows, stats say ${n}` });
      }
    }
  }
  // Checkpoints must agree with the JSON replay at their version.
  for (const cp of listing.checkpoints) {
    if (!listing.commits.has(0)) break;
    const replay = emptyState();
    for (let v = 0; v <= cp.version; v++) {
      const f = listing.commits.get(v);
      if (f) applyActions(replay, parseCommit(await engine.storage.readText(f.path), (d) => { throw new Error(d); }));
    }
    const fromCp = emptyState();
    applyActions(fromCp, await engine.readCheckpointActions(cp.files.map((f) => f.path)));
    const a = [...replay.files.keys()].sort().join("\n");
    const b = [...fromCp.files.keys()].sort().join("\n");
    if (a !== b) out.push({ version: cp.version, rule: "checkpoint.files", message: "checkpoint live files differ from the JSON replay" });
    if (JSON.stringify(replay.metadata?.schemaString) !== JSON.stringify(fromCp.metadata?.schemaString)) out.push({ version: cp.version, rule: "checkpoint.metaData", message: "checkpoint metaData differs from the JSON replay" });
    if (JSON.stringify(replay.protocol) !== JSON.stringify(fromCp.protocol)) out.push({ version: cp.version, rule: "checkpoint.protocol", message: "checkpoint protocol differs from the JSON replay" });
  }
  return out;
}
