// A local ntfy-compatible server and webhook receiver on 127.0.0.1: records publishes, streams topics to subscribers.
import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export interface FakeNtfy {
  url: string;
  /** Every request that published (JSON publish to `/`, or a plain POST to `/<topic>`), oldest first. */
  received: Received[];
  /** Answer every publish with this status (default 200). */
  failWith(status: number | null): void;
  /** Resolves when `count` publishes matching `match` arrived. */
  waitFor(match: (r: Received) => boolean, count?: number, timeoutMs?: number): Promise<Received[]>;
  /** Open `<topic>/json` subscriptions. */
  subscribers(topic: string): number;
  close(): Promise<void>;
}

export async function startFakeNtfy(): Promise<FakeNtfy> {
  const received: Received[] = [];
  const subs = new Map<string, Set<ServerResponse>>();
  const waiters = new Set<() => void>();
  let failStatus: number | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const sub = /^\/([-_A-Za-z0-9]+)\/json$/.exec(path);
      if (req.method === "GET" && sub) {
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        res.write(JSON.stringify({ id: randomBytes(6).toString("hex"), event: "open", topic: sub[1] }) + "\n");
        const set = subs.get(sub[1]!) ?? new Set();
        subs.set(sub[1]!, set);
        set.add(res);
        res.on("close", () => set.delete(res));
        for (const w of waiters) w();
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      let json: any = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      received.push({ method: req.method ?? "", path, headers: req.headers, body, json });
      for (const w of waiters) w();
      if (failStatus) {
        res.writeHead(failStatus).end("failing on purpose");
        return;
      }
      // A plain publish to a topic reaches its subscribers (this is how a reply topic works).
      const topic = path.slice(1);
      for (const s of subs.get(topic) ?? []) {
        s.write(JSON.stringify({ id: randomBytes(6).toString("hex"), time: Math.floor(Date.now() / 1000), event: "message", topic, message: body }) + "\n");
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: randomBytes(6).toString("hex"), event: "message" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitUntil = (cond: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (cond()) return resolve();
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
    });
  return {
    url,
    received,
    failWith: (s) => void (failStatus = s),
    async waitFor(match, count = 1, timeoutMs = 30_000) {
      await waitUntil(() => received.filter(match).length >= count, timeoutMs, `${count} matching publish(es)`);
      return received.filter(match);
    },
    subscribers: (topic) => subs.get(topic)?.size ?? 0,
    close: () =>
      new Promise<void>((r) => {
        for (const set of subs.values()) for (const s of set) s.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
