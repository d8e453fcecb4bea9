// The session header's chip: permission mode and model, switched live; what "always allow" granted (session-grants.tsx), with a way back.
import { useState } from "preact/hooks";
import type { PermissionMode } from "../../protocol/common.js";
import type { SessionInfo } from "../../protocol/sessions.js";
import { setModel, setPermissionMode } from "../commands.js";
import { cost } from "../format.js";
import { CONTEXT_WINDOW_TOKENS, type SessionView } from "../transcript.js";
import { BackgroundProcesses } from "./background-processes.js";
import { ModelChoices } from "./model-choices.js";
import { SessionGrants } from "./session-grants.js";
import { MODE_LABEL } from "./session-list.js";

export const MODES: { value: PermissionMode; label: string }[] = [
  { value: "default", label: "Ask before tools (default)" },
  { value: "acceptEdits", label: "Accept file edits" },
  { value: "plan", label: "Plan only" },
  { value: "bypassPermissions", label: "Bypass permissions" },
];

export const BYPASS_WARNING = "Bypass runs every tool, shell commands included, without asking you.";

export function ModeChip({ info, open, onToggle }: { info: SessionInfo; open: boolean; onToggle(): void }) {
  const bypass = info.permissionMode === "bypassPermissions";
  // What "Always allow" granted shows on the chip itself (a dot, and in its name); the sheet lists it.
  const granted = (info.grants ?? []).length;
  const label = granted > 0 ? `Mode and model, ${granted} granted by Always allow` : "Mode and model";
  return (
    <button type="button" class={`mode-chip${bypass ? " bypass" : ""}`} aria-expanded={open} aria-label={label} onClick={onToggle} data-mode={info.permissionMode} data-grants={granted}>
      {MODE_LABEL[info.permissionMode]}
      {info.model ? ` · ${info.model}` : ""}
    </button>
  );
}

export function SessionSheet({ info, view, online }: { info: SessionInfo; view: SessionView | undefined; online: boolean }) {
  const [model, setModelText] = useState(info.model ?? "");
  const id = info.sessionId;
  return (
    <section class="sheet" aria-label="Session settings" data-sheet="session">
      <label for="live-mode">Permission mode</label>
      <select
        id="live-mode"
        value={info.permissionMode}
        disabled={!online}
        onChange={(e) => {
          const mode = e.currentTarget.value as PermissionMode;
          if (mode === "bypassPermissions" && !confirm(`${BYPASS_WARNING} Switch to bypass?`)) {
            e.currentTarget.value = info.permissionMode;
            return;
          }
          void setPermissionMode(id, mode);
        }}
      >
        {MODES.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </select>
      {info.permissionMode === "bypassPermissions" && <p class="warn">{BYPASS_WARNING}</p>}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const m = model.trim();
          void setModel(id, m && m !== "default" ? m : null);
        }}
      >
        <label for="live-model">Model</label>
        <input id="live-model" class="mono" list="model-choices" value={model} placeholder="default" onInput={(e) => setModelText(e.currentTarget.value)} autoComplete="off" autoCapitalize="off" spellcheck={false} />
        <ModelChoices id="model-choices" />
        <button type="submit" class="btn" disabled={!online}>
          Use model
        </button>
      </form>
      <SessionGrants info={info} online={online} />
      {info.permissionMode !== "default" && (
        <button type="button" class="btn" disabled={!online} onClick={() => void setPermissionMode(id, "default")}>
          Ask before tools again (mode: default)
        </button>
      )}
      {view && view.contextTokens !== null && (
        <p class="small usage" data-context-tokens={view.contextTokens}>
          <label for="context-meter">
            Context: {Math.round(view.contextTokens / 1000)}k of {CONTEXT_WINDOW_TOKENS / 1000}k tokens ({Math.round((100 * view.contextTokens) / CONTEXT_WINDOW_TOKENS)} %)
          </label>
          <meter id="context-meter" min={0} max={CONTEXT_WINDOW_TOKENS} high={CONTEXT_WINDOW_TOKENS * 0.8} value={view.contextTokens} />
        </p>
      )}
      {view && view.totalCostUsd > 0 && <p class="muted small">Session cost so far: {cost(view.totalCostUsd)}</p>}
      <BackgroundProcesses sessionId={id} online={online} />
    </section>
  );
}
