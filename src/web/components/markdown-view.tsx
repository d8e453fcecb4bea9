// Sanitised Markdown in the page, its top-level code blocks drawn by CodeBlock; rebuilt only when the text changes.
import { useMemo } from "preact/hooks";
import { markdownParts } from "../markdown.js";
import { fenceLanguage } from "../code-language.js";
import { CodeBlock } from "./code-block.js";

export function Markdown({ text }: { text: string }) {
  const parts = useMemo(() => markdownParts(text), [text]);
  return (
    <div class="md">
      {parts.map((p, i) =>
        p.kind === "code" ? (
          <CodeBlock key={i} code={p.code} language={fenceLanguage(p.lang)} />
        ) : (
          // Safe: markdownParts escapes raw HTML and DOMPurify keeps only an allow-list of tags and http(s)/mailto links.
          <div key={i} class="md-part" dangerouslySetInnerHTML={{ __html: p.html }} />
        ),
      )}
    </div>
  );
}
