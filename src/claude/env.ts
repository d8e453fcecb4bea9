// The environment of a Claude Code child: the base env minus our secrets and nesting markers. Pure.

export interface ChildEnvOptions {
  /** Value of CLAUDE_CODE_MAX_RETRIES for the child (the CLI's own default of 10 takes ~3 minutes). */
  maxRetries: number;
}

/** Names removed from every child environment, whatever their value. */
const DROPPED = new Set([
  // Our own bearer token: Claude (and any tool it runs) must never see it.
  "AUTH_TOKEN",
  // Set when the daemon runs inside a Claude Code session; a child that sees it refuses to start.
  "CLAUDECODE",
  // Like the official SDK: the CLI is a native binary, and a debugger/loader flag meant for us would break it.
  "NODE_OPTIONS",
]);

/** Both are needed to turn the task tools on under -p (verified with 2.1.332). */
const TASK_TOOLS = [
  ["CLAUDE_CODE_ENABLE_TASKS", "true"],
  ["CLAUDE_CODE_ENABLE_TODO_TOOLS", "1"],
] as const;

/** Every CLAUDE_COMPANION_* variable is ours (tokens, paths), never Claude's. */
const DROPPED_PREFIX = "CLAUDE_COMPANION_";

/**
 * Builds the child's full environment (spawned with extendEnv:false): a copy of `base` without
 * undefined values, AUTH_TOKEN, CLAUDE_COMPANION_*, CLAUDECODE and NODE_OPTIONS, plus
 * CLAUDE_CODE_MAX_RETRIES and the task tools turned on (unless `base` says otherwise). CLAUDE_CODE_ENTRYPOINT
 * and everything else pass unchanged.
 */
export function buildChildEnv(
  base: Record<string, string | undefined>,
  options: ChildEnvOptions,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || DROPPED.has(name) || name.startsWith(DROPPED_PREFIX)) continue;
    env[name] = value;
  }
  env.CLAUDE_CODE_MAX_RETRIES = String(Math.max(0, Math.floor(options.maxRetries)));
  // Under -p, 2.1.332 disables its task tools (TaskCreate/TaskUpdate...), which the terminal's Claude uses to keep its
  // checklist; these two turn them on, so the phone pins the same checklist (docs/CLAUDE-CLI-NOTES.md). A user's own value wins.
  for (const [name, value] of TASK_TOOLS) env[name] ??= value;
  return env;
}
