/**
 * Small HTML building blocks shared by the notebook views. Styles are inline: JupyterLab and
 * nbconvert keep `style` attributes, and the output must look the same in both.
 */
import { escapeHtml } from "./display.js";

export const FONT = "font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 13px;";
export const MONO = "font-family: 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 12px;";

export type Tone = "info" | "ok" | "fail" | "warn" | "muted";

const TONES: Record<Tone, { border: string; bg: string; fg: string }> = {
  info: { border: "#3b82f6", bg: "#eff6ff", fg: "#1e3a8a" },
  ok: { border: "#16a34a", bg: "#f0fdf4", fg: "#14532d" },
  fail: { border: "#dc2626", bg: "#fef2f2", fg: "#7f1d1d" },
  warn: { border: "#d97706", bg: "#fffbeb", fg: "#78350f" },
  muted: { border: "#9ca3af", bg: "#f9fafb", fg: "#374151" },
};

/** A callout box with a title line. `body` is HTML. */
export function box(tone: Tone, title: string, body: string): string {
  const t = TONES[tone];
  return `<div style="${FONT} border-left: 4px solid ${t.border}; background: ${t.bg}; color: ${t.fg}; padding: 8px 12px; margin: 4px 0; border-radius: 3px;">`
    + `<div style="font-weight: 600; margin-bottom: 4px;">${escapeHtml(title)}</div>${body}</div>`;
}

/** A small coloured label. */
export function tag(text: string, color: string): string {
  return `<span style="${MONO} display: inline-block; padding: 0 6px; border-radius: 3px; background: ${color}; color: white; font-weight: 600;">${escapeHtml(text)}</span>`;
}

/** Preformatted text (SQL, JSON, file contents). */
export function pre(text: string, maxHeight = 360): string {
  return `<pre style="${MONO} background: #f6f8fa; border: 1px solid #e5e7eb; border-radius: 3px; padding: 8px; margin: 4px 0; max-height: ${maxHeight}px; overflow: auto; white-space: pre-wrap; word-break: break-all;">${escapeHtml(text)}</pre>`;
}

/** A collapsible section, closed unless `open`. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""} style="${FONT} margin: 4px 0;"><summary style="cursor: pointer; color: #374151;">${escapeHtml(summary)}</summary>${body}</details>`;
}

/** A horizontal bar `fraction` (0–1) full, for "files scanned" style figures. */
export function bar(fraction: number, color = "#3b82f6", width = 160): string {
  const f = Math.max(0, Math.min(1, fraction));
  return `<span style="display: inline-block; vertical-align: middle; width: ${width}px; height: 10px; background: #e5e7eb; border-radius: 2px;">`
    + `<span style="display: block; width: ${Math.round(f * width)}px; height: 10px; background: ${color}; border-radius: 2px;"></span></span>`;
}

/** Pads text lines to a box for the text/plain fallback. */
export function textBox(title: string, lines: string[]): string {
  return [`== ${title} ==`, ...lines].join("\n");
}
