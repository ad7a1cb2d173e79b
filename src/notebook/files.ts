/**
 * Looking at files: a directory tree (a table folder, a checkpoint, a landing zone), one file's
 * content (a streaming offsets entry, an Auto Loader schema version), or any JSON value.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { escapeHtml, html } from "./display.js";
import { FONT, pre } from "./html.js";
import { projectRoot } from "./sandbox.js";
import { toJson } from "./values.js";

/** A path as shown to the learner: relative to the project when it is inside it. */
export function displayPath(p: string): string {
  const rel = relative(projectRoot(), p);
  return rel && !rel.startsWith("..") ? rel : p;
}

function humanSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export interface TreeOptions {
  /** Also list hidden entries (names starting with "."), e.g. the `.tmp` staging folders. */
  all?: boolean;
  /** Maximum entries listed (default 80). */
  max?: number;
  /** Maximum depth (default 6). */
  depth?: number;
}

/** The entries under `dir`, as indented lines. */
export function treeLines(dir: string, opts: TreeOptions = {}): string[] {
  const max = opts.max ?? 80;
  const lines: string[] = [];
  let more = 0;
  const walk = (d: string, prefix: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    names = names.filter((n) => opts.all || !n.startsWith("."));
    names.forEach((n, i) => {
      const p = join(d, n);
      const last = i === names.length - 1;
      const st = statSync(p);
      if (lines.length >= max) {
        more++;
        return;
      }
      lines.push(`${prefix}${last ? "└── " : "├── "}${n}${st.isDirectory() ? "/" : `  (${humanSize(st.size)})`}`);
      if (st.isDirectory() && depth < (opts.depth ?? 6)) walk(p, `${prefix}${last ? "    " : "│   "}`, depth + 1);
    });
  };
  walk(dir, "", 1);
  if (more) lines.push(`… ${more} more entries`);
  return lines;
}

/** Shows the tree of files under `dir` with their sizes. */
export function showTree(dir: string, opts: TreeOptions = {}): void {
  const lines = [`${displayPath(dir)}/`, ...treeLines(dir, opts)];
  html(`<div style="${FONT}">${pre(lines.join("\n"), 600)}</div>`, lines.join("\n"));
}

/**
 * Shows a text file. JSON-lines content — a Delta commit, a streaming `offsets/N` or
 * `commits/N` entry (a version line such as `v1`, then JSON lines), an Auto Loader
 * `_schemas/N` — is pretty-printed line by line.
 */
export function showFile(path: string, title?: string): void {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n").filter((l) => l !== "");
  const pretty = lines.map((l) => {
    const t = l.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        const v = JSON.parse(t) as Record<string, unknown>;
        for (const k of ["dataSchemaJson", "partitionSchemaJson"]) {
          if (typeof v[k] === "string") {
            try {
              v[k] = JSON.parse(v[k] as string);
            } catch {
              // leave it
            }
          }
        }
        return toJson(v);
      } catch {
        return l;
      }
    }
    return l;
  }).join("\n");
  const heading = title ?? displayPath(path);
  html(`<div style="${FONT}"><div style="font-weight: 600;">${escapeHtml(heading)}</div>${pre(pretty, 500)}</div>`, `${heading}\n${pretty}`);
}

/** Shows any value as pretty JSON (bigint and Date safe). */
export function showJson(value: unknown, title = "value"): void {
  const text = toJson(value);
  html(`<div style="${FONT}"><div style="font-weight: 600;">${escapeHtml(title)}</div>${pre(text, 500)}</div>`, `${title}\n${text}`);
}

/** Shows a short note (markdown-like plain text) as an info box; handy between outputs. */
export function note(text: string): void {
  html(`<div style="${FONT} color: #374151; margin: 4px 0;">${escapeHtml(text)}</div>`, text);
}
