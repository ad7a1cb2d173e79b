/**
 * Streaming views and fault injection for the notebooks.
 *
 *   showCheckpoint(dir)           the two logs of a checkpoint side by side: for each batch, the
 *                                 planned end offset (offsets/N) and whether it committed
 *                                 (commits/N), plus the source's own files
 *   showProgress(query)           the last micro-batches of a query: rows in/out, offsets, timings
 *   crashAt("afterSink", 1)       the next run of any query "crashes" at that point of batch 1
 *                                 (an exception thrown between two steps of the batch), to watch
 *                                 the restart recover
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { streamingTestHooks } from "../lakehouse/streaming/query.js";
import type { StreamingQuery } from "../lakehouse/streaming/query.js";
import { html } from "./display.js";
import { details, FONT, pre } from "./html.js";
import { displayPath, treeLines } from "./files.js";
import { renderTable } from "./table.js";
import { toJson } from "./values.js";

export type CrashPoint = "afterOffsets" | "afterSink";

/**
 * Makes the next streaming batch `batchId` fail at `point`: `afterOffsets` = the offsets entry
 * is written (the batch is planned) but nothing was processed; `afterSink` = the sink committed
 * the batch but `commits/N` was not written. The crash happens once, then the hook removes
 * itself.
 */
export function crashAt(point: CrashPoint, batchId: number): void {
  streamingTestHooks[point] = (id: number) => {
    if (id !== batchId) return;
    streamingTestHooks[point] = undefined;
    throw new Error(`simulated crash ${point === "afterSink" ? "after the sink wrote" : "after the offsets were logged for"} batch ${batchId} (the process died here)`);
  };
}

/** Removes any pending simulated crash. */
export function clearCrashes(): void {
  streamingTestHooks.afterOffsets = undefined;
  streamingTestHooks.afterSink = undefined;
}

function batchIds(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => a - b);
}

function logLines(file: string): unknown[] {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
  return lines.slice(1).map((l) => (l === "-" ? null : JSON.parse(l)));
}

export interface CheckpointBatch {
  batchId: number;
  /** The source's end offset planned for this batch (offsets/N). */
  endOffset: unknown;
  committed: boolean;
}

/** The batches of a checkpoint: planned (offsets/N) and committed (commits/N). */
export function checkpointBatches(dir: string): CheckpointBatch[] {
  const offsets = batchIds(join(dir, "offsets"));
  const commits = new Set(batchIds(join(dir, "commits")));
  return offsets.map((id) => {
    const lines = logLines(join(dir, "offsets", String(id)));
    return { batchId: id, endOffset: lines[1] ?? null, committed: commits.has(id) };
  });
}

/** Shows a checkpoint: one row per batch (planned offset, committed or not) and its file tree. */
export function showCheckpoint(dir: string): void {
  const batches = checkpointBatches(dir);
  const OFFSET = "offsets/N: source end offset";
  const COMMIT = "commits/N";
  const rows = batches.map((b) => ({
    batch: b.batchId,
    [OFFSET]: JSON.stringify(b.endOffset),
    [COMMIT]: b.committed ? "committed" : "MISSING: planned, not committed (re-run on restart)",
  }));
  const columns = [{ name: "batch", type: "int" }, { name: OFFSET, type: "string" }, { name: COMMIT, type: "string" }];
  const t = renderTable({ columns, rows, total: rows.length }, { title: `Checkpoint ${displayPath(dir)}`, truncate: false });
  const tree = [`${displayPath(dir)}/`, ...treeLines(dir)].join("\n");
  html(`<div style="${FONT}">${t.html}${details("checkpoint files", pre(tree, 400))}</div>`, `${t.text}\n${tree}`);
}

/** Shows the recent progress of a query: one row per micro-batch. */
export function showProgress(query: StreamingQuery, title = "Micro-batches of this run"): void {
  const rows = query.recentProgress.map((p) => ({
    batchId: p.batchId,
    numInputRows: p.numInputRows,
    sinkRows: p.sink.numOutputRows,
    startOffset: JSON.stringify(p.sources[0]?.startOffset ?? null),
    endOffset: JSON.stringify(p.sources[0]?.endOffset ?? null),
    durationMs: p.batchDuration,
  }));
  const columns = [
    { name: "batchId", type: "bigint" }, { name: "numInputRows", type: "bigint" }, { name: "sinkRows", type: "bigint" },
    { name: "startOffset", type: "string" }, { name: "endOffset", type: "string" }, { name: "durationMs", type: "bigint" },
  ];
  if (rows.length === 0) {
    const msg = `${title}: no micro-batch ran — the source had nothing new to process.`;
    html(`<div style="${FONT} color: #374151; margin: 4px 0;">${msg}</div>`, msg);
    return;
  }
  const t = renderTable({ columns, rows, total: rows.length }, { title, truncate: false });
  const last = query.lastProgress;
  const more = last ? details("lastProgress (JSON, as query.lastProgress returns it)", pre(toJson(last), 400)) : "";
  html(`<div style="${FONT}">${t.html}${more}</div>`, t.text);
}
