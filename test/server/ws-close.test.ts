// The error table drives WebSocket closes: every row's wsClose code and the error code as reason; unknown errors logged with their stack.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, test } from "vitest";
import { createLogger } from "../../src/log.js";
import { CompanionError, ERROR_CODES, ERRORS, type ErrorCode } from "../../src/protocol/index.js";
import { attachWebSocketServer, type WsServer } from "../../src/server/ws/ws-server.js";
import type { Principal } from "../../src/server/auth.js";
import { connectWs } from "../helpers/ws-client.js";

let http: Server | undefined;
let wss: WsServer | undefined;
afterEach(async () => {
  await wss?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  http = wss = undefined;
});

const principal: Principal = { kind: "master", id: "master", label: "master token" } as Principal;

async function serve(authorize: (req: unknown, token: string | undefined) => Principal = () => principal) {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      logs.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  http = createServer();
  wss = attachWebSocketServer({ server: http, authorize, logger: createLogger({ format: "json", level: "debug", destination: sink }), version: "test" });
  await new Promise<void>((r) => http!.listen(0, "127.0.0.1", r));
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, logs };
}

const closing = ERROR_CODES.filter((c) => (ERRORS[c] as { wsClose?: number }).wsClose !== undefined);

describe("closes come from the error table", () => {
  test("every row with a WS close code is one the server sends", () => {
    expect(closing).toEqual(expect.arrayContaining(["UNAUTHORIZED", "SHUTTING_DOWN", "SLOW_CONSUMER", "INTERNAL"]));
  });

  test.each(closing)("closeWhere with %s closes with its table code and the code as reason", async (code: ErrorCode) => {
    const { url } = await serve();
    const client = await connectWs(url);
    await client.next("welcome");
    expect(wss!.closeWhere(() => true, new CompanionError(code))).toBe(1);
    expect(await client.closed).toEqual({ code: (ERRORS[code] as { wsClose: number }).wsClose, reason: code });
  });

  test("close() without an error says SHUTTING_DOWN (1001)", async () => {
    const { url } = await serve();
    const client = await connectWs(url);
    await client.next("welcome");
    await wss!.close();
    expect(await client.closed).toEqual({ code: 1001, reason: "SHUTTING_DOWN" });
  });
});

describe("an unknown error at the WebSocket edge", () => {
  test("is answered INTERNAL without its text and logged with its stack", async () => {
    const { url, logs } = await serve(() => {
      throw new TypeError("secret detail of a bug");
    });
    const err = await connectWs(url).catch((e: { status: number; body: string }) => e);
    expect((err as { status: number }).status).toBe(500);
    const body = JSON.parse((err as { body: string }).body);
    expect(body.data.code).toBe("INTERNAL");
    expect(JSON.stringify(body)).not.toContain("secret detail");
    const logged = logs.map((l) => JSON.parse(l)).find((l) => l.err?.message === "secret detail of a bug");
    expect(logged?.level).toBe(50);
    expect(logged?.err.stack).toMatch(/TypeError: secret detail of a bug\n\s+at /);
  });
});
