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

/** Every CLAUDE_COMPANION_* variable is ours (tokens, paths), never Claude's. */
const DROPPED_PREFIX = "CLAUDE_COMPANION_";

/**
 * Builds the child's full environment (spawned with extendEnv:false): a copy of `base` without
 * undefined values, AUTH_TOKEN, CLAUDE_COMPANION_*, CLAUDECODE and NODE_OPTIONS, plus
 * CLAUDE_CODE_MAX_RETRIES. CLAUDE_CODE_ENTRYPOINT and everything else pass unchanged.
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
  return env;
}
