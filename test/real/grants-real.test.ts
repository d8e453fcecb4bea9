// "Always allow" on a Bash command against the REAL Claude Code CLI 2.1.332 (fake Messages API): the same command then runs without asking, after a daemon restart too, nothing lands in the project's settings, and after a revoke it asks again.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { GrantRevokeResponseSchema, SessionInfoSchema } from "../../src/protocol/index.js";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";
import type { Frame, TestWsClient } from "../helpers/ws-client.js";

const LONG = 120_000;
const d = useRealCliDaemon({ lazy: true }, { timeoutMs: LONG });
// `node -p 40+2` asks (not a read-only command) and Claude Code suggests exactly the rule Bash(node -p 40+2).
const COMMAND = "node -p 40+2";

interface Turn {
  asked: Frame[];
  results: Frame[];
}

/** One prompt on `sid`; each permission request on the way is answered with `decision`. */
async function turn(c: TestWsClient, sid: string, decision: "allowAlways" | "deny"): Promise<Turn> {
  const mark = c.frames.length;
  const later = (f: Frame) => f.sessionId === sid && c.frames.indexOf(f) >= mark;
  await c.request({ type: "streamSend", sessionId: sid, data: { prompt: `BASHRUN: ${COMMAND}` } }, "ack", LONG);
  const asked: Frame[] = [];
  for (;;) {
    const f = await c.next((x) => later(x) && (x.type === "permissionRequest" || x.type === "streamComplete"), LONG);
    if (f.type === "streamComplete") break;
    asked.push(f);
    await c.request({ type: "permission", sessionId: sid, data: { permissionId: f.data.permissionId, decision } }, "ack", LONG);
  }
  const results = c.frames.filter((f) => later(f) && f.type === "streamToolUse" && f.data.phase === "result");
  return { asked, results };
}

const info = async (t: TestDaemon, sid: string) => SessionInfoSchema.parse((await t.rest("GET", `/api/sessions/${sid}`)).body);

describe.skipIf(!realClaudeInstalled())("Always allow grants with the real CLI", () => {
  test("Always allow on a Bash command: the next identical one runs without asking (also after a daemon restart); revoked, it asks again", async () => {
    const configDir = tempDir("cc-real-grants-");
    const workDir = tempDir("cc-real-grants-work-");
    const a = await d.start({ configDir, workDir });
    const c = await a.open();
    const sid = (await c.request({ type: "streamStart", data: {} }, "streamStarted", LONG)).sessionId!;

    const first = await turn(c, sid, "allowAlways");
    expect(first.asked).toHaveLength(1);
    expect(first.asked[0]!.data).toMatchObject({ toolName: "Bash", input: { command: COMMAND } });
    // Claude Code suggested it for localSettings; the daemon sent it for the session: no settings file in the project.
    expect(first.asked[0]!.data.suggestions).toContainEqual(expect.objectContaining({ type: "addRules", destination: "localSettings" }));
    expect(existsSync(join(workDir, ".claude", "settings.local.json"))).toBe(false);
    expect(first.results.at(-1)!.data).toMatchObject({ isError: false, content: expect.stringContaining("42") });
    const grants = (await info(a, sid)).grants;
    expect(grants).toMatchObject([{ kind: "rule", toolName: "Bash", ruleContent: COMMAND, rule: `Bash(${COMMAND})` }]);

    // The live process holds the rule.
    const second = await turn(c, sid, "deny");
    expect(second.asked).toHaveLength(0);
    expect(second.results.at(-1)!.data).toMatchObject({ isError: false, content: expect.stringContaining("42") });
    await a.close();

    // A restart: a new process (--resume) gets the rule from the daemon's record as --allowedTools.
    const b = await d.start({ configDir, workDir });
    expect((await info(b, sid)).grants).toEqual(grants);
    const r = await b.open();
    r.send({ type: "subscribe", requestId: "sub", sessionId: sid, data: { lastSeq: (await info(b, sid)).lastSeq } });
    await r.next("replayComplete", LONG);
    const third = await turn(r, sid, "deny");
    expect(third.asked).toHaveLength(0);
    expect(third.results.at(-1)!.data).toMatchObject({ isError: false, content: expect.stringContaining("42") });

    // Revoked: the idle process is stopped, the next one (--resume, no rule) asks again.
    const revoked = await b.rest("DELETE", `/api/sessions/${sid}/grants/${grants[0]!.id}`);
    expect(revoked.status).toBe(200);
    expect(GrantRevokeResponseSchema.parse(revoked.body)).toMatchObject({ restarted: true, grants: [] });
    const fourth = await turn(r, sid, "deny");
    expect(fourth.asked).toHaveLength(1);
    expect(fourth.asked[0]!.data).toMatchObject({ toolName: "Bash", input: { command: COMMAND } });
    expect(fourth.results.at(-1)!.data.isError).toBe(true);
    // The conversation went on across both restarts (the same Claude session id, the earlier turns in it).
    expect(d.api.messageRequests().length).toBeGreaterThan(4);
    expect((await info(b, sid)).grants).toEqual([]);
  }, 4 * LONG);
});
