import { chmodSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { resolveConfig } from "../../src/config/index.js";
import { openConfigStore } from "../../src/config/store.js";
import { CompanionError } from "../../src/protocol/index.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

afterAll(cleanupTempDirs);
const base = () => ({ configDir: tempDir(), processCwd: process.cwd(), env: { HOME: "/home/someone" } as Record<string, string> });

describe("precedence: flag > env > store > default", () => {
  test.each([
    ["default", {}, {}, {}, 3001],
    ["store", {}, {}, { port: 4000 }, 4000],
    ["env over store", {}, { PORT: "5000" }, { port: 4000 }, 5000],
    ["flag over env", { port: "6000" }, { PORT: "5000" }, { port: 4000 }, 6000],
    ["zero picks a free port", { port: "0" }, {}, {}, 0],
  ])("%s", (_name, flags, env, store, port) => {
    const c = resolveConfig({ ...base(), flags, env: { ...env, HOME: "/h" }, store });
    expect(c.port).toBe(port);
  });

  test("the seed's defaults", () => {
    const c = resolveConfig(base());
    expect(c).toMatchObject({
      port: 3001,
      host: "0.0.0.0",
      claudeCliPath: "claude",
      claudeTimeoutMs: 300_000,
      permissionMode: "default",
      allowedTools: ["Read", "Write", "Edit"],
      skipPermissions: false,
      enableBonjour: true,
      maxSessions: 5,
      sessionTimeoutMs: 1_800_000,
      allowedRoots: ["/home/someone"],
      // Left at the default: kept inside each session's directory.
      allowedToolsGiven: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test.each([
    ["CLAUDE_ALLOWED_TOOLS", "Read, Bash(git status)", "allowedTools", ["Read", "Bash(git status)"]],
    ["CLAUDE_ALLOWED_TOOLS", "Edit(//home/me/app/**),Read(~/notes/**)", "allowedTools", ["Edit(//home/me/app/**)", "Read(~/notes/**)"]],
    ["CLAUDE_ALLOWED_TOOLS", "Read", "allowedToolsGiven", true],
    ["CLAUDE_SKIP_PERMISSIONS", "true", "skipPermissions", true],
    ["ENABLE_BONJOUR", "false", "enableBonjour", false],
    ["CLAUDE_PERMISSION_MODE", "plan", "permissionMode", "plan"],
    ["SESSION_TIMEOUT", "0", "sessionTimeoutMs", 0],
    ["MAX_SESSIONS", "12", "maxSessions", 12],
    ["HOST", "127.0.0.1", "host", "127.0.0.1"],
    ["AUTH_TOKEN", "a-very-long-token-value-123", "authToken", "a-very-long-token-value-123"],
    ["CPU_LIMIT_PERCENT", "150", "cpuLimitPercent", 150],
    ["CPU_LIMIT_WINDOW", "1000", "cpuLimitWindowMs", 1000],
    ["CPU_LIMIT_ACTION", "stop", "cpuLimitAction", "stop"],
    ["SESSIONS_MAX_MB", "64", "sessionsMaxMb", 64],
  ])("env %s=%s", (name, value, key, expected) => {
    const c = resolveConfig({ ...base(), env: { HOME: "/h", [name]: value } });
    expect((c as unknown as Record<string, unknown>)[key]).toEqual(expected);
  });
});

test("a rejected AUTH_TOKEN is named with its length, never its text", () => {
  const secret = "almost-my-real-token with a space";
  let err: unknown;
  try {
    resolveConfig({ ...base(), env: { HOME: "/h", AUTH_TOKEN: secret } });
  } catch (e) {
    err = e;
  }
  expect((err as CompanionError).code).toBe("CONFIG_INVALID");
  const msg = (err as Error).message;
  expect(msg).toContain("AUTH_TOKEN");
  expect(msg).toContain("16 to 512");
  expect(msg).toContain(`${secret.length} characters`);
  expect(msg).not.toContain("almost-my-real-token");
});

describe("bad values stop start with the variable, the value and what is allowed", () => {
  test.each([
    ["PORT", "abc", "an integer from 0 to 65535"],
    ["PORT", "70000", "an integer from 0 to 65535"],
    ["PORT", "-1", "an integer from 0 to 65535"],
    ["PORT", "3.5", "an integer from 0 to 65535"],
    ["MAX_SESSIONS", "0", "an integer from 1 to 100"],
    ["CLAUDE_PERMISSION_MODE", "yolo", "default | acceptEdits | bypassPermissions | plan"],
    ["SESSION_TIMEOUT", "-1", "milliseconds"],
    ["CLAUDE_TIMEOUT", "10", "milliseconds"],
    ["CLAUDE_SKIP_PERMISSIONS", "maybe", "true or false"],
    ["ENABLE_BONJOUR", "", "true or false"],
    ["HOST", "not a host!", "an IP address or a host name"],
    ["ALLOWED_ORIGINS", "evil", "origins"],
    ["LOG_LEVEL", "loud", "trace"],
    ["CLAUDE_ALLOWED_TOOLS", "-x", "tool names or rules"],
    ["CPU_LIMIT_PERCENT", "-5", "an integer from 0 (off) to 12800"],
    ["CPU_LIMIT_PERCENT", "12801", "an integer from 0 (off) to 12800"],
    ["CPU_LIMIT_WINDOW", "999", "milliseconds from 1000 to 86400000"],
    ["CPU_LIMIT_ACTION", "kill", "warn | stop"],
    ["SESSIONS_MAX_MB", "0", "an integer from 1 to 1048576"],
  ])("%s=%j", (name, value, allowed) => {
    let err: unknown;
    try {
      resolveConfig({ ...base(), env: { HOME: "/h", [name]: value } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompanionError);
    expect((err as CompanionError).code).toBe("CONFIG_INVALID");
    const msg = (err as Error).message;
    expect(msg).toContain(name);
    expect(msg).toContain(JSON.stringify(value));
    expect(msg).toContain(allowed);
  });

  test("a flag names the flag", () => {
    expect(() => resolveConfig({ ...base(), flags: { port: "x" } })).toThrow(/--port="x"/);
  });

  test("a stored value names the file key", () => {
    expect(() => resolveConfig({ ...base(), store: { maxSessions: 0 } })).toThrow(/config.json:maxSessions/);
  });

  test("a missing --cwd directory", () => {
    expect(() => resolveConfig({ ...base(), flags: { cwd: "/definitely/not/here" } })).toThrow(/--cwd/);
  });
});

describe("config store", () => {
  test("dir 0700, file 0600 whatever the umask; token created once", () => {
    const old = process.umask(0);
    try {
      const dir = join(tempDir(), "nested", "cfg");
      const store = openConfigStore(dir);
      const t = store.ensureToken();
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(openConfigStore(dir).ensureToken()).toBe(t);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
      expect(store.rotateToken()).not.toBe(t);
    } finally {
      process.umask(old);
    }
  });

  test("an existing dir with loose permissions is tightened", () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    openConfigStore(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("a corrupt config file is reported with its path and not reset", () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), "{ not json");
    expect(() => openConfigStore(dir)).toThrow(expect.objectContaining({ code: "CONFIG_FILE_INVALID" }));
    expect(() => openConfigStore(dir)).toThrow(join(dir, "config.json"));
  });
});
