// The argv of a Claude Code child, built from ClaudeSpawnOptions. Pure.
import { toolRulesFor } from "./tool-rules.js";
import type { ClaudeSpawnOptions } from "./types.js";

export type ClaudeArgsOptions = Pick<
  ClaudeSpawnOptions,
  "sessionId" | "resume" | "forkFrom" | "permissionMode" | "model" | "allowedTools" | "grantedRules" | "addDirectories" | "toolsInCwdOnly" | "protectedPaths" | "skipPermissions" | "includePartialMessages"
> & { cwd?: string };

/**
 * `-p --input-format stream-json --output-format stream-json --verbose --permission-prompt-tool stdio
 * --permission-mode X [--include-partial-messages] [--model M] [--allowedTools a,b] [--disallowedTools c,d]
 * [--add-dir D]... [--dangerously-skip-permissions] (--session-id ID [--resume FROM --fork-session] | --resume ID)`.
 * No prompt argument: user messages go on stdin.
 */
export function buildClaudeArgs(options: ClaudeArgsOptions): string[] {
  const args = [
    "-p",
    "--input-format",
    "stream-json",
    "--output-format",
    "stream-json",
    // stream-json output under -p requires --verbose, or the CLI exits 1.
    "--verbose",
    // Hidden flag: routes permission prompts to us as control_request can_use_tool instead of auto-denying.
    "--permission-prompt-tool",
    "stdio",
    // Always explicit: where the user's settings default to "auto", the CLI would start in classifier mode.
    "--permission-mode",
    options.permissionMode,
  ];
  if (options.includePartialMessages) args.push("--include-partial-messages");
  if (options.model !== undefined && options.model !== "") args.push("--model", options.model);
  const rules = toolRulesFor({
    allowedTools: options.allowedTools,
    cwd: options.cwd ?? "/",
    ...(options.toolsInCwdOnly !== undefined ? { toolsInCwdOnly: options.toolsInCwdOnly } : {}),
    ...(options.protectedPaths ? { protectedPaths: options.protectedPaths } : {}),
  });
  // The session's grants go as given (never mapped to the cwd): they are what the user allowed.
  for (const rule of options.grantedRules ?? []) if (!rules.allow.includes(rule)) rules.allow.push(rule);
  // One argument each, comma-separated: commas and spaces inside a rule's parentheses are kept (verified with 2.1.332).
  if (rules.allow.length > 0) args.push("--allowedTools", rules.allow.join(","));
  if (rules.deny.length > 0) args.push("--disallowedTools", rules.deny.join(","));
  // `--add-dir <directories...>` is variadic: repeated once per directory, each value one argument (verified with 2.1.332).
  for (const dir of options.addDirectories ?? []) args.push("--add-dir", dir);
  // As root the CLI refuses this flag unless IS_SANDBOX=1 is in its environment.
  if (options.skipPermissions) args.push("--dangerously-skip-permissions");
  args.push(options.resume ? "--resume" : "--session-id", options.sessionId);
  // Verified with 2.1.332: --session-id with --resume needs --fork-session; the new id gets a copy of the history.
  if (!options.resume && options.forkFrom !== undefined) args.push("--resume", options.forkFrom, "--fork-session");
  return args;
}
