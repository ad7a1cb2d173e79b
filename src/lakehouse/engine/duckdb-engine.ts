/**
 * The kernel's Engine, implemented with the local file system and DuckDB: checkpoints are
 * Parquet files that DuckDB reads and writes with the column layout Spark and delta-rs use, so
 * a checkpoint written here is one any Delta reader can load.
 */
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Action } from "../kernel/actions.js";
import type { Engine } from "../kernel/engine.js";
import { LogCorruptError } from "../kernel/log-segment.js";
import { DuckDb, quoteString } from "./duckdb.js";
import { LocalStorage } from "./local-storage.js";

const MAP = "MAP(VARCHAR, VARCHAR)";
const DV = "STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, \"offset\" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)";

/** The checkpoint schema (PROTOCOL.md "Checkpoint Schema"), as DuckDB types. */
export const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: "STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)",
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, clusteringProvider VARCHAR)`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
  metaData: `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT)`,
  protocol: "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])",
  domainMetadata: "STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)",
};

function stripNulls(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(stripNulls);
  if (o && typeof o === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== null) out[k] = stripNulls(v);
    return out;
  }
  return o;
}

export class DuckDbEngine implements Engine {
  readonly storage = new LocalStorage();
  constructor(readonly db: DuckDb, readonly scratchDir: string = join(tmpdir(), `c360-${process.pid}`)) {}

  async readCheckpointActions(paths: string[]): Promise<Action[]> {
    const list = `[${paths.map(quoteString).join(", ")}]`;
    let cols: string[];
    try {
      cols = (await this.db.describe(`SELECT * FROM read_parquet(${list}, union_by_name = true)`)).map((c) => c.name);
    } catch (e) {
      throw new LogCorruptError(paths[0]!, (e as Error).message.split("\n")[0]!);
    }
    const wanted = Object.keys(CHECKPOINT_COLUMNS).filter((c) => cols.includes(c));
    const select = wanted.map((c) => `to_json("${c}") AS "${c}"`).join(", ");
    const res = await this.db.query(`SELECT ${select} FROM read_parquet(${list}, union_by_name = true)`);
    const actions: Action[] = [];
    for (const row of res.rows) {
      for (const c of wanted) {
        const v = row[c];
        if (v === null || v === undefined) continue;
        const parsed = stripNulls(JSON.parse(String(v))) as Record<string, unknown>;
        if (c === "add" || c === "remove") {
          // Checkpoints written by Spark carry an empty map for unpartitioned tables; keep it an object.
          parsed["partitionValues"] ??= {};
        }
        actions.push({ [c]: parsed } as Action);
      }
    }
    return actions;
  }

  async writeCheckpoint(path: string, actions: Action[]): Promise<{ sizeInBytes: number }> {
    await fs.mkdir(this.scratchDir, { recursive: true });
    const jsonl = join(this.scratchDir, `checkpoint-${randomUUID()}.jsonl`);
    await fs.writeFile(jsonl, actions.map((a) => JSON.stringify(a)).join("\n") + "\n");
    const tmp = `${path}.${randomUUID()}.tmp`;
    const columns = Object.entries(CHECKPOINT_COLUMNS).map(([k, t]) => `${quoteString(k)}: ${quoteString(t)}`).join(", ");
    try {
      await this.db.run(`COPY (SELECT ${Object.keys(CHECKPOINT_COLUMNS).map((c) => `"${c}"`).join(", ")} FROM read_json(${quoteString(jsonl)}, format = 'newline_delimited', columns = {${columns}})) TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION snappy)`);
      // A checkpoint must appear whole: readers pick the newest one they can see.
      await fs.rename(tmp, path);
    } finally {
      await fs.rm(jsonl, { force: true });
      await fs.rm(tmp, { force: true });
    }
    return { sizeInBytes: (await fs.stat(path)).size };
  }
}
