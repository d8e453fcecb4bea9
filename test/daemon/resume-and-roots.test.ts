// Resume edge cases and restored sessions against narrowed roots, through the daemon's REST API (issue 13).
import { randomUUID } from "node:crypto";
import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { useTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { tempDir } from "../helpers/tmp.js";

const daemons = useTestDaemon({ lazy: true });

describe("resume edge cases", () => {
  test("resume of a UUID that no session and no Claude transcript has: 404 SESSION_NOT_FOUND, no slot held", async () => {
    const d = await daemons.start({ env: { MAX_SESSIONS: "1" } });
    const r = await d.rest("POST", "/api/stream/start", { resume: randomUUID(), prompt: "hello" });
    expect(r).toMatchObject({ status: 404, body: { data: { code: "SESSION_NOT_FOUND" } } });
    // The one slot is still free.
    expect((await d.rest("POST", "/api/stream/start", {})).status).toBe(201);
  });

  test("a closed session resumed without workingDirectory keeps its own directory, not the default one", async () => {
    const d = await daemons.start();
    const sub = join(realpathSync(d.workDir), "project");
    mkdirSync(sub);
    const s = await d.rest("POST", "/api/stream/start", { workingDirectory: sub });
    expect(s.body.workingDirectory).toBe(sub);
    expect((await d.rest("DELETE", `/api/stream/${s.body.sessionId}`)).status).toBe(200);
    const resumed = await d.rest("POST", "/api/stream/start", { resume: s.body.sessionId });
    expect(resumed.status).toBe(201);
    expect(resumed.body).toMatchObject({ sessionId: s.body.sessionId, workingDirectory: sub });
  });
});

describe("restored sessions and narrowed roots", () => {
  test("after a restart with a narrower --root, a restored session outside it refuses prompts with FORBIDDEN_PATH", async () => {
    const configDir = tempDir("cc-roots-cfg-");
    const workDir = realpathSync(tempDir("cc-roots-work-"));
    const [a, b] = [join(workDir, "a"), join(workDir, "b")];
    mkdirSync(a);
    mkdirSync(b);
    const childEnv = { ...process.env, FAKE_CLAUDE_STATE_DIR: tempDir("cc-roots-fake-") };
    const first = await daemons.start({ configDir, workDir, childEnv });
    const inA = (await first.rest("POST", "/api/stream/start", { workingDirectory: a })).body.sessionId as string;
    const inB = (await first.rest("POST", "/api/stream/start", { workingDirectory: b })).body.sessionId as string;
    await first.close();

    const second = await daemons.start({ configDir, workDir, childEnv, flags: { allowedRoots: [b] } });
    const refused = await second.rest("POST", `/api/stream/${inA}`, { prompt: "reply" });
    expect(refused).toMatchObject({ status: 403, body: { data: { code: "FORBIDDEN_PATH", details: { allowedRoots: [b] } } } });
    const events = (await second.rest("GET", `/api/sessions/${inA}/events`)).body.events as { type: string }[];
    expect(events.filter((e) => e.type === "userMessage")).toEqual([]);
    // One inside the new roots works as before.
    expect((await second.rest("POST", `/api/stream/${inB}`, { prompt: "reply" })).status).toBe(202);
  });
});
