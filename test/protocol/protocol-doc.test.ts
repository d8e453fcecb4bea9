// docs/PROTOCOL.md documents every error code, frame type and event type with its fields, and nothing that does not exist.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  AskRequestSchema,
  CLIENT_FRAMES,
  ERROR_CODES,
  ERRORS,
  PermissionAnswerSchema,
  SESSION_EVENT_TYPES,
  SessionEventSchema,
  SessionInfoSchema,
  SessionProcessSchema,
  SessionUpdateData,
  ServerFrameSchema,
  StreamSendRequestSchema,
  StreamStartRequestSchema,
} from "../../src/protocol/index.js";
import { compareFields, docFields, optionsOf, PROTOCOL_DOC as doc, schemaFields, section, tableRows } from "./doc-shapes.js";
const sourcesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourcesOf(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
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

  test("every code is raised somewhere in src/, or its row says it is reserved (not sent today)", () => {
    const src = sourcesOf(resolve(import.meta.dirname, "../../src")).filter((f) => !f.endsWith("protocol/errors.ts")).map((f) => readFileSync(f, "utf8")).join("\n");
    const reserved = (code: string) => new RegExp(`^\\| \`${code}\` \\|[^|]*\\|[^|]*\\| Reserved, not sent today`, "m").test(table);
    expect(ERROR_CODES.filter((c) => !src.includes(`"${c}"`) && !reserved(c))).toEqual([]);
    expect(ERROR_CODES.filter((c) => src.includes(`"${c}"`) && reserved(c))).toEqual([]);
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

/** Each documented shape against the schema options it may describe: every option has its row, every row its option. */
function matchRows(what: string, rows: string[], options: z.ZodType[]): string[] {
  const problems: string[] = [];
  const shapes = rows.map((r) => docFields(r));
  for (const option of options) {
    const fields = schemaFields(option);
    if (!shapes.some((d) => d !== null && compareFields(d, fields) === "")) {
      problems.push(`${what}: no documented shape matches the schema; ${shapes.map((d) => compareFields(d ?? [], fields)).join(" / ")}`);
    }
  }
  for (const d of shapes) {
    if (d === null) problems.push(`${what}: a row has no { … } shape`);
    else if (!options.some((o) => compareFields(d, schemaFields(o)) === "")) problems.push(`${what}: documented shape matches no schema option`);
  }
  return problems;
}

describe("docs/PROTOCOL.md, both ways and field by field", () => {
  test("the session events table has exactly the event types, each with the fields of its data (optional ones with ?)", () => {
    const rows = tableRows(section("## Session events")).filter(([, cells]) => cells.length === 2);
    expect([...new Set(rows.map(([t]) => t))].sort()).toEqual([...SESSION_EVENT_TYPES].sort());
    const problems = SessionEventSchema.options.flatMap((o) => {
      const type = o.shape.type.value;
      return matchRows(type, rows.filter(([t]) => t === type).map(([, [data]]) => data!), optionsOf(o.shape.data));
    });
    expect(problems).toEqual([]);
  });

  test("the client -> server table has exactly the client frames: sessionId required where it is, the fields of each data", () => {
    const rows = tableRows(section("### Client → server"));
    expect(rows.map(([t]) => t).sort()).toEqual(Object.keys(CLIENT_FRAMES).sort());
    // A row that says "as POST …" has that route's body: the same schema validates both.
    const bodies: Record<string, z.ZodType> = { "POST /api/ask": AskRequestSchema, "POST /api/stream/start": StreamStartRequestSchema };
    const problems: string[] = [];
    for (const [type, [sessionCell, dataCell]] of rows) {
      const spec = CLIENT_FRAMES[type as keyof typeof CLIENT_FRAMES];
      if (spec.session !== sessionCell!.startsWith("required")) problems.push(`${type}: sessionId is ${spec.session ? "required" : "not required"}`);
      const as = /^as `(POST [^`]+)`/.exec(dataCell!);
      if (as) {
        if (bodies[as[1]!] !== spec.data) problems.push(`${type}: its data is not the body schema of ${as[1]}`);
        continue;
      }
      problems.push(...matchRows(type, [dataCell!], [spec.data]));
    }
    expect(problems).toEqual([]);
  });

  test("the server -> client table has exactly the server frames, each with the fields of its data", () => {
    const text = section("### Server → client");
    const rows = tableRows(text);
    const frames = new Map<string, z.ZodType>(ServerFrameSchema.options.map((o) => [o.shape.type.value, o.shape.data as z.ZodType]));
    expect(rows.map(([t]) => t).sort()).toEqual([...frames.keys()].sort());
    const problems: string[] = [];
    for (const [type, [dataCell]] of rows) {
      const data = frames.get(type)!;
      if (dataCell!.startsWith("SessionInfo")) {
        if (data !== SessionInfoSchema) problems.push(`${type}: its data is not SessionInfo`);
      } else if (dataCell!.startsWith("sessionUpdate data")) {
        if (data !== SessionUpdateData) problems.push(`${type}: its data is not sessionUpdate's`);
      } else if (type !== "error") problems.push(...matchRows(type, [dataCell!], [data]));
    }
    expect(problems).toEqual([]);
    // The last row names every session event, which are sent as they are (with their seq).
    const events = /^\| session events \|(.*)$/m.exec(text)?.[1] ?? "";
    expect(SESSION_EVENT_TYPES.filter((t) => !events.includes(`\`${t}\``))).toEqual([]);
  });

  test("Session info and SessionProcess list the fields of their schemas", () => {
    const block = /```\n([\s\S]*?)```/.exec(section("### Session info"))![1]!;
    const [info, proc] = block.split("SessionProcess:");
    expect(compareFields(docFields(info!)!, schemaFields(SessionInfoSchema))).toBe("");
    expect(compareFields(docFields(proc!)!, schemaFields(SessionProcessSchema))).toBe("");
  });

  test.each([
    ["### `POST /api/ask`", AskRequestSchema],
    ["### `POST /api/stream/start`", StreamStartRequestSchema],
    ["### `POST /api/stream/:id`", StreamSendRequestSchema],
    ["### `POST /api/permission/:id`", PermissionAnswerSchema],
  ] as const)("the body of %s lists the fields of its schema", (heading, schema) => {
    const text = section(heading);
    expect(compareFields(docFields(text.slice(text.indexOf("Body:")))!, schemaFields(schema))).toBe("");
  });
});
