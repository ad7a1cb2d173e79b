/**
 * A small repository for the guide-site tests: a guide with awkward headings and ids, two lessons
 * (one linking to pages that do not exist yet), and an executed notebook's HTML with a wide inline
 * SVG chart, an image in a *_files folder and a CDN script that the site must drop.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "../..");

export const FIXTURE_GUIDE = `# Fixture guide

Intro with a [link to a question](#fix-vacuum) and a [lesson](../lessons/01-delta-lake.md).

## Delta Lake (01 delta)

### What does VACUUM do?
<!-- id: fix-vacuum | concept: delta | difficulty: easy | exam: DE Associate — Data Transformation and Modeling -->
**Say it in 30 seconds:** \`VACUUM\` removes unreferenced files.

**Deeper:**
- Retention is 7 days.

\`\`\`sql
# not a heading: a comment inside a code block
VACUUM t RETAIN 168 HOURS;
\`\`\`

**Docs:** [VACUUM](https://docs.databricks.com/sql/language-manual/delta-vacuum.html)

**See it run:** [notebook](../notebooks/01-delta-lake.ipynb) · [lesson](../lessons/01-delta-lake.md)

### Is <script>alert("x")</script> & "quoted" text escaped?
<!-- id: bad id"><img src=x onerror=alert(2)> | concept: delta | difficulty: hard | exam: DE Professional — Debugging and Deploying -->
**Say it in 30 seconds:** Raw <b>HTML</b> shows as text. See [the other question](#fix-vacuum) and [a missing one](#no-such-question).

**See it run:** [notebook](../notebooks/02-auto-loader.ipynb) · [lesson](../lessons/02-auto-loader.md)

## Cross-cutting and classic talking points

### Why medallion?
<!-- id: fix-medallion | concept: cross-cutting | difficulty: medium | exam: DE Associate — Databricks Intelligence Platform -->
**Say it in 30 seconds:** Bronze, silver, gold. Read [the VACUUM answer](INTERVIEW_GUIDE.md#fix-vacuum).
`;

export const FIXTURE_LESSON = `# Lesson 01: Delta Lake

Run [the notebook](../notebooks/01-delta-lake.ipynb), then try [the next lesson](02-auto-loader.md),
[a question](../guide/INTERVIEW_GUIDE.md#fix-vacuum), [the time travel section](#time-travel),
[a missing anchor](#nope), [a source file](../src/not-there.ts) and [the docs](https://docs.delta.io/).

![A chart](img/chart.svg)

## Time travel

| version | operation | a very long column header that would push a phone layout sideways if it could |
|---|---|---|
| 0 | CREATE TABLE | ${"x".repeat(120)} |

\`\`\`ts
const aVeryLongLineOfCodeThatMustScrollInsideItsBoxRatherThanWidenThePage = ${"1 + ".repeat(40)}1;
\`\`\`
`;

const CHART_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120"><rect width="300" height="120" fill="#cde"/><text x="10" y="60">chart</text></svg>`;

export const FIXTURE_NOTEBOOK = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>01 · Delta Lake (executed)</title>
<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>
<link rel="stylesheet" href="https://cdn.example.invalid/theme.css">
<style>.jp-Cell { padding: 4px; }</style>
</head>
<body class="jp-Notebook">
<div class="jp-Cell"><h1 id="Delta-Lake">Delta Lake<a class="anchor-link" href="#Delta-Lake">¶</a></h1>
<p>Read <a href="../lessons/01-delta-lake.md">the lesson</a> and <a href="../lessons/09-asset-bundles.md">lesson 09</a>.</p></div>
<div class="jp-OutputArea-output"><svg id="wide-chart" xmlns="http://www.w3.org/2000/svg" width="900" height="300" viewBox="0 0 900 300"><rect width="900" height="300" fill="#fde"/><circle cx="450" cy="150" r="100" fill="#c33"/></svg></div>
<div class="jp-OutputArea-output"><img id="file-chart" src="01-delta-lake_files/chart.svg" alt="chart"></div>
</body>
</html>
`;

function put(root: string, rel: string, content: string): void {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Writes the fixture repository into a new temporary folder and returns it. */
export function makeFixtureRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "c360-guide-fixture-"));
  put(root, "guide/INTERVIEW_GUIDE.md", FIXTURE_GUIDE);
  put(root, "lessons/README.md", "# Lessons\n\nStart with [Delta Lake](01-delta-lake.md).\n");
  put(root, "lessons/01-delta-lake.md", FIXTURE_LESSON);
  put(root, "lessons/img/chart.svg", CHART_SVG);
  put(root, "build/notebooks-html/01-delta-lake.html", FIXTURE_NOTEBOOK);
  put(root, "build/notebooks-html/01-delta-lake_files/chart.svg", CHART_SVG);
  return root;
}
