// The read-only file viewer: a file inside the allowed roots with line numbers (text only; binary and too large are said).
import type { FileResponse } from "../../protocol/changes.js";
import { fetchFile } from "../api.js";
import { useFetched } from "./use-fetched.js";

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

function Lines({ file }: { file: FileResponse }) {
  const text = file.content ?? "";
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  return (
    <div class="scroll-x">
      {/* Two columns of the same line height: the numbers never scroll away from their lines. */}
      <div class="file-lines mono" aria-label={`Contents of ${file.path}`}>
        <pre class="gutter" aria-hidden="true">
          {lines.map((_, i) => `${i + 1}\n`).join("")}
        </pre>
        <pre class="text" data-language={file.language ?? ""}>
          <code>{text}</code>
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
      {r.error && (
        <p class="error-line" role="alert">
          {r.error}
        </p>
      )}
      {f?.binary && <p class="muted center-text">Binary file ({size(f.size)}): not shown.</p>}
      {f && !f.binary && <Lines file={f} />}
    </main>
  );
}
