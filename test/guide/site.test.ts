/**
 * The guide site in real headless Chromium (playwright-core + Debian's /usr/bin/chromium):
 * builds the real guide and a fixture repository (lessons + an executed notebook) into a temp
 * folder, serves it on 127.0.0.1, visits every page at phone size and checks console errors,
 * failed requests, internal links and anchors, horizontal overflow, the concept index and search.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/guide/build.js";
import { CONCEPT_TITLES, CONCEPTS } from "../../src/learn/types.js";
import { makeFixtureRoot, REPO_ROOT } from "./fixture.js";
import { serveStatic, type StaticServer } from "./server.js";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SUITE = HAVE_CHROMIUM
  ? "guide site in headless Chromium"
  : `guide site in headless Chromium — SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)`;
if (!HAVE_CHROMIUM) console.warn(`[test/guide/site.test.ts] ${SUITE}`);

/** Flags for Chromium on these machines (closed network, root, no GPU); playwright adds --headless and a fresh profile dir. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PHONE = { width: 375, height: 812 };

interface PageReport {
  site: string;
  path: string;
  problems: string[];
  ids: string[];
  links: { raw: string; resolved: string; rel: string; text: string }[];
  width: { doc: number; body: number; inner: number };
  questions: number;
}

/** Site-relative paths of every .html file under `dir`. */
function htmlFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...htmlFiles(abs, `${prefix}${name}/`));
    else if (name.endsWith(".html")) out.push(`${prefix}${name}`);
  }
  return out;
}

/** Records console errors, uncaught errors, failed requests, HTTP errors and dialogs on `page`. */
function watch(page: Page): { take(): string[] } {
  let problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A lazy image still loading when the test moves to the next page is cancelled
    // (ERR_ABORTED): not a broken resource. Missing files still show up as HTTP 404 below.
    if (r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? "?"})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  return {
    take() {
      const p = problems;
      problems = [];
      return p;
    },
  };
}

describe.skipIf(!HAVE_CHROMIUM)(SUITE, () => {
  let tmp = "";
  let fixtureRoot = "";
  let server: StaticServer;
  let browser: Browser;
  let phone: BrowserContext;
  const reports = new Map<string, PageReport>(); // key: `${site}/${path}`
  const outs: Record<string, string> = {};

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "c360-guide-site-"));
    fixtureRoot = makeFixtureRoot();
    outs["real"] = (await buildSite({ root: REPO_ROOT, out: join(tmp, "real") })).out;
    outs["fixture"] = (await buildSite({ root: fixtureRoot, out: join(tmp, "fixture") })).out;
    server = await serveStatic(tmp);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    phone = await browser.newContext({ viewport: PHONE });

    const page = await phone.newPage();
    const log = watch(page);
    for (const site of Object.keys(outs)) {
      for (const path of htmlFiles(outs[site]!)) {
        const response = await page.goto(`${server.url}/${site}/${path}`, { waitUntil: "load" });
        const info = await page.evaluate(() => ({
          ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name") || ""),
          links: [...document.querySelectorAll("a[href]")].map((a) => ({
            raw: a.getAttribute("href") ?? "",
            resolved: (a as HTMLAnchorElement).href,
            rel: a.getAttribute("rel") ?? "",
            text: (a.textContent ?? "").trim(),
          })),
          width: { doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth },
          questions: document.querySelectorAll("section.qa").length,
        }));
        const problems = log.take();
        if (!response?.ok()) problems.push(`status ${response?.status() ?? "none"}`);
        reports.set(`${site}/${path}`, { site, path, problems, ...info });
      }
    }
    await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (fixtureRoot) rmSync(fixtureRoot, { recursive: true, force: true });
  });

  it("visits the expected pages", () => {
    const real = [...reports.values()].filter((r) => r.site === "real").map((r) => r.path);
    for (const c of [...CONCEPTS, "cross-cutting"]) expect(real).toContain(`guide/${c}.html`);
    expect(real).toEqual(expect.arrayContaining(["index.html", "guide/intro.html", "lessons/index.html", "notebooks/index.html"]));
    const fixture = [...reports.values()].filter((r) => r.site === "fixture").map((r) => r.path);
    expect(fixture).toEqual(expect.arrayContaining(["lessons/01-delta-lake.html", "notebooks/01-delta-lake.html"]));
  });

  it("loads every page with no console errors and no failed requests", () => {
    const problems = [...reports.values()].flatMap((r) => r.problems.map((p) => `${r.site}/${r.path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("resolves every internal link to an existing page and anchor", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of reports.values()) {
      for (const link of r.links) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link.raw) || link.raw.startsWith("//")) {
          if (/^https?:/i.test(link.raw) && !link.rel.split(/\s+/).includes("noopener") && r.path.startsWith("guide/")) {
            failures.push(`${r.site}/${r.path}: external link without rel=noopener: ${link.raw}`);
          }
          continue;
        }
        checked++;
        const url = new URL(link.resolved);
        const prefix = `/${r.site}/`;
        if (url.origin !== server.url || !url.pathname.startsWith(prefix)) {
          failures.push(`${r.site}/${r.path}: ${link.raw} leaves the site (${link.resolved})`);
          continue;
        }
        let target = decodeURIComponent(url.pathname.slice(prefix.length));
        if (target === "" || target.endsWith("/")) target += "index.html";
        const targetReport = reports.get(`${r.site}/${target}`);
        if (!targetReport) {
          if (!existsSync(join(outs[r.site]!, target))) failures.push(`${r.site}/${r.path}: ${link.raw} → missing ${target}`);
          continue;
        }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor && !targetReport.ids.includes(anchor)) failures.push(`${r.site}/${r.path}: ${link.raw} → no #${anchor} in ${target}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it("has no horizontal overflow at 375×812", () => {
    const wide = [...reports.values()]
      .filter((r) => r.width.doc > r.width.inner || r.width.body > r.width.inner)
      .map((r) => `${r.site}/${r.path}: scrollWidth ${r.width.doc}/${r.width.body} > ${r.width.inner}`);
    expect(wide).toEqual([]);
  });

  it("lists all 16 concepts plus cross-cutting on the index, with question counts", () => {
    const index = reports.get("real/index.html")!;
    for (const c of CONCEPTS) {
      const card = index.links.find((l) => l.raw === `guide/${c}.html`);
      expect(card, `index links guide/${c}.html`).toBeDefined();
      expect(card!.text).toContain(CONCEPT_TITLES[c]);
    }
    expect(index.links.some((l) => l.raw === "guide/cross-cutting.html")).toBe(true);
    const total = [...CONCEPTS, "cross-cutting"].reduce((n, c) => n + reports.get(`real/guide/${c}.html`)!.questions, 0);
    expect(total).toBeGreaterThanOrEqual(80);
    expect(reports.get("real/guide/delta.html")!.questions).toBeGreaterThan(0);
  });

  it("checks the index's counts and difficulty tags against the concept pages", async () => {
    const page = await phone.newPage();
    await page.goto(`${server.url}/real/index.html`);
    const cards = await page.$$eval("li.card", (els) =>
      els.map((el) => ({
        topic: el.getAttribute("data-topic") ?? "",
        count: el.querySelector(".count")?.textContent ?? "",
        badges: [...el.querySelectorAll(".badges .badge")].map((b) => b.textContent ?? ""),
      })),
    );
    await page.close();
    expect(cards.map((c) => c.topic)).toEqual([...CONCEPTS, "cross-cutting"]);
    for (const card of cards) {
      const n = reports.get(`real/guide/${card.topic}.html`)!.questions;
      expect(card.count).toBe(`${n} question${n === 1 ? "" : "s"}`);
      const tagged = card.badges.reduce((sum, b) => sum + Number(b.split(" ")[0]), 0);
      expect(tagged).toBe(n);
      for (const b of card.badges) expect(b).toMatch(/^\d+ (easy|medium|hard)$/);
    }
  });

  it("finds VACUUM as you type and links to the Delta Lake page", async () => {
    const page = await phone.newPage();
    const log = watch(page);
    await page.goto(`${server.url}/real/guide/streaming.html`); // a page one folder deep
    await page.locator("#site-search").pressSequentially("VACUUM", { delay: 15 });
    await page.locator("#search-results a.search-hit").first().waitFor();
    const hrefs = await page.$$eval("#search-results a.search-hit", (as) => as.map((a) => (a as HTMLAnchorElement).href));
    const delta = hrefs.find((h) => h.startsWith(`${server.url}/real/guide/delta.html#`));
    expect(delta, hrefs.join("\n")).toBeDefined();
    await expect.poll(() => page.locator("#search-results .search-count").textContent()).toMatch(/\d+ results? for “VACUUM”/);

    // More words narrow the results; the best hit is the VACUUM question.
    await page.locator("#site-search").pressSequentially(" retain", { delay: 15 });
    await expect.poll(async () => (await page.locator("#search-results a.search-hit").count()) < hrefs.length).toBe(true);
    await page.locator("#search-results a.search-hit").first().click();
    await page.waitForURL(/\/real\/guide\/delta\.html#delta-vacuum/);
    expect(await page.locator(`section.qa:target h2`).textContent()).toContain("VACUUM");

    await page.locator("#site-search").fill("zzqqxx-no-such-term");
    await expect.poll(() => page.locator("#search-results .search-count").textContent()).toContain("No results");
    expect(log.take()).toEqual([]);
    await page.close();
  });

  it("works offline from file:// (search included)", async () => {
    const page = await phone.newPage();
    const log = watch(page);
    await page.goto(pathToFileURL(join(outs["real"]!, "index.html")).href);
    await page.locator("#site-search").pressSequentially("VACUUM", { delay: 10 });
    await page.locator("#search-results a.search-hit").first().waitFor();
    await page.locator(`#search-results a.search-hit[href*="guide/delta.html#"]`).first().click();
    await page.waitForURL(/guide\/delta\.html#/);
    expect(await page.locator("h1").textContent()).toBe("Delta Lake");
    await page.goto(pathToFileURL(join(outs["fixture"]!, "notebooks/01-delta-lake.html")).href);
    expect(log.take()).toEqual([]);
    await page.close();
  });

  it("escapes HTML in headings and ids, and marks links to pages not built yet as coming soon", async () => {
    const page = await phone.newPage();
    const log = watch(page);
    await page.goto(`${server.url}/fixture/guide/delta.html`);
    const section = page.locator("section.qa").nth(1);
    expect(await section.getAttribute("id")).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
    expect(await section.locator("h2").textContent()).toContain(`<script>alert("x")</script> & "quoted"`);
    expect(await page.locator("main script, main img[src='x'], main b").count()).toBe(0);
    const run = (await section.locator(".part-run").textContent()) ?? "";
    expect(run).toMatch(/notebook \(coming soon\) · lesson \(coming soon\)/);
    // The first question's links go to the lesson and notebook pages, which exist in the fixture.
    const first = page.locator("section.qa").first();
    expect(await first.locator(".part-run a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      "../notebooks/01-delta-lake.html",
      "../lessons/01-delta-lake.html",
    ]);
    expect(log.take()).toEqual([]);
    await page.close();
  });

  it("shows notebook charts and images within the phone width, without CDN scripts", async () => {
    const page = await phone.newPage();
    const log = watch(page);
    await page.goto(`${server.url}/fixture/notebooks/01-delta-lake.html`);
    const svg = await page.locator("#wide-chart").boundingBox();
    expect(svg).not.toBeNull();
    expect(svg!.width).toBeGreaterThan(200);
    expect(svg!.x + svg!.width).toBeLessThanOrEqual(PHONE.width);
    expect(svg!.height).toBeGreaterThan(svg!.width / 3 - 2); // viewBox 900×300, scaled, not clipped
    expect(await page.locator("#file-chart").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator("script[src^='http']").count()).toBe(0);
    expect(await page.locator(".c360-nb-bar a").first().getAttribute("href")).toBe("../index.html");

    await page.goto(`${server.url}/fixture/lessons/01-delta-lake.html`);
    await page.locator("main img").scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator("main img").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator("main").textContent()).toContain("the next lesson (coming soon)");
    expect(log.take()).toEqual([]);
    await page.close();
  });
});
