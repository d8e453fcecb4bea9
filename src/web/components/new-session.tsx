// "New session": a working directory (recent ones offered) and a permission mode -> streamStart.
import { useState } from "preact/hooks";
import type { PermissionMode } from "../../protocol/common.js";
import { loadRecentDirs } from "../pairing.js";
import { startSession } from "../commands.js";

const MODES: { value: PermissionMode; label: string }[] = [
  { value: "default", label: "Ask before tools (default)" },
  { value: "acceptEdits", label: "Accept file edits" },
  { value: "plan", label: "Plan only" },
  { value: "bypassPermissions", label: "Bypass permissions" },
];

export function NewSession({ online }: { online: boolean }) {
  const recent = loadRecentDirs();
  const [dir, setDir] = useState(recent[0] ?? "");
  const [mode, setMode] = useState<PermissionMode>("default");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    await startSession({ workingDirectory: dir, permissionMode: mode });
    setBusy(false);
  };
  return (
    <main class="form" data-screen="new-session">
      <form onSubmit={submit}>
        <label for="cwd">Working directory</label>
        <input
          id="cwd"
          name="cwd"
          class="mono"
          value={dir}
          onInput={(e) => setDir(e.currentTarget.value)}
          placeholder="Default: where the daemon was started"
          autoComplete="off"
          autoCapitalize="off"
          spellcheck={false}
          list="recent-dirs"
        />
        <datalist id="recent-dirs">
          {recent.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        {recent.length > 0 && (
          <div class="chips" aria-label="Recent directories">
            {recent.map((d) => (
              <button type="button" key={d} class={`chip mono${d === dir ? " on" : ""}`} onClick={() => setDir(d)} aria-label={`Use ${d}`}>
                {d}
              </button>
            ))}
          </div>
        )}
        <label for="mode">Permission mode</label>
        <select id="mode" name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as PermissionMode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <button type="submit" class="btn primary wide" disabled={!online || busy}>
          {busy ? "Starting…" : "Start session"}
        </button>
        {!online && <p class="muted">Waiting for the connection to the computer…</p>}
      </form>
    </main>
  );
}
