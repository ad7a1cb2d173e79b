/**
 * The site's static assets, kept as strings so that the compiled dist/ build carries them
 * (tsc copies no non-TypeScript files). No external fonts, scripts or stylesheets: the site works
 * offline from file:// and from any static server.
 */

export const SITE_CSS = `:root {
  --bg: #ffffff;
  --fg: #1d232b;
  --muted: #5b6673;
  --line: #dde2e8;
  --soft: #f4f6f9;
  --accent: #c62d1a;
  --link: #1a5fb4;
  --code-bg: #f3f4f6;
  --say-bg: #fff7f2;
  --say-line: #f0b59f;
  --easy: #1b7a3a;
  --easy-bg: #e4f5e9;
  --medium: #8a5a00;
  --medium-bg: #fdf1d8;
  --hard: #b3261e;
  --hard-bg: #fde7e4;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14181d;
    --fg: #e3e7ec;
    --muted: #9aa5b1;
    --line: #2c333c;
    --soft: #1b2027;
    --accent: #ff7a5c;
    --link: #7fb3ff;
    --code-bg: #1f252d;
    --say-bg: #2a1e19;
    --say-line: #7a4330;
    --easy: #7dd69b;
    --easy-bg: #183222;
    --medium: #f2c46b;
    --medium-bg: #352a12;
    --hard: #ff9b8f;
    --hard-bg: #3a1a17;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: break-word;
}
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
img, video, canvas { max-width: 100%; height: auto; }
svg { max-width: 100%; }
svg[viewBox] { height: auto; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 0.6em; }
h1 { font-size: 1.9rem; margin-top: 0.4em; }
h2 { font-size: 1.35rem; }
h3 { font-size: 1.12rem; }
p, ul, ol { margin: 0.7em 0; }
ul, ol { padding-left: 1.4em; }
li + li { margin-top: 0.3em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
:not(pre) > code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
pre {
  background: var(--code-bg);
  border: 1px solid var(--line);
  border-radius: 8px;
  padding: 0.8em 1em;
  overflow-x: auto;
  max-width: 100%;
  line-height: 1.45;
}
pre code { white-space: pre; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 1em 0; }
table { border-collapse: collapse; font-size: 0.95em; }
th, td { border: 1px solid var(--line); padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: var(--soft); }
blockquote { margin: 1em 0; padding: 0.2em 1em; border-left: 4px solid var(--line); color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; top: 0; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: var(--bg); padding: 0.4em 0.8em; z-index: 10; }

/* header */
.site-header { border-bottom: 1px solid var(--line); background: var(--soft); }
.site-header .inner {
  max-width: 60rem; margin: 0 auto; padding: 0.6rem 1rem;
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.2rem;
}
.brand { font-weight: 700; color: var(--fg); text-decoration: none; font-size: 1.05rem; white-space: nowrap; }
.brand span { color: var(--accent); }
.site-nav { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.95rem; }
.site-nav a { color: var(--muted); text-decoration: none; padding: 0.2em 0; }
.site-nav a:hover, .site-nav a[aria-current="page"] { color: var(--fg); text-decoration: underline; }
.search { flex: 1 1 14rem; min-width: 0; margin-left: auto; }
.search input {
  width: 100%; font: inherit; font-size: 1rem; padding: 0.45em 0.75em;
  border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--fg);
}
.search input:focus { outline: 2px solid var(--link); outline-offset: 1px; }

/* search results */
.search-results { max-width: 60rem; margin: 0 auto; padding: 0.4rem 1rem 1rem; border-bottom: 1px solid var(--line); }
.search-count { color: var(--muted); font-size: 0.92rem; margin: 0.4em 0; }
.search-list { list-style: none; padding: 0; margin: 0; }
.search-list li + li { margin-top: 0.2rem; }
.search-hit { display: block; padding: 0.5em 0.7em; border-radius: 8px; text-decoration: none; color: var(--fg); }
.search-hit:hover, .search-hit:focus { background: var(--soft); outline: none; }
.hit-title { display: block; font-weight: 600; color: var(--link); }
.hit-meta { display: block; font-size: 0.8rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
.hit-snippet {
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; line-clamp: 3; overflow: hidden;
  font-size: 0.9rem; color: var(--muted);
}
mark { background: #ffe58a; color: #1d232b; border-radius: 2px; padding: 0 0.05em; }

/* page */
main { max-width: 52rem; margin: 0 auto; padding: 0.5rem 1rem 3rem; }
.crumbs { font-size: 0.9rem; color: var(--muted); margin-top: 1rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; color: var(--accent); font-weight: 700; margin: 1.2rem 0 0; }
.lead { font-size: 1.08rem; color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.badge {
  display: inline-block; font-size: 0.78rem; font-weight: 600; line-height: 1.5;
  padding: 0.05em 0.55em; border-radius: 999px; background: var(--soft); color: var(--muted); white-space: nowrap;
}
.badge.easy { background: var(--easy-bg); color: var(--easy); }
.badge.medium { background: var(--medium-bg); color: var(--medium); }
.badge.hard { background: var(--hard-bg); color: var(--hard); }
.soon { color: var(--muted); font-size: 0.88em; font-style: italic; white-space: nowrap; }
.nolink { color: inherit; }
.study { background: var(--soft); border-radius: 8px; padding: 0.6em 0.9em; }

/* index cards */
.cards {
  list-style: none; padding: 0; margin: 1rem 0;
  display: grid; gap: 0.8rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
}
.cards li + li { margin-top: 0; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 0.8rem 0.9rem; min-width: 0; display: flex; flex-direction: column; gap: 0.3rem; }
.card:hover { border-color: var(--muted); }
.card-link { text-decoration: none; color: var(--fg); font-weight: 700; font-size: 1.05rem; line-height: 1.3; }
.card-link:hover .card-title { text-decoration: underline; }
.card .num { display: block; font-size: 0.78rem; color: var(--accent); letter-spacing: 0.06em; }
.card p { margin: 0; font-size: 0.9rem; }
.card .meta { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.6rem; }
.card .count { color: var(--muted); }
.card .badges { display: inline-flex; flex-wrap: wrap; gap: 0.3rem; }
.card .card-links { margin-top: auto; padding-top: 0.2rem; }
.card .card-links .soon { white-space: normal; }

/* concept page */
.toc { border: 1px solid var(--line); border-radius: 10px; padding: 0.4rem 1rem 0.6rem; margin: 1.2rem 0 2rem; }
.toc h2 { font-size: 1rem; margin: 0.6em 0 0.2em; }
.toc ol { padding-left: 1.4em; margin: 0.3em 0; }
.toc li { margin-top: 0.35em; }
.qa { border-top: 1px solid var(--line); padding-top: 0.4rem; margin-top: 2rem; scroll-margin-top: 0.5rem; }
.qa > h2 { margin-top: 0.8em; }
.permalink { color: var(--muted); text-decoration: none; font-weight: 400; margin-left: 0.3em; }
.permalink:hover { color: var(--link); }
.qa-meta { display: flex; flex-wrap: wrap; gap: 0.3rem 0.6rem; align-items: center; font-size: 0.88rem; color: var(--muted); margin-top: -0.2em; }
.part { margin: 1em 0; }
.part > p:first-child > strong:first-child { color: var(--fg); }
.part-say { background: var(--say-bg); border-left: 4px solid var(--say-line); border-radius: 6px; padding: 0.2em 1em; }
.part-mistakes > p:first-child > strong:first-child { color: var(--hard); }
.part-docs, .part-run { font-size: 0.95rem; }
.back-top { font-size: 0.85rem; margin-top: 1.2em; }
.pager { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 1rem; border-top: 1px solid var(--line); margin-top: 3rem; padding-top: 1rem; }
.pager a { max-width: 100%; }
.plain-list li { margin-top: 0.45em; }

footer.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.85rem; }
footer.site-footer .inner { max-width: 52rem; margin: 0 auto; padding: 1rem; }

@media (max-width: 600px) {
  body { font-size: 15.5px; }
  h1 { font-size: 1.55rem; }
  h2 { font-size: 1.2rem; }
  .lead { font-size: 1rem; }
  .site-header .inner { gap: 0.3rem 0.9rem; padding-top: 0.5rem; padding-bottom: 0.6rem; }
  .site-nav { flex-basis: 100%; gap: 0.1rem 0.9rem; font-size: 0.92rem; }
  .search { flex-basis: 100%; margin-left: 0; }
  pre { padding: 0.7em 0.8em; font-size: 0.82em; }
  .part-say { padding: 0.1em 0.8em; }
  .cards { gap: 0.6rem; }
  .card { padding: 0.6rem 0.8rem; gap: 0.2rem; }
  .toc { padding: 0.3rem 0.8rem 0.5rem; }
}
@media print {
  .site-header, .search-results, .pager, .back-top { display: none; }
}
`;

/** Injected into executed-notebook pages (their own CSS stays; this only adds the bar and guards). */
export const NOTEBOOK_CSS = `.c360-nb-bar {
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  background: #f4f6f9; border-bottom: 1px solid #dde2e8; padding: 0.5rem 1rem;
  display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin-bottom: 1rem;
}
.c360-nb-bar a { color: #1a5fb4; }
.c360-nb-bar strong { color: #1d232b; }
html, body { max-width: 100%; }
body { overflow-wrap: break-word; }
img, video, canvas { max-width: 100% !important; height: auto; }
svg { max-width: 100% !important; }
svg[viewBox] { height: auto; }
pre { overflow-x: auto; max-width: 100%; }
table { display: block; overflow-x: auto; max-width: 100%; }
.jp-OutputArea-output, .output_subarea, .jp-RenderedHTMLCommon, .jp-Cell, .jp-InputArea-editor { max-width: 100%; min-width: 0; overflow-x: auto; }
@media (max-width: 600px) {
  .jp-InputPrompt, .jp-OutputPrompt, .prompt, .input_prompt, .output_prompt { display: none !important; }
  .jp-Notebook, #notebook-container, .container { padding-left: 0.5rem !important; padding-right: 0.5rem !important; width: auto !important; }
}
`;

/**
 * The search box: loads search-index.js (a script, so it also works from file://, where fetch of a
 * JSON file is refused) the first time the box gets focus, then filters as you type.
 */
export const SEARCH_JS = `(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var input = document.getElementById("site-search");
  var panel = document.getElementById("search-results");
  if (!input || !panel) return;
  var KIND = { q: "Question", lesson: "Lesson", notebook: "Notebook", page: "Page" };
  var MAX = 30;
  var index = null;
  var loading = false;
  var waiting = [];

  function prepare(data) {
    var entries = (data && data.entries) || [];
    return entries.map(function (e) {
      return { e: e, title: String(e.t).toLowerCase(), text: (e.t + " " + (e.c || "") + " " + (e.x || "")).toLowerCase() };
    });
  }
  function load(done) {
    if (index) { done(); return; }
    if (window.C360_SEARCH_INDEX) { index = prepare(window.C360_SEARCH_INDEX); done(); return; }
    waiting.push(done);
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () {
      index = prepare(window.C360_SEARCH_INDEX);
      var w = waiting; waiting = [];
      w.forEach(function (f) { f(); });
    };
    s.onerror = function () {
      loading = false; waiting = [];
      panel.hidden = false;
      panel.textContent = "The search index could not be loaded.";
    };
    document.head.appendChild(s);
  }
  function terms(q) {
    return q.toLowerCase().split(/\\s+/).filter(function (t) { return t.length > 0; });
  }
  function count(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0 && n < 5) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }
  function search(ts) {
    var hits = [];
    index.forEach(function (item, order) {
      var score = 0;
      for (var i = 0; i < ts.length; i++) {
        if (item.text.indexOf(ts[i]) < 0) return;
        if (item.title.indexOf(ts[i]) >= 0) score += 10;
        score += count(item.text, ts[i]);
      }
      if (item.e.k === "q") score += 1;
      hits.push({ e: item.e, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits;
  }
  function snippet(text, ts) {
    var lower = text.toLowerCase(), pos = -1;
    for (var i = 0; i < ts.length && pos < 0; i++) pos = lower.indexOf(ts[i]);
    if (pos < 0) pos = 0;
    var start = Math.max(0, pos - 70);
    var end = Math.min(text.length, start + 200);
    return (start > 0 ? "\\u2026" : "") + text.slice(start, end) + (end < text.length ? "\\u2026" : "");
  }
  function highlight(el, text, ts) {
    var lower = text.toLowerCase(), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      for (var k = 0; k < ts.length; k++) {
        var p = lower.indexOf(ts[k], i);
        if (p >= 0 && (best < 0 || p < best || (p === best && ts[k].length > len))) { best = p; len = ts[k].length; }
      }
      if (best < 0) { el.appendChild(document.createTextNode(text.slice(i))); break; }
      if (best > i) el.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      i = best + len;
    }
  }
  function span(cls) { var s = document.createElement("span"); s.className = cls; return s; }
  function render(q) {
    panel.textContent = "";
    var ts = terms(q);
    if (ts.length === 0) { panel.hidden = true; return; }
    var hits = search(ts);
    panel.hidden = false;
    var head = document.createElement("p");
    head.className = "search-count";
    head.textContent = (hits.length === 0 ? "No results" : hits.length + (hits.length === 1 ? " result" : " results")) +
      " for \\u201c" + q.trim() + "\\u201d" + (hits.length > MAX ? " (showing the first " + MAX + ")" : "");
    panel.appendChild(head);
    if (hits.length === 0) return;
    var list = document.createElement("ol");
    list.className = "search-list";
    hits.slice(0, MAX).forEach(function (h) {
      var e = h.e;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "search-hit";
      a.href = root + e.u;
      var title = span("hit-title"); highlight(title, e.t, ts);
      var meta = span("hit-meta"); meta.textContent = [KIND[e.k] || "", e.c || "", e.d || ""].filter(Boolean).join(" \\u00b7 ");
      var snip = span("hit-snippet"); highlight(snip, snippet(e.x || "", ts), ts);
      a.appendChild(title); a.appendChild(meta); a.appendChild(snip);
      li.appendChild(a);
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function update() { var q = input.value; load(function () { if (input.value === q) render(q); }); }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { input.value = ""; render(""); }
    if (ev.key === "ArrowDown") {
      var first = panel.querySelector("a.search-hit");
      if (first) { ev.preventDefault(); first.focus(); }
    }
  });
  panel.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(panel.querySelectorAll("a.search-hit"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    ev.preventDefault();
    if (ev.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
    else if (ev.key === "ArrowUp") (at === 0 ? input : links[at - 1]).focus();
  });
  if (input.form) {
    input.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      load(function () {
        render(input.value);
        var first = panel.querySelector("a.search-hit");
        if (first) window.location.href = first.href;
      });
    });
  }
  var m = /[?&]q=([^&#]*)/.exec(window.location.search);
  if (m) {
    var q0 = "";
    try { q0 = decodeURIComponent(m[1].replace(/\\+/g, " ")); } catch (err) { q0 = ""; }
    if (q0) { input.value = q0; load(function () { render(input.value); }); }
  }
})();
`;
