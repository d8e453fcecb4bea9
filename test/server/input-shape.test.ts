// Inputs that would hang a turn or impersonate: the nesting-depth cap (REST and WS), device names with format characters
// or reserved labels, model names that would read as a CLI option.
import { describe, expect, test } from "vitest";
import { MAX_INPUT_DEPTH, pathDeeperThan } from "../../src/protocol/index.js";
import { normalizeDeviceName } from "../../src/pairing/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs } from "../helpers/ws-client.js";

const d = useTestDaemon();

const post = async (path: string, body: string | object, token: string | undefined = d.token) => {
  const res = await fetch(d.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};
/** `{"a":{"a":…1…}}`, `levels` objects deep, as JSON text (JSON.stringify itself would overflow the stack). */
const nested = (levels: number) => '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);

describe("nesting depth", () => {
  test.each([
    [{ a: 1 }, null],
    [JSON.parse(nested(MAX_INPUT_DEPTH)), null],
    [JSON.parse(nested(MAX_INPUT_DEPTH + 1)), "a"],
    [[1, [2, JSON.parse(nested(MAX_INPUT_DEPTH))]], 1],
  ])("pathDeeperThan %#", (value, first) => {
    const path = pathDeeperThan(value);
    expect(path === null ? null : path[0]).toBe(first);
  });

  test("a 20 000-level updatedInput on REST is 400 BAD_REQUEST naming body.updatedInput", async () => {
    const r = await post("/api/permission/p1", `{"decision":"allow","updatedInput":${nested(20_000)}}`);
    expect(r.status).toBe(400);
    expect(r.body.data.code).toBe("BAD_REQUEST");
    expect(r.body.data.details.path).toBe("body.updatedInput");
    expect(r.body.data.message).toContain(`deeper than ${MAX_INPUT_DEPTH} levels`);
  });

  test("on WebSocket it is the documented error frame, and the connection stays open", async () => {
    const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;
    c.sendRaw(`{"type":"permission","requestId":"deep","sessionId":"${sid}","data":{"permissionId":"p1","decision":"allow","updatedInput":${nested(20_000)}}}`);
    const err = await c.next((f) => f.type === "error" && f.requestId === "deep");
    expect(err.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "data.updatedInput", maxDepth: MAX_INPUT_DEPTH } });
    c.send({ type: "ping", requestId: "alive" });
    expect((await c.next("pong")).requestId).toBe("alive");
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  test("a deep value anywhere in a body is refused, not only in updatedInput", async () => {
    const r = await post("/api/stream/start", `{"prompt":"hi","extra":${nested(MAX_INPUT_DEPTH + 1)}}`);
    expect(r.status).toBe(400);
    expect(r.body.data.details.path).toBe("body.extra");
  });
});

describe("names that impersonate", () => {
  test.each([
    ["Pixel\u200B9", "zero-width space"],
    ["\u200Dmaster token", "zero-width joiner"],
    ["Pixel\u00AD", "soft hyphen"],
    ["\u202Eenohp", "right-to-left override"],
    ["Pho\uFEFFne", "zero-width no-break space"],
    ["master token", "the master token's label"],
    ["Master-Token", "the label in another case and spelling"],
    ["  MASTER   TOKEN ", "the label with extra spaces"],
    ["ｍａｓｔｅｒ token", "the label in full-width letters"],
    ["timeout", "a permission-resolution reason"],
  ])("%j (%s) is refused", (name) => {
    expect(normalizeDeviceName(name)).toBeNull();
  });

  test.each(["Pixel 9", "Ana's iPhone", "Téléphone", "电话", "master token 2"])("%j is accepted", (name) => {
    expect(normalizeDeviceName(name)).toBe(name);
  });

  test("pairing as \"master token\" or with a zero-width character is 400 and does not use up the code", async () => {
    const code = (await post("/api/pairing-codes", {})).body.pairingToken as string;
    for (const deviceName of ["master token", "Pixel\u200B"]) {
      const r = await post("/api/pair", { pairingToken: code, deviceName }, undefined);
      expect(r.status).toBe(400);
      expect(r.body.data.details.field).toBe("deviceName");
    }
    expect((await post("/api/pair", { pairingToken: code, deviceName: "Pixel" }, undefined)).status).toBe(200);
  });

  test.each([
    ["--dangerously-skip-permissions", 400],
    ["-p", 400],
    ["claude sonnet", 400],
    ["sonnet\n", 400],
    ["claude-sonnet-4-5-20250929", 201],
    ["opus[1m]", 201],
    ["claude-3-5-sonnet@20240620", 201],
  ])("a session with model %j: %i", async (model, status) => {
    const r = await post("/api/stream/start", { model });
    expect(r.status).toBe(status);
    if (status === 400) expect(r.body.data.details.path).toBe("body.model");
    else await fetch(`${d.url}/api/stream/${r.body.sessionId}`, { method: "DELETE", headers: { authorization: `Bearer ${d.token}` } });
  });

  test("setModel over WebSocket refuses a model that starts with '-'", async () => {
    const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
    c.send({ type: "streamStart", requestId: "s", data: {} });
    const sid = (await c.next("streamStarted")).sessionId!;
    c.send({ type: "setModel", requestId: "m", sessionId: sid, data: { model: "--settings=/tmp/evil.json" } });
    const err = await c.next((f) => f.type === "error" && f.requestId === "m");
    expect(err.data).toMatchObject({ code: "BAD_REQUEST", details: { path: "data.model" } });
    await c.close();
  });
});
