/**
 * Runs the lab's notebooks with real Jupyter and tells, cell by cell, whether they ran.
 *
 * Used by test/notebooks/notebooks.test.ts and scripts/notebooks/render-html.ts.
 *
 * Why this is more than `jupyter nbconvert --execute`: with the tslab kernel, nbconvert's verdict
 * is unreliable. tslab reports a failing cell only as stderr text (nbconvert prints "<Error>:"
 * with no message), sends no execute_input (so cells keep `execution_count: null`), and for about
 * 200 ms after an error it silently aborts the next cells. So the notebook is executed with
 * `--allow-errors` and a hook (nbconvert_config.py) that copies each cell's execute_reply status
 * and count into the executed notebook; `analyzeNotebook` then checks every code cell:
 *
 *   - it has an execution count and the kernel replied "ok" (not "error", not "abort");
 *   - it has no `error` output;
 *   - no exercise check or expected-error helper recorded a failure in its output metadata
 *     (`c360-check: { passed: false }`).
 *
 * A failure report names the cell, shows its source and the real error text (the cell's stderr
 * and error outputs), and lists the cells that were skipped after it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const NOTEBOOKS_DIR = join(ROOT, "notebooks");
export const JUPYTER_PREFIX = join(ROOT, ".jupyter");
export const JUPYTER_PATH = join(JUPYTER_PREFIX, "share", "jupyter");
const CONFIG = join(ROOT, "scripts", "notebooks", "nbconvert_config.py");
const TEMPLATES = join(ROOT, "scripts", "notebooks", "nbconvert-templates");

interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

interface NbCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: NbOutput[];
  metadata?: Record<string, unknown>;
}

export interface Notebook {
  cells: NbCell[];
  metadata: Record<string, unknown>;
}

export interface CellProblem {
  /** 1-based number among code cells, and the index among all cells. */
  codeCell: number;
  index: number;
  id: string | undefined;
  kind: "error" | "skipped" | "check-failed" | "not-run";
  source: string;
  /** The real error text (stderr and error outputs), or what failed. */
  detail: string;
}

export interface NotebookReport {
  notebook: string;
  ok: boolean;
  codeCells: number;
  problems: CellProblem[];
  /** Seconds from nbconvert start to finish, kernel start included. */
  seconds: number;
  /** Seconds spent executing cells (sum of busy→idle per cell), when recorded. */
  cellSeconds: number | undefined;
  executedPath: string | undefined;
  /** nbconvert's own stderr, for failures outside any cell. */
  nbconvertStderr: string;
}

const text = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : t ?? "");

/** Lists the notebooks of notebooks/, sorted. */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f));
}

/** Registers the tslab kernel in .jupyter/ if it is not there yet (scripts/notebooks/install-kernel.sh). */
export function ensureKernel(): void {
  const spec = join(JUPYTER_PATH, "kernels", "tslab", "kernel.json");
  if (existsSync(spec)) {
    const argv0 = (JSON.parse(readFileSync(spec, "utf8")) as { argv: string[] }).argv[0]!;
    if (existsSync(argv0)) return;
  }
  const r = spawnSync("bash", [join(ROOT, "scripts", "notebooks", "install-kernel.sh")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`Registering the tslab kernel failed:\n${r.stdout}\n${r.stderr}`);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Source files whose compiled dist/ file is missing or older than the source. */
export function staleDist(): string[] {
  const src = join(ROOT, "src");
  return walk(src).filter((f) => {
    const js = join(ROOT, "dist", relative(src, f)).replace(/\.tsx?$/, ".js");
    return !existsSync(js) || statSync(js).mtimeMs < statSync(f).mtimeMs;
  });
}

/**
 * Makes sure dist/ is up to date (the notebooks import the compiled library). Runs the project's
 * TypeScript build when a source file is newer than its output. tsc still writes output when some
 * file has type errors; that only fails here if the notebook library itself was not emitted.
 */
export function ensureBuilt(): { built: boolean; output: string } {
  const stale = staleDist();
  if (stale.length === 0) return { built: false, output: "" };
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, encoding: "utf8" });
  const output = `${r.stdout}${r.stderr}`;
  if (!existsSync(join(ROOT, "dist", "notebook", "index.js"))) throw new Error(`npm run build did not produce dist/notebook/index.js:\n${output}`);
  return { built: true, output };
}

export interface RunOptions {
  /** Where the executed copy goes (default: a folder under the OS temp dir). */
  outDir: string;
  /** Per-cell timeout in seconds (default 120). */
  timeout?: number;
}

/** Executes one notebook with nbconvert and the tslab kernel, then analyses the executed copy. */
export function runNotebook(notebook: string, opts: RunOptions): NotebookReport {
  const path = resolve(notebook);
  mkdirSync(opts.outDir, { recursive: true });
  const args = [
    "nbconvert", "--config", CONFIG, "--to", "notebook", "--execute", "--allow-errors",
    "--ExecutePreprocessor.kernel_name=tslab", `--ExecutePreprocessor.timeout=${opts.timeout ?? 120}`,
    "--output-dir", resolve(opts.outDir), path,
  ];
  const env = { ...process.env, JUPYTER_PATH, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const t0 = performance.now();
  const r = spawnSync("jupyter", args, { cwd: dirname(path), env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t0) / 1000;
  const executedPath = join(resolve(opts.outDir), basename(path));
  const name = basename(path);
  if (r.error || !existsSync(executedPath)) {
    return {
      notebook: name, ok: false, codeCells: 0, seconds, cellSeconds: undefined, executedPath: undefined,
      problems: [{ codeCell: 0, index: -1, id: undefined, kind: "not-run", source: "", detail: `jupyter nbconvert did not produce ${executedPath} (exit ${r.status}):\n${r.error?.message ?? ""}${r.stderr}` }],
      nbconvertStderr: r.stderr ?? "",
    };
  }
  const nb = JSON.parse(readFileSync(executedPath, "utf8")) as Notebook;
  const analysis = analyzeNotebook(nb);
  return { notebook: name, ...analysis, seconds, executedPath, nbconvertStderr: r.stderr ?? "" };
}

function cellTime(c: NbCell): number | undefined {
  const ex = (c.metadata?.["execution"] ?? {}) as Record<string, string>;
  const a = ex["iopub.status.busy"], b = ex["iopub.status.idle"];
  if (!a || !b) return undefined;
  return (Date.parse(b) - Date.parse(a)) / 1000;
}

/** Checks every code cell of an executed notebook (see the module comment). */
export function analyzeNotebook(nb: Notebook): { ok: boolean; codeCells: number; problems: CellProblem[]; cellSeconds: number | undefined } {
  const problems: CellProblem[] = [];
  let code = 0;
  let total = 0;
  let timed = false;
  nb.cells.forEach((c, index) => {
    if (c.cell_type !== "code") return;
    code++;
    const t = cellTime(c);
    if (t !== undefined) {
      total += t;
      timed = true;
    }
    const source = text(c.source);
    if (source.trim() === "") return;
    const outputs = c.outputs ?? [];
    const status = (c.metadata?.["c360"] as { status?: string } | undefined)?.status;
    const errText = outputs.flatMap((o) => {
      if (o.output_type === "stream" && o.name === "stderr") return [text(o.text)];
      if (o.output_type === "error") return [`${o.ename}: ${o.evalue}\n${(o.traceback ?? []).join("\n")}`];
      return [];
    }).join("").trim();
    const base = { codeCell: code, index, id: c.id, source };
    if (status === "abort") {
      problems.push({ ...base, kind: "skipped", detail: "The kernel skipped this cell (tslab aborts the cells queued right after a failed one)." });
      return;
    }
    if (status !== undefined && status !== "ok") {
      problems.push({ ...base, kind: "error", detail: errText || `The kernel replied '${status}' without printing an error.` });
      return;
    }
    if (c.execution_count === null || c.execution_count === undefined) {
      problems.push({ ...base, kind: "not-run", detail: errText || "The cell has no execution count: it did not run." });
      return;
    }
    if (outputs.some((o) => o.output_type === "error")) {
      problems.push({ ...base, kind: "error", detail: errText });
      return;
    }
    const failedChecks = outputs.filter((o) => (o.metadata?.["c360-check"] as { passed?: boolean } | undefined)?.passed === false);
    if (failedChecks.length) {
      const msg = failedChecks.map((o) => text(o.data?.["text/plain"] as string | string[] | undefined)).join("\n");
      problems.push({ ...base, kind: "check-failed", detail: msg });
    }
  });
  return { ok: problems.length === 0, codeCells: code, problems, cellSeconds: timed ? total : undefined };
}

/**
 * A readable failure report: every failed cell in full (number, id, source, real error text),
 * then the cells the kernel skipped after a failure, in one line.
 */
export function formatReport(r: NotebookReport): string {
  if (r.ok) return `${r.notebook}: ${r.codeCells} code cells ran in ${r.seconds.toFixed(1)} s`;
  const lines = [`${r.notebook}: ${r.problems.length} problem(s)`];
  const skipped: number[] = [];
  for (const p of r.problems) {
    if (p.kind === "skipped") {
      skipped.push(p.codeCell);
      continue;
    }
    const label = p.codeCell ? `code cell ${p.codeCell} (cell #${p.index + 1}${p.id ? `, id ${p.id}` : ""})` : "notebook";
    lines.push(`--- ${label}: ${p.kind === "check-failed" ? "an exercise check or expected error failed" : p.kind}`);
    if (p.source) lines.push("source:", ...p.source.split("\n").map((l) => `  | ${l}`));
    lines.push(p.kind === "check-failed" ? "output:" : "error:", ...p.detail.split("\n").map((l) => `  ${l}`));
  }
  if (skipped.length) lines.push(`--- skipped by the kernel after the failure: code cell${skipped.length > 1 ? "s" : ""} ${skipped.join(", ")}`);
  if (r.nbconvertStderr && /Traceback/.test(r.nbconvertStderr) && !r.problems.some((p) => p.kind === "error")) lines.push("nbconvert stderr:", r.nbconvertStderr.trim());
  return lines.join("\n");
}

/**
 * Renders an executed notebook to HTML with nbconvert, using the `c360` template (JupyterLab's,
 * without external scripts). Charts show because their SVG rendering is in the outputs; the
 * HTML exporter prefers it over the Vega-Lite spec, which it cannot draw.
 */
export function renderHtml(executedPath: string, outDir: string, name = basename(executedPath, ".ipynb")): string {
  mkdirSync(outDir, { recursive: true });
  const env = { ...process.env, JUPYTER_PATH, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const args = ["nbconvert", "--to", "html", `--TemplateExporter.extra_template_basedirs=${TEMPLATES}`, "--template", "c360", "--HTMLExporter.anchor_link_text=", "--output-dir", outDir, "--output", name, executedPath];
  const r = spawnSync("jupyter", args, { env, encoding: "utf8" });
  const out = join(outDir, `${name}.html`);
  if (r.status !== 0 || !existsSync(out)) throw new Error(`nbconvert --to html failed for ${executedPath}:\n${r.stderr}`);
  // With an empty anchor text nbconvert writes `<a class="anchor-link" … />`; HTML has no
  // self-closing <a>, so browsers would nest the rest of the page inside it. Drop them.
  const html = readFileSync(out, "utf8").replace(/<a class="anchor-link" href="[^"]*" \/>/g, "");
  writeFileSync(out, html);
  return out;
}
