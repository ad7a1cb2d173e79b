/** The guide site builder without a browser: outputs, search index, link rewriting, safety, CLI. */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/guide/build.js";
import { CONCEPTS } from "../../src/learn/types.js";
import { makeFixtureRoot, REPO_ROOT } from "./fixture.js";

interface SearchEntry {
  k: string;
  t: string;
  u: string;
  c?: string;
  d?: string;
  x: string;
}

const run = promisify(execFile);
let tmp = "";
let fixtureRoot = "";

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "c360-guide-build-"));
  fixtureRoot = makeFixtureRoot();
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(fixtureRoot, { recursive: true, force: true });
});

describe("buildSite on the real guide", () => {
  let out = "";
  let pages = 0;
  beforeAll(async () => {
    ({ out, pages } = await buildSite({ root: REPO_ROOT, out: join(tmp, "real") }));
  });

  it("writes one page per concept, the index, the intro and the lesson/notebook indexes", () => {
    expect(pages).toBeGreaterThanOrEqual(CONCEPTS.length + 1 + 4);
    for (const f of ["index.html", "guide/intro.html", "guide/cross-cutting.html", "lessons/index.html", "notebooks/index.html", "assets/site.css", "assets/search.js", "search-index.json", "search-index.js"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    for (const c of CONCEPTS) expect(existsSync(join(out, `guide/${c}.html`)), c).toBe(true);
  });

  it("anchors every Q&A by the id of its tag line, and indexes it for search", () => {
    const markdown = readFileSync(join(REPO_ROOT, "guide/INTERVIEW_GUIDE.md"), "utf8");
    const tags = [...markdown.matchAll(/<!-- id: ([a-z0-9-]+) \| concept: ([a-z-]+) \|/g)];
    expect(tags.length).toBeGreaterThan(80);
    const index = JSON.parse(readFileSync(join(out, "search-index.json"), "utf8")) as { entries: SearchEntry[] };
    const questions = index.entries.filter((e) => e.k === "q");
    expect(questions).toHaveLength(tags.length);
    for (const [, id, concept] of tags) {
      const html = readFileSync(join(out, `guide/${concept}.html`), "utf8");
      expect(html, `${id} on guide/${concept}.html`).toContain(`<section class="qa" id="${id}"`);
      expect(questions.some((q) => q.u === `guide/${concept}.html#${id}`)).toBe(true);
    }
    const vacuum = questions.find((q) => q.u.endsWith("#delta-vacuum-retain-zero"))!;
    expect(vacuum.c).toBe("Delta Lake");
    expect(vacuum.d).toBe("hard");
    expect(vacuum.x).toContain("RETAIN 0 HOURS");
    // the .js form carries the same data for file:// use
    const js = readFileSync(join(out, "search-index.js"), "utf8");
    expect(js.startsWith("window.C360_SEARCH_INDEX = {")).toBe(true);
  });

  it("does not take # lines inside code blocks for headings", () => {
    const jobs = readFileSync(join(out, "guide/jobs.html"), "utf8");
    expect(jobs).toContain("# In the ingestion notebook");
    expect(jobs).not.toMatch(/<h\d[^>]*>In the ingestion notebook/);
  });

  it("has unique ids on every page and only offline resources", () => {
    for (const page of ["index.html", "guide/delta.html", "guide/cross-cutting.html", "guide/bundles.html"]) {
      const html = readFileSync(join(out, page), "utf8");
      const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
      expect(new Set(ids).size, page).toBe(ids.length);
      expect(html).toContain(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
      expect(html).not.toMatch(/<(script|link)\b[^>]*(src|href)="(https?:)?\/\//);
    }
  });

  it("gives external links rel=noopener and renders missing lessons/notebooks as coming soon", () => {
    const html = readFileSync(join(out, "guide/delta.html"), "utf8");
    const external = [...html.matchAll(/<a href="(https?:[^"]*)"([^>]*)>/g)];
    expect(external.length).toBeGreaterThan(5);
    for (const m of external) expect(m[2]).toContain(`rel="noopener"`);
    if (!existsSync(join(REPO_ROOT, "lessons/01-delta-lake.md"))) {
      expect(html).toContain(`<span class="nolink" title="../lessons/01-delta-lake.md">lesson</span> <span class="soon">(coming soon)</span>`);
    }
    expect(html).not.toMatch(/href="[^"]*\.(md|ipynb)["#]/);
  });
});

describe("buildSite on the fixture repository", () => {
  it("renders lessons and notebooks, rewrites their links and copies images", async () => {
    const { out, pages } = await buildSite({ root: fixtureRoot, out: join(tmp, "fixture") });
    expect(pages).toBe(CONCEPTS.length + 1 + 2 + 2 + 2); // concepts+cc, index+intro, lessons index+1, notebooks index+1
    const lesson = readFileSync(join(out, "lessons/01-delta-lake.html"), "utf8");
    expect(lesson).toContain(`<a href="../notebooks/01-delta-lake.html">the notebook</a>`);
    expect(lesson).toContain(`<a href="../guide/delta.html#fix-vacuum">a question</a>`);
    expect(lesson).toContain(`<a href="#time-travel">the time travel section</a>`);
    expect(lesson).toContain(`<span class="nolink">a missing anchor</span>`);
    expect(lesson).toContain(`the next lesson</span> <span class="soon">(coming soon)</span>`);
    expect(lesson).toContain(`<a href="https://docs.delta.io/" rel="noopener" class="ext">the docs</a>`);
    expect(lesson).toContain(`<img src="img/chart.svg"`);
    expect(existsSync(join(out, "lessons/img/chart.svg"))).toBe(true);
    const lessons = readFileSync(join(out, "lessons/index.html"), "utf8");
    expect(lessons).toContain(`<a href="01-delta-lake.html">Lesson 01: Delta Lake</a>`);
    const notebook = readFileSync(join(out, "notebooks/01-delta-lake.html"), "utf8");
    expect(notebook).not.toContain("cdnjs.cloudflare.com");
    expect(notebook).not.toContain("cdn.example.invalid");
    expect(notebook).toContain(`<a href="../lessons/01-delta-lake.html">the lesson</a>`);
    expect(notebook).toContain(`<span class="nolink">lesson 09</span> <em>(coming soon)</em>`);
    expect(existsSync(join(out, "notebooks/01-delta-lake_files/chart.svg"))).toBe(true);
    const guide = readFileSync(join(out, "guide/cross-cutting.html"), "utf8");
    expect(guide).toContain(`<a href="delta.html#fix-vacuum">the VACUUM answer</a>`);
    const intro = readFileSync(join(out, "guide/intro.html"), "utf8");
    expect(intro).toContain(`<a href="delta.html#fix-vacuum">link to a question</a>`);
  });

  it("builds cleanly from a repository with no guide, lessons or notebooks", async () => {
    const empty = join(tmp, "empty-root");
    mkdirSync(empty, { recursive: true });
    const { out, pages } = await buildSite({ root: empty, out: join(tmp, "empty-site") });
    expect(pages).toBe(CONCEPTS.length + 1 + 4);
    expect(readFileSync(join(out, "notebooks/index.html"), "utf8")).toContain("(coming soon)");
  });
});

describe("output folder safety", () => {
  it("rebuilds over its own output but refuses a folder it did not write", async () => {
    const out = join(tmp, "again");
    await buildSite({ root: fixtureRoot, out });
    writeFileSync(join(out, "stale.html"), "old");
    await buildSite({ root: fixtureRoot, out });
    expect(existsSync(join(out, "stale.html"))).toBe(false);

    const foreign = join(tmp, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "keep.txt"), "mine");
    await expect(buildSite({ root: fixtureRoot, out: foreign })).rejects.toThrow(/not empty/);
    expect(readFileSync(join(foreign, "keep.txt"), "utf8")).toBe("mine");
  });
});

describe("guide CLI", () => {
  it("prints the output folder and the page count", async () => {
    const out = join(tmp, "cli-site");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "src/guide/cli.ts", "--out", out, "--root", fixtureRoot], { cwd: REPO_ROOT });
    expect(stdout).toContain(out);
    expect(stdout).toMatch(/\b23 pages\b/);
    expect(existsSync(join(out, "index.html"))).toBe(true);
  });

  it("rejects unknown options", async () => {
    await expect(run(process.execPath, ["--import", "tsx", "src/guide/cli.ts", "--bogus"], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2 });
  });
});
