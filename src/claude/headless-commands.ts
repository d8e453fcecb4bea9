// Built-in slash commands that do nothing useful under `-p --input-format stream-json` (verified on 2.1.332), with why.
// See docs/CLAUDE-CLI-NOTES.md "Slash commands from the phone". Only built-ins are marked: a user's own command
// of the same name is theirs and works.

/** Name -> why the command is no use from the phone (what 2.1.332 does with it there). */
export const HEADLESS_UNAVAILABLE: Readonly<Record<string, string>> = {
  clear:
    "It starts a new Claude Code conversation under another id, which the companion does not follow (it resumes the old one): start a new session instead.",
  color: "It sets the colour of the terminal's prompt bar; nothing shows on the phone.",
  focus: "Claude Code answers \"/focus isn't available here yet\": it is a terminal view.",
  fast: "Claude Code answers \"Fast mode is not available in the Agent SDK\".",
  agents: "Removed from Claude Code (its description says so): ask Claude to create or edit a subagent instead.",
  "__remote-workflow": "It runs only inside a remote (CCR) session.",
  "workflow-launch-exec": "It runs only for a server-launched workflow handoff; here nothing is executed.",
};

/** Why a command is no use from the phone, or null when it works (custom commands and skills always do). */
export function headlessUnavailable(name: string, builtin: boolean): string | null {
  return builtin ? (HEADLESS_UNAVAILABLE[name] ?? null) : null;
}
