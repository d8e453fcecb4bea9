// "New session": a working directory (recent ones offered), a permission mode and a model -> streamStart.
import { useState } from "preact/hooks";
import type { PermissionMode } from "../../protocol/common.js";
import { loadRecentDirs } from "../pairing.js";
import { startSession } from "../commands.js";
import { DirectoryPicker } from "./directory-picker.js";
import { ModelChoices } from "./model-choices.js";
import { BYPASS_WARNING, MODES } from "./session-controls.js";


export function NewSession({ online }: { online: boolean }) {
  const recent = loadRecentDirs();
  const [dir, setDir] = useState(recent[0] ?? "");
  const [mode, setMode] = useState<PermissionMode>("default");
  const [model, setModel] = useState("");
  const [busy, setBusy] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const m = model.trim();
    await startSession({ workingDirectory: dir, permissionMode: mode, ...(m && m !== "default" ? { model: m } : {}) });
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
        <button type="button" class="btn" aria-expanded={browsing} onClick={() => setBrowsing(!browsing)} disabled={!online}>
          {browsing ? "Close the directory list" : "Browse directories…"}
        </button>
        {browsing && (
          <DirectoryPicker
            recent={recent}
            onPick={(d) => {
              setDir(d);
              setBrowsing(false);
            }}
          />
        )}
        <label for="mode">Permission mode</label>
        <select id="mode" name="mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as PermissionMode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        {mode === "bypassPermissions" && <p class="warn small">{BYPASS_WARNING}</p>}
        <label for="model">Model</label>
        <input id="model" name="model" class="mono" list="new-model-choices" value={model} placeholder="default" onInput={(e) => setModel(e.currentTarget.value)} autoComplete="off" autoCapitalize="off" spellcheck={false} />
        <ModelChoices id="new-model-choices" />
        <button type="submit" class="btn primary wide" disabled={!online || busy}>
          {busy ? "Starting…" : "Start session"}
        </button>
        {!online && <p class="muted">Waiting for the connection to the computer…</p>}
      </form>
    </main>
  );
}
