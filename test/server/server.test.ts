import { describe, expect, test } from "vitest";
import { ErrorBodySchema, HealthResponseSchema, InfoResponseSchema } from "../../src/protocol/index.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { connectWs } from "../helpers/ws-client.js";

const d = useTestDaemon();

const get = (path: string, headers: Record<string, string> = {}) => fetch(d.url + path, { headers });

describe("GET /health", () => {
  test("answers without auth in the seed's shape", async () => {
    const res = await get("/health");
    expect(res.status).toBe(200);
    const body = HealthResponseSchema.strict().parse(await res.json());
    expect(body.status).toBe("ok");
    expect(body.claude.available).toBe(true);
    expect(body.claude.version).toBe("2.1.332");
    expect(body.sessions.max).toBe(5);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("auth on /api", () => {
  test.each([
    ["no token", {}, ""],
    ["wrong bearer", { authorization: "Bearer nope-nope-nope-nope" }, ""],
    ["malformed header", { authorization: "Basic abc" }, ""],
    ["wrong query token", {}, "?token=wrong"],
  ])("%s -> 401 with the error body", async (_n, headers, query) => {
    const res = await get(`/api/info${query}`, headers);
    expect(res.status).toBe(401);
    const body = ErrorBodySchema.parse(await res.json());
    expect(body).toMatchObject({ type: "error", requestId: null, data: { code: "UNAUTHORIZED" } });
    expect(body.data.message).not.toContain(d.token);
  });

  test("bearer header", async () => {
    const res = await get("/api/info", { authorization: `Bearer ${d.token}` });
    expect(res.status).toBe(200);
    const info = InfoResponseSchema.parse(await res.json());
    expect(info).toMatchObject({ name: "claude-companion", protocolVersion: 1 });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  test("query token", async () => {
    expect((await get(`/api/info?token=${encodeURIComponent(d.token)}`)).status).toBe(200);
  });

  test("unknown routes are 404 in the same format", async () => {
    const res = await get("/api/nothing-here", { authorization: `Bearer ${d.token}` });
    expect(res.status).toBe(404);
    expect(ErrorBodySchema.parse(await res.json()).data.code).toBe("NOT_FOUND");
    const open = await get("/nope");
    expect(open.status).toBe(404);
    expect(ErrorBodySchema.parse(await open.json()).data.code).toBe("NOT_FOUND");
  });

  test("the token never appears in the log, though it was sent in a query", async () => {
    await get(`/api/info?token=${encodeURIComponent(d.token)}`);
    await get("/api/info", { authorization: `Bearer ${d.token}` });
    expect(d.logs.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(d.logs.join("\n")).not.toContain(d.token);
  });
});

describe("WebSocket /ws", () => {
  test("a bad or missing token gets HTTP 401 and no socket", async () => {
    await expect(connectWs(d.wsUrl)).rejects.toMatchObject({ status: 401 });
    await expect(connectWs(`${d.wsUrl}?token=wrong`)).rejects.toMatchObject({ status: 401 });
    const err = await connectWs(d.wsUrl, { headers: { authorization: "Bearer wrong" } }).catch((e) => e);
    expect(ErrorBodySchema.parse(JSON.parse(err.body)).data.code).toBe("UNAUTHORIZED");
  });

  test("another path gets 404", async () => {
    await expect(connectWs(d.url.replace("http", "ws") + `/other?token=${d.token}`)).rejects.toMatchObject({ status: 404 });
  });

  test.each([
    ["header", (u: string, t: string) => connectWs(u, { headers: { authorization: `Bearer ${t}` } })],
    ["query", (u: string, t: string) => connectWs(`${u}?token=${encodeURIComponent(t)}`)],
    ["subprotocol", (u: string, t: string) => connectWs(u, { protocols: ["claude-companion", `bearer.${t}`] })],
  ])("token by %s: welcome, then ping gets pong", async (_n, open) => {
    const c = await open(d.wsUrl, d.token);
    const welcome = await c.next("welcome");
    expect(welcome.data).toMatchObject({ serverVersion: expect.any(String), protocolVersion: 1, connectionId: expect.any(String) });
    c.send({ type: "ping", requestId: "r1" });
    const pong = await c.next("pong");
    expect(pong.requestId).toBe("r1");
    expect(c.invalid).toEqual([]);
    if (_n === "subprotocol") expect(c.socket.protocol).toBe("claude-companion");
    await c.close();
  });

  test("bad frames get error frames and the socket stays open", async () => {
    const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
    await c.next("welcome");
    c.sendRaw("not json");
    expect((await c.next("error")).data.code).toBe("BAD_REQUEST");
    c.send({ requestId: "no-type" });
    const noType = await c.next("error");
    expect(noType).toMatchObject({ requestId: "no-type", data: { code: "BAD_REQUEST", details: { path: "type" } } });
    c.send({ type: "launchMissiles", requestId: "r9" });
    expect(await c.next("error")).toMatchObject({ requestId: "r9", data: { code: "UNKNOWN_TYPE" } });
    c.send({ type: 42, requestId: "r10" });
    expect(await c.next("error")).toMatchObject({ requestId: "r10", data: { code: "BAD_REQUEST" } });
    c.send({ type: "ping", requestId: "still-here" });
    expect((await c.next("pong")).requestId).toBe("still-here");
    expect(c.invalid).toEqual([]);
    await c.close();
  });

  test("a frame over 1 MiB closes the socket with 1009", async () => {
    const c = await connectWs(d.wsUrl, { headers: { authorization: `Bearer ${d.token}` } });
    await c.next("welcome");
    c.sendRaw(JSON.stringify({ type: "ping", data: { pad: "x".repeat(1024 * 1024 + 10) } }));
    expect((await c.closed).code).toBe(1009);
  });
});
