/**
 * Executes every notebook with real Jupyter (tslab kernel) and renders the executed copies to
 * HTML for the guide site:
 *
 *   build/notebooks-executed/<name>.ipynb   the executed notebooks (outputs included)
 *   build/notebooks-html/<name>.html        what `npm run guide` picks up (src/guide/build.ts)
 *
 *   npx tsx scripts/notebooks/render-html.ts [notebooks/01-delta-lake.ipynb …]
 *
 * Fails (exit 1) with the failing cell's source and real error when a notebook does not run
 * cleanly: a broken notebook is never published. Charts show in the HTML because each chart
 * output carries an SVG rendering next to its Vega-Lite spec.
 */
import { join } from "node:path";
import { ensureBuilt, ensureKernel, formatReport, listNotebooks, renderHtml, ROOT, runNotebook } from "./harness.js";

const targets = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const notebooks = targets.length ? targets : listNotebooks();
const executedDir = join(ROOT, "build", "notebooks-executed");
const htmlDir = join(ROOT, "build", "notebooks-html");

const build = ensureBuilt();
if (build.built) console.log("dist/ was out of date: rebuilt it");
ensureKernel();

let failed = 0;
for (const nb of notebooks) {
  const report = runNotebook(nb, { outDir: executedDir });
  console.log(formatReport(report));
  if (!report.ok || !report.executedPath) {
    failed++;
    continue;
  }
  const html = renderHtml(report.executedPath, htmlDir);
  console.log(`  → ${html}`);
}
console.log(failed ? `${failed} notebook(s) failed; no HTML was written for them` : `${notebooks.length} notebook(s) rendered to ${htmlDir}`);
process.exit(failed ? 1 : 0);
