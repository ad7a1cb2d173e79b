/**
 * The checkpoint directory of a streaming query, laid out as Spark lays it out:
 *
 *   <checkpoint>/metadata            {"id":"<query id>"}: the query's identity across restarts
 *   <checkpoint>/offsets/<batchId>   the write-ahead log: written BEFORE batch N runs; line 1 "v1",
 *                                    line 2 batch metadata (watermark, batch timestamp, conf),
 *                                    then one line per source with the batch's end offset
 *   <checkpoint>/commits/<batchId>   written AFTER the sink committed batch N; holds the watermark
 *                                    the next batch starts from
 *   <checkpoint>/sources/<i>/…       source-owned metadata (Auto Loader's file log)
 *   <checkpoint>/state/<op>/…        state of stateful operators (dedup keys, partial aggregates)
 *
 * Restart logic follows from the two logs: if the latest `offsets/N` has no `commits/N`, batch N
 * was planned but maybe not (fully) written, so it is re-run with exactly the same offsets; the
 * Delta sink's transaction id (appId = query id, version = batchId) makes a re-run of an
 * already-committed batch a no-op. Log entries are created with put-if-absent, so two queries
 * running on one checkpoint collide loudly instead of interleaving.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Storage } from "../kernel/engine.js";
import { LakehouseError } from "../errors.js";

export const LOG_VERSION = "v1";

export interface OffsetSeqMetadata {
  batchWatermarkMs: number;
  batchTimestampMs: number;
  conf: Record<string, string>;
}

export interface OffsetSeq {
  metadata: OffsetSeqMetadata;
  /** One end offset per source (null when a source has not produced data yet). */
  offsets: (Record<string, unknown> | null)[];
}

export interface CommitMetadata {
  nextBatchWatermarkMs: number;
}

export class CheckpointCorruptError extends LakehouseError {
  constructor(path: string, detail: string) {
    super("STREAMING_CHECKPOINT_CORRUPT", `The streaming checkpoint file ${path} cannot be read: ${detail}. Restore the checkpoint directory, or start the query with a new checkpointLocation (it then reprocesses its sources from the beginning).`, { path });
  }
}

export class ConcurrentQueryError extends LakehouseError {
  constructor(path: string) {
    super("CONCURRENT_QUERY", `Another query wrote ${path} first: two streaming queries are using the same checkpoint location. Stop the other query, or give each query its own checkpointLocation.`, { path });
  }
}

/** A directory of numbered log entries (offsets/, commits/). */
export class BatchLog {
  constructor(private readonly storage: Storage, readonly dir: string) {}

  path(batchId: number): string {
    return join(this.dir, String(batchId));
  }

  async ids(): Promise<number[]> {
    const files = await this.storage.list(this.dir, { withStats: false });
    return files.filter((f) => /^\d+$/.test(f.name)).map((f) => Number(f.name)).sort((a, b) => a - b);
  }

  async latest(): Promise<number | undefined> {
    const ids = await this.ids();
    return ids[ids.length - 1];
  }

  /** The JSON lines after the version header, or undefined when there is no entry. */
  async read(batchId: number): Promise<unknown[] | undefined> {
    const p = this.path(batchId);
    if (!(await this.storage.exists(p))) return undefined;
    const text = await this.storage.readText(p);
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    if (lines[0] !== LOG_VERSION) throw new CheckpointCorruptError(p, `unsupported log version '${lines[0] ?? ""}' (expected ${LOG_VERSION})`);
    try {
      return lines.slice(1).map((l) => (l === "-" ? null : JSON.parse(l)));
    } catch (e) {
      throw new CheckpointCorruptError(p, (e as Error).message);
    }
  }

  /** Creates entry `batchId`; fails with CONCURRENT_QUERY when it already exists. */
  async add(batchId: number, lines: unknown[]): Promise<void> {
    const text = [LOG_VERSION, ...lines.map((l) => (l === null ? "-" : JSON.stringify(l)))].join("\n") + "\n";
    if (!(await this.storage.putIfAbsent(this.path(batchId), text))) throw new ConcurrentQueryError(this.path(batchId));
  }

  /** Deletes entries below `minBatchId` (Spark keeps spark.sql.streaming.minBatchesToRetain = 100). */
  async purge(minBatchId: number): Promise<void> {
    for (const id of await this.ids()) if (id < minBatchId) await this.storage.delete(this.path(id));
  }
}

export class Checkpoint {
  readonly offsets: BatchLog;
  readonly commits: BatchLog;

  constructor(readonly storage: Storage, readonly root: string) {
    this.offsets = new BatchLog(storage, join(root, "offsets"));
    this.commits = new BatchLog(storage, join(root, "commits"));
  }

  sourceDir(i: number): string {
    return join(this.root, "sources", String(i));
  }

  stateDir(operatorId: number): string {
    return join(this.root, "state", String(operatorId));
  }

  /** The query id stored in `metadata`, created on the first start. */
  async queryId(): Promise<string> {
    const p = join(this.root, "metadata");
    if (await this.storage.exists(p)) {
      try {
        const id = (JSON.parse(await this.storage.readText(p)) as { id?: unknown }).id;
        if (typeof id === "string" && id) return id;
      } catch (e) {
        throw new CheckpointCorruptError(p, (e as Error).message);
      }
      throw new CheckpointCorruptError(p, "no query id");
    }
    await this.storage.mkdirs(this.root);
    const id = randomUUID();
    if (!(await this.storage.putIfAbsent(p, JSON.stringify({ id }) + "\n"))) return this.queryId();
    return id;
  }

  async readOffsets(batchId: number): Promise<OffsetSeq | undefined> {
    const lines = await this.offsets.read(batchId);
    if (!lines) return undefined;
    const [meta, ...offsets] = lines;
    const m = meta as Partial<OffsetSeqMetadata> | null;
    if (!m || typeof m.batchWatermarkMs !== "number") throw new CheckpointCorruptError(this.offsets.path(batchId), "missing batch metadata");
    return { metadata: { batchWatermarkMs: m.batchWatermarkMs, batchTimestampMs: Number(m.batchTimestampMs ?? 0), conf: m.conf ?? {} }, offsets: offsets as (Record<string, unknown> | null)[] };
  }

  async writeOffsets(batchId: number, seq: OffsetSeq): Promise<void> {
    await this.offsets.add(batchId, [seq.metadata, ...seq.offsets]);
  }

  async readCommit(batchId: number): Promise<CommitMetadata | undefined> {
    const lines = await this.commits.read(batchId);
    if (!lines) return undefined;
    const m = (lines[0] ?? {}) as Partial<CommitMetadata>;
    return { nextBatchWatermarkMs: Number(m.nextBatchWatermarkMs ?? 0) };
  }

  async writeCommit(batchId: number, meta: CommitMetadata): Promise<void> {
    await this.commits.add(batchId, [meta]);
  }
}
