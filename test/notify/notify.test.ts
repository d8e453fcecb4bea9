// Notifications with the fake CLI: presence, webhook body and retries, reply topic, content levels, the notify CLI.
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebhookBodySchema } from "../../src/protocol/index.js";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { startFakeNtfy, type FakeNtfy, type Received } from "../helpers/fake-ntfy.js";

const BIN = resolve(import.meta.dirname, "../../bin/claude-companion.js");
const run = promisify(execFile);
const cli = async (d: TestDaemon, ...args: string[]) => {
  const env = { ...process.env };
  delete env.AUTH_TOKEN;
  try {
    const r = await run(process.execPath, [BIN, ...args, "--config-dir", d.configDir], { env, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e: any) {
    return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
  }
};

let ntfy: FakeNtfy;
beforeAll(async () => {
  ntfy = await startFakeNtfy();
}, 30_000);
afterAll(() => ntfy?.close());
const d = useTestDaemon({ env: { MAX_SESSIONS: "20", CLAUDE_ALLOWED_TOOLS: "Read" }, notify: { retryDelaysMs: [20, 40] } }, { timeoutMs: 30_000 });
const { rest, open } = d;
const onTopic = (topic: string) => (r: Received) => r.json?.topic === topic;
const addChannel = async (body: unknown) => {
  const r = await rest("POST", "/api/notify/channels", body);
  expect(r.status).toBe(201);
  return r.body.channel as { id: string; replyTopic: string | null };
};


describe("presence", () => {
  test("a client with the session visible gets nothing published; when it reports hidden, the pending permission is published once", async () => {
    const ch = await addChannel({ type: "ntfy", url: `${ntfy.url}/presence`, replyTopic: false });
    const c = await open();
    const started = await c.request({ type: "streamStart", data: {} }, "streamStarted", 20_000);
    const sid = started.sessionId!;
    expect((await c.request({ type: "presence", data: { visible: true, sessionId: sid } }, "ack", 20_000)).data).toEqual({ command: "presence" });
    await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "permission p1.txt" } }, "ack", 20_000);
    const req = await c.next((f) => f.type === "permissionRequest" && f.sessionId === sid, 20_000);
    await d.daemon.notifyIdle();
    expect(ntfy.received.filter(onTopic("presence"))).toHaveLength(0);

    await c.request({ type: "presence", data: { visible: false } }, "ack", 20_000);
    const [pub] = await ntfy.waitFor(onTopic("presence"));
    expect(pub!.json.actions.map((a: any) => a.label)).toEqual(["Allow", "Deny"]);
    expect(pub!.json.sequence_id).toContain(req.data.permissionId.replace(/[^-_A-Za-z0-9]/g, "_").slice(0, 20));
    // Visible again and hidden again: still one notification for this permission.
    await c.request({ type: "presence", data: { visible: true, sessionId: sid } }, "ack", 20_000);
    await c.request({ type: "presence", data: { visible: false, sessionId: sid } }, "ack", 20_000);
    await d.daemon.notifyIdle();
    expect(ntfy.received.filter(onTopic("presence"))).toHaveLength(1);
    await c.close();
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
  }, 30_000);

  test("visible: false, or visible on another session, does not count; a visible socket that closes counts as hidden", async () => {
    const ch = await addChannel({ type: "ntfy", url: `${ntfy.url}/presence2`, replyTopic: false });
    const watcher = await open();
    const other = await open();
    const a = (await watcher.request({ type: "streamStart", data: {} }, "streamStarted", 20_000)).sessionId!;
    const b = (await other.request({ type: "streamStart", data: {} }, "streamStarted", 20_000)).sessionId!;
    await other.request({ type: "presence", data: { visible: true, sessionId: b } }, "ack", 20_000);
    await watcher.request({ type: "presence", data: { visible: false, sessionId: a } }, "ack", 20_000);
    await watcher.request({ type: "streamSend", sessionId: a, data: { prompt: "permission p2.txt" } }, "ack", 20_000);
    await ntfy.waitFor(onTopic("presence2"), 1);

    await watcher.request({ type: "presence", data: { visible: true, sessionId: a } }, "ack", 20_000);
    await watcher.request({ type: "streamSend", sessionId: a, data: { prompt: "reply" } }, "ack", 20_000);
    // The first prompt still waits for its permission: answer it so the queued one runs.
    const req = await watcher.next((f) => f.type === "permissionRequest" && f.sessionId === a, 20_000);
    await watcher.request({ type: "permission", sessionId: a, data: { permissionId: req.data.permissionId, decision: "deny" } }, "ack", 20_000);
    await watcher.next((f) => f.type === "streamComplete" && f.sessionId === a && f.data.result === "Hello from fake Claude.", 20_000);
    await watcher.request({ type: "streamSend", sessionId: a, data: { prompt: "permission p3.txt" } }, "ack", 20_000);
    await watcher.next((f) => f.type === "permissionRequest" && f.sessionId === a && f.data.permissionId !== req.data.permissionId, 20_000);
    await d.daemon.notifyIdle();
    // One permission publish, its replacement after the deny; the done notification and p3 are skipped (visible).
    const before = ntfy.received.filter(onTopic("presence2"));
    expect(before.filter((r) => r.json.actions?.length)).toHaveLength(1);
    expect(before.some((r) => r.json.title.includes("done"))).toBe(false);
    watcher.socket.terminate();
    await watcher.closed;
    const after = await ntfy.waitFor((r) => onTopic("presence2")(r) && r.json.actions?.length > 0, 2);
    expect(after[1]!.json.message).toContain("p3.txt");
    await other.close();
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
  }, 40_000);

  test("a presence frame with a bad shape is refused with BAD_REQUEST naming the field", async () => {
    const c = await open();
    const r = await c.request({ type: "presence", data: { visible: "yes" } }, "ack", 20_000);
    expect(r).toMatchObject({ type: "error", data: { code: "BAD_REQUEST", details: { path: "data.visible" } } });
    await c.close();
  });
});

describe("webhook", () => {
  test("permission, resolved, done and error bodies match the documented schema; the action URLs are in it", async () => {
    const ch = await addChannel({ type: "webhook", url: `${ntfy.url}/hook` });
    const start = await rest("POST", "/api/stream/start", { prompt: "permission w.txt" });
    const sid = start.body.sessionId as string;
    const [perm] = await ntfy.waitFor((r) => r.path === "/hook" && r.json?.event === "permission");
    const body = WebhookBodySchema.parse(perm!.json);
    expect(body).toMatchObject({ session: { id: sid, title: expect.any(String) }, permission: { toolName: "Write", kind: "tool" } });
    expect(body.summary.body).toContain("w.txt");
    const allow = await fetch(body.permission!.actions!.allow, { method: "POST" });
    expect(allow.status).toBe(200);
    const [resolved] = await ntfy.waitFor((r) => r.path === "/hook" && r.json?.event === "resolved");
    expect(WebhookBodySchema.parse(resolved!.json).permission).toMatchObject({ decision: "allow" });
    expect(resolved!.json.permission.actions).toBeUndefined();
    const [done] = await ntfy.waitFor((r) => r.path === "/hook" && r.json?.event === "done");
    expect(WebhookBodySchema.parse(done!.json)).toMatchObject({ session: { id: sid }, durationMs: expect.any(Number) });
    await rest("POST", `/api/stream/${sid}`, { prompt: "crash" });
    const [err] = await ntfy.waitFor((r) => r.path === "/hook" && r.json?.event === "error");
    expect(WebhookBodySchema.parse(err!.json)).toMatchObject({ code: "CLAUDE_EXITED" });
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
  }, 30_000);

  test("a channel answering 500 is retried, then shown failing in status --json and /health; a success clears it", async () => {
    const failing = await startFakeNtfy();
    failing.failWith(500);
    const ch = await addChannel({ type: "webhook", url: `${failing.url}/broken` });
    await rest("POST", "/api/stream/start", { prompt: "reply" });
    await failing.waitFor((r) => r.json?.event === "done", 3);
    await d.daemon.notifyIdle();
    // One attempt and two retries (retryDelaysMs has two waits).
    expect(failing.received.filter((r) => r.json?.event === "done")).toHaveLength(3);
    const health = (await (await fetch(`${d.url}/health`)).json()) as any;
    expect(health.notify.failing).toEqual([expect.objectContaining({ id: ch.id, type: "webhook", error: expect.stringContaining("500") })]);
    const status = await cli(d, "status", "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).notify.failing[0]).toMatchObject({ id: ch.id, error: expect.stringContaining("500") });
    const listed = await cli(d, "notify", "list");
    expect(listed.stdout).toContain("failing");
    failing.failWith(null);
    const t = await cli(d, "notify", "test", ch.id);
    expect(t.code).toBe(0);
    expect(failing.received.at(-1)!.json.event).toBe("test");
    expect(((await (await fetch(`${d.url}/health`)).json()) as any).notify.failing).toEqual([]);
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
    await failing.close();
  }, 30_000);
});

describe("ntfy", () => {
  test("the reply topic: the Allow action posts the token to a topic the daemon listens on, off the LAN; the permission is answered", async () => {
    const ch = await addChannel({ type: "ntfy", url: `${ntfy.url}/replies` });
    const replyTopic = ch.replyTopic!.split("/").at(-1)!;
    expect(replyTopic).toMatch(/^cc-reply-[A-Za-z0-9]{22}$/);
    await expect.poll(() => ntfy.subscribers(replyTopic), { timeout: 10_000 }).toBe(1);
    const start = await rest("POST", "/api/stream/start", { prompt: "permission r.txt" });
    const sid = start.body.sessionId as string;
    const [pub] = await ntfy.waitFor((r) => onTopic("replies")(r) && r.json.actions?.length > 0);
    const allow = pub!.json.actions.find((a: any) => a.label === "Allow");
    expect(allow).toMatchObject({ action: "http", method: "POST", url: ch.replyTopic, body: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    // What the ntfy app does when Allow is tapped.
    await fetch(allow.url, { method: "POST", body: allow.body });
    await expect
      .poll(async () => (await rest("GET", `/api/sessions/${sid}/events`)).body.events.some((e: any) => e.type === "permissionResolved" && e.data.decision === "allow"), { timeout: 10_000 })
      .toBe(true);
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
    await expect.poll(() => ntfy.subscribers(replyTopic), { timeout: 10_000 }).toBe(0);
  }, 30_000);

  test("minimal content has no file path or command; a question has no Allow/Deny (it opens the app)", async () => {
    const ch = await addChannel({ type: "ntfy", url: `${ntfy.url}/minimal`, content: "minimal", replyTopic: false });
    await rest("POST", "/api/stream/start", { prompt: "permission secret-name.txt" });
    const [pub] = await ntfy.waitFor((r) => onTopic("minimal")(r) && r.json.actions?.length > 0);
    expect(JSON.stringify(pub!.json)).not.toContain("secret-name");
    expect(pub!.json.message).toBe("Claude asks to use Write.");
    await rest("POST", "/api/stream/start", { prompt: "question" });
    const [q] = await ntfy.waitFor((r) => onTopic("minimal")(r) && /question/.test(r.json.title));
    expect(q!.json.actions).toBeUndefined();
    expect(q!.json.click).toMatch(/#\/s\//);
    await rest("DELETE", `/api/notify/channels/${ch.id}`);
  }, 30_000);

  test("an unknown action token is 404 ACTION_URL_UNKNOWN; action URLs need no token and are POST only", async () => {
    const r = await fetch(`${d.url}/notify/action/AAAAAAAAAAAAAAAAAAAAAA`, { method: "POST" });
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).data.code).toBe("ACTION_URL_UNKNOWN");
    expect((await fetch(`${d.url}/notify/action/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });
});

describe("notify CLI and routes", () => {
  test("add (public ntfy.sh gets minimal content and says so), list, remove; stored 0600; routes need the master token", async () => {
    const add = await cli(d, "notify", "add", "ntfy", "https://ntfy.sh/cc-test-topic", "--token", "tk_secret");
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/minimal content/);
    expect(add.stdout).toMatch(/public/);
    const list = await cli(d, "notify", "list", "--json");
    const channel = JSON.parse(list.stdout).channels.find((c: any) => c.url === "https://ntfy.sh/cc-test-topic");
    expect(channel).toMatchObject({ type: "ntfy", content: "minimal", hasToken: true });
    expect(list.stdout).not.toContain("tk_secret");
    expect(statSync(join(d.configDir, "notify.json")).mode & 0o777).toBe(0o600);
    const pair = await rest("POST", "/api/pairing-codes");
    const device: any = await (
      await fetch(`${d.url}/api/pair`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pairingToken: pair.body.pairingToken, deviceName: "phone" }) })
    ).json();
    expect((await rest("GET", "/api/notify/channels", undefined, { token: device.deviceToken })).status).toBe(401);
    const bad = await cli(d, "notify", "add", "webhook", "ftp://example.com");
    expect(bad.code).toBe(2);
    expect((await cli(d, "notify", "remove", channel.id)).code).toBe(0);
    const gone = await cli(d, "notify", "remove", channel.id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("No notification channel");
    expect((await rest("DELETE", `/api/notify/channels/${channel.id}`)).body.data.code).toBe("NOTIFY_CHANNEL_NOT_FOUND");
  }, 30_000);
});
