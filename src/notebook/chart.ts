/**
 * `chart(spec)`: a Vega-Lite chart, published as one MIME bundle with three renderings:
 *
 *   application/vnd.vegalite.v6+json   the spec itself: front ends with a Vega-Lite renderer draw
 *                                      it interactively
 *   text/html                          the same chart rendered here with vega (headless, no
 *                                      canvas) as an SVG image: what nbconvert's HTML shows (its
 *                                      exporter strips the markup of a bare image/svg+xml output,
 *                                      so the SVG travels as an <img> data URL)
 *   image/svg+xml                      the SVG itself, for other exporters and viewers
 *   text/plain                         a one-line summary for terminals
 *
 * vega and vega-lite are ESM-only packages (vega has top-level await), so they cannot be
 * `require`d from a notebook cell; they are imported here, inside library code, on first use.
 *
 * @example
 *   await chart({
 *     title: "Customers per loyalty tier",
 *     data: { values: rows },            // rows straight from collect(): bigint and Date are fine
 *     mark: "bar",
 *     encoding: { x: { field: "loyalty_tier", type: "nominal" }, y: { field: "n", type: "quantitative" } },
 *   });
 *   await chart(spec, { data: spark.sql("SELECT …") });   // or let the helper run the query
 */
import type { Row } from "../lakehouse/sql/dataframe/runner.js";
import { escapeHtml, publish } from "./display.js";
import { plainRows } from "./values.js";
import type { DataFrameLike } from "./table.js";

export const VEGALITE_MIME = "application/vnd.vegalite.v6+json";
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** A Vega-Lite spec; only the fields this module reads are typed. */
export type VegaLiteSpec = Record<string, unknown> & { data?: { values?: unknown[] } | Record<string, unknown>; title?: unknown };

export interface ChartOptions {
  /** Rows for the chart (replaces `spec.data`): an array, a DataFrame, or `spark.sql(…)`. */
  data?: readonly Row[] | DataFrameLike | Promise<DataFrameLike>;
}

export interface RenderedChart {
  spec: Record<string, unknown>;
  svg: string;
}

interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

function load(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= (async () => {
    const [vega, vl] = await Promise.all([import("vega") as Promise<unknown>, import("vega-lite") as Promise<unknown>]);
    return { vega: vega as VegaModule, vl: vl as VegaLiteModule };
  })();
  return modules;
}

function titleText(t: unknown): string {
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return "chart";
}

/** Completes the spec (schema, plain data values) and renders it to SVG. */
export async function renderChart(spec: VegaLiteSpec, opts: ChartOptions = {}): Promise<RenderedChart> {
  const full: Record<string, unknown> = { $schema: SCHEMA, ...spec };
  if (opts.data !== undefined) {
    const src = await opts.data;
    const rows = Array.isArray(src) ? (src as Row[]) : await (src as DataFrameLike).collect();
    full["data"] = { values: plainRows(rows) };
  } else if (spec.data && Array.isArray((spec.data as { values?: unknown }).values)) {
    full["data"] = { ...spec.data, values: plainRows((spec.data as { values: Row[] }).values) };
  }
  const { vega, vl } = await load();
  const compiled = vl.compile(full).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return { spec: full, svg: await view.toSVG() };
  } finally {
    view.finalize();
  }
}

/** Displays a Vega-Lite chart (interactive spec + SVG + text summary). */
export async function chart(spec: VegaLiteSpec, opts: ChartOptions = {}): Promise<void> {
  const r = await renderChart(spec, opts);
  const values = (r.spec["data"] as { values?: unknown[] } | undefined)?.values;
  const text = `[chart] ${titleText(spec.title)}${values ? ` (${values.length} data points)` : ""}`;
  const img = `<img alt="${escapeHtml(titleText(spec.title))}" style="max-width: 100%;" src="data:image/svg+xml;base64,${Buffer.from(r.svg, "utf8").toString("base64")}">`;
  publish({ [VEGALITE_MIME]: r.spec, "text/html": img, "image/svg+xml": r.svg, "text/plain": text });
}
