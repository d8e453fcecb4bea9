// One list of ClaudeProcess scenarios, run against the fake CLI (test/claude/process.test.ts) and the real CLI
// (test/real/claude-process.test.ts): each CLI says how to trigger a scenario and what its fixed texts are.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import type { ClaudeProcess, ClaudeSpawnOptions } from "../../src/claude/types.js";
import { runTurn, waitForEvent } from "../helpers/claude-events.js";

export interface ScenarioCli {
  /** A ready process (cleaned up by the caller's afterEach). */
  ready(overrides?: Partial<ClaudeSpawnOptions>): Promise<ClaudeProcess>;
  /** The working directory of the processes. */
  workDir(): string;
  /** A prompt answered with `replyDeltas`. */
  reply: string;
  replyDeltas: string[];
  /** A prompt whose answer streams for seconds. */
  slow: string;
  /** A prompt that asks to Write `file` (absolute), and what the write puts in it. */
  write(file: string): string;
  written: string;
  /** A prompt that asks an AskUserQuestion with the question "Which colour do you like?". */
  question: string;
  /** A prompt that makes the conversation remember `word`; then what a resumed process must show of it. */
  remember(word: string): string;
  expectResumed(resumed: ClaudeProcess, word: string): Promise<void>;
}

export function processScenarios(cli: ScenarioCli, timeout = 60_000): void {
  test("a text turn: init, deltas in order, the assistant message, exactly one result naming the prompt", async () => {
    const proc = await cli.ready();
    const uuid = randomUUID();
    const { events, result } = await runTurn(proc, cli.reply, uuid);
    const kinds = events.map((e) => e.kind);
    expect(kinds.indexOf("init")).toBeLessThan(kinds.indexOf("textDelta"));
    expect(kinds.lastIndexOf("textDelta")).toBeLessThan(kinds.indexOf("assistant"));
    expect(kinds.filter((k) => k === "result")).toHaveLength(1);
    expect(events.flatMap((e) => (e.kind === "textDelta" ? [e.text] : []))).toEqual(cli.replyDeltas);
    expect(events.find((e) => e.kind === "assistant")).toMatchObject({ text: cli.replyDeltas.join("") });
    expect(events.find((e) => e.kind === "init")).toMatchObject({ sessionId: proc.sessionId, permissionMode: "default" });
    expect(result).toMatchObject({ subtype: "success", isError: false, result: cli.replyDeltas.join(""), userMessageUuids: [uuid] });
  }, timeout);

  test("allow writes the file; allow-always (the setMode suggestion) stops asking for later writes", async () => {
    const proc = await cli.ready();
    const file = path.join(cli.workDir(), "allowed.txt");
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage(cli.write(file), randomUUID());
    const request = await asked;
    expect(request).toMatchObject({ toolName: "Write", input: { file_path: file } });
    expect(request.suggestions).toEqual(expect.arrayContaining([expect.objectContaining({ type: "setMode", mode: "acceptEdits" })]));
    proc.answerPermission(request.requestId, { behavior: "allow", updatedInput: request.input, updatedPermissions: request.suggestions });
    expect(await toolResult).toMatchObject({ isError: false, structured: { type: "create", filePath: file } });
    expect(await done).toMatchObject({ isError: false, result: "Done with tool." });
    expect(readFileSync(file, "utf8")).toBe(cli.written);
    const second = path.join(cli.workDir(), "second.txt");
    const { events } = await runTurn(proc, cli.write(second), randomUUID());
    expect(events.some((e) => e.kind === "permissionRequest")).toBe(false);
    expect(readFileSync(second, "utf8")).toBe(cli.written);
  }, timeout);

  test("deny does not write the file; Claude gets the message as an error tool result and the turn goes on", async () => {
    const proc = await cli.ready();
    const file = path.join(cli.workDir(), "denied.txt");
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage(cli.write(file), randomUUID());
    proc.answerPermission((await asked).requestId, { behavior: "deny", message: "User said no from the phone" });
    expect(await toolResult).toMatchObject({ isError: true, content: "User said no from the phone" });
    expect(await done).toMatchObject({ subtype: "success", result: "Done with tool." });
    expect(existsSync(file)).toBe(false);
  }, timeout);

  test("AskUserQuestion arrives as a permission request and takes the answers in updatedInput", async () => {
    const proc = await cli.ready();
    const asked = waitForEvent(proc, "permissionRequest");
    const toolResult = waitForEvent(proc, "toolResult");
    proc.sendUserMessage(cli.question, randomUUID());
    const request = await asked;
    expect(request.toolName).toBe("AskUserQuestion");
    const input = request.input as { questions: { question: string }[] };
    expect(input.questions[0]?.question).toBe("Which colour do you like?");
    proc.answerPermission(request.requestId, { behavior: "allow", updatedInput: { ...input, answers: { [input.questions[0]!.question]: "Blue" } } });
    expect((await toolResult).content).toContain('="Blue"');
  }, timeout);

  test("interrupt mid-stream ends the turn (error_during_execution) and the same process answers the next prompt", async () => {
    const proc = await cli.ready();
    const pid = proc.pid;
    const firstDelta = waitForEvent(proc, "textDelta");
    const done = waitForEvent(proc, "result");
    proc.sendUserMessage(cli.slow, randomUUID());
    await firstDelta;
    await proc.interrupt();
    expect(await done).toMatchObject({ subtype: "error_during_execution", isError: true, terminalReason: "aborted_streaming" });
    const { result } = await runTurn(proc, cli.reply, randomUUID());
    expect(result.result).toBe(cli.replyDeltas.join(""));
    expect(proc.pid).toBe(pid);
    expect(proc.alive).toBe(true);
  }, timeout);

  test("--resume in a new process continues the conversation", async () => {
    const first = await cli.ready();
    await runTurn(first, cli.remember("banana"), randomUUID());
    expect((await first.stop()).exitCode).toBe(0);
    const resumed = await cli.ready({ sessionId: first.sessionId, resume: true });
    await cli.expectResumed(resumed, "banana");
  }, timeout);
}
