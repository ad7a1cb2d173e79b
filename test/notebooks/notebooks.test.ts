/**
 * The lab's notebooks, executed with real Jupyter and the tslab kernel (scripts/notebooks/harness.ts):
 * every code cell must run (execution count, kernel status ok), with no error output and no failed
 * exercise check. A failure prints the cell number, its source and the real error text.
 *
 * Also checked: the committed notebooks carry no outputs (clean diffs), each notebook runs in under
 * 20 s (C360_NOTEBOOK_BUDGET_S to change it), and the harness itself catches a broken notebook
 * with its real error instead of nbconvert's empty "<Error>:".
 *
 * Needs `jupyter` with nbconvert and nbclient (Debian: jupyter-notebook jupyter-nbconvert
 * python3-nbclient); without it the run fails with that advice (C360_SKIP_NOTEBOOKS=1 skips the
 * Jupyter runs explicitly). Builds dist/ first when it is out of date, and registers the kernel in
 * .jupyter/ when missing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanNotebook } from "../../scripts/notebooks/clean.js";
import { ensureBuilt, ensureKernel, formatReport, listNotebooks, ROOT, runNotebook, type NotebookReport } from "../../scripts/notebooks/harness.js";

const BUDGET_S = Number(process.env["C360_NOTEBOOK_BUDGET_S"] ?? 20);
const SKIP = process.env["C360_SKIP_NOTEBOOKS"] === "1";
const notebooks = listNotebooks();
const timings: { notebook: string; seconds: number; cellSeconds: number | undefined; codeCells: number }[] = [];
let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), "c360-notebooks-"));
  if (SKIP) return;
  const jupyter = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8" });
  if (jupyter.status !== 0) {
    throw new Error("The notebook tests need Jupyter with nbconvert and nbclient: apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient (or set C360_SKIP_NOTEBOOKS=1 to skip them).");
  }
  const build = ensureBuilt();
  if (build.built && build.output.trim()) console.warn(`dist/ was rebuilt; tsc reported:\n${build.output}`);
  ensureKernel();
}, 180_000);

afterAll(() => {
  if (timings.length) {
    const lines = timings.map((t) => `  ${t.notebook.padEnd(26)} ${t.seconds.toFixed(1).padStart(5)} s total, ${t.cellSeconds?.toFixed(1) ?? "?"} s in cells, ${t.codeCells} code cells`);
    console.log(`Notebook execution times (budget ${BUDGET_S} s each):\n${lines.join("\n")}`);
    mkdirSync(join(ROOT, "build"), { recursive: true });
    writeFileSync(join(ROOT, "build", "notebook-timings.json"), `${JSON.stringify(timings, null, 2)}\n`);
  }
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("committed notebooks", () => {
  it("there are notebooks to run", () => {
    expect(notebooks.map((n) => basename(n))).toEqual(expect.arrayContaining(["01-delta-lake.ipynb", "02-auto-loader.ipynb", "03-streaming-cdc.ipynb"]));
  });

  it.each(notebooks.map((n) => [basename(n), n]))("%s is committed without outputs, on the tslab kernel", (_name, path) => {
    const text = readFileSync(path, "utf8");
    expect(cleanNotebook(text), "run: npx tsx scripts/notebooks/clean.ts").toBe(text);
    const nb = JSON.parse(text) as { metadata: { kernelspec?: { name?: string } } };
    expect(nb.metadata.kernelspec?.name).toBe("tslab");
  });
});

describe.skipIf(SKIP)("notebooks run with real Jupyter", () => {
  it.each(notebooks.map((n) => [basename(n), n]))("%s: every cell runs, checks pass, within the time budget", (name, path) => {
    const report = runNotebook(path, { outDir });
    timings.push({ notebook: name, seconds: report.seconds, cellSeconds: report.cellSeconds, codeCells: report.codeCells });
    if (!report.ok) console.error(formatReport(report));
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.codeCells).toBeGreaterThan(5);
    expect(report.seconds, `${name} took ${report.seconds.toFixed(1)} s`).toBeLessThan(BUDGET_S);
  }, 180_000);
});

describe.skipIf(SKIP)("the harness", () => {
  let report: NotebookReport;

  beforeAll(() => {
    // A notebook with a failing check, then a cell that cannot compile, then a cell that never runs.
    const dir = mkdtempSync(join(tmpdir(), "c360-broken-nb-"));
    const dist = join(ROOT, "dist", "notebook", "index.js");
    const cell = (source: string) => ({ cell_type: "code", execution_count: null, id: `c${Math.random().toString(36).slice(2, 8)}`, metadata: {}, outputs: [], source });
    const nb = {
      cells: [
        cell(`import { sandbox, check } from ${JSON.stringify(dist)};\nconst spark = await sandbox("test-harness");`),
        cell(`await check("01.1-time-travel", spark, []);`),
        cell("const before = 1;\nconsole.log(undefinedVariable + before);"),
        cell(`console.log("never printed");`),
      ],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const path = join(dir, "broken.ipynb");
    writeFileSync(path, JSON.stringify(nb));
    report = runNotebook(path, { outDir: join(dir, "out") });
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(ROOT, ".c360", "notebooks", "test-harness"), { recursive: true, force: true });
  }, 180_000);

  it("fails a notebook with a broken cell and shows the real error, the cell number and its source", () => {
    expect(report.ok).toBe(false);
    const error = report.problems.find((p) => p.kind === "error");
    expect(error, formatReport(report)).toBeDefined();
    expect(error!.codeCell).toBe(3);
    expect(error!.detail).toContain("Cannot find name 'undefinedVariable'");
    const text = formatReport(report);
    expect(text).toContain("code cell 3");
    expect(text).toContain("console.log(undefinedVariable + before);");
    expect(text).toContain("Cannot find name 'undefinedVariable'");
  });

  it("reports the cells after the failure as not run", () => {
    const last = report.problems.find((p) => p.codeCell === 4);
    expect(last, formatReport(report)).toBeDefined();
    expect(["skipped", "not-run"]).toContain(last!.kind);
  });

  it("catches a failed exercise check even though the cell itself ran", () => {
    const failed = report.problems.find((p) => p.kind === "check-failed");
    expect(failed, formatReport(report)).toBeDefined();
    expect(failed!.codeCell).toBe(2);
    expect(failed!.detail).toContain("Not yet");
  });
});
