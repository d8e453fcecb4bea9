import { describe, expect, test } from "vitest";
import { buildClaudeArgs, type ClaudeArgsOptions } from "../../src/claude/args.js";
import { buildChildEnv } from "../../src/claude/env.js";

const BASE = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio"];
const ID = "6b6d5433-a4a0-4569-9d64-3a9723039559";
const defaults: ClaudeArgsOptions = {
  sessionId: ID,
  resume: false,
  permissionMode: "default",
  allowedTools: [],
  skipPermissions: false,
  includePartialMessages: false,
};

describe("buildClaudeArgs", () => {
  test.each<[string, Partial<ClaudeArgsOptions>, string[]]>([
    ["a new session", {}, ["--permission-mode", "default", "--session-id", ID]],
    ["a resumed session", { resume: true }, ["--permission-mode", "default", "--resume", ID]],
    ["a fork: a new id starting from another's history", { forkFrom: "0733f2b1-3ce2-4ed6-a52e-be9d653bba27" }, ["--permission-mode", "default", "--session-id", ID, "--resume", "0733f2b1-3ce2-4ed6-a52e-be9d653bba27", "--fork-session"]],
    ["a fork once its own transcript exists is a plain resume", { resume: true, forkFrom: "0733f2b1-3ce2-4ed6-a52e-be9d653bba27" }, ["--permission-mode", "default", "--resume", ID]],
    ["partial messages", { includePartialMessages: true }, ["--permission-mode", "default", "--include-partial-messages", "--session-id", ID]],
    ["a model", { model: "sonnet" }, ["--permission-mode", "default", "--model", "sonnet", "--session-id", ID]],
    ["an empty model is omitted", { model: "" }, ["--permission-mode", "default", "--session-id", ID]],
    ["allowed tools, trimmed and joined", { allowedTools: [" Write", "Bash(git:*)", ""] }, ["--permission-mode", "default", "--allowedTools", "Write,Bash(git:*)", "--session-id", ID]],
    [
      "the default tools in the session's directory, the protected paths denied",
      { allowedTools: ["Read", "Write", "Edit"], toolsInCwdOnly: true, cwd: "/w/a b,c", protectedPaths: { directories: ["/cfg"], files: ["/c/.credentials.json"] } },
      ["--permission-mode", "default", "--allowedTools", "Read(//w/a b,c/**),Edit(//w/a b,c/**)", "--disallowedTools", "Read(//cfg/**),Edit(//cfg/**),Read(//c/.credentials.json),Edit(//c/.credentials.json)", "--session-id", ID],
    ],
    ["skip permissions", { skipPermissions: true, permissionMode: "bypassPermissions" }, ["--permission-mode", "bypassPermissions", "--dangerously-skip-permissions", "--session-id", ID]],
    [
      "everything",
      { includePartialMessages: true, model: "opus", allowedTools: ["Read"], skipPermissions: true, permissionMode: "acceptEdits", resume: true },
      ["--permission-mode", "acceptEdits", "--include-partial-messages", "--model", "opus", "--allowedTools", "Read", "--dangerously-skip-permissions", "--resume", ID],
    ],
  ])("%s", (_name, overrides, tail) => {
    expect(buildClaudeArgs({ ...defaults, ...overrides })).toEqual([...BASE, ...tail]);
  });
});

const TASKS_ON = { CLAUDE_CODE_ENABLE_TASKS: "true", CLAUDE_CODE_ENABLE_TODO_TOOLS: "1" };

describe("buildChildEnv", () => {
  test.each<[string, Record<string, string | undefined>, Record<string, string>]>([
    ["keeps ordinary variables", { PATH: "/bin", HOME: "/root", LANG: "C" }, { PATH: "/bin", HOME: "/root", LANG: "C" }],
    ["drops our token", { PATH: "/bin", AUTH_TOKEN: "secret" }, { PATH: "/bin" }],
    ["drops every CLAUDE_COMPANION_* variable", { CLAUDE_COMPANION_TOKEN: "s", CLAUDE_COMPANION_HOME: "/x", CLAUDE_CONFIG_DIR: "/c" }, { CLAUDE_CONFIG_DIR: "/c" }],
    ["drops CLAUDECODE (nested session marker)", { CLAUDECODE: "1", CLAUDE_CODE_ENTRYPOINT: "cli" }, { CLAUDE_CODE_ENTRYPOINT: "cli" }],
    ["drops NODE_OPTIONS like the SDK", { NODE_OPTIONS: "--inspect" }, {}],
    ["drops undefined values", { A: undefined, B: "b" }, { B: "b" }],
    ["keeps the API key for Claude", { ANTHROPIC_API_KEY: "k" }, { ANTHROPIC_API_KEY: "k" }],
    ["overrides an inherited CLAUDE_CODE_MAX_RETRIES", { CLAUDE_CODE_MAX_RETRIES: "10" }, {}],
  ])("%s", (_name, base, expected) => {
    expect(buildChildEnv(base, { maxRetries: 2 })).toEqual({ ...TASKS_ON, ...expected, CLAUDE_CODE_MAX_RETRIES: "2" });
  });

  test("turns the task tools on (off under -p otherwise), unless the user set them", () => {
    expect(buildChildEnv({}, { maxRetries: 0 })).toMatchObject(TASKS_ON);
    expect(buildChildEnv({ CLAUDE_CODE_ENABLE_TASKS: "false" }, { maxRetries: 0 })).toMatchObject({ CLAUDE_CODE_ENABLE_TASKS: "false" });
  });

  test("does not modify its input", () => {
    const base = { AUTH_TOKEN: "x", PATH: "/bin" };
    buildChildEnv(base, { maxRetries: 0 });
    expect(base).toEqual({ AUTH_TOKEN: "x", PATH: "/bin" });
  });
});
