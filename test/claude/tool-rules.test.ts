// Tool rules of a session (pure): the default kept inside its directory, protected paths always denied, bare names warned about.
import { describe, expect, test } from "vitest";
import { bareToolWarnings, claudeCredentialsFile, rulePath, toolRulesFor, type ToolRuleOptions } from "../../src/claude/tool-rules.js";

const protectedPaths = { directories: ["/home/me/.config/claude-companion"], files: ["/home/me/.claude/.credentials.json"] };
const DENY = [
  "Read(//home/me/.config/claude-companion/**)",
  "Edit(//home/me/.config/claude-companion/**)",
  "Read(//home/me/.claude/.credentials.json)",
  "Edit(//home/me/.claude/.credentials.json)",
];

describe("toolRulesFor", () => {
  test.each<[string, Partial<ToolRuleOptions>, string[]]>([
    ["the default: Read in the directory, Write and Edit as one Edit rule", { allowedTools: ["Read", "Write", "Edit"], toolsInCwdOnly: true }, ["Read(//home/me/app/**)", "Edit(//home/me/app/**)"]],
    ["a bare name the user gave passes as given", { allowedTools: ["Read", "Write"], toolsInCwdOnly: false }, ["Read", "Write"]],
    ["other tools and rules are never rewritten", { allowedTools: ["Bash(git status)", "Read"], toolsInCwdOnly: true }, ["Bash(git status)", "Read(//home/me/app/**)"]],
    ["a directory with glob characters gets no allow rule (Claude asks)", { allowedTools: ["Read", "Write"], toolsInCwdOnly: true, cwd: "/home/me/a*b" }, []],
    ["blank entries are dropped", { allowedTools: [" ", ""], toolsInCwdOnly: true }, []],
  ])("%s", (_name, options, allow) => {
    const rules = toolRulesFor({ cwd: "/home/me/app", protectedPaths, allowedTools: [], ...options });
    expect(rules).toEqual({ allow, deny: DENY });
  });

  test("a single leading slash would be project-relative: absolute paths are written //abs", () => {
    expect(rulePath("/home/me/app/")).toBe("//home/me/app");
    expect(rulePath("/")).toBe("//");
  });

  test("Claude Code's credentials follow CLAUDE_CONFIG_DIR, else ~/.claude", () => {
    expect(claudeCredentialsFile({ CLAUDE_CONFIG_DIR: "/c/" }, "/home/me")).toBe("/c/.credentials.json");
    expect(claudeCredentialsFile({}, "/home/me")).toBe("/home/me/.claude/.credentials.json");
  });
});

describe("bareToolWarnings", () => {
  test("one warning per bare name, naming the rule and what it allows; rules with a path are not warned about", () => {
    const warnings = bareToolWarnings(["Write", "Edit(//home/me/app/**)", "mcp__x"]);
    expect(warnings).toEqual([
      "CLAUDE_ALLOWED_TOOLS has the bare rule 'Write': Claude may create or overwrite any file this user can write, outside the session's directory and the allowed roots too, without asking. Use Edit(//<dir>/**) to keep it inside a directory.",
      "CLAUDE_ALLOWED_TOOLS has the bare rule 'mcp__x': Claude may use mcp__x on anything, outside the session's directory and the allowed roots too, without asking.",
    ]);
  });
});
