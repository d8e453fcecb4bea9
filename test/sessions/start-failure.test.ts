// The "cannot start" fold: what counts as a start failure, what "the same way" means, what clears it, and that a restore rebuilds it.
import { describe, expect, test } from "vitest";
import type { NewSessionEvent } from "../../src/protocol/index.js";
import { EventLog } from "../../src/sessions/event-log.js";
import { RestoreScan, RestoreSummarySchema, restoredStateOf } from "../../src/sessions/restore.js";
import { cannotStartOf, nextStartFailure, type StartFailureState } from "../../src/sessions/start-failure.js";

const SID = "11111111-1111-4111-8111-111111111111";
const exited = (stderrTail: string, beforeInit = true, exitCode: number | null = 1, signal: string | null = null): NewSessionEvent => ({
  type: "sessionError",
  data: { code: "CLAUDE_EXITED", message: `Claude Code exited unexpectedly (code ${exitCode}, signal ${signal}).`, details: { exitCode, signal, stderrTail, beforeInit } },
});
const init: NewSessionEvent = { type: "claudeEvent", data: { claudeType: "system", subtype: "init", raw: {} } };

function fold(events: NewSessionEvent[]): StartFailureState | null {
  let ts = 1000;
  return events.reduce<StartFailureState | null>((s, e) => nextStartFailure(s, { ...e, ts: ts++ }), null);
}

describe("cannot start", () => {
  test.each<[string, NewSessionEvent[], Record<string, unknown> | undefined]>([
    ["one start failure is not enough", [exited("Error: boom\n")], undefined],
    ["the same failure twice", [exited("Error: boom\n"), exited("  Error: boom")], { reason: "Error: boom", attempts: 2, since: 1001, exitCode: 1 }],
    ["the reason is the last stderr line", [exited("warn: x\nError: boom\n\n"), exited("warn: x\nError: boom")], { reason: "Error: boom", stderrTail: "warn: x\nError: boom" }],
    ["different stderr is another way", [exited("Error: a"), exited("Error: b")], undefined],
    ["a different exit code is another way", [exited("Error: a", true, 1), exited("Error: a", true, 2)], undefined],
    ["a different signal is another way", [exited("", true, null, "SIGKILL"), exited("", true, null, "SIGTERM")], undefined],
    ["a crash after init does not count", [exited("Error: a", false), exited("Error: a")], undefined],
    ["system/init between the two resets it", [exited("Error: a"), init, exited("Error: a")], undefined],
    ["once it cannot start, any start failure keeps it with its reason", [exited("Error: a"), exited("Error: a"), exited("Error: b")], { reason: "Error: b", attempts: 3, since: 1001, lastAttemptAt: 1002 }],
    ["system/init clears it", [exited("Error: a"), exited("Error: a"), init], undefined],
    ["empty stderr: the message is the reason", [exited(""), exited("")], { reason: "Claude Code exited unexpectedly (code 1, signal null).", stderrTail: "" }],
  ])("%s", (_name, events, expected) => {
    const shown = cannotStartOf(fold(events));
    if (expected === undefined) expect(shown).toBeUndefined();
    else expect(shown).toMatchObject(expected);
  });

  test("the tail compared and kept is the last 2 000 characters", () => {
    const long = "x".repeat(5000) + "\nError: end";
    const shown = cannotStartOf(fold([exited(long), exited("y" + long)]));
    expect(shown?.stderrTail).toHaveLength(2000);
    expect(shown?.stderrTail.endsWith("Error: end")).toBe(true);
  });

  test("rebuilt from the log and from a saved summary (a daemon restart)", () => {
    const log = new EventLog({ sessionId: SID, now: () => 7 });
    for (const e of [exited("Error: a"), exited("Error: a")]) log.append(e);
    const records = log.after(0).records;
    expect(cannotStartOf(restoredStateOf(records, { createdAt: 1, closed: false }).startFailure)).toMatchObject({ reason: "Error: a", attempts: 2 });
    // Half-way: one failure in the saved summary, the second after it in the file.
    const scan = new RestoreScan();
    scan.add(records[0]!.event);
    const saved = RestoreSummarySchema.parse(JSON.parse(JSON.stringify(scan.summary())));
    const again = new RestoreScan(saved);
    again.add(records[1]!.event);
    expect(again.summary().startFailure).toMatchObject({ cannotStart: true, attempts: 2 });
  });
});
