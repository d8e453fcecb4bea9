// The composer against the REAL Claude Code CLI (offline, fake Messages API): a prompt's image reaches the API as an
// image block, a session's commands include the project's own command with its frontmatter, and `/x args` is expanded.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { SessionCommandsResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { REAL_CLAUDE, realClaudeEnv, realClaudeInstalled, startFakeAnthropicApi, type FakeAnthropicApi } from "../helpers/fake-api.js";
import { tempDir } from "../helpers/tmp.js";

const LONG = 90_000;
// A 1x1 PNG.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

let api: FakeAnthropicApi;
beforeAll(async () => {
  api = await startFakeAnthropicApi();
}, LONG);
afterAll(() => api?.close());
const d = useTestDaemon(
  () => ({
    env: { CLAUDE_CLI_PATH: REAL_CLAUDE, CLAUDE_ALLOWED_TOOLS: "Read", CLAUDE_MAX_RETRIES: "0" },
    childEnv: realClaudeEnv(api, tempDir("cc-real-cfg-")),
    setup: (t) => {
      mkdirSync(join(t.workDir, ".claude", "commands"), { recursive: true });
      writeFileSync(join(t.workDir, "notes.txt"), "PLAIN-NOTES-1\n");
      writeFileSync(join(t.workDir, "my notes.txt"), "SPACED-NOTES-2\n");
      writeFileSync(join(t.workDir, ".claude", "commands", "x.md"), '---\ndescription: Say x things\nargument-hint: "<what>"\n---\nSay x about $ARGUMENTS\n');
    },
  }),
  { timeoutMs: LONG },
);

const rest = d.rest;

type Block = { type: string; source?: { type: string; media_type: string; data: string } };

describe.skipIf(!realClaudeInstalled())("the composer against the real Claude Code CLI", () => {
  test("the project's command is listed with its description and hint; a prompt's image reaches the Messages API; /x and @file are expanded", async () => {
    const started = await rest("POST", "/api/stream/start", {});
    expect(started.status).toBe(201);
    const sid = started.body.sessionId as string;
    const commands = SessionCommandsResponseSchema.parse((await rest("GET", `/api/sessions/${sid}/commands`)).body);
    expect(commands.source).toBe("claude");
    expect(commands.commands.find((c) => c.name === "x")).toEqual({ name: "x", description: "Say x things (project)", argumentHint: "<what>", aliases: [], builtin: false, unavailable: null });
    expect(commands.commands.find((c) => c.name === "compact")).toMatchObject({ builtin: true, unavailable: null });

    const sent = await rest("POST", `/api/stream/${sid}`, { prompt: "what is in this picture", images: [{ mediaType: "image/png", data: PNG }] });
    expect(sent.status).toBe(202);
    const images = () =>
      api
        .messageRequests()
        .flatMap((b) => b.messages ?? [])
        .flatMap((m) => (Array.isArray(m.content) ? (m.content as Block[]) : []))
        .filter((b) => b.type === "image");
    await vi.waitFor(() => expect(images().length).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });
    expect(images()[0]!.source).toEqual({ type: "base64", media_type: "image/png", data: PNG });
    await vi.waitFor(async () => expect((await rest("GET", `/api/sessions/${sid}`)).body.state).toBe("idle"), { timeout: 60_000, interval: 200 });

    // A picked command is sent as the prompt's text; Claude Code expands it from the command file.
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: "/x the harbour" })).status).toBe(202);
    const said = () => JSON.stringify(api.messageRequests().map((b) => b.messages ?? []));
    await vi.waitFor(() => expect(said()).toContain("Say x about the harbour"), { timeout: 60_000, interval: 200 });
    await vi.waitFor(async () => expect((await rest("GET", `/api/sessions/${sid}`)).body.state).toBe("idle"), { timeout: 60_000, interval: 200 });

    // What the @ picker inserts: `@path`, quoted when it has spaces; Claude Code reads the files into the prompt.
    expect((await rest("POST", `/api/stream/${sid}`, { prompt: 'compare @notes.txt with @"my notes.txt"' })).status).toBe(202);
    await vi.waitFor(() => expect(said()).toContain("PLAIN-NOTES-1"), { timeout: 60_000, interval: 200 });
    expect(said()).toContain("SPACED-NOTES-2");
  }, LONG);
});
