// Sanitised Markdown in the page; the HTML is rebuilt only when the text changes.
import { useMemo } from "preact/hooks";
import { renderMarkdown } from "../markdown.js";

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Safe: renderMarkdown escapes raw HTML and DOMPurify keeps only an allow-list of tags and http(s)/mailto links.
  return <div class="md" dangerouslySetInnerHTML={{ __html: html }} />;
}
