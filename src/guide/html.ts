/**
 * Small HTML helpers for the static guide site: escaping, slugs and site-relative paths.
 * Everything the site writes into HTML goes through `esc` (text and attribute values alike).
 */
import { posix } from "node:path";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for use in HTML text and in quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Decodes the few entities marked produces in plain text (used for the search index / titles). */
export function unescapeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}

/** GitHub-style heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** A safe element id: keeps kebab-case ids as they are, slugifies anything else. */
export function safeId(raw: string): string {
  const id = raw.trim();
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) return id;
  const slug = slugify(id).replace(/^[^a-z]+/, "");
  return slug || "section";
}

/** Href from the page at site path `from` to site path `to` (both relative to the site root). */
export function relHref(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel === "" ? posix.basename(to) : rel;
}

/** "../" repeated once per folder level of `pagePath`, or "" for a page at the root. */
export function rootPrefix(pagePath: string): string {
  const depth = pagePath.split("/").length - 1;
  return "../".repeat(depth);
}

/** True for hrefs that point outside the site (scheme or protocol-relative). */
export function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
}

/** A per-page generator of unique ids (heading slugs repeat across a long page). */
export class IdRegistry {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.used.add(id);
  }
  take(wanted: string): string {
    const base = safeId(wanted);
    let id = base;
    for (let n = 1; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}
