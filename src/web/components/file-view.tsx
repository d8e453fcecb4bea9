// The read-only file viewer: a file inside the allowed roots with line numbers, highlighted once the lazy highlighter loads (binary and too large are said).
import type { FileResponse } from "../../protocol/changes.js";
import { fetchFile } from "../api.js";
import { languageForPath } from "../highlight.js";
import { useHighlighted } from "./code-block.js";
import { ErrorLine } from "./fetched-head.js";
import { useFetched } from "./use-fetched.js";

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function Lines({ file }: { file: FileResponse }) {
  const text = file.content ?? "";
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const language = languageForPath(file.path) ?? file.language;
  const html = useHighlighted(text, language);
  return (
    <div class="scroll-x">
      {/* Two columns of the same line height: the numbers never scroll away from their lines. */}
      <div class="file-lines mono" aria-label={`Contents of ${file.path}`}>
        <pre class="gutter" aria-hidden="true">
          {lines.map((_, i) => `${i + 1}\n`).join("")}
        </pre>
        <pre class="text" data-language={language ?? ""} data-highlighted={html ? "true" : "false"}>
          {/* Safe: highlightCode escapes the text and keeps only <span class="hljs-…">. */}
          {html ? <code class="hljs" dangerouslySetInnerHTML={{ __html: html }} /> : <code class="hljs">{text}</code>}
        </pre>
      </div>
    </div>
  );
}

export function FileView({ path }: { path: string }) {
  const r = useFetched(`file:${path}`, (token) => fetchFile(token, path));
  const f = r.data;
  return (
    <main class="file-screen" data-screen="file" data-path={path} data-loaded={f ? "true" : "false"}>
      <p class="muted small">{f ? [size(f.size), f.language, "read-only"].filter(Boolean).join(" · ") : !r.error && "Loading…"}</p>
      <ErrorLine error={r.error} />
      {f?.binary && <p class="muted center-text">Binary file ({size(f.size)}): not shown.</p>}
      {f && !f.binary && <Lines file={f} />}
    </main>
  );
}
