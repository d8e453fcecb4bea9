// Syntax highlighting for code blocks and file contents: the public, lazy entry. highlight.js (in highlight-core.ts)
// is loaded with import() on the first call, so the first screen never pays for it. Reusable: call highlightCode().
import DOMPurify from "dompurify";

/** Longer text is shown plain: highlighting it would block a phone's main thread for too long. */
export const HIGHLIGHT_MAX_CHARS = 200_000;

export { fenceLanguage, languageForPath } from "./code-language.js";

type Core = typeof import("./highlight-core.js");
let core: Promise<Core> | null = null;
/** Loads the highlighter chunk once; a failed load (offline) is retried on the next call. */
function loadCore(): Promise<Core> {
  core ??= import("./highlight-core.js").catch((e: unknown) => {
    core = null;
    throw e;
  });
  return core;
}

/**
 * Highlights `code` as `language` (a fence name or alias such as "ts", "sh", "py"; see languageForPath for files).
 * Resolves to HTML that is safe to insert (the code text escaped, only `<span class="hljs-…">` added; style with
 * the `.hljs-*` classes in styles.css), or null when the language is unknown or missing, the text is too long,
 * or the highlighter could not load: then show the text as it is.
 */
export async function highlightCode(code: string, language: string | null | undefined): Promise<string | null> {
  if (!language || code.length > HIGHLIGHT_MAX_CHARS) return null;
  let html: string | null;
  try {
    html = (await loadCore()).highlightWith(code, language);
  } catch {
    return null;
  }
  // Defence in depth: highlight.js escapes the text; nothing but spans with classes may come out anyway.
  return html === null ? null : DOMPurify.sanitize(html, { ALLOWED_TAGS: ["span"], ALLOWED_ATTR: ["class"] });
}
