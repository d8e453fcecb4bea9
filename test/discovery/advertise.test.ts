// advertise() against injected responders: the failure paths that a namespace cannot produce on
// demand. The real mDNS path is covered in advertise.netns.test.ts.
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { type MdnsResponder, type ServiceDescription, advertise } from "../../src/discovery/advertise.js";
import { createLogger } from "../../src/log.js";

const TXT = { v: "0.1.0", proto: 1, tls: false, id: "srv_Abc123", auth: "token" };

function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
      cb();
    },
  });
  return { lines, logger: createLogger({ format: "json", level: "debug", destination }) };
}

interface FakeOptions {
  queryError?: Error;
  /** Never call back from unpublishAll/destroy (a vanished network). */
  hang?: boolean;
  /** Publish, but never report "up". */
  silent?: boolean;
}

function fakeResponder(opts: FakeOptions = {}) {
  const events = new EventEmitter();
  const calls: string[] = [];
  const published: ServiceDescription[] = [];
  const responder: MdnsResponder = {
    publish(service) {
      calls.push("publish");
      published.push(service);
      const s = new EventEmitter();
      if (!opts.silent) setImmediate(() => s.emit("up"));
      return s;
    },
    unpublishAll(cb) {
      calls.push("unpublishAll");
      if (!opts.hang) setImmediate(cb);
    },
    destroy(cb) {
      calls.push("destroy");
      if (!opts.hang) setImmediate(cb);
    },
    on: (event, listener) => void events.on(event, listener),
    query(_name, _type, cb) {
      calls.push("query");
      setImmediate(() => cb(opts.queryError ?? null));
    },
  };
  return { responder, calls, published, events };
}

describe("advertise with an injected responder", () => {
  test("publishes the service description and closes once, with goodbyes first", async () => {
    const fake = fakeResponder();
    const { logger } = capturingLogger();
    const ad = await advertise({ port: 8787, txt: TXT, hostname: "devbox.lan", logger, bonjourFactory: () => fake.responder });
    expect(ad.published).toBe(true);
    expect(ad.warning).toBeUndefined();
    expect(fake.published).toEqual([
      { name: "devbox (claude-companion)", type: "claude-companion", protocol: "tcp", port: 8787, host: "devbox.local", txt: { v: "0.1.0", proto: "1", tls: "0", id: "srv_Abc123", auth: "token" } },
    ]);
    await Promise.all([ad.close(), ad.close()]);
    await ad.close();
    expect(ad.published).toBe(false);
    expect(fake.calls).toEqual(["query", "publish", "unpublishAll", "destroy"]);
  });

  test.each<[string, () => { factory: () => MdnsResponder | Promise<MdnsResponder>; calls?: string[] }, RegExp]>([
    ["bonjour-service cannot start", () => ({ factory: () => { throw new Error("no dgram"); } }), /could not start mDNS \(no dgram\)/],
    ["the factory rejects", () => ({ factory: () => Promise.reject(new Error("import failed")) }), /could not start mDNS \(import failed\)/],
    [
      "multicast cannot be sent",
      () => {
        const fake = fakeResponder({ queryError: Object.assign(new Error("send ENETUNREACH"), { code: "ENETUNREACH" }) });
        return { factory: () => fake.responder, calls: fake.calls };
      },
      /multicast is not available \(ENETUNREACH\)/,
    ],
    [
      "the announcement never happens",
      () => {
        const fake = fakeResponder({ silent: true });
        return { factory: () => fake.responder, calls: fake.calls };
      },
      /not announced within 200 ms/,
    ],
  ])("%s: a warning, logged, never a throw", async (_name, make, warning) => {
    const { factory, calls } = make();
    const { lines, logger } = capturingLogger();
    const ad = await advertise({ port: 8787, txt: TXT, logger, bonjourFactory: factory, publishTimeoutMs: 200 });
    expect(ad.published).toBe(false);
    expect(ad.warning).toMatch(warning);
    expect(lines.some((l) => l.level === 40 && warning.test(l.msg))).toBe(true);
    if (calls) expect(calls.slice(-2)).toEqual(["unpublishAll", "destroy"]);
    await ad.close();
  });

  test("a socket error (port 5353 taken) turns into a warning", async () => {
    const fake = fakeResponder({ silent: true });
    const { logger } = capturingLogger();
    const pending = advertise({ port: 8787, txt: TXT, logger, bonjourFactory: () => fake.responder, publishTimeoutMs: 5000 });
    await new Promise((r) => setImmediate(r));
    fake.events.emit("error", Object.assign(new Error("bind EADDRINUSE 0.0.0.0:5353"), { code: "EADDRINUSE" }));
    const ad = await pending;
    expect(ad.published).toBe(false);
    expect(ad.warning).toBe("mDNS socket error (EADDRINUSE)");
  });

  test("a TXT record with an extra key is refused before anything is sent", async () => {
    let created = false;
    const { lines, logger } = capturingLogger();
    const ad = await advertise({
      port: 8787,
      txt: { ...TXT, token: "s3cr3t-token" },
      logger,
      bonjourFactory: () => {
        created = true;
        return fakeResponder().responder;
      },
    });
    expect(created).toBe(false);
    expect(ad.published).toBe(false);
    expect(ad.warning).toMatch(/unexpected key\(s\) token/);
    expect(JSON.stringify(lines)).not.toContain("s3cr3t");
  });

  test("close() is bounded when the network is gone", async () => {
    const fake = fakeResponder({ hang: true });
    const { logger } = capturingLogger();
    const ad = await advertise({ port: 8787, txt: TXT, logger, bonjourFactory: () => fake.responder, closeTimeoutMs: 300 });
    expect(ad.published).toBe(true);
    const started = Date.now();
    await ad.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.calls.slice(-2)).toEqual(["unpublishAll", "destroy"]);
  });
});
