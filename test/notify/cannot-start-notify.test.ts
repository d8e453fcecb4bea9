// A session that becomes unable to start is notified once ("cannot start" with Claude's reason), through the notify room's ntfy channel.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { startFakeNtfy, type FakeNtfy, type Received } from "../helpers/fake-ntfy.js";
import { tempDir } from "../helpers/tmp.js";

let ntfy: FakeNtfy;
beforeAll(async () => {
  ntfy = await startFakeNtfy();
}, 30_000);
afterAll(() => ntfy?.close());

const errDir = tempDir("cc-notify-cannot-");
const errorFile = join(errDir, "start-error.txt");
const d = useTestDaemon(
  () => {
    mkdirSync(errDir, { recursive: true });
    return { childEnv: { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-notify-cannot-state-"), FAKE_CLAUDE_START_ERROR_FILE: errorFile }, notify: { retryDelaysMs: [20, 40] } };
  },
  { timeoutMs: 30_000 },
);
const onTopic = (topic: string) => (r: Received) => r.json?.topic === topic;

describe("cannot start is notified", () => {
  test("the second same failure sends 'cannot start' with the reason, once; a third failure sends no second one", async () => {
    writeFileSync(errorFile, "Error: settings.json is not valid JSON\n");
    expect((await d.rest("POST", "/api/notify/channels", { type: "ntfy", url: `${ntfy.url}/cannot`, replyTopic: false })).status).toBe(201);
    const c = await d.open();
    // The new session's process fails at once (first failure), then each prompt tries again.
    const sid = (await c.request({ type: "streamStart", data: {} }, "streamStarted", 20_000)).sessionId!;
    await c.next((f) => f.type === "sessionError" && f.sessionId === sid, 20_000);
    for (let i = 0; i < 2; i++) {
      await c.request({ type: "streamSend", sessionId: sid, data: { prompt: "reply" } }, "ack", 20_000);
      await c.next((f) => f.type === "sessionUpdate" && f.sessionId === sid && f.data.state === "idle" && f.data.cannotStart?.attempts === i + 2, 20_000);
    }
    await d.daemon.notifyIdle();
    const titles = ntfy.received.filter(onTopic("cannot")).map((r) => r.json.title as string);
    const cannot = ntfy.received.filter(onTopic("cannot")).filter((r) => /cannot start/.test(r.json.title));
    expect(cannot).toHaveLength(1);
    expect(cannot[0]!.json.message).toBe("Error: settings.json is not valid JSON");
    // The three failures themselves are still notified as errors, as before.
    expect(titles.filter((t) => t.endsWith(": CLAUDE_EXITED"))).toHaveLength(3);
    await c.close();
  }, 60_000);
});
