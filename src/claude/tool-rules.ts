// Claude Code permission rules of one session: the default file tools kept inside its working directory, protected paths always denied. Pure.

/** CLAUDE_ALLOWED_TOOLS' default; on its own it means "inside the session's working directory". */
export const DEFAULT_ALLOWED_TOOLS: readonly string[] = ["Read", "Write", "Edit"];

/**
 * The rule tool that governs each file tool's paths. Verified with Claude Code 2.1.332: `Edit(<path>)` rules
 * also govern Write, while `Write(<path>)` rules match nothing (a Write still asks).
 */
const PATH_RULE_TOOL: Readonly<Record<string, string>> = { Read: "Read", Write: "Edit", Edit: "Edit" };

/** Glob characters: a directory holding one cannot be named exactly in a rule, so it gets no allow rule (Claude asks). */
const GLOB = /[*?[\]{}!]/;

/** Paths Claude may never read or edit, whatever the user allows (deny rules win over allow rules and modes). */
export interface ProtectedPaths {
  directories: readonly string[];
  files: readonly string[];
}

export interface ToolRuleOptions {
  /** CLAUDE_ALLOWED_TOOLS: tool names or Claude Code rules. */
  allowedTools: readonly string[];
  /** Bare Read, Write and Edit become path rules inside `cwd` (true for the default setting). */
  toolsInCwdOnly?: boolean;
  protectedPaths?: ProtectedPaths;
  /** The session's absolute working directory. */
  cwd: string;
}

export interface ToolRules {
  /** `--allowedTools`: used without asking. */
  allow: string[];
  /** `--disallowedTools`: refused without asking. */
  deny: string[];
}

/**
 * Claude Code's spelling of an absolute path in a rule: `//abs/path`. A single leading `/` is relative to the
 * project directory (verified: `Edit(/**)` from --allowedTools allows writes inside the cwd only).
 */
export function rulePath(absolute: string): string {
  const trimmed = absolute.length > 1 ? absolute.replace(/\/+$/, "") : absolute;
  return `/${trimmed}`;
}

export function toolRulesFor(options: ToolRuleOptions): ToolRules {
  const allow: string[] = [];
  for (const raw of options.allowedTools) {
    const tool = raw.trim();
    if (tool === "") continue;
    const ruleTool = options.toolsInCwdOnly ? PATH_RULE_TOOL[tool] : undefined;
    if (ruleTool !== undefined && GLOB.test(options.cwd)) continue;
    const rule = ruleTool !== undefined ? `${ruleTool}(${rulePath(options.cwd)}/**)` : tool;
    if (!allow.includes(rule)) allow.push(rule);
  }
  const deny: string[] = [];
  for (const dir of options.protectedPaths?.directories ?? []) deny.push(`Read(${rulePath(dir)}/**)`, `Edit(${rulePath(dir)}/**)`);
  for (const file of options.protectedPaths?.files ?? []) deny.push(`Read(${rulePath(file)})`, `Edit(${rulePath(file)})`);
  return { allow, deny };
}

const BARE_MEANING: Readonly<Record<string, string>> = {
  Read: "read any file this user can read",
  Write: "create or overwrite any file this user can write",
  Edit: "change any file this user can write",
  Bash: "run any command (deny rules do not bind what a command reads)",
};

/** One warning per bare tool name the user gave: what it lets Claude do without asking. */
export function bareToolWarnings(allowedTools: readonly string[]): string[] {
  return allowedTools
    .map((t) => t.trim())
    .filter((t) => t !== "" && !t.includes("("))
    .map((t) => {
      const meaning = BARE_MEANING[t] ?? `use ${t} on anything`;
      const scoped = PATH_RULE_TOOL[t] ? ` Use ${PATH_RULE_TOOL[t]}(//<dir>/**) to keep it inside a directory.` : "";
      return `CLAUDE_ALLOWED_TOOLS has the bare rule '${t}': Claude may ${meaning}, outside the session's directory and the allowed roots too, without asking.${scoped}`;
    });
}

/** Claude Code's login file: `$CLAUDE_CONFIG_DIR/.credentials.json`, else `~/.claude/.credentials.json`. */
export function claudeCredentialsFile(env: Record<string, string | undefined>, home: string): string {
  const dir = env.CLAUDE_CONFIG_DIR || `${home.replace(/\/+$/, "")}/.claude`;
  return `${dir.replace(/\/+$/, "")}/.credentials.json`;
}
