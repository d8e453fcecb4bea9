// The Changes view of a session: its changed files (git status, else what its tools wrote), each opening its diff; open any file.
import { useState } from "preact/hooks";
import type { ChangedFile } from "../../protocol/changes.js";
import { fetchChanges } from "../api.js";
import { navigate } from "../navigate.js";
import { FetchedHead } from "./fetched-head.js";
import { useFetched } from "./use-fetched.js";

const MARK: Record<ChangedFile["status"], string> = { modified: "M", added: "A", deleted: "D", renamed: "R", untracked: "U", conflicted: "!" };

/** The absolute path of a listed file (`path` is relative to `base` unless absolute). */
export function absolutePath(base: string, path: string): string {
  return path.startsWith("/") ? path : `${base.replace(/\/$/, "")}/${path}`;
}

function OpenFile({ id, base }: { id: string; base: string }) {
  const [path, setPath] = useState(`${base.replace(/\/$/, "")}/`);
  return (
    <form
      class="open-file"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) navigate({ name: "file", id, path: path.trim() });
      }}
    >
      <label for="open-file-path">Open a file</label>
      <div class="row">
        <input id="open-file-path" class="mono" value={path} autocomplete="off" autocapitalize="off" spellcheck={false} onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
        <button type="submit" class="btn">
          Open
        </button>
      </div>
    </form>
  );
}

export function ChangesView({ id, online }: { id: string; online: boolean }) {
  const r = useFetched(`changes:${id}`, (token) => fetchChanges(token, id));
  const c = r.data;
  return (
    <main class="changes" data-screen="changes" data-session-id={id} data-source={c?.source ?? ""} data-files={c?.files.length ?? ""}>
      <FetchedHead
        r={r}
        summary={(c) =>
          c.source === "git" ? (
            <>
              <code class="mono">git status</code> of <span class="mono">{c.base}</span>
              {c.branch && (
                <>
                  {" "}on <strong class="mono">{c.branch}</strong>
                </>
              )}
            </>
          ) : (
            "Not a git repository: the files Claude's tools wrote in this session."
          )
        }
        action={
          <button type="button" class="btn" disabled={!online || r.loading} onClick={r.reload}>
            Refresh
          </button>
        }
      />
      {c && c.files.length === 0 && <p class="muted center-text">No changes.</p>}
      <ul class="change-list" aria-label="Changed files">
        {c?.files.map((f) => (
          <li key={f.path}>
            <a class="change-row" href={`#/s/${id}/diff/${encodeURIComponent(f.path)}`} data-status={f.status} aria-label={`${f.path}, ${f.status}`}>
              <span class={`change-mark change-${f.status}`} aria-hidden="true">
                {MARK[f.status]}
              </span>
              <span class="mono ellipsis change-path">{f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}</span>
              <span class="muted small">{f.status}</span>
            </a>
          </li>
        ))}
      </ul>
      {c?.truncated && <p class="muted small">Only the first {c.files.length} files are listed.</p>}
      {c && <OpenFile id={id} base={c.base} />}
    </main>
  );
}
