/**
 * Markdown → HTML for the guide site, on top of marked. What differs from marked's defaults:
 * - raw HTML in the markdown is shown as text (escaped); HTML comments (the guide's id tags) are dropped;
 * - relative links are resolved against the markdown file's place in the repository and rewritten
 *   to the site's page for that file, or rendered as plain text with a "(coming soon)" note;
 * - external links get rel="noopener"; links with other schemes (javascript:, data:) become text;
 * - headings get unique ids (GitHub-style slugs), optionally shifted down a level;
 * - code blocks are focusable scroll boxes and tables are wrapped so they scroll on a phone.
 */
import { posix } from "node:path";
import { Marked, Renderer, type Token, type Tokens } from "marked";
import { esc, IdRegistry, isExternal, relHref, slugify, unescapeEntities } from "./html.js";

/** Where a link from the markdown ends up in the site. */
export type Resolved = { path: string; anchor?: string } | { missing: string };

export interface LinkResolver {
  /** A repo-relative file (posix, normalised) plus an optional anchor → a site page, or why not. */
  resolve(repoPath: string, anchor: string): Resolved;
  /** Copies a repo file (an image) into the site and returns its site path, if it exists. */
  asset(repoPath: string): string | undefined;
}

export interface RenderContext {
  /** Repo-relative path of the markdown being rendered, e.g. "guide/INTERVIEW_GUIDE.md". */
  sourceFile: string;
  /** Site path of the page the HTML goes into, e.g. "guide/delta.html". */
  pagePath: string;
  ids: IdRegistry;
  /** Added to every heading depth (capped at 6). */
  headingShift: number;
}

const SAFE_SCHEMES = /^(https?:|mailto:)/i;

/** Plain text of a token list (for titles and the search index): no markup, entities decoded. */
export function plainText(tokens: readonly Token[]): string {
  const out: string[] = [];
  const walk = (list: readonly Token[]) => {
    for (const t of list) {
      switch (t.type) {
        case "html":
          if (!/^\s*<!--/.test(t.raw)) out.push(t.raw);
          break;
        case "code":
          out.push(" ", (t as Tokens.Code).text, " ");
          break;
        case "codespan":
          out.push((t as Tokens.Codespan).text);
          break;
        case "br":
        case "space":
          out.push(" ");
          break;
        case "list":
          for (const item of (t as Tokens.List).items) {
            walk(item.tokens);
            out.push(" ");
          }
          break;
        case "table": {
          const table = t as Tokens.Table;
          for (const cell of table.header) walk(cell.tokens), out.push(" ");
          for (const row of table.rows) for (const cell of row) walk(cell.tokens), out.push(" ");
          break;
        }
        default: {
          const withKids = t as { tokens?: Token[]; text?: string };
          if (withKids.tokens && withKids.tokens.length > 0) walk(withKids.tokens);
          else if (typeof withKids.text === "string") out.push(unescapeEntities(withKids.text));
          if (t.type === "paragraph" || t.type === "heading" || t.type === "blockquote") out.push(" ");
        }
      }
    }
  };
  walk(tokens);
  return out.join("").replace(/\s+/g, " ").trim();
}

/** Splits "path#anchor" and decodes the path part. */
function splitHref(href: string): { path: string; anchor: string } {
  const hash = href.indexOf("#");
  const rawPath = hash < 0 ? href : href.slice(0, hash);
  const anchor = hash < 0 ? "" : href.slice(hash + 1);
  let path = rawPath.replace(/\?.*$/, "");
  try {
    path = decodeURI(path);
  } catch {
    /* keep it as written */
  }
  return { path, anchor };
}

export class MarkdownRenderer {
  private readonly marked: Marked;
  private ctx: RenderContext | undefined;

  constructor(private readonly resolver: LinkResolver) {
    const self = this;
    this.marked = new Marked({ gfm: true });
    this.marked.use({
      renderer: {
        html({ text }: Tokens.HTML | Tokens.Tag): string {
          return /^\s*<!--[\s\S]*-->\s*$/.test(text) ? "" : esc(text);
        },
        heading(this: Renderer, { tokens, depth }: Tokens.Heading): string {
          const ctx = self.context();
          const level = Math.min(6, depth + ctx.headingShift);
          const id = ctx.ids.take(slugify(plainText(tokens)) || "section");
          return `<h${level} id="${esc(id)}">${this.parser.parseInline(tokens)}</h${level}>\n`;
        },
        code({ text, lang, escaped }: Tokens.Code): string {
          const language = (lang ?? "").match(/^\S*/)?.[0] ?? "";
          const cls = language ? ` class="language-${esc(language)}"` : "";
          const body = escaped ? text : esc(text);
          return `<pre tabindex="0"><code${cls}>${body.replace(/\n$/, "")}\n</code></pre>\n`;
        },
        table(this: Renderer, token: Tokens.Table): string {
          return `<div class="table-wrap" tabindex="0">${Renderer.prototype.table.call(this, token)}</div>\n`;
        },
        link(this: Renderer, token: Tokens.Link): string {
          return self.link(this.parser.parseInline(token.tokens), token.href, token.title ?? undefined);
        },
        image({ href, title, text }: Tokens.Image): string {
          return self.image(href, text, title ?? undefined);
        },
      },
    });
  }

  lex(markdown: string): Token[] {
    return this.marked.lexer(markdown);
  }

  /** Renders block tokens for the page in `ctx`. */
  render(tokens: Token[], ctx: RenderContext): string {
    return this.with(ctx, () => this.marked.parser(tokens));
  }

  /** Renders inline tokens (a heading's content) for the page in `ctx`. */
  inline(tokens: Token[], ctx: RenderContext): string {
    return this.with(ctx, () => this.marked.Parser.parseInline(tokens, this.marked.defaults));
  }

  /** Turns an href written in the markdown into a site href, or undefined when it has no page. */
  siteHref(href: string, ctx: RenderContext): { href?: string; note?: string; external?: boolean } {
    const trimmed = href.trim();
    if (isExternal(trimmed)) return SAFE_SCHEMES.test(trimmed) ? { href: trimmed, external: true } : { note: "" };
    const { path, anchor } = splitHref(trimmed);
    const repoPath = path === "" ? ctx.sourceFile : posix.normalize(posix.join(posix.dirname(ctx.sourceFile), path));
    if (repoPath.startsWith("../") || repoPath === "..") return { note: "" };
    const target = this.resolver.resolve(repoPath.replace(/\/$/, ""), anchor);
    if ("missing" in target) return { note: target.missing };
    const hashPart = target.anchor ? `#${target.anchor}` : "";
    if (target.path === ctx.pagePath && hashPart) return { href: hashPart };
    return { href: relHref(ctx.pagePath, target.path) + hashPart };
  }

  private link(inner: string, href: string, title: string | undefined): string {
    const ctx = this.context();
    const t = this.siteHref(href, ctx);
    const titleAttr = title ? ` title="${esc(title)}"` : "";
    if (t.href !== undefined) {
      const rel = t.external ? ` rel="noopener" class="ext"` : "";
      return `<a href="${esc(t.href)}"${titleAttr}${rel}>${inner}</a>`;
    }
    const note = t.note ? ` <span class="soon">${esc(t.note)}</span>` : "";
    return `<span class="nolink" title="${esc(href)}">${inner}</span>${note}`;
  }

  private image(src: string, alt: string, title: string | undefined): string {
    const ctx = this.context();
    const titleAttr = title ? ` title="${esc(title)}"` : "";
    const altText = esc(unescapeEntities(alt));
    if (isExternal(src)) {
      return /^https?:/i.test(src) ? `<img src="${esc(src)}" alt="${altText}"${titleAttr} loading="lazy">` : altText;
    }
    const { path } = splitHref(src);
    const repoPath = posix.normalize(posix.join(posix.dirname(ctx.sourceFile), path));
    const sitePath = repoPath.startsWith("../") ? undefined : this.resolver.asset(repoPath);
    if (!sitePath) return `<span class="nolink">${altText}</span>`;
    return `<img src="${esc(relHref(ctx.pagePath, sitePath))}" alt="${altText}"${titleAttr} loading="lazy">`;
  }

  private context(): RenderContext {
    if (!this.ctx) throw new Error("MarkdownRenderer used outside render()");
    return this.ctx;
  }

  private with<T>(ctx: RenderContext, fn: () => T): T {
    const previous = this.ctx;
    this.ctx = ctx;
    try {
      return fn();
    } finally {
      this.ctx = previous;
    }
  }
}
