// The `initialize` reply's `commands[]` read into ClaudeCommand records; anything malformed is left out. Pure.
import { headlessUnavailable } from "./headless-commands.js";
import type { ClaudeCommand } from "./types.js";

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** `[{ name, description, argumentHint, aliases?, builtin? }]` as Claude Code 2.1.332 sends it. */
export function parseCommands(raw: readonly unknown[]): ClaudeCommand[] {
  const out: ClaudeCommand[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null) continue;
    const c = item as Record<string, unknown>;
    if (typeof c.name !== "string" || c.name === "") continue;
    const builtin = c.builtin === true;
    out.push({
      name: c.name,
      description: text(c.description),
      argumentHint: text(c.argumentHint),
      aliases: Array.isArray(c.aliases) ? c.aliases.filter((a): a is string => typeof a === "string") : [],
      builtin,
      unavailable: headlessUnavailable(c.name, builtin),
    });
  }
  return out;
}
