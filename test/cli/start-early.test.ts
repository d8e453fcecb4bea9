// `start` answers /health before the Claude check and the daemon's modules (issue 20): functional, not timed.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { startCli } from "../helpers/cli-process.js";

const TOKEN = "early-listener-test-token-0123456789";
let dir: string;
let proc: ReturnType<typeof startCli> | undefined;

afterEach(async () => {
  await proc?.stop();
  proc = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A `claude` whose `--version` answers only once `release()` is called (bounded: it gives up after 20 s). */
function slowClaude(): { path: string; release(): void } {
  dir = mkdtempSync(join(tmpdir(), "cc-early-"));
  const path = join(dir, "claude");
  const gate = join(dir, "release");
  writeFileSync(path, `#!/bin/sh\ni=0\nwhile [ ! -f "${gate}" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done\necho "2.1.332 (Claude Code)"\n`);
  chmodSync(path, 0o755);
  return { path, release: () => writeFileSync(gate, "") };
}

/** The URL of the JSON "listening" log line: the socket is bound (the banner's "Listening on" comes after the Claude check). */
function listening(p: ReturnType<typeof startCli>): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"listening"/.exec(p.output().stderr + p.output().stdout);
      if (m) resolve(m[1]!);
    };
    p.child.stdout.on("data", look);
    p.child.stderr.on("data", look);
    p.child.once("exit", (code) => reject(new Error(`exited ${code}: ${p.output().stderr}`)));
  });
}

describe("start: /health before the Claude check", () => {
  test("/health and authenticated requests answer while `claude --version` still runs; its result shows once it answers", async () => {
    const claude = slowClaude();
    proc = startCli(["--host", "127.0.0.1", "--port", "0", "--no-bonjour", "--config-dir", join(dir, "config")], {
      CLAUDE_CLI_PATH: claude.path,
      AUTH_TOKEN: TOKEN,
      LOG_FORMAT: "json",
      WARM_POOL: "0",
    });
    const url = await listening(proc);

    const early = await fetch(`${url}/health`);
    expect(early.status).toBe(200);
    const body = (await early.json()) as { status: string; claude: { available: boolean; version: string | null; checking: boolean } };
    expect(["starting", "ok"]).toContain(body.status);
    expect(body.claude).toEqual({ available: false, version: null, checking: true });

    // An authenticated request waits for the daemon's modules, not for the Claude check.
    const info = await fetch(`${url}/api/info`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { claude: { checking: boolean } }).claude.checking).toBe(true);
    expect((await fetch(`${url}/api/info`)).status).toBe(401);
    expect(((await (await fetch(`${url}/health`)).json()) as { status: string }).status).toBe("ok");
    // The banner (and its "Listening on" line) waits for the check.
    expect(proc.output().stdout).not.toContain("Listening on");

    claude.release();
    await proc.ready;
    const after = (await (await fetch(`${url}/health`)).json()) as { claude: unknown };
    expect(after.claude).toEqual({ available: true, version: "2.1.332", checking: false });
    expect(proc.output().stderr).toContain("Claude Code 2.1.332");
  }, 60_000);
});
