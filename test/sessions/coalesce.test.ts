// The delta coalescer alone: the first delta of a burst at once, the rest in one event per interval, order kept.
import { describe, expect, test, vi } from "vitest";
import type { NewSessionEvent } from "../../src/protocol/events.js";
import { DeltaCoalescer } from "../../src/sessions/coalesce.js";

const texts = (events: NewSessionEvent[]) => events.map((e) => (e.type === "streamData" && e.data.kind === "delta" ? e.data.text : `<${e.type}>`));
const d = (text: string, index = 0) => ({ kind: "delta" as const, text, messageId: "m", index });

describe("DeltaCoalescer", () => {
  test("a burst: the first delta at once, the others as one event after the interval", async () => {
    const out: NewSessionEvent[] = [];
    const c = new DeltaCoalescer({ emit: (e) => out.push(e), flushMs: 20 });
    for (const t of ["a", "b", "c", "d"]) c.push(d(t));
    expect(texts(out)).toEqual(["a"]);
    await vi.waitFor(() => expect(texts(out)).toEqual(["a", "bcd"]));
    expect(out[1]).toMatchObject({ data: { messageId: "m", index: 0 } });
    c.close();
  });

  test("another block, an explicit flush (before any other event) and the size cap each end the pending delta", () => {
    const out: NewSessionEvent[] = [];
    const c = new DeltaCoalescer({ emit: (e) => out.push(e), flushMs: 10_000, maxChars: 4 });
    c.push(d("a"));
    c.push(d("b"));
    c.push(d("c", 1));
    c.flush();
    out.push({ type: "warning", data: { message: "x" } });
    c.push(d("12345", 1));
    c.push(d("6", 1));
    c.close();
    expect(texts(out)).toEqual(["a", "b", "c", "<warning>", "12345", "6"]);
  });

  test("flushMs 0 coalesces nothing", () => {
    const out: NewSessionEvent[] = [];
    const c = new DeltaCoalescer({ emit: (e) => out.push(e), flushMs: 0 });
    for (const t of ["a", "b", "c"]) c.push(d(t));
    expect(texts(out)).toEqual(["a", "b", "c"]);
  });
});
