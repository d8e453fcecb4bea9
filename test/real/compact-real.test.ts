// /compact against the REAL Claude Code CLI (offline, fake Messages API): the session's events carry the compact
// boundary, and the phone's view of them says "compacted" once and does not draw the previous answer again; and the
// models its initialize reply lists are what GET /api/models gives.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { SessionEvent } from "../../src/protocol/events.js";
import { ModelsResponseSchema } from "../../src/protocol/models.js";
import { buildView } from "../../src/web/transcript.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { tempDir } from "../helpers/tmp.js";

const LONG = 120_000;
let api: FakeAnthropicApi;
beforeAll(async () => {
  api = await startFakeAnthropicApi();
}, LONG);
afterAll(() => api?.close());
const d = useTestDaemon(
  () => ({ env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_ALLOWED_TOOLS: "Read", CLAUDE_MAX_RETRIES: "0" }, childEnv: realClaudeEnv(api, tempDir("cc-real-cfg-")) }),
  { timeoutMs: LONG },
);

const rest = d.rest;
const eventsOf = async (sid: string) => (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as SessionEvent[];
const results = (events: SessionEvent[]) => events.filter((e) => e.type === "streamComplete");

describe.skipIf(!realClaudeInstalled())("/compact against the real Claude Code CLI", () => {
  test("a compact boundary arrives; the view shows one 'compacted' notice and not the previous answer again", async () => {
    const started = await rest("POST", "/api/stream/start", {});
    expect(started.status).toBe(201);
    const sid = started.body.sessionId as string;
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: "hello there" })).status).toBe(202);
    await vi.waitFor(async () => expect(results(await eventsOf(sid))).toHaveLength(1), { timeout: LONG, interval: 250 });
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: "/compact" })).status).toBe(202);
    await vi.waitFor(async () => expect(results(await eventsOf(sid))).toHaveLength(2), { timeout: LONG, interval: 250 });
    const events = await eventsOf(sid);
    const compactPrompt = events.findIndex((e) => e.type === "userMessage" && (e.data as { text: string }).text === "/compact");
    const boundary = events.findIndex((e) => e.type === "claudeEvent" && e.data.claudeType === "system" && e.data.subtype === "compact_boundary");
    expect(compactPrompt).toBeGreaterThan(0);
    expect(boundary).toBeGreaterThan(compactPrompt);
    // The CLI asked the Messages API for the summary (the fake answers it like any request).
    expect(api.messageRequests().length).toBeGreaterThanOrEqual(2);
    const view = buildView(sid, events);
    expect(view.items.filter((i) => i.kind === "notice").map((i) => (i as { text: string }).text)).toEqual(["Conversation compacted: Claude goes on from a summary of it."]);
    const answers = view.items.filter((i) => i.kind === "assistant").map((i) => (i as { text: string }).text);
    expect(answers).toEqual(["Hello from fake API."]);
    expect(view.items.map((i) => i.kind)).toEqual(["user", "assistant", "result", "user", "notice", "result"]);
  });

  test("GET /api/models lists the models the real CLI's initialize reply names (a session's process answered it)", async () => {
    const r = ModelsResponseSchema.parse((await rest("GET", "/api/models")).body);
    expect(r.source).toBe("claude");
    expect(r.models.length).toBeGreaterThan(0);
    expect(r.models.map((m) => m.value)).toContain("default");
    for (const m of r.models) expect(m.displayName).not.toBe("");
  });
});
