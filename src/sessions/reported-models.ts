// The models Claude Code lists in its `initialize` reply, remembered from the last process that answered (for the model picker). No I/O.
import type { StartClaude } from "../claude/types.js";
import type { ClaudeModel, ModelsResponse } from "../protocol/models.js";

/** `[{ value, displayName, description, … }]` as Claude Code 2.1.332 sends it; malformed entries are left out. */
export function parseModels(raw: readonly unknown[]): ClaudeModel[] {
  const out: ClaudeModel[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null) continue;
    const m = item as Record<string, unknown>;
    if (typeof m.value !== "string" || m.value === "") continue;
    out.push({
      value: m.value,
      displayName: typeof m.displayName === "string" && m.displayName ? m.displayName : m.value,
      description: typeof m.description === "string" ? m.description : "",
    });
  }
  return out;
}

/** Wraps startClaude so that every process's `initialize` reply updates the list `models()` returns. */
export function createModelWatch(startClaude: StartClaude): { startClaude: StartClaude; models(): ModelsResponse } {
  let models: ClaudeModel[] | null = null;
  return {
    startClaude: (options) => {
      const proc = startClaude(options);
      proc.ready().then(
        (info) => {
          if (Array.isArray(info.models)) models = parseModels(info.models);
        },
        () => undefined,
      );
      return proc;
    },
    models: () => (models ? { source: "claude", models } : { source: "none", models: [] }),
  };
}
