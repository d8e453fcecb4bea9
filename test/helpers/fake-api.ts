// Test helpers to drive the real Claude Code CLI offline against the fake Messages API.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeAnthropicApi, type FakeAnthropicApi } from "../fixtures/fake-anthropic-api.js";

export { startFakeAnthropicApi, type FakeAnthropicApi };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The pinned real CLI from devDependencies. */
export const REAL_CLAUDE = path.join(ROOT, "node_modules/.bin/claude");
/** Our fake CLI. */
export const FAKE_CLAUDE = path.join(ROOT, "test/fixtures/fake-claude.mjs");

export function realClaudeInstalled(): boolean {
  return existsSync(REAL_CLAUDE);
}

/**
 * The environment for a real CLI child: offline, against `api`, with a private config dir.
 * Only PATH and HOME come from the test runner's environment; TMPDIR is `<configDir>/tmp`.
 */
export function realClaudeEnv(api: FakeAnthropicApi, configDir: string): Record<string, string | undefined> {
  // The CLI also writes to its temp dir (fswatch probes, sockets, pasted images): keep that inside the config dir too.
  const tmp = path.join(configDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: tmp,
    ANTHROPIC_BASE_URL: api.url,
    ANTHROPIC_API_KEY: "test",
    CLAUDE_CONFIG_DIR: configDir,
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    // bypassPermissions refuses to run as root without it.
    IS_SANDBOX: "1",
  };
}
