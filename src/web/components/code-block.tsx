// A code block: the language named, a Copy button, and syntax highlighting once the lazy highlighter has loaded.
import { useEffect, useState } from "preact/hooks";
import { highlightCode } from "../highlight.js";
import { CopyButton } from "./copy-button.js";

/**
 * `code` shown in `language` (a fence name such as "ts", or languageForPath(file)); `label` replaces the name shown.
 * The plain text shows at once; the highlighted HTML replaces it when it is ready (never for an unknown language).
 */
export function CodeBlock({ code, language, label }: { code: string; language: string | null | undefined; label?: string }) {
  const html = useHighlighted(code, language);
  const name = label ?? language ?? "text";
  return (
    <figure class="code-block" data-language={language ?? ""} data-highlighted={html ? "true" : "false"}>
      <figcaption>
        <span class="code-lang mono">{name}</span>
        <CopyButton text={code} what={`${name} code`} />
      </figcaption>
      {html ? (
        <pre>
          {/* Safe: highlightCode escapes the text and keeps only <span class="hljs-…">. */}
          <code class="hljs" dangerouslySetInnerHTML={{ __html: html }} />
        </pre>
      ) : (
        <pre>
          <code class="hljs">{code}</code>
        </pre>
      )}
    </figure>
  );
}

/** The highlighted HTML of `code`, or null until it is ready (or when it cannot be highlighted). */
export function useHighlighted(code: string, language: string | null | undefined): string | null {
  const [state, setState] = useState<{ code: string; language: string | null | undefined; html: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    void highlightCode(code, language).then((html) => {
      if (live) setState({ code, language, html });
    });
    return () => {
      live = false;
    };
  }, [code, language]);
  // A result for older text (a block still streaming) is not shown over the new text.
  return state && state.code === code && state.language === language ? state.html : null;
}
