// The fake CLI fixture itself: the parts of the real CLI's behaviour that ClaudeProcess never provokes.
import { randomUUID } from "node:crypto";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { makeTempDir } from "../helpers/claude-events.js";
import { FAKE_CLAUDE } from "../helpers/fake-api.js";

const state = makeTempDir("fake-claude-fixture");
const env = { PATH: process.env.PATH, FAKE_CLAUDE_STATE_DIR: state.dir };
const FLAGS = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio"];

afterAll(() => state.remove());

async function run(args: string[], stdinLines: string[]) {
  const result = await execa(FAKE_CLAUDE, args, { env, extendEnv: false, input: stdinLines.map((l) => `${l}\n`).join(""), reject: false });
  const lines = String(result.stdout).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { exitCode: result.exitCode, stderr: String(result.stderr), lines };
}

const user = (text: string) => JSON.stringify({ type: "user", message: { role: "user", content: text } });

describe("fake-claude.mjs", () => {
  test("--version", async () => {
    const result = await execa(FAKE_CLAUDE, ["--version"], { env, extendEnv: false });
    expect(result.stdout).toBe("2.1.332 (Claude Code)");
  });

  test.each<[string, string[], string]>([
    ["stream-json output without --verbose", ["-p", "--input-format", "stream-json", "--output-format", "stream-json"], "requires --verbose"],
    ["an invalid session id", [...FLAGS, "--session-id", "nope"], "Invalid session ID"],
    ["an unknown flag", [...FLAGS, "--bogus"], "unknown option '--bogus'"],
  ])("refuses %s with exit 1 and one stderr line", async (_name, args, message) => {
    const result = await run(args, []);
    expect(result).toMatchObject({ exitCode: 1, lines: [] });
    expect(result.stderr).toContain(message);
  });

  test("prints nothing at spawn and exits 0 on EOF before any message", async () => {
    expect(await run(FLAGS, [])).toMatchObject({ exitCode: 0, lines: [], stderr: "" });
  });

  test("a non-JSON stdin line kills it with exit 1", async () => {
    const result = await run(FLAGS, ["not json", user("reply")]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Error parsing streaming input line");
    expect(result.lines.some((l) => l.type === "result")).toBe(false);
  });

  test("stdin EOF lets the current turn finish; exit 1 when the last result was an error", async () => {
    const result = await run([...FLAGS, "--include-partial-messages"], [user("apierror")]);
    expect(result.exitCode).toBe(1);
    const assistant = result.lines.find((l) => l.type === "assistant") as { message: { model: string } };
    expect(assistant.message.model).toBe("<synthetic>");
    expect(result.lines.at(-1)).toMatchObject({ type: "result", is_error: true, api_error_status: 500, terminal_reason: "api_error" });
  });

  test("rate R N sends N deltas carrying their send time, about R per second", async () => {
    const result = await run([...FLAGS, "--include-partial-messages"], [user("rate 50 10")]);
    const stamps = result.lines
      .filter((l) => l.type === "stream_event" && (l.event as { type: string }).type === "content_block_delta")
      .map((l) => Number(/ts=(\d+)/.exec((l.event as { delta: { text: string } }).delta.text)?.[1]));
    expect(stamps).toHaveLength(10);
    expect(stamps.every((t, i) => i === 0 || t >= (stamps[i - 1] ?? 0))).toBe(true);
    const span = (stamps.at(-1) ?? 0) - (stamps[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual(150);
    expect(span).toBeLessThan(1500);
  });

  test("sessions: --session-id of a used id fails, --resume knows the history", async () => {
    const id = randomUUID();
    await run([...FLAGS, "--session-id", id], [user("echo first words")]);
    const reused = await run([...FLAGS, "--session-id", id], []);
    expect(reused.exitCode).toBe(1);
    expect(reused.stderr).toContain(`Session ID ${id} is already in use.`);
    const resumed = await run([...FLAGS, "--resume", id], [user("history")]);
    expect(resumed.lines.at(-1)).toMatchObject({ type: "result", result: "History (1): echo first words", session_id: id });
  });
});
