/**
 * Where notebook output goes. In a tslab kernel, a helper publishes a Jupyter MIME bundle (one
 * `display_data` message holding several representations, e.g. `text/html` + `text/plain`, or a
 * Vega-Lite spec + an SVG rendering + a text summary): the front end picks the richest one it
 * can render (JupyterLab: Vega-Lite; nbconvert's HTML exporter: SVG/HTML; a terminal: text).
 * Outside Jupyter (node, vitest, tsx) the text representation is printed with console.log.
 *
 * How the kernel is found. tslab runs every cell through an executor that sets
 * `globalThis.__tslab__` and hooks `require("tslab")`; its public `display` object can only send
 * one MIME type per message, so this module talks to the kernel's own `jupyter.js` module
 * instead: the one in Node's CommonJS module cache whose `lastWriteDisplayData` is set (the
 * kernel sets it at the start of each cell execution). That is the same function `display.raw`
 * calls, given a whole bundle. If it cannot be found, `display.raw` is used per MIME type
 * (HTML first), and failing that, console output. `setDisplay` overrides all of this (tests,
 * other hosts).
 */
import { createRequire } from "node:module";

/** A Jupyter MIME bundle: MIME type → representation (string, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** Receives every bundle a helper publishes; `metadata` travels with it into the notebook. */
export type DisplaySink = (bundle: MimeBundle, metadata: Record<string, unknown>) => void;

type WriteDisplayData = (msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

let override: DisplaySink | undefined;

/** Routes all notebook output to `sink` (pass undefined to go back to automatic detection). */
export function setDisplay(sink: DisplaySink | undefined): void {
  override = sink;
}

/** True when running inside a tslab kernel. */
export function inKernel(): boolean {
  return typeof (globalThis as { __tslab__?: unknown }).__tslab__ === "object";
}

const req = createRequire(import.meta.url);

/** The kernel's `lastWriteDisplayData`, read fresh on every call (it changes per cell). */
function kernelWriter(): WriteDisplayData | undefined {
  if (!inKernel()) return undefined;
  for (const [key, mod] of Object.entries(req.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(key)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof w === "function") return w as WriteDisplayData;
  }
  return undefined;
}

interface TslabDisplay {
  raw(contentType: string, b: string): void;
}

function tslabDisplay(): TslabDisplay | undefined {
  const t = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  try {
    const mod = t?.require?.("tslab") as { display?: TslabDisplay } | undefined;
    return mod?.display;
  } catch {
    return undefined;
  }
}

/**
 * Publishes one output. `bundle` should hold a `text/plain` representation: it is what
 * terminals and tests see.
 */
export function publish(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  if (override) {
    override(bundle, metadata);
    return;
  }
  const writer = kernelWriter();
  if (writer) {
    writer({ data: bundle, metadata, transient: {} }, false);
    return;
  }
  const d = inKernel() ? tslabDisplay() : undefined;
  if (d) {
    const mime = ["text/html", "image/svg+xml", "text/plain"].find((m) => typeof bundle[m] === "string");
    if (mime) {
      d.raw(mime, bundle[mime] as string);
      return;
    }
  }
  const text = bundle["text/plain"];
  console.log(typeof text === "string" ? text : JSON.stringify(bundle, null, 2));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Publishes HTML with a text fallback. */
export function html(markup: string, text: string, metadata: Record<string, unknown> = {}): void {
  publish({ "text/html": markup, "text/plain": text }, metadata);
}
