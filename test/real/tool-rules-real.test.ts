// The default tool rules against the REAL Claude Code CLI: Read, Write and Edit inside the session's directory only; the
// companion's config directory and Claude Code's credentials are always denied, whatever CLAUDE_ALLOWED_TOOLS says.
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { TestDaemon, UseTestDaemonOptions } from "../helpers/daemon.js";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";
import { tempDir } from "../helpers/tmp.js";
import type { Frame, TestWsClient } from "../helpers/ws-client.js";

const LONG = 90_000;
let claudeConfig: string;

/** Claude's config dir with a login file as Claude Code keeps it: no tool may read it. */
function withCredentials(): string {
  claudeConfig = realpathSync(tempDir("cc-rules-claude-"));
  writeFileSync(join(claudeConfig, ".credentials.json"), JSON.stringify({ claudeAiOauth: { accessToken: "sk-ant-oat-SECRET-CREDENTIAL" } }));
  return claudeConfig;
}

/** A daemon on the real CLI whose config directory lies INSIDE the session's directory (so only a deny rule can keep it out). */
function useDaemonOnRealCli(env: Record<string, string> = {}) {
  return useRealCliDaemon(
    (): UseTestDaemonOptions => {
      const workDir = realpathSync(tempDir("cc-rules-work-"));
      const configDir = join(workDir, ".companion");
      mkdirSync(configDir, { mode: 0o700 });
      return { workDir, configDir, env };
    },
    { claudeConfigDir: withCredentials, timeoutMs: LONG },
  );
}

async function turn(d: TestDaemon, prompt: string, onPermission?: (c: TestWsClient, f: Frame) => Promise<void>) {
  const c = await d.open();
  c.send({ type: "streamStart", requestId: "s", data: { prompt } });
  const started = await c.next((f) => f.requestId === "s", LONG);
  expect(started.type).toBe("streamStarted");
  const sid = started.sessionId!;
  const permissions: Frame[] = [];
  for (;;) {
    const f = await c.next((x) => x.sessionId === sid && (x.type === "permissionRequest" || x.type === "streamComplete"), LONG);
    if (f.type === "streamComplete") break;
    permissions.push(f);
    await onPermission?.(c, f);
  }
  const events = c.frames.filter((f) => f.sessionId === sid && typeof f.seq === "number");
  expect(c.invalid).toEqual([]);
  await c.close();
  return { sid, events, permissions, results: events.filter((f) => f.type === "streamToolUse" && f.data.phase === "result") };
}

const deny = async (c: TestWsClient, f: Frame) => {
  c.send({ type: "permission", sessionId: f.sessionId, requestId: "p", data: { permissionId: f.data.permissionId, decision: "deny" } });
  await c.next((x) => x.requestId === "p");
};

describe.skipIf(!realClaudeInstalled())("default tool rules on the real CLI", () => {
  const d = useDaemonOnRealCli();

  test("/api/info reports the effective rules: the defaults scoped to the directory, the protected paths denied", async () => {
    const info = (await (await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as any;
    expect(info.toolRules).toEqual({
      workingDirectory: d.workDir,
      allow: [`Read(/${d.workDir}/**)`, `Edit(/${d.workDir}/**)`],
      deny: expect.arrayContaining([`Read(/${d.configDir}/**)`, `Edit(/${d.configDir}/**)`, `Read(/${join(claudeConfig, ".credentials.json")})`]),
    });
  });

  test("Write inside the session's directory runs without a prompt", async () => {
    const file = join(d.workDir, "inside.txt");
    const r = await turn(d, `WRITEFILE ${file}`, deny);
    expect(r.permissions).toEqual([]);
    expect(r.results.map((f) => f.data.isError)).toEqual([false]);
    expect(existsSync(file)).toBe(true);
  }, LONG);

  test("Write outside the session's directory asks (a permission request arrives) and a deny keeps the file out", async () => {
    const file = join(realpathSync(tempDir("cc-rules-outside-")), "outside.txt");
    const r = await turn(d, `WRITEFILE ${file}`, deny);
    expect(r.permissions.map((f) => f.data.toolName)).toEqual(["Write"]);
    expect(existsSync(file)).toBe(false);
  }, LONG);

  test("Read of the config directory is denied without a prompt, and the master token never reaches the event log", async () => {
    const r = await turn(d, `READFILE ${join(d.configDir, "config.json")}`, deny);
    expect(r.permissions).toEqual([]);
    expect(r.results).toHaveLength(1);
    expect(r.results[0]!.data).toMatchObject({ isError: true, content: expect.stringContaining("denied by your permission settings") });
    const onDisk = readdirSync(join(d.configDir, "sessions")).map((f) => readFileSync(join(d.configDir, "sessions", f), "utf8")).join("");
    expect(JSON.stringify(r.events)).not.toContain(d.token);
    expect(onDisk).not.toContain(d.token);
  }, LONG);
});

describe.skipIf(!realClaudeInstalled())("the deny rules hold whatever the user allows", () => {
  // Bare names: Claude may read and write anywhere without asking, except the protected paths.
  const d = useDaemonOnRealCli({ CLAUDE_ALLOWED_TOOLS: "Read,Write,Edit" });

  test("a bare Read still cannot read the master token or Claude Code's credentials; a bare Write cannot write the config dir", async () => {
    for (const file of [join(d.configDir, "config.json"), join(claudeConfig, ".credentials.json")]) {
      const r = await turn(d, `READFILE ${file}`, deny);
      expect(r.permissions).toEqual([]);
      expect(r.results[0]!.data).toMatchObject({ isError: true, content: expect.stringContaining("denied by your permission settings") });
      expect(JSON.stringify(r.events)).not.toContain(d.token);
      expect(JSON.stringify(r.events)).not.toContain("SECRET-CREDENTIAL");
    }
    const planted = join(d.configDir, "planted.json");
    const w = await turn(d, `WRITEFILE ${planted}`, deny);
    expect(w.permissions).toEqual([]);
    expect(existsSync(planted)).toBe(false);
  }, LONG);

  test("a bare name is passed as the user gave it: Write outside the directory runs without a prompt", async () => {
    const info = (await (await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${d.token}` } })).json()) as any;
    expect(info.toolRules.allow).toEqual(["Read", "Write", "Edit"]);
    const file = join(realpathSync(tempDir("cc-rules-outside-")), "bare.txt");
    const r = await turn(d, `WRITEFILE ${file}`, deny);
    expect(r.permissions).toEqual([]);
    expect(existsSync(file)).toBe(true);
  }, LONG);
});
