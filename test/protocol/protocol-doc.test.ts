// docs/PROTOCOL.md documents every error code, frame type and event type, and nothing that does not exist.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { CLIENT_FRAMES, ERROR_CODES, ERRORS, SESSION_EVENT_TYPES, ServerFrameSchema } from "../../src/protocol/index.js";

const doc = readFileSync(resolve(import.meta.dirname, "../../docs/PROTOCOL.md"), "utf8");
const table = doc.slice(doc.indexOf("| code | HTTP | WS close |"), doc.indexOf("## Session states"));
const rows = [...table.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| ([\d–]+) \|/gm)].map((m) => ({ code: m[1]!, status: Number(m[2]), ws: m[3]! }));

describe("docs/PROTOCOL.md", () => {
  test("every error code is documented with its HTTP status and WS close code", () => {
    for (const code of ERROR_CODES) {
      const row = rows.find((r) => r.code === code);
      expect(row, `${code} missing from docs/PROTOCOL.md`).toBeDefined();
      expect(row!.status, code).toBe(ERRORS[code].status);
      const ws = (ERRORS[code] as { wsClose?: number }).wsClose;
      expect(row!.ws, code).toBe(ws === undefined ? "–" : String(ws));
    }
  });

  test("no documented code is missing from src/protocol/errors.ts", () => {
    expect(rows.map((r) => r.code).filter((c) => !(ERROR_CODES as string[]).includes(c))).toEqual([]);
  });

  test.each(Object.keys(CLIENT_FRAMES))("client frame %s is documented", (type) => {
    expect(doc).toContain(`| \`${type}\` |`);
  });

  test.each(ServerFrameSchema.options.map((o) => o.shape.type.value))("server frame %s is documented", (type) => {
    expect(doc).toContain(`\`${type}\``);
  });

  test.each(SESSION_EVENT_TYPES)("session event %s is documented", (type) => {
    expect(doc).toContain(`| \`${type}\` |`);
  });
});
