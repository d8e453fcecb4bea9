// "Always allow" grants (fake CLI): sent for the session only, kept by the daemon in SessionInfo.grants and the meta, given to the next process after a restart, revoked with DELETE /api/sessions/:id/grants/:grantId.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { GrantRevokeResponseSchema, SessionInfoSchema, type SessionGrant } from "../../src/protocol/index.js";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import type { Frame, TestWsClient } from "../helpers/ws-client.js";

const daemons = useTestDaemon({ lazy: true });

function sharedDirs() {
  const configDir = tempDir("cc-grants-");
  const workDir = tempDir("cc-grants-work-");
  const childEnv = { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-grants-fake-") };
  return () => daemons.start({ configDir, workDir, childEnv });
}

const info = async (d: TestDaemon, sid: string) => SessionInfoSchema.parse((await d.rest("GET", `/api/sessions/${sid}`)).body);
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
/** Sends a prompt and waits for its turn's end; returns the permission requests asked on the way (answered with `decision`). */
async function turn(c: TestWsClient, sid: string, prompt: string, decision: "allowAlways" | "deny" = "deny"): Promise<Frame[]> {
  const start = c.frames.length;
  const ack = await c.request({ type: "streamSend", sessionId: sid, data: { prompt } }, "ack");
  expect(ack.type).toBe("ack");
  const asked: Frame[] = [];
  for (;;) {
    const f = await c.next((x) => x.sessionId === sid && (x.type === "permissionRequest" || x.type === "streamComplete") && c.frames.indexOf(x) >= start, 15_000);
    if (f.type === "streamComplete") return asked;
    asked.push(f);
    await c.request({ type: "permission", sessionId: sid, data: { permissionId: f.data.permissionId, decision } }, "ack");
  }
}

describe.skipIf(process.platform !== "linux")("Always allow grants", () => {
  test("recorded for the session only, listed, kept across a restart and given to the next process, revoked (busy refused, idle restarted, mode switched back)", async () => {
    const start = sharedDirs();
    const extra = tempDir("cc-grants-extra-");
    const a = await start();
    const c = await a.open();
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;

    const asked = await turn(c, sid, `bash ${extra}`, "allowAlways");
    expect(asked).toHaveLength(1);
    // The Bash rule came with destination localSettings: sent for the session, nothing lands in the project's settings.
    expect(existsSync(join(a.workDir, ".claude", "settings.local.json"))).toBe(false);
    const update = await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.reason === "grants-changed");
    expect(update.data.grants.map((g: SessionGrant) => g.kind)).toEqual(["rule", "directory", "mode"]);
    let grants = (await info(a, sid)).grants;
    expect(grants).toMatchObject([
      { kind: "rule", toolName: "Bash", ruleContent: "npm test", rule: "Bash(npm test)", permissionId: asked[0]!.data.permissionId },
      { kind: "directory", path: extra },
      { kind: "mode", mode: "acceptEdits", previousMode: "default" },
    ]);
    expect((await info(a, sid)).permissionMode).toBe("acceptEdits");
    // The live process holds the rule: the same command does not ask again.
    expect(await turn(c, sid, "bash")).toHaveLength(0);
    await a.close();

    // A restart: the grants come back from the meta and the new process gets them as flags.
    const b = await start();
    const r = await b.open();
    expect((await info(b, sid)).grants).toEqual(grants);
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: 0 } });
    await r.next("replayComplete");
    expect(await turn(r, sid, "bash")).toHaveLength(0);
    const first = (await info(b, sid)).process!.pid;
    const argv = cmdline(first);
    expect(argv[argv.indexOf("--allowedTools") + 1]).toContain("Bash(npm test)");
    expect(argv[argv.indexOf("--add-dir") + 1]).toBe(extra);
    expect(argv[argv.indexOf("--permission-mode") + 1]).toBe("acceptEdits");
    expect(argv).toContain("--resume");

    // Busy: a rule cannot be revoked while a turn runs.
    const rule = grants[0]!;
    const mark = r.frames.length;
    const later = (f: Frame) => r.frames.indexOf(f) >= mark;
    await r.request({ type: "streamSend", sessionId: sid, data: { prompt: "slow" } }, "ack");
    await r.next((f) => later(f) && f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "active");
    const busy = await b.rest("DELETE", `/api/sessions/${sid}/grants/${rule.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.data).toMatchObject({ code: "GRANT_REVOKE_BUSY", details: { reason: "a turn is running" } });
    await r.next((f) => later(f) && f.type === "streamComplete" && f.sessionId === sid);

    // Idle: the rule goes, the process is stopped, the next one asks again.
    const revoked = await b.rest("DELETE", `/api/sessions/${sid}/grants/${rule.id}`);
    expect(revoked.status).toBe(200);
    const body = GrantRevokeResponseSchema.parse(revoked.body);
    expect(body).toMatchObject({ revoked: true, grantId: rule.id, restarted: true });
    expect(body.grants.map((g) => g.kind)).toEqual(["directory", "mode"]);
    const gone = await r.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.reason === "grant-revoked");
    expect(gone.data.grants).toHaveLength(2);
    const again = await turn(r, sid, "bash");
    expect(again).toHaveLength(1);
    const second = (await info(b, sid)).process!.pid;
    expect(second).not.toBe(first);
    const argv2 = cmdline(second);
    expect(argv2[argv2.indexOf("--allowedTools") + 1]).not.toContain("Bash(npm test)");
    expect(argv2[argv2.indexOf("--add-dir") + 1]).toBe(extra);

    // The mode: switched back live, no restart.
    const mode = body.grants.find((g) => g.kind === "mode")!;
    const m = await b.rest("DELETE", `/api/sessions/${sid}/grants/${mode.id}`);
    expect(m.body).toMatchObject({ restarted: false, grants: [{ kind: "directory" }] });
    const after = await info(b, sid);
    expect(after.permissionMode).toBe("default");
    expect(after.process?.pid).toBe(second);

    // The last one: an update carries [] and the meta no longer lists any.
    const dir = after.grants[0]!;
    expect((await b.rest("DELETE", `/api/sessions/${sid}/grants/${dir.id}`)).body).toMatchObject({ restarted: true, grants: [] });
    await r.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.reason === "grant-revoked" && f.data.grants.length === 0);
    grants = JSON.parse(readFileSync(join(b.configDir, "sessions", `${sid}.json`), "utf8")).grants ?? [];
    expect(grants).toEqual([]);
  }, 60_000);

  test("a closed session resumed later (idle timeout, close) keeps its grants and its granted mode", async () => {
    const d = await daemons.start();
    const c = await d.open();
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;
    expect(await turn(c, sid, "bash", "allowAlways")).toHaveLength(1);
    const grants = (await info(d, sid)).grants;
    expect(grants).toHaveLength(2); // the cwd is the session's own directory: not a grant
    expect((await d.rest("DELETE", `/api/stream/${sid}`)).status).toBe(200);
    await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "closed");
    const resumed = await d.rest("POST", "/api/stream/start", { resume: sid });
    expect(resumed.status).toBe(201);
    const now = await info(d, sid);
    expect(now).toMatchObject({ permissionMode: "acceptEdits", grants });
    const r = await d.open();
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: (await info(d, sid)).lastSeq } });
    await r.next("replayComplete");
    expect(await turn(r, sid, "bash")).toHaveLength(0);
  });

  test("errors: an unknown grant, a malformed id, an unknown session", async () => {
    const d = await daemons.start();
    const c = await d.open();
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;
    const unknown = await d.rest("DELETE", `/api/sessions/${sid}/grants/00000000-0000-4000-8000-000000000009`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.data).toMatchObject({ code: "GRANT_NOT_FOUND", details: { sessionId: sid, grantId: "00000000-0000-4000-8000-000000000009" } });
    const bad = await d.rest("DELETE", `/api/sessions/${sid}/grants/nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.data.code).toBe("BAD_REQUEST");
    const noSession = await d.rest("DELETE", `/api/sessions/00000000-0000-4000-8000-000000000001/grants/00000000-0000-4000-8000-000000000009`);
    expect(noSession.body.data.code).toBe("SESSION_NOT_FOUND");
  });
});
