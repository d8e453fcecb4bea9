// Claude's Markdown to safe HTML. Claude's text is untrusted: raw HTML is shown as text, images are not
// loaded, DOMPurify keeps an allow-list of tags, and links may only be http(s) or mailto (opened in a new tab).
import DOMPurify from "dompurify";
import { Marked, type Token, type TokensList } from "marked";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Only absolute http, https and mailto links survive; relative links would navigate this app. */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return false;
  try {
    const url = new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:";
  } catch {
    return false;
  }
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    // Raw HTML in Claude's text is text: `<img src=x onerror=...>` is shown, never parsed.
    html: ({ text }) => escapeHtml(text),
    // Images would be fetched from wherever Claude points: show the alt text and the address instead.
    image: ({ href, text }) => escapeHtml(text ? `${text} (${href})` : href),
    checkbox: ({ checked }) => (checked ? "☑ " : "☐ "),
  },
});

/** Marked's output before sanitising (exported for the unit tests). */
export function renderUnsafe(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

const ALLOWED_TAGS = [
  "a", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
  "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "span", "sup", "sub",
];
const ALLOWED_ATTR = ["href", "title", "class", "start", "align"];

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.nodeName !== "A") return;
      const href = node.getAttribute("href");
      if (href === null || !isSafeHref(href)) {
        node.removeAttribute("href");
        return;
      }
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    });
  }
  return DOMPurify;
}

/** Markdown to HTML that is safe to insert into the page. */
export function renderMarkdown(markdown: string): string {
  return sanitize(renderUnsafe(markdown));
}

function sanitize(html: string): string {
  return purifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
}

/** A message cut at its top-level fenced code blocks: those are drawn by CodeBlock (language, copy, highlighting). */
export type MarkdownPart = { kind: "html"; html: string } | { kind: "code"; code: string; lang: string | undefined };

/** Sanitised HTML for the prose, and the top-level code blocks as text (code inside a list or quote stays in the HTML). */
export function markdownParts(markdown: string, render: (tokens: TokensList) => string = (t) => sanitize(marked.parser(t))): MarkdownPart[] {
  const tokens = marked.lexer(markdown);
  const parts: MarkdownPart[] = [];
  let prose: Token[] = [];
  const flush = () => {
    // Blank lines and link definitions alone draw nothing.
    if (prose.every((t) => t.type === "space" || t.type === "def")) return void (prose = []);
    const list = Object.assign(prose, { links: tokens.links }) as TokensList;
    parts.push({ kind: "html", html: render(list) });
    prose = [];
  };
  for (const token of tokens) {
    if (token.type === "code") {
      flush();
      parts.push({ kind: "code", code: (token as { text: string }).text, lang: (token as { lang?: string }).lang || undefined });
    } else prose.push(token);
  }
  flush();
  return parts;
}

/** markdownParts before DOMPurify (exported for the unit tests, which have no DOM). */
export const markdownPartsUnsafe = (markdown: string): MarkdownPart[] => markdownParts(markdown, (t) => marked.parser(t));
