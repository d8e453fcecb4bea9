// The tool rules every session gets: CLAUDE_ALLOWED_TOOLS (the default kept inside each session's directory) and the paths always denied.
import { realpathSync } from "node:fs";
import { claudeCredentialsFile, type ProtectedPaths } from "../claude/index.js";
import type { ResolvedConfig } from "../config/index.js";

export interface SessionToolPolicy {
  allowedTools: string[];
  /** The setting was left at its default: Read, Write and Edit inside the session's directory only. */
  toolsInCwdOnly: boolean;
  /** The companion's config directory (master token, devices), the sessions directory, Claude Code's credentials. */
  protectedPaths: ProtectedPaths;
}

/** The path and, when it differs, its real path (a rule must match whichever form Claude resolves). */
function bothForms(p: string): string[] {
  try {
    const real = realpathSync(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}

export function sessionToolPolicy(config: ResolvedConfig, sessionsDir: string, childEnv: Record<string, string | undefined>): SessionToolPolicy {
  return {
    allowedTools: [...config.allowedTools],
    toolsInCwdOnly: !config.allowedToolsGiven,
    protectedPaths: {
      directories: [...bothForms(config.configDir), ...bothForms(sessionsDir)],
      files: bothForms(claudeCredentialsFile(childEnv, config.home)),
    },
  };
}
