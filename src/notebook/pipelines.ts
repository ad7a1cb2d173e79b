/**
 * Notebook helpers for declarative pipelines (notebooks 04 and 05): an update's per-flow results
 * as a table, the dataset graph as a chart, and a failed update turned into an error that
 * `expectError` can show.
 */
import type { Pipeline, PipelineGraph, UpdateResult } from "../lakehouse/pipelines/pipeline.js";
import type { Row } from "../lakehouse/sql/dataframe/runner.js";
import type { SparkSession } from "../lakehouse/sql/session.js";
import { chart } from "./chart.js";
import { showTable } from "./table.js";

/** The rows `showUpdate` displays: one per flow, with its rows and expectation counts. */
export function updateRows(update: UpdateResult): Row[] {
  return update.flows.map((f) => ({
    flow: f.flow ?? f.dataset,
    kind: f.kind,
    status: f.status,
    input_rows: f.numInputRows,
    output_rows: f.numOutputRows,
    expectations: f.expectations.map((e) => `${e.name} (${e.action}): ${e.passed} passed, ${e.failed} failed`).join("; ") || null,
    ms: f.durationMs,
  }));
}

/** Displays an update: its status, then one row per flow (rows read and written, expectations). */
export async function showUpdate(update: UpdateResult, title?: string): Promise<void> {
  const head = `${title ? `${title}: ` : ""}update ${update.status}${update.fullRefresh ? " (full refresh)" : ""} in ${update.durationMs} ms`;
  await showTable(updateRows(update), { title: head, truncate: 120 });
}

/** The error of a failed update, with the code of the flow error that stopped it. */
export class PipelineUpdateError extends Error {
  readonly code = "PIPELINE_UPDATE_FAILED";
  readonly causeCode?: string;
  constructor(readonly update: UpdateResult) {
    const failed = update.flows.find((f) => f.status === "FAILED");
    const err = update.error ?? failed?.error ?? "unknown error";
    super(`Update ${update.updateId} FAILED${failed ? ` in flow ${failed.flow ?? failed.dataset}` : ""}: ${err}`);
    this.name = "PipelineUpdateError";
    const m = /^\[([A-Z0-9_.]+)\]/.exec(err);
    if (m) this.causeCode = m[1];
  }
}

/** Runs an update and returns it; throws PipelineUpdateError when it FAILED (for `expectError`). */
export async function runUpdate(pipeline: Pipeline, spark: SparkSession, opts: { fullRefresh?: boolean | string[] } = {}): Promise<UpdateResult> {
  const update = await pipeline.run(spark, opts);
  if (update.status === "FAILED") throw new PipelineUpdateError(update);
  return update;
}

/** Depth of every node: sources 0, then 1 + the deepest input. */
function levels(graph: PipelineGraph): Map<string, number> {
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.name, 0]));
  for (let i = 0; i < graph.nodes.length; i++) {
    for (const [a, b] of graph.edges) depth.set(b, Math.max(depth.get(b) ?? 0, (depth.get(a) ?? 0) + 1));
  }
  return depth;
}

/** Displays the pipeline graph (`pipeline.graph()`): datasets by depth, coloured by kind, edges "read by". */
export async function showGraph(graph: PipelineGraph, title = "Pipeline graph"): Promise<void> {
  const depth = levels(graph);
  const row = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const d = depth.get(n.name) ?? 0;
    const r = row.get(d) ?? 0;
    row.set(d, r + 1);
    pos.set(n.name, { x: d, y: r });
  }
  const nodes = graph.nodes.map((n) => ({ name: n.name, kind: n.kind, ...pos.get(n.name)! }));
  const edges = graph.edges.map(([a, b]) => ({ from: a, to: b, x: pos.get(a)!.x, y: pos.get(a)!.y, x2: pos.get(b)!.x, y2: pos.get(b)!.y }));
  const maxX = Math.max(0, ...nodes.map((n) => n.x));
  const maxY = Math.max(0, ...nodes.map((n) => n.y));
  const x = { field: "x", type: "quantitative", axis: null, scale: { domain: [-0.3, maxX + 0.9] } };
  const y = { field: "y", type: "quantitative", axis: null, scale: { domain: [maxY + 0.5, -0.5] } };
  await chart({
    title,
    width: 220 * (maxX + 1),
    height: 46 * (maxY + 1),
    layer: [
      { data: { values: edges }, mark: { type: "rule", color: "#999" }, encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" } } },
      {
        data: { values: nodes }, mark: { type: "point", filled: true, size: 160 },
        encoding: { x, y, color: { field: "kind", type: "nominal", title: "kind" }, tooltip: [{ field: "name" }, { field: "kind" }] },
      },
      { data: { values: nodes }, mark: { type: "text", align: "left", dx: 9, dy: -9, fontSize: 11 }, encoding: { x, y, text: { field: "name" } } },
    ],
  });
}
