/**
 * Builds the self-study guide as a static HTML site (default build/site/):
 *
 *   index.html                 concepts with question counts and difficulty tags
 *   guide/intro.html           how to use the guide, product renames
 *   guide/<concept>.html       one page per concept section (and guide/cross-cutting.html),
 *                              each Q&A a <section id="<entry id>">
 *   lessons/index.html         lessons/README.md (if any) and the list of lessons
 *   lessons/<name>.html        one page per lessons/*.md
 *   notebooks/index.html       list of executed notebooks
 *   notebooks/<name>.html      build/notebooks-html/<name>.html, when another step produced them
 *   search-index.json / .js    the search index (the .js form loads from file:// too)
 *   assets/                    CSS and the search script
 *
 * Every relative link is checked at the end: a link to a page that does not exist becomes plain
 * text, a link to a missing anchor keeps only the page, so the site has no broken internal links.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Token, Tokens } from "marked";
import { CONCEPT_TITLES, CONCEPTS, type Concept, type Difficulty, type Topic } from "../learn/types.js";
import { NOTEBOOK_CSS, SEARCH_JS, SITE_CSS } from "./assets.js";
import { esc, IdRegistry, isExternal, relHref, rootPrefix, slugify, unescapeEntities } from "./html.js";
import { MarkdownRenderer, plainText, type LinkResolver, type RenderContext, type Resolved } from "./markdown.js";
import { answerParts, readGuide, type GuideDoc, type GuideQA, type GuideSection } from "./source.js";

export interface BuildOptions {
  /** Output folder (default `<root>/build/site`); relative paths are taken from the current directory. */
  out?: string;
  /** Repository root holding guide/, lessons/ and build/notebooks-html/ (default: this package's root). */
  root?: string;
}

export interface BuildResult {
  out: string;
  pages: number;
}

/** Marks a folder as one this builder wrote, so a rebuild may empty it. */
const MARKER = ".c360-site";
const GUIDE_FILE = "guide/INTERVIEW_GUIDE.md";
const DIFFICULTIES: readonly Difficulty[] = ["easy", "medium", "hard"];
const ASSET_EXT = /\.(png|jpe?g|gif|svg|webp|avif)$/i;
const TOPICS: readonly Topic[] = [...CONCEPTS, "cross-cutting"];

/** The package root: two levels above this file, in src/guide/ and in dist/guide/ alike. */
export function defaultRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

interface SearchEntry {
  /** kind: q (question), lesson, notebook, page */
  k: "q" | "lesson" | "notebook" | "page";
  /** title */
  t: string;
  /** url relative to the site root */
  u: string;
  /** concept label */
  c?: string;
  /** difficulty */
  d?: Difficulty;
  /** plain text */
  x: string;
}

interface LessonInfo {
  file: string; // repo path, lessons/01-delta-lake.md
  page: string; // site path
  name: string;
  topic: Concept | undefined;
  tokens: Token[];
  title: string;
}

interface NotebookInfo {
  file: string; // absolute path of the HTML
  page: string; // site path
  name: string;
  topic: Concept | undefined;
}

interface TopicPage {
  key: string;
  topic: Topic | undefined;
  title: string;
  page: string;
  sections: GuideSection[];
  entries: GuideQA[];
}

function topicLabel(topic: Topic | undefined, fallback: string): string {
  if (topic === undefined) return fallback;
  return topic === "cross-cutting" ? "Cross-cutting" : CONCEPT_TITLES[topic];
}

function numberedTopic(name: string): Concept | undefined {
  const m = name.match(/^(\d{1,2})[-_ ]/);
  return m ? CONCEPTS[Number(m[1]) - 1] : undefined;
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(ext) && statSync(join(dir, f)).isFile())
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** Empties `out` if it is new, empty, or a previous build; refuses any other folder. */
function prepareOut(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new Error(`guide site: ${out} exists and is not a folder`);
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`guide site: ${out} is not empty and was not written by the site builder; choose another --out`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), "Written by src/guide/build.ts; emptied on every build.\n");
}

function diffCounts(entries: readonly GuideQA[]): Record<Difficulty, number> {
  const counts: Record<Difficulty, number> = { easy: 0, medium: 0, hard: 0 };
  for (const e of entries) counts[e.difficulty]++;
  return counts;
}

function diffBadges(entries: readonly GuideQA[]): string {
  const counts = diffCounts(entries);
  return DIFFICULTIES.filter((d) => counts[d] > 0)
    .map((d) => `<span class="badge ${d}">${counts[d]} ${d}</span>`)
    .join(" ");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function partClass(label: string): string {
  const l = label.toLowerCase();
  if (l.startsWith("say it")) return "part-say";
  if (l.startsWith("deeper")) return "part-deeper";
  if (l.startsWith("follow")) return "part-follow-ups";
  if (l.includes("mistake")) return "part-mistakes";
  if (l.startsWith("docs")) return "part-docs";
  if (l.startsWith("see it run")) return "part-run";
  return label ? `part-${slugify(label)}` : "part-body";
}

function htmlToText(html: string): string {
  return unescapeEntities(
    html
      .replace(/<script\b[\s\S]*?<\/script\s*>/gi, " ")
      .replace(/<style\b[\s\S]*?<\/style\s*>/gi, " ")
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();
}

class SiteBuilder implements LinkResolver {
  readonly pages = new Map<string, string>();
  /** Site path → absolute source file, for files copied as they are (images, notebook assets). */
  readonly files = new Map<string, string>();
  readonly search: SearchEntry[] = [];
  readonly md: MarkdownRenderer;
  guide: GuideDoc = { title: "Interview guide", intro: [], sections: [] };
  topicPages: TopicPage[] = [];
  lessons: LessonInfo[] = [];
  lessonsReadme: Token[] | undefined;
  notebooks: NotebookInfo[] = [];
  /** Guide anchor (entry id, heading slug, section slug) → page and anchor. */
  readonly guideAnchors = new Map<string, { path: string; anchor?: string }>();

  constructor(readonly root: string) {
    this.md = new MarkdownRenderer(this);
  }

  // ---------------------------------------------------------------- inputs

  load(): void {
    const guidePath = join(this.root, GUIDE_FILE);
    if (existsSync(guidePath)) this.guide = readGuide(this.md.lex(readFileSync(guidePath, "utf8")));

    const byKey = new Map<string, TopicPage>();
    for (const topic of TOPICS) {
      byKey.set(topic, { key: topic, topic, title: topicLabel(topic, topic), page: `guide/${topic}.html`, sections: [], entries: [] });
    }
    for (const section of this.guide.sections) {
      let tp = byKey.get(section.key);
      if (!tp) {
        const key = section.key === "intro" || section.key === "index" ? `${section.key}-section` : section.key;
        tp = { key, topic: undefined, title: section.title, page: `guide/${key}.html`, sections: [], entries: [] };
        byKey.set(section.key, tp);
      }
      if (tp.sections.length === 0 && section.title) tp.title = section.title;
      tp.sections.push(section);
      tp.entries.push(...section.entries);
    }
    this.topicPages = [...byKey.values()];
    for (const tp of this.topicPages) {
      for (const s of tp.sections) {
        for (const text of [s.heading, s.title]) if (!this.guideAnchors.has(slugify(text))) this.guideAnchors.set(slugify(text), { path: tp.page });
      }
      for (const e of tp.entries) {
        if (!this.guideAnchors.has(e.id)) this.guideAnchors.set(e.id, { path: tp.page, anchor: e.id });
        const slug = slugify(e.question);
        if (!this.guideAnchors.has(slug)) this.guideAnchors.set(slug, { path: tp.page, anchor: e.id });
      }
    }
    const lessonDir = join(this.root, "lessons");
    for (const f of listFiles(lessonDir, ".md")) {
      const tokens = this.md.lex(readFileSync(join(lessonDir, f), "utf8"));
      const name = f.slice(0, -3);
      if (/^readme$/i.test(name)) {
        this.lessonsReadme = tokens;
        continue;
      }
      const h1 = tokens.find((t) => t.type === "heading" && t.depth === 1);
      const title = h1 ? plainText((h1 as Tokens.Heading).tokens) || name : name;
      this.lessons.push({ file: `lessons/${f}`, page: `lessons/${slugify(name) || "lesson"}.html`, name, topic: numberedTopic(name), tokens, title });
    }

    const nbDir = join(this.root, "build", "notebooks-html");
    for (const f of listFiles(nbDir, ".html")) {
      const name = f.slice(0, -5);
      if (name === "index") continue;
      this.notebooks.push({ file: join(nbDir, f), page: `notebooks/${slugify(name) || "notebook"}.html`, name, topic: numberedTopic(name) });
    }
    // Files next to the notebook HTML (images, *_files/ folders) go along, at the same place.
    if (this.notebooks.length > 0) {
      const walk = (abs: string, rel: string) => {
        for (const entry of readdirSync(abs)) {
          const a = join(abs, entry);
          const r = rel ? `${rel}/${entry}` : entry;
          if (statSync(a).isDirectory()) walk(a, r);
          else if (!(rel === "" && entry.toLowerCase().endsWith(".html"))) this.files.set(`notebooks/${r}`, a);
        }
      };
      walk(nbDir, "");
    }
  }

  // ---------------------------------------------------------------- LinkResolver

  resolve(repoPath: string, anchor: string): Resolved {
    const lower = repoPath.toLowerCase();
    if (repoPath === GUIDE_FILE || repoPath === "guide") {
      if (!anchor) return { path: "index.html" };
      let key = anchor;
      try {
        key = decodeURIComponent(anchor);
      } catch {
        /* as written */
      }
      return this.guideAnchors.get(key) ?? this.guideAnchors.get(slugify(key)) ?? { missing: "" };
    }
    if (repoPath === "lessons" || /^lessons\/readme\.md$/.test(lower)) return { path: "lessons/index.html" };
    if (repoPath === "notebooks" || /^notebooks\/readme\.md$/.test(lower)) return { path: "notebooks/index.html" };
    if (lower.startsWith("lessons/") && lower.endsWith(".md")) {
      const lesson = this.lessons.find((l) => l.file === repoPath);
      return lesson ? { path: lesson.page, ...(anchor ? { anchor } : {}) } : { missing: "(coming soon)" };
    }
    if (lower.startsWith("notebooks/") && (lower.endsWith(".ipynb") || lower.endsWith(".html"))) {
      const name = posix.basename(repoPath).replace(/\.(ipynb|html)$/i, "");
      const nb = this.notebooks.find((n) => n.name === name);
      return nb ? { path: nb.page, ...(anchor ? { anchor } : {}) } : { missing: "(coming soon)" };
    }
    if (ASSET_EXT.test(repoPath)) {
      const asset = this.asset(repoPath);
      if (asset) return { path: asset };
    }
    const abs = join(this.root, repoPath);
    if (existsSync(abs)) return { missing: `(${repoPath} in the repository)` };
    return { missing: "(coming soon)" };
  }

  asset(repoPath: string): string | undefined {
    if (!ASSET_EXT.test(repoPath) || repoPath.startsWith("../")) return undefined;
    const abs = join(this.root, repoPath);
    if (!existsSync(abs) || !statSync(abs).isFile()) return undefined;
    const sitePath = repoPath.startsWith("build/") ? `media/${repoPath}` : repoPath;
    this.files.set(sitePath, abs);
    return sitePath;
  }

  // ---------------------------------------------------------------- layout

  layout(path: string, title: string, body: string, opts: { description?: string; nav?: string } = {}): string {
    const root = rootPrefix(path);
    const link = (to: string, label: string, key: string) =>
      `<a href="${esc(relHref(path, to))}"${opts.nav === key ? ` aria-current="page"` : ""}>${label}</a>`;
    const description = opts.description ?? "Self-study guide for Databricks data-engineering interviews (c360-lab).";
    return `<!doctype html>
<html lang="en" data-root="${esc(root)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<meta name="description" content="${esc(description)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${esc(root)}assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header" id="top">
<div class="inner">
<a class="brand" href="${esc(relHref(path, "index.html"))}">c360-lab <span>guide</span></a>
<nav class="site-nav" aria-label="Site">
${link("index.html", "Concepts", "index")}
${link("guide/intro.html", "How to use", "intro")}
${link("lessons/index.html", "Lessons", "lessons")}
${link("notebooks/index.html", "Notebooks", "notebooks")}
</nav>
<form class="search" role="search" action="${esc(relHref(path, "index.html"))}" method="get">
<label class="sr-only" for="site-search">Search questions, answers and lessons</label>
<input id="site-search" name="q" type="search" placeholder="Search questions, answers, lessons…" autocomplete="off" spellcheck="false">
</form>
</div>
</header>
<div id="search-results" class="search-results" hidden aria-live="polite"></div>
<main id="main">
${body}
</main>
<footer class="site-footer"><div class="inner">c360-lab: a local training toolkit for Databricks data-engineering interviews. Built from <code>guide/INTERVIEW_GUIDE.md</code> and <code>lessons/</code>. Answers link to the official Databricks documentation; check them there before an interview.</div></footer>
<script src="${esc(root)}assets/search.js"></script>
</body>
</html>
`;
  }

  ctx(sourceFile: string, pagePath: string, reserved: Iterable<string> = [], headingShift = 0): RenderContext {
    return {
      sourceFile,
      pagePath,
      ids: new IdRegistry(["top", "main", "site-search", "search-results", ...reserved]),
      headingShift,
    };
  }

  /** "Lesson · Notebook" links for a concept, or their names with "(coming soon)". */
  studyLinks(from: string, topic: Topic | undefined, compact = false): string {
    const lesson = this.lessons.find((l) => l.topic === topic);
    const notebook = this.notebooks.find((n) => n.topic === topic);
    if (compact && !lesson && !notebook) return `<span class="soon">Lesson and notebook coming soon</span>`;
    const one = (label: string, page: string | undefined) =>
      page ? `<a href="${esc(relHref(from, page))}">${label}</a>` : `<span class="nolink">${label}</span> <span class="soon">(coming soon)</span>`;
    return `${one("Lesson", lesson?.page)} · ${one("Notebook", notebook?.page)}`;
  }

  // ---------------------------------------------------------------- pages

  renderIndex(): void {
    const path = "index.html";
    const all = this.topicPages.flatMap((t) => t.entries);
    const cards = this.topicPages.map((tp) => {
      const n = tp.topic && tp.topic !== "cross-cutting" ? CONCEPTS.indexOf(tp.topic) + 1 : 0;
      const num = n > 0 ? `Concept ${String(n).padStart(2, "0")}` : tp.topic === "cross-cutting" ? "All concepts" : "Section";
      const title = tp.topic ? topicLabel(tp.topic, tp.title) : tp.title;
      const study = tp.topic && tp.topic !== "cross-cutting" ? `<p class="card-links">${this.studyLinks(path, tp.topic, true)}</p>` : "";
      return `<li class="card" data-topic="${esc(tp.key)}">
<a class="card-link" href="${esc(tp.page)}"><span class="num">${num}</span><span class="card-title">${esc(title)}</span></a>
<p class="meta"><span class="count">${plural(tp.entries.length, "question")}</span> <span class="badges">${diffBadges(tp.entries)}</span></p>
${study}
</li>`;
    });
    const totals = diffBadges(all);
    const body = `<header class="page-head">
<p class="kicker">Self-study guide</p>
<h1>${esc(this.guide.title)}</h1>
<p class="lead">${plural(all.length, "interview question")} for Databricks data-engineering roles, across ${CONCEPTS.length} concepts plus cross-cutting “classic” questions. Each answer has a 30-second version to say out loud, the detail behind it, likely follow-ups, common mistakes and the official docs.</p>
<p class="stats">${totals}</p>
<p>New here? Read <a href="guide/intro.html">how to use this guide</a> (and the list of product renames). Use the search box to find any term, command or error message.</p>
</header>
<h2 id="concepts">Concepts</h2>
<ol class="cards">
${cards.join("\n")}
</ol>`;
    this.pages.set(path, this.layout(path, `${this.guide.title} · c360-lab`, body, { nav: "index" }));
  }

  renderIntro(): void {
    const path = "guide/intro.html";
    const ctx = this.ctx(GUIDE_FILE, path);
    const body = `<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">All concepts</a> › How to use</nav>
<h1>How to use this guide</h1>
${this.md.render(this.guide.intro, ctx) || "<p>The guide has no introduction yet.</p>"}
<nav class="pager" aria-label="Next"><span></span><a href="../index.html#concepts">Browse the concepts →</a></nav>`;
    this.pages.set(path, this.layout(path, `How to use · ${this.guide.title}`, body, { nav: "intro" }));
    this.search.push({ k: "page", t: "How to use this guide", u: path, x: plainText(this.guide.intro) });
  }

  renderTopic(tp: TopicPage, prev: TopicPage | undefined, next: TopicPage | undefined): void {
    const path = tp.page;
    const ctx = this.ctx(GUIDE_FILE, path, tp.entries.map((e) => e.id), 2);
    const label = topicLabel(tp.topic, tp.title);
    const n = tp.topic && tp.topic !== "cross-cutting" ? CONCEPTS.indexOf(tp.topic) + 1 : 0;
    const kicker = n > 0 ? `Concept ${String(n).padStart(2, "0")} · ${esc(label)}` : tp.topic === "cross-cutting" ? "Across all concepts" : "Guide section";
    const parts: string[] = [];
    parts.push(`<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">All concepts</a> › ${esc(label)}</nav>`);
    parts.push(`<header class="page-head"><p class="kicker">${kicker}</p><h1>${esc(tp.title)}</h1>`);
    parts.push(`<p class="stats"><span>${plural(tp.entries.length, "question")}</span> ${diffBadges(tp.entries)}</p>`);
    if (tp.topic && tp.topic !== "cross-cutting") parts.push(`<p class="study">Study material: ${this.studyLinks(path, tp.topic)}</p>`);
    parts.push(`</header>`);
    for (const s of tp.sections) if (s.intro.length) parts.push(this.md.render(s.intro, ctx));
    if (tp.entries.length === 0) {
      parts.push(`<p>No questions on this concept yet (coming soon).</p>`);
    } else {
      const ids = new Map<GuideQA, string>();
      const seen = new Set<string>();
      for (const e of tp.entries) {
        // Entry ids are reserved in ctx.ids; a duplicate id gets a suffix here.
        let id = e.id;
        for (let k = 2; seen.has(id); k++) id = `${e.id}-${k}`;
        seen.add(id);
        ids.set(e, id);
      }
      parts.push(`<nav class="toc" aria-label="Questions on this page"><h2>Questions</h2><ol>`);
      for (const e of tp.entries) {
        parts.push(`<li><a href="#${esc(ids.get(e)!)}">${this.md.inline(e.heading, ctx)}</a> <span class="badge ${e.difficulty}">${e.difficulty}</span></li>`);
      }
      parts.push(`</ol></nav>`);
      for (const e of tp.entries) {
        const id = ids.get(e)!;
        parts.push(`<section class="qa" id="${esc(id)}" data-difficulty="${e.difficulty}">`);
        parts.push(`<h2>${this.md.inline(e.heading, ctx)}<a class="permalink" href="#${esc(id)}" aria-label="Link to this question">#</a></h2>`);
        const exam = e.exam ? `<span class="exam">${esc(e.exam)}</span>` : "";
        const topicNote = tp.topic !== e.topic && e.topic !== "cross-cutting" ? `<span>${esc(CONCEPT_TITLES[e.topic])}</span>` : "";
        parts.push(`<p class="qa-meta"><span class="badge ${e.difficulty}">${e.difficulty}</span>${exam}${topicNote}</p>`);
        for (const part of answerParts(e.body)) {
          parts.push(`<div class="part ${partClass(part.label)}">${this.md.render(part.tokens, ctx)}</div>`);
        }
        parts.push(`<p class="back-top"><a href="#top">↑ Back to top</a></p></section>`);
        this.search.push({ k: "q", t: e.question, u: `${path}#${id}`, c: label, d: e.difficulty, x: plainText(e.body).replace(/^Say it in 30 seconds:\s*/i, "") });
      }
    }
    const pagerLink = (p: TopicPage | undefined, dir: "prev" | "next") =>
      p ? `<a href="${esc(relHref(path, p.page))}" rel="${dir}">${dir === "prev" ? "← " : ""}${esc(topicLabel(p.topic, p.title))}${dir === "next" ? " →" : ""}</a>` : "<span></span>";
    parts.push(`<nav class="pager" aria-label="Concepts">${pagerLink(prev, "prev")}${pagerLink(next, "next")}</nav>`);
    this.pages.set(path, this.layout(path, `${label} · interview questions · c360-lab`, parts.join("\n"), { description: `Interview questions and answers on ${label}.` }));
  }

  renderLessons(): void {
    const indexPath = "lessons/index.html";
    const items = this.lessons.map((l) => {
      const concept = l.topic ? ` <span class="badge">${esc(CONCEPT_TITLES[l.topic])}</span>` : "";
      return `<li><a href="${esc(relHref(indexPath, l.page))}">${esc(l.title)}</a>${concept}</li>`;
    });
    // The README is the folder's overview once lessons exist (until then it is a placeholder).
    const readme = this.lessonsReadme && this.lessons.length > 0 ? this.md.render(this.lessonsReadme, this.ctx("lessons/README.md", indexPath, [], 1)) : "";
    const body = `<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">All concepts</a> › Lessons</nav>
<h1>Lessons</h1>
${items.length ? `<ol class="plain-list">${items.join("\n")}</ol>` : `<p>No lessons in this build yet (coming soon). Each concept page already has its interview questions.</p>`}
${readme ? `<section class="readme">${readme}</section>` : ""}`;
    this.pages.set(indexPath, this.layout(indexPath, "Lessons · c360-lab", body, { nav: "lessons" }));

    for (const l of this.lessons) {
      const ctx = this.ctx(l.file, l.page);
      const label = l.topic ? CONCEPT_TITLES[l.topic] : "";
      const hasH1 = l.tokens.some((t) => t.type === "heading" && t.depth === 1);
      const guideLink = l.topic ? `<p class="study">Interview questions: <a href="${esc(relHref(l.page, `guide/${l.topic}.html`))}">${esc(label)}</a> · ${this.studyLinks(l.page, l.topic).split(" · ")[1]}</p>` : "";
      const lessonBody = this.md.render(l.tokens, ctx);
      const bodyHtml = `<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">All concepts</a> › <a href="index.html">Lessons</a> › ${esc(l.title)}</nav>
${hasH1 ? "" : `<h1>${esc(l.title)}</h1>`}
${lessonBody}
${guideLink}`;
      this.pages.set(l.page, this.layout(l.page, `${l.title} · lesson · c360-lab`, bodyHtml, { nav: "lessons" }));
      this.search.push({ k: "lesson", t: l.title, u: l.page, c: label || undefined, x: plainText(l.tokens).slice(0, 20000) });
    }
  }

  renderNotebooks(): void {
    const indexPath = "notebooks/index.html";
    const titles = new Map<NotebookInfo, string>();
    for (const nb of this.notebooks) {
      const html = readFileSync(nb.file, "utf8");
      const title = htmlToText(html.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1] ?? "") ||
        htmlToText(html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/i)?.[1] ?? "").replace(/¶$/, "").trim() || nb.name;
      titles.set(nb, title);
      this.pages.set(nb.page, this.notebookPage(nb, html, title));
      this.search.push({ k: "notebook", t: title, u: nb.page, c: nb.topic ? CONCEPT_TITLES[nb.topic] : undefined, x: htmlToText(html).slice(0, 20000) });
    }
    const items = this.notebooks.map((nb) => {
      const concept = nb.topic ? ` <span class="badge">${esc(CONCEPT_TITLES[nb.topic])}</span>` : "";
      return `<li><a href="${esc(relHref(indexPath, nb.page))}">${esc(titles.get(nb)!)}</a>${concept}</li>`;
    });
    const body = `<nav class="crumbs" aria-label="Breadcrumb"><a href="../index.html">All concepts</a> › Notebooks</nav>
<h1>Executed notebooks</h1>
${items.length ? `<p>Each notebook ran end to end on the local lakehouse; outputs and charts are as they came out.</p><ol class="plain-list">${items.join("\n")}</ol>` : `<p>No executed notebooks in this build yet (coming soon).</p>`}`;
    this.pages.set(indexPath, this.layout(indexPath, "Notebooks · c360-lab", body, { nav: "notebooks" }));
  }

  /** An executed notebook's HTML, made offline-safe, with a bar linking back into the site. */
  notebookPage(nb: NotebookInfo, source: string, title: string): string {
    const ctx = this.ctx(`notebooks/${nb.name}.ipynb`, nb.page);
    let html = source
      // The site works offline: drop scripts and stylesheets from CDNs (charts are pre-rendered SVG).
      .replace(/<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?\/\/[^>]*>[\s\S]*?<\/script\s*>/gi, "")
      .replace(/<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?\/\/[^>]*>/gi, "");
    // Links to lessons and notebooks as repository files → their pages in the site.
    html = html.replace(/(<a\b[^>]*?\bhref\s*=\s*)(["'])([^"']*)\2([^>]*>)([\s\S]*?)<\/a>/gi, (all, pre: string, q: string, href: string, post: string, inner: string) => {
      const raw = unescapeEntities(href);
      if (isExternal(raw) || raw.startsWith("#") || !/\.(md|ipynb)(#|$)/i.test(raw)) return all;
      const t = this.md.siteHref(raw, ctx);
      if (t.href === undefined) return `<span class="nolink">${inner}</span>${t.note ? ` <em>${esc(t.note)}</em>` : ""}`;
      return `${pre}${q}${esc(t.href)}${q}${post}${inner}</a>`;
    });
    const bar = `<nav class="c360-nb-bar" aria-label="Site"><a href="../index.html">← c360-lab guide</a><a href="index.html">Notebooks</a>${
      nb.topic ? `<a href="${esc(relHref(nb.page, `guide/${nb.topic}.html`))}">${esc(CONCEPT_TITLES[nb.topic])} questions</a>` : ""
    }</nav>`;
    const icon = /<link\b[^>]*rel\s*=\s*["']?(?:shortcut )?icon/i.test(html) ? "" : `<link rel="icon" href="data:,">\n`;
    const head = `<meta name="viewport" content="width=device-width, initial-scale=1">\n${icon}<link rel="stylesheet" href="../assets/notebook.css">\n`;
    if (!/<body\b[^>]*>/i.test(html)) {
      const body = `<h1>${esc(title)}</h1><div class="notebook-body">${html}</div>`;
      return this.layout(nb.page, `${title} · notebook · c360-lab`, body, { nav: "notebooks" }).replace("</head>", `<link rel="stylesheet" href="../assets/notebook.css">\n</head>`);
    }
    if (/<meta\b[^>]*name\s*=\s*["']?viewport/i.test(html)) html = html.replace(/<meta\b[^>]*name\s*=\s*["']?viewport[^>]*>/gi, "");
    html = /<\/head\s*>/i.test(html) ? html.replace(/<\/head\s*>/i, `${head}</head>`) : html.replace(/<body\b[^>]*>/i, (b) => `${head}${b}`);
    return html.replace(/<body\b[^>]*>/i, (b) => `${b}\n${bar}`);
  }

  // ---------------------------------------------------------------- link check

  /** Unlinks relative links to missing pages and drops anchors that the target page lacks. */
  checkLinks(): void {
    const idsOf = new Map<string, Set<string>>();
    const ids = (page: string) => {
      let set = idsOf.get(page);
      if (!set) {
        set = new Set<string>();
        for (const m of (this.pages.get(page) ?? "").matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) set.add(unescapeEntities(m[1] ?? m[2] ?? ""));
        idsOf.set(page, set);
      }
      return set;
    };
    for (const [page, html] of this.pages) {
      const fixed = html.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (all, attrs: string, inner: string) => {
        const m = attrs.match(/\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/i);
        if (!m) return all;
        const href = unescapeEntities(m[1] ?? m[2] ?? "");
        if (isExternal(href)) return all;
        const hash = href.indexOf("#");
        let rel = (hash < 0 ? href : href.slice(0, hash)).replace(/\?.*$/, "");
        let anchor = hash < 0 ? "" : href.slice(hash + 1);
        try {
          rel = decodeURI(rel);
          anchor = decodeURIComponent(anchor);
        } catch {
          /* compare as written */
        }
        let target = rel === "" ? page : posix.normalize(posix.join(posix.dirname(page), rel));
        if (target.endsWith("/") || target === ".") target = posix.join(target, "index.html");
        const isPage = this.pages.has(target);
        if (!isPage && !this.files.has(target) && !["search-index.json", "search-index.js"].includes(target)) {
          return `<span class="nolink">${inner}</span>`;
        }
        if (anchor && isPage && !ids(target).has(anchor)) {
          if (target === page) return `<span class="nolink">${inner}</span>`;
          const withoutAnchor = hash < 0 ? href : href.slice(0, hash);
          return `<a${attrs.replace(m[0], ` href="${esc(withoutAnchor)}"`)}>${inner}</a>`;
        }
        return all;
      });
      this.pages.set(page, fixed);
    }
  }

  // ---------------------------------------------------------------- output

  build(): void {
    this.load();
    this.renderIndex();
    this.renderIntro();
    this.topicPages.forEach((tp, i) => this.renderTopic(tp, this.topicPages[i - 1], this.topicPages[i + 1]));
    this.renderLessons();
    this.renderNotebooks();
    this.checkLinks();
  }

  write(out: string): void {
    prepareOut(out);
    const put = (rel: string, content: string) => {
      const file = join(out, ...rel.split("/"));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    };
    for (const [rel, abs] of this.files) {
      if (this.pages.has(rel)) continue;
      const file = join(out, ...rel.split("/"));
      mkdirSync(dirname(file), { recursive: true });
      cpSync(abs, file);
    }
    for (const [rel, html] of this.pages) put(rel, html);
    put("assets/site.css", SITE_CSS);
    put("assets/notebook.css", NOTEBOOK_CSS);
    put("assets/search.js", SEARCH_JS);
    const index = { version: 1, entries: this.search };
    const json = JSON.stringify(index);
    put("search-index.json", json + "\n");
    // JSON is valid JS; U+2028/2029 are escaped for older engines.
    put("search-index.js", `window.C360_SEARCH_INDEX = ${json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")};\n`);
  }
}

/** Renders the guide, lessons and executed notebooks into a static site; returns its folder and page count. */
export async function buildSite(opts: BuildOptions = {}): Promise<BuildResult> {
  const root = resolve(opts.root ?? defaultRoot());
  const out = opts.out ? (isAbsolute(opts.out) ? opts.out : resolve(opts.out)) : join(root, "build", "site");
  if (resolve(out) === root) throw new Error("guide site: --out must not be the repository root");
  const site = new SiteBuilder(root);
  site.build();
  site.write(out);
  return { out, pages: site.pages.size };
}
