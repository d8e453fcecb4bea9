// Every REST reply the daemon sends matches its schema in src/protocol exactly: valid, with the documented status, and no
// field the schema (and so PROTOCOL.md) does not name, at any depth.
import { describe, expect, test, vi } from "vitest";
import type { z } from "zod";
import {
  ChangesResponseSchema,
  ChannelListResponseSchema,
  ClaudeStatusSchema,
  ClaudeTestResponseSchema,
  DeviceListResponseSchema,
  DirectoryListResponseSchema,
  FileSearchResponseSchema,
  HealthResponseSchema,
  HistoryListResponseSchema,
  InfoResponseSchema,
  ModelsResponseSchema,
  PairingCodeResponseSchema,
  SendAcceptedSchema,
  SessionCommandsResponseSchema,
  SessionInfoSchema,
  SessionListResponseSchema,
  SessionProcessesResponseSchema,
  AskResponseSchema,
  TestChannelsResponseSchema,
  VapidKeyResponseSchema,
} from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { extraFields } from "../helpers/schema-fields.js";

const d = useTestDaemon({ env: { CLAUDE_ALLOWED_TOOLS: "Read" } });

async function expectReply(method: string, path: string, body: unknown, status: number, schema: z.ZodType) {
  const r = await d.rest(method, path, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
  const parsed = schema.safeParse(r.body);
  expect(parsed.success, `${method} ${path}: ${parsed.error?.message}`).toBe(true);
  expect(extraFields(schema, r.body), `${method} ${path}`).toEqual([]);
  return r.body;
}

describe("REST replies against their protocol schemas", () => {
  test("every route with a session and a finished turn: status as documented, schema-valid, no undocumented field", async () => {
    const started = (await expectReply("POST", "/api/stream/start", { prompt: "reply" }, 201, SessionInfoSchema)) as { sessionId: string };
    const id = started.sessionId;
    await vi.waitFor(async () => expect((await d.rest("GET", `/api/sessions/${id}`)).body.state).toBe("idle"), { timeout: 20_000, interval: 50 });
    await expectReply("GET", "/health", undefined, 200, HealthResponseSchema);
    await expectReply("GET", "/api/info", undefined, 200, InfoResponseSchema);
    await expectReply("GET", "/api/sessions", undefined, 200, SessionListResponseSchema);
    // A finished turn's lastResult (usage, cost) and the process stats are part of it.
    await expectReply("GET", `/api/sessions/${id}`, undefined, 200, SessionInfoSchema);
    await expectReply("GET", `/api/sessions/${id}/processes`, undefined, 200, SessionProcessesResponseSchema);
    await expectReply("GET", `/api/sessions/${id}/commands`, undefined, 200, SessionCommandsResponseSchema);
    await expectReply("GET", "/api/models", undefined, 200, ModelsResponseSchema);
    await expectReply("GET", `/api/files/search?dir=${encodeURIComponent(d.workDir)}`, undefined, 200, FileSearchResponseSchema);
    await expectReply("GET", "/api/history", undefined, 200, HistoryListResponseSchema);
    await expectReply("GET", "/api/directories", undefined, 200, DirectoryListResponseSchema);
    await expectReply("GET", `/api/sessions/${id}/changes`, undefined, 200, ChangesResponseSchema);
    await expectReply("GET", "/api/claude/status", undefined, 200, ClaudeStatusSchema);
    await expectReply("POST", "/api/claude/test", {}, 200, ClaudeTestResponseSchema);
    await expectReply("GET", "/api/devices", undefined, 200, DeviceListResponseSchema);
    await expectReply("POST", "/api/pairing-codes", {}, 201, PairingCodeResponseSchema);
    await expectReply("GET", "/api/notify/channels", undefined, 200, ChannelListResponseSchema);
    await expectReply("POST", "/api/notify/test", {}, 200, TestChannelsResponseSchema);
    await expectReply("GET", "/api/push/vapid-public-key", undefined, 200, VapidKeyResponseSchema);
    await expectReply("POST", `/api/stream/${id}`, { prompt: "reply" }, 202, SendAcceptedSchema);
    await vi.waitFor(async () => expect((await d.rest("GET", `/api/sessions/${id}`)).body.state).toBe("idle"), { timeout: 20_000, interval: 50 });
    await expectReply("POST", "/api/ask", { prompt: "reply" }, 200, AskResponseSchema);
  });
});
