// The banner of `start` and `start -d` on the built bin: each URL once, IPv6 in brackets, the same URLs in both modes.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { bannerUrls } from "../../src/cli/banner.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const BIN = resolve(import.meta.dirname, "../../bin/claude-companion.js");
const FAKE_CLAUDE = resolve(import.meta.dirname, "../fixtures/fake-claude.mjs");
const configDirs: string[] = [];

function envFor() {
  const configDir = tempDir("cc-banner-");
  configDirs.push(configDir);
  return {
    ...process.env,
    CLAUDE_COMPANION_CONFIG_DIR: configDir,
    CLAUDE_CLI_PATH: FAKE_CLAUDE,
    ENABLE_BONJOUR: "false",
    WARM_POOL: "0",
    NO_COLOR: "1",
    HOME: tempDir("cc-banner-home-"),
  };
}

/** The URL lines under "Open on your phone". */
const urlLines = (stdout: string) => {
  const lines = stdout.split("\n");
  const from = lines.findIndex((l) => l.startsWith("Open on your phone"));
  const out: string[] = [];
  for (const l of lines.slice(from + 1)) {
    if (!l.startsWith("  ")) break;
    out.push(l.trim());
  }
  return out;
};

afterEach(() => {
  for (const dir of configDirs.splice(0)) {
    const state = join(dir, "daemon.json");
    if (!existsSync(state)) continue;
    try {
      process.kill((JSON.parse(readFileSync(state, "utf8")) as { pid: number }).pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
});
afterAll(cleanupTempDirs);

describe("bannerUrls", () => {
  test.each([
    [["127.0.0.1"], "http://127.0.0.1:5", ["http://127.0.0.1:5"]],
    [["::1"], "http://[::1]:5", ["http://[::1]:5"]],
    [["192.168.1.20", "fd00::20"], "http://127.0.0.1:5", ["http://192.168.1.20:5", "http://[fd00::20]:5", "http://127.0.0.1:5"]],
  ])("%j with loopback %s", (hosts, loopback, urls) => {
    expect(bannerUrls("http", hosts, 5, loopback)).toEqual(urls);
  });
});

describe("the start banner", () => {
  test("start --host 127.0.0.1 prints its one URL once", async () => {
    const child = spawn(process.execPath, [BIN, "start", "--host", "127.0.0.1", "--port", "0"], { env: envFor(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await new Promise<void>((ready, reject) => {
      child.stdout.on("data", () => /Listening on \S+/.test(stdout) && ready());
      child.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const url = /Listening on (\S+)/.exec(stdout)![1]!;
    expect(urlLines(stdout)).toEqual([url]);
    // The code's expiry as HH:MM, not through Intl's locale data (~6 MB of the daemon's RSS: cli/banner.ts clockTime).
    expect(stdout).toMatch(/Scan to pair: one use, valid until \d\d:\d\d\. /);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 30_000);

  test("start -d --host ::1 prints the bracketed IPv6 URL once, and no address it does not listen on", () => {
    const env = envFor();
    const r = spawnSync(process.execPath, [BIN, "start", "-d", "--host", "::1", "--port", "0"], { env, encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const url = /Listening on (\S+)/.exec(r.stdout)![1]!;
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(urlLines(r.stdout)).toEqual([url]);
    expect(spawnSync(process.execPath, [BIN, "stop"], { env, encoding: "utf8" }).status).toBe(0);
  }, 60_000);
});
