// Notifications with the REAL Claude Code CLI: an ntfy publish's Allow URL writes the file, reuse is refused, Deny denies.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { startFakeNtfy, type FakeNtfy, type Received } from "../helpers/fake-ntfy.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const LONG = 90_000;
let api: FakeAnthropicApi;
let ntfy: FakeNtfy;
let d: TestDaemon;

const rest = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(d.url + path, {
    method,
    headers: { authorization: `Bearer ${d.token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};
const untilDone = async (id: string) => {
  const until = Date.now() + LONG;
  let events: { type: string; data: any }[] = [];
  while (Date.now() < until) {
    events = (await rest("GET", `/api/sessions/${id}/events?limit=5000`)).body.events;
    if (events.filter((e) => e.type === "streamComplete").length) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the turn did not finish");
};
const withActions = (r: Received) => Array.isArray(r.json?.actions) && r.json.actions.length > 0;

beforeAll(async () => {
  api = await startFakeAnthropicApi();
  ntfy = await startFakeNtfy();
  d = await startTestDaemon({
    env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_ALLOWED_TOOLS: "Read", CLAUDE_MAX_RETRIES: "0" },
    childEnv: realClaudeEnv(api, tempDir("cc-real-cfg-")),
  });
  const add = await rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/phone`, replyTopic: false });
  expect(add.status).toBe(201);
}, LONG);
afterAll(async () => {
  await d?.close();
  await ntfy?.close();
  await api?.close();
  cleanupTempDirs();
});

describe.skipIf(!realClaudeInstalled())("ntfy action URLs answer the real CLI's permission", () => {
  test("one publish with Allow; its URL writes the file; calling it again is refused with ACTION_URL_USED; a second permission's Deny denies", async () => {
    const file = join(d.workDir, "notified-allow.txt");
    const start = await rest("POST", "/api/stream/start", { prompt: `please WRITEFILE ${file}` });
    expect(start.status).toBe(201);
    const sid = start.body.sessionId as string;

    const [pub] = await ntfy.waitFor(withActions, 1, LONG);
    expect(pub!.json).toMatchObject({ topic: "phone", title: expect.stringContaining("Write"), message: file, click: expect.stringContaining(`#/s/${sid}`) });
    const allow = pub!.json.actions.find((a: any) => a.label === "Allow");
    expect(allow).toMatchObject({ action: "http", method: "POST", url: expect.stringContaining("/notify/action/") });
    expect(pub!.json.actions.map((a: any) => a.label)).toEqual(["Allow", "Deny"]);

    const first = await fetch(allow.url, { method: "POST" });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ sessionId: sid, decision: "allow" });
    await untilDone(sid);
    expect(existsSync(file)).toBe(true);

    const again = await fetch(allow.url, { method: "POST" });
    expect(again.status).toBe(410);
    expect(((await again.json()) as any).data.code).toBe("ACTION_URL_USED");
    // The notification with buttons is replaced (same sequence id, no actions).
    const replaced = await ntfy.waitFor((r) => r.json?.sequence_id === pub!.json.sequence_id && !withActions(r), 1, LONG);
    expect(replaced[0]!.json.title).toContain("allowed");
    expect(ntfy.received.filter((r) => r.json?.sequence_id === pub!.json.sequence_id && withActions(r))).toHaveLength(1);

    const denied = join(d.workDir, "notified-deny.txt");
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: `please WRITEFILE ${denied}` })).status).toBe(202);
    const pubs = await ntfy.waitFor(withActions, 2, LONG);
    const deny = pubs[1]!.json.actions.find((a: any) => a.label === "Deny");
    expect(pubs[1]!.json.sequence_id).not.toBe(pub!.json.sequence_id);
    const res = await fetch(deny.url, { method: "POST" });
    expect(res.status).toBe(200);
    const events = await untilDone(sid);
    expect(events.filter((e) => e.type === "permissionResolved").at(-1)!.data).toMatchObject({ decision: "deny", by: "client", client: "notification action" });
    expect(existsSync(denied)).toBe(false);
    // Action URLs never reach the log.
    const token = allow.url.split("/").at(-1);
    expect(d.logs.some((l) => l.includes(token))).toBe(false);
  }, LONG * 2);
});
