import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test, vi } from "vitest";
import { clearClaudeDetectionCache, detectClaude, parseClaudeVersion, resolveCliPath } from "../../src/claude/detect.js";
import { isAlive, makeTempDir } from "../helpers/claude-events.js";
import { FAKE_CLAUDE } from "../helpers/fake-api.js";

const tmp = makeTempDir("detect");
const env = { PATH: `${path.dirname(FAKE_CLAUDE)}:${process.env.PATH ?? ""}` };

beforeEach(() => clearClaudeDetectionCache());
afterAll(() => tmp.remove());

function script(name: string, body: string): string {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe("parseClaudeVersion", () => {
  test.each<[string, string | null]>([
    ["2.1.332 (Claude Code)\n", "2.1.332"],
    ["1.0.0-beta.2 (Claude Code)", "1.0.0-beta.2"],
    ["claude 10.20.30", "10.20.30"],
    ["no version here", null],
  ])("%j", (output, expected) => {
    expect(parseClaudeVersion(output)).toBe(expected);
  });
});

describe("detectClaude", () => {
  test("an absolute path: version and path", async () => {
    expect(await detectClaude(FAKE_CLAUDE, { env })).toEqual({ available: true, version: "2.1.332", path: FAKE_CLAUDE });
  });

  test("a bare name is looked up in PATH and made absolute", async () => {
    expect(await detectClaude("fake-claude.mjs", { env })).toMatchObject({ available: true, path: FAKE_CLAUDE });
    expect(resolveCliPath("fake-claude.mjs", "/nonexistent:" + path.dirname(FAKE_CLAUDE))).toBe(FAKE_CLAUDE);
    expect(resolveCliPath("fake-claude.mjs", "/nonexistent")).toBeUndefined();
  });

  test("not found: unavailable with an error and the install suggestion", async () => {
    const missing = path.join(tmp.dir, "nope");
    expect(await detectClaude(missing, { env })).toEqual({
      available: false,
      version: null,
      path: missing,
      error: expect.stringContaining("not found"),
      suggestion: "npm install -g @anthropic-ai/claude-code",
    });
    expect(await detectClaude("no-such-claude-anywhere", { env })).toMatchObject({ available: false });
  });

  test("a CLI that fails or prints no version is unavailable", async () => {
    expect(await detectClaude(script("fails", "echo broken >&2; exit 2"), { env })).toMatchObject({ available: false, error: expect.any(String) });
    expect(await detectClaude(script("odd", "echo hello"), { env })).toMatchObject({ available: false, error: expect.stringContaining("unexpected output") });
  });

  test("a CLI that does not answer times out, and what it started is killed too", async () => {
    const marker = path.join(tmp.dir, "sleeper.pid");
    const started = Date.now();
    const result = await detectClaude(script("slow", `sleep 30 & echo $! > ${marker}; wait`), { env, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ available: false, error: expect.stringContaining("did not answer within 300 ms") });
    const sleeper = Number(readFileSync(marker, "utf8"));
    await vi.waitFor(() => expect(isAlive(sleeper)).toBe(false));
  });

  test("results are cached per path until the cache is cleared", async () => {
    const file = script("changing", "echo 1.0.0");
    expect((await detectClaude(file, { env })).version).toBe("1.0.0");
    script("changing", "echo 2.0.0");
    expect((await detectClaude(file, { env })).version).toBe("1.0.0");
    clearClaudeDetectionCache();
    expect((await detectClaude(file, { env })).version).toBe("2.0.0");
  });

  test("the pinned real CLI is detected", async () => {
    const real = path.resolve("node_modules/.bin/claude");
    expect(await detectClaude(real, { env, timeoutMs: 15_000 })).toMatchObject({ available: true, version: "2.1.332" });
  });
});
