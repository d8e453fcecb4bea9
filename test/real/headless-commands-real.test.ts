// The phone's `/` list against the REAL CLI 2.1.332: the built-ins that do nothing useful under -p stream-json are
// listed and marked `unavailable` (src/claude/headless-commands.ts), terminal-only ones like /login are not listed,
// and what the CLI does with them there is what the reasons say.
import { describe, expect, test, vi } from "vitest";
import { HEADLESS_UNAVAILABLE } from "../../src/claude/headless-commands.js";
import { SessionCommandsResponseSchema } from "../../src/protocol/index.js";
import { realClaudeInstalled } from "../helpers/fake-api.js";
import { useRealCliDaemon } from "../helpers/real-daemon.js";

const LONG = 120_000;
const d = useRealCliDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read" } }, { timeoutMs: LONG });
const { rest } = d;
const events = async (sid: string) => (await rest("GET", `/api/sessions/${sid}/events?limit=5000`)).body.events as any[];
const apiCalls = () => d.api.requests.filter((r) => r.path.startsWith("/v1/messages")).length;

/** Sends `prompt` and waits for its turn's result text. */
async function turn(sid: string, prompt: string): Promise<string> {
  const before = (await events(sid)).filter((e) => e.type === "streamComplete").length;
  expect((await rest("POST", `/api/stream/${sid}`, { prompt })).status).toBe(202);
  return vi.waitFor(
    async () => {
      const done = (await events(sid)).filter((e) => e.type === "streamComplete");
      expect(done.length).toBeGreaterThan(before);
      return String(done.at(-1).data.result);
    },
    { timeout: 60_000, interval: 300 },
  );
}

describe.skipIf(!realClaudeInstalled())("slash commands from the phone (real CLI)", () => {
  test("every marked built-in is in the CLI's list and marked; /login, /vim, /terminal-setup are not listed; the CLI answers them without the API", async () => {
    const sid = (await rest("POST", "/api/stream/start", {})).body.sessionId as string;
    const list = SessionCommandsResponseSchema.parse((await rest("GET", `/api/sessions/${sid}/commands`)).body);
    expect(list.source).toBe("claude");
    for (const [name, reason] of Object.entries(HEADLESS_UNAVAILABLE)) {
      expect(list.commands.find((c) => c.name === name), name).toMatchObject({ builtin: true, unavailable: reason });
    }
    expect(list.commands.filter((c) => c.unavailable !== null).map((c) => c.name).sort()).toEqual(Object.keys(HEADLESS_UNAVAILABLE).sort());
    for (const name of ["login", "vim", "terminal-setup", "help"]) expect(list.commands.some((c) => c.name === name || c.aliases.includes(name)), name).toBe(false);
    // Working ones stay unmarked: a local command (/context), a skill (/doctor is one in 2.1.332), /config key=value.
    for (const name of ["context", "doctor", "config", "compact"]) expect(list.commands.find((c) => c.name === name), name).toMatchObject({ unavailable: null });

    const calls = apiCalls();
    expect(await turn(sid, "/login")).toBe("/login isn't available in this environment.");
    expect(await turn(sid, "/vim")).toBe("/vim isn't available in this environment.");
    expect(await turn(sid, "/focus")).toBe("/focus isn't available here yet");
    expect(await turn(sid, "/color")).toMatch(/^Session color set to: /);
    expect(apiCalls()).toBe(calls);
  }, LONG);

  test("/clear gives the live process a new Claude conversation id (conversation_reset), which is why it is marked", async () => {
    const sid = (await rest("POST", "/api/stream/start", { prompt: "hello" })).body.sessionId as string;
    await vi.waitFor(async () => expect((await events(sid)).some((e) => e.type === "streamComplete")).toBe(true), { timeout: 60_000, interval: 300 });
    await turn(sid, "/clear");
    const all = await events(sid);
    expect(all.some((e) => e.type === "claudeEvent" && e.data.claudeType === "conversation_reset")).toBe(true);
    const inits = all.filter((e) => e.type === "claudeEvent" && e.data.claudeType === "system" && e.data.subtype === "init").map((e) => e.data.raw.session_id);
    expect(inits[0]).toBe(sid);
    expect(inits.at(-1)).not.toBe(sid);
  }, LONG);
});
