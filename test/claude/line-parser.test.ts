import { describe, expect, test } from "vitest";
import { createLineParser, parseLine, type ParsedLine } from "../../src/claude/line-parser.js";

function feed(chunks: string[], maxLineLength?: number): ParsedLine[] {
  const parser = createLineParser(maxLineLength === undefined ? {} : { maxLineLength });
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

const json = (value: Record<string, unknown>): ParsedLine => ({ kind: "json", value });

describe("createLineParser", () => {
  test.each<[string, string[], ParsedLine[]]>([
    ["one line in one chunk", ['{"a":1}\n'], [json({ a: 1 })]],
    ["two lines in one chunk", ['{"a":1}\n{"b":2}\n'], [json({ a: 1 }), json({ b: 2 })]],
    ["a line split across chunks", ['{"a":', '1}', "\n"], [json({ a: 1 })]],
    ["a split right after the newline", ['{"a":1}\n', '{"b":2}\n'], [json({ a: 1 }), json({ b: 2 })]],
    ["CRLF endings", ['{"a":1}\r\n{"b":2}\r\n'], [json({ a: 1 }), json({ b: 2 })]],
    ["CR and LF in different chunks", ['{"a":1}\r', '\n'], [json({ a: 1 })]],
    ["a final line without newline is flushed by end()", ['{"a":1}\n{"b":2}'], [json({ a: 1 }), json({ b: 2 })]],
    ["blank lines are skipped", ["\n\n  \n{\"a\":1}\n\r\n"], [json({ a: 1 })]],
    ["escaped newlines inside strings stay in the line", ['{"t":"x\\ny"}\n'], [json({ t: "x\ny" })]],
    ["multi-byte text", ['{"t":"héllo ✓ 😀"}\n'], [json({ t: "héllo ✓ 😀" })]],
    [
      "a non-JSON line becomes a warning and the next line still parses",
      ["not json\n", '{"a":1}\n'],
      [{ kind: "warning", message: expect.stringContaining("not JSON") as unknown as string, line: "not json" }, json({ a: 1 })],
    ],
    [
      "JSON that is not an object is a warning",
      ["[1,2]\n42\nnull\n"],
      [
        { kind: "warning", message: "stdout line is JSON but not an object", line: "[1,2]" },
        { kind: "warning", message: "stdout line is JSON but not an object", line: "42" },
        { kind: "warning", message: "stdout line is JSON but not an object", line: "null" },
      ],
    ],
  ])("%s", (_name, chunks, expected) => {
    expect(feed(chunks)).toEqual(expected);
  });

  test("a line of several MB arriving in 64 KiB chunks", () => {
    const text = "z".repeat(6 * 1024 * 1024);
    const line = `${JSON.stringify({ type: "assistant", text })}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < line.length; i += 65536) chunks.push(line.slice(i, i + 65536));
    const started = Date.now();
    const out = feed([...chunks, '{"after":true}\n']);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out).toHaveLength(2);
    expect((out[0] as unknown as { value: { text: string } }).value.text.length).toBe(text.length);
    expect(out[1]).toEqual(json({ after: true }));
  });

  test.each<[string, string[]]>([
    ["in one chunk", [`{"x":"${"a".repeat(200)}"}\n{"ok":1}\n`]],
    ["across chunks", ['{"x":"', "a".repeat(100), "a".repeat(100), '"}\n{"ok":1}\n']],
    ["across chunks, newline in a later chunk", ['{"x":"', "a".repeat(150), "a".repeat(150), '"}', '\n{"ok":1}\n']],
  ])("a line over the limit is dropped with one warning, %s", (_name, chunks) => {
    const out = feed(chunks, 100);
    expect(out).toEqual([
      { kind: "warning", message: "stdout line longer than 100 characters was dropped", line: expect.any(String) as unknown as string },
      json({ ok: 1 }),
    ]);
  });

  test("an oversized unterminated line at end() yields only its warning", () => {
    expect(feed(["b".repeat(300)], 100).map((l) => l.kind)).toEqual(["warning"]);
  });

  test("warnings keep at most 1000 characters of the bad line", () => {
    const [warning] = feed([`${"q".repeat(5000)}\n`]);
    expect(warning?.kind).toBe("warning");
    expect((warning as { line: string }).line.length).toBeLessThanOrEqual(1001);
  });
});

describe("parseLine", () => {
  test.each<[string, ParsedLine | undefined]>([
    ["", undefined],
    ["\r", undefined],
    ['{"a":1}\r', json({ a: 1 })],
    ["{", { kind: "warning", message: expect.stringContaining("not JSON") as unknown as string, line: "{" }],
  ])("%j", (line, expected) => {
    expect(parseLine(line)).toEqual(expected);
  });
});
