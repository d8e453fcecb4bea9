// Fuzz of the REST API: every POST body, the events query string and the path ids, with hostile JSON.
// The daemon must answer each with a success or a documented error (never INTERNAL), stay up, keep
// every built-in prototype clean and its heap bounded.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { ERROR_CODES, ERRORS, ErrorBodySchema, type ErrorCode } from "../../src/protocol/index.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs } from "../helpers/tmp.js";
import {
  anyString,
  bodyBytes,
  contentType,
  field,
  FUZZ_SEED,
  images,
  jsonObject,
  jsonText,
  model,
  pathSegment,
  permissionMode,
  prompt,
  quoted,
  resume,
  shapedObject,
  timeoutMs,
  uuidText,
  workingDirectory,
} from "./arbitraries.js";
import {
  collectGarbage,
  EVIL_CLAUDE,
  figure,
  finishFile,
  prototypePollution,
  prototypeSnapshot,
  raw,
  type RawResponse,
  startTracked,
  trackSecret,
} from "./support.js";

const RUNS = Number(process.env.HARDENING_RUNS ?? 5000);
const BATCH = 4;
const HEAP_GROWTH_LIMIT = 96 * 1024 * 1024;

let d: TestDaemon;
let live: string[] = [];
let closedId = "";
let pairingCodes: string[] = [];
let deviceToken = "";
const prototypes = prototypeSnapshot();
let heapBefore = 0;
let turn = 0;

beforeAll(async () => {
  // The evil CLI answers any prompt with a short reply: random prompts cannot start a slow or hanging scenario.
  d = await startTracked({
    env: { CLAUDE_CLI_PATH: EVIL_CLAUDE, MAX_SESSIONS: "2" },
    limits: { requestsPerMinute: 1e9, authFailuresPerMinute: 1e9 },
  });
  const start = async () => JSON.parse((await post("/api/stream/start", "{}")).text).sessionId as string;
  // A closed session with a fixed history of ten turns: the events query fuzz pages through it.
  closedId = await start();
  for (let i = 0; i < 10; i++) {
    await post(`/api/stream/${closedId}`, JSON.stringify({ prompt: `turn ${i}` }));
    await vi.waitFor(async () => expect(JSON.parse((await raw(d.url, { path: `/api/sessions/${closedId}`, headers: auth() })).text)).toMatchObject({ state: "idle", messageCount: i + 1 }));
  }
  await raw(d.url, { method: "DELETE", path: `/api/stream/${closedId}`, headers: auth() });
  // Two open sessions fill MAX_SESSIONS: a valid start or ask is then TOO_MANY_SESSIONS, spawning nothing.
  live = [await start(), await start()];
  for (let i = 0; i < 40; i++) {
    const code = JSON.parse((await post("/api/pairing-codes", "{}")).text) as { pairingToken: string };
    trackSecret(code.pairingToken);
    pairingCodes.push(code.pairingToken);
  }
  const paired = JSON.parse((await raw(d.url, { method: "POST", path: "/api/pair", headers: { "content-type": "application/json" }, body: JSON.stringify({ pairingToken: pairingCodes.pop(), deviceName: "fuzzer" }) })).text);
  deviceToken = paired.deviceToken;
  trackSecret(deviceToken);
  collectGarbage();
  heapBefore = process.memoryUsage().heapUsed;
});

afterAll(async () => {
  const leaks = await finishFile("fuzz-rest");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

const auth = (token = d.daemon.masterToken()) => ({ authorization: `Bearer ${token}` });
const post = (path: string, body: string) => raw(d.url, { method: "POST", path, headers: { ...auth(), "content-type": "application/json" }, body });

/** A reply is a success with a JSON body, or the shared error body with a documented code and its status. */
function checkReply(r: RawResponse, success: number[], codes: Map<string, number>): void {
  const body = JSON.parse(r.text) as unknown;
  if (success.includes(r.status)) {
    codes.set(String(r.status), (codes.get(String(r.status)) ?? 0) + 1);
    return;
  }
  const err = ErrorBodySchema.parse(body);
  const code = err.data.code as ErrorCode;
  expect(ERROR_CODES, r.text.slice(0, 300)).toContain(code);
  expect(code, r.text.slice(0, 300)).not.toBe("INTERNAL");
  expect(r.status).toBe(ERRORS[code].status);
  codes.set(code, (codes.get(code) ?? 0) + 1);
}

/** The same path segment, spelled in ways a router or validator might treat differently. */
const sessionIdArb = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...live) },
    { weight: 1, arbitrary: fc.constant(closedId) },
    { weight: 2, arbitrary: uuidText },
    { weight: 1, arbitrary: fc.constantFrom(...live).map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: anyString.map((s) => pathSegment(s.slice(0, 200)) || "x") },
    { weight: 1, arbitrary: fc.constantFrom("..", "%2e%2e", "%2F", "__proto__", "constructor", "null", "%00", live[0] + "%00", live[0] + "/..") },
  );

interface Target {
  name: string;
  request: fc.Arbitrary<{ path: string; body: Buffer; contentType: string }>;
  success: number[];
  token?: () => string;
  /** Runs after a case (e.g. follow a token rotation). */
  after?: (r: RawResponse) => void;
}

const withBody = (path: fc.Arbitrary<string>, shaped: fc.Arbitrary<string>) =>
  fc.record({ path, body: bodyBytes(shaped), contentType });

const targets = (): Target[] => [
  {
    name: "POST /api/stream/start",
    request: withBody(fc.constant("/api/stream/start"), shapedObject({ prompt, images, workingDirectory, permissionMode, model, resume })),
    success: [201],
  },
  {
    name: "POST /api/stream/:id",
    request: withBody(sessionIdArb().map((id) => `/api/stream/${id}`), shapedObject({ prompt, images })),
    success: [202],
  },
  {
    name: "POST /api/stream/:id/interrupt",
    request: withBody(sessionIdArb().map((id) => `/api/stream/${id}/interrupt`), jsonText()),
    success: [200],
  },
  {
    name: "POST /api/ask",
    request: withBody(
      fc.constant("/api/ask"),
      shapedObject({ prompt, workingDirectory, permissionMode, model, timeoutMs }),
    ),
    success: [200],
  },
  {
    name: "POST /api/permission/:id",
    request: withBody(
      fc.oneof(uuidText, anyString.map((s) => pathSegment(s.slice(0, 200)) || "x"), fc.constant("a".repeat(129))).map((id) => `/api/permission/${id}`),
      shapedObject({
        decision: field(quoted(fc.constantFrom("allow", "allowAlways", "deny", "maybe", "ALLOW"))),
        message: field(quoted(anyString)),
        updatedInput: field(jsonObject(["answers", "file_path", "command"])),
      }),
    ),
    success: [200],
  },
  {
    name: "POST /api/pair (no token)",
    request: withBody(
      fc.constant("/api/pair"),
      shapedObject({
        pairingToken: field(quoted(fc.oneof(fc.constantFrom(...pairingCodes), fc.string({ minLength: 22, maxLength: 22 }), anyString))),
        deviceName: field(quoted(fc.oneof(fc.constantFrom("Pixel 9", "iPhone", "a".repeat(64), "a".repeat(65), "bad\u0000name", "\u202Ertl"), anyString))),
      }),
    ),
    success: [200],
    token: () => "",
    after: (r) => {
      if (r.status === 200) trackSecret((JSON.parse(r.text) as { deviceToken: string }).deviceToken);
    },
  },
  {
    // Endpoints that read no body: garbage must not reach them in a way that matters.
    name: "POST /api/pairing-codes, /api/token/rotate, /api/claude/test",
    request: withBody(fc.constantFrom("/api/pairing-codes", "/api/token/rotate", "/api/claude/test"), jsonText()),
    success: [200, 201],
    // Alternating: the device token is refused on the master-only routes, the master token rotates itself.
    token: () => (++turn % 2 ? deviceToken : d.daemon.masterToken()),
    after: (r) => {
      if (r.status === 201) trackSecret((JSON.parse(r.text) as { pairingToken: string }).pairingToken);
    },
  },
];

/**
 * Runs `runs` cases of `arb` through `check`, four at a time (a client has several requests in flight),
 * with the fixed seed; returns the wall time. A failing batch is shrunk to the smallest one that fails.
 */
async function fuzz<T>(arb: fc.Arbitrary<T>, check: (value: T) => Promise<void>, runs = RUNS): Promise<number> {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      await Promise.all(batch.map(check));
    }),
    { numRuns: Math.ceil(runs / BATCH), seed: FUZZ_SEED },
  );
  return Date.now() - started;
}

describe.sequential("REST fuzz", () => {
  test("every POST endpoint: hostile bodies get a success or a documented error, never INTERNAL", async () => {
    for (const t of targets()) {
      const codes = new Map<string, number>();
      const ms = await fuzz(t.request, async (req) => {
        const token = t.token ? t.token() : d.daemon.masterToken();
        const headers: Record<string, string> = { ...(token ? auth(token) : {}) };
        if (req.contentType !== "none") headers["content-type"] = req.contentType;
        const r = await raw(d.url, { method: "POST", path: req.path, headers, body: req.body });
        checkReply(r, t.success, codes);
        t.after?.(r);
      });
      figure("fuzz-rest", { target: t.name, cases: RUNS, ms, replies: Object.fromEntries(codes) });
      expect(ms, t.name).toBeLessThan(60_000);
      expect((await raw(d.url, { path: "/health" })).status).toBe(200);
      expect(prototypePollution(prototypes), t.name).toEqual([]);
    }
  }, 600_000);

  test("events query strings: a page of the log or BAD_REQUEST naming query.*", async () => {
    const id = closedId;
    const value = fc.oneof(
      fc.nat(100).map(String),
      fc.constantFrom("", "-1", "0", "1", "5000", "5001", "1e3", "1e400", "0x10", "1.5", "NaN", "Infinity", "-0", "%201", "1%20", "+1", "%31", "9007199254740993", "[]", "{}", "true"),
      anyString.map((s) => pathSegment(s.slice(0, 100))),
    );
    const key = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("after", "limit") },
      { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "__proto__[polluted]", "constructor[prototype][polluted]", "after[]", "limit[0]", "%61fter", "token") },
      { weight: 1, arbitrary: anyString.map((s) => pathSegment(s.slice(0, 40))) },
    );
    const query = fc.array(fc.tuple(key, value, fc.boolean()), { maxLength: 5 }).map((pairs) => pairs.map(([k, v, eq]) => (eq ? `${k}=${v}` : k)).join("&"));
    const sid = fc.oneof({ weight: 9, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: sessionIdArb() });
    const codes = new Map<string, number>();
    let events = 0;
    const ms = await fuzz(fc.tuple(query, sid), async ([q, s]) => {
      const r = await raw(d.url, { path: `/api/sessions/${s}/events?${q}`, headers: auth() });
      checkReply(r, [200], codes);
      if (r.status === 200) {
        const page = JSON.parse(r.text) as { events: { seq: number }[]; nextAfter: number; lastSeq: number; hasMore: boolean };
        const seqs = page.events.map((e) => e.seq);
        events += seqs.length;
        // Oldest first, consecutive, never past lastSeq; nextAfter is the last one returned.
        seqs.forEach((seq, i) => i > 0 && expect(seq).toBe(seqs[i - 1]! + 1));
        if (seqs.length > 0) {
          expect(seqs.at(-1)).toBeLessThanOrEqual(page.lastSeq);
          expect(page.nextAfter).toBe(seqs.at(-1));
        } else expect(page.hasMore).toBe(false);
      } else if (r.status === 400) {
        expect(String((JSON.parse(r.text) as { data: { details: { path: string } } }).data.details.path)).toMatch(/^(query|params)/);
      }
    });
    figure("fuzz-rest", { target: "GET /api/sessions/:id/events?query", cases: RUNS, ms, eventsReturned: events, replies: Object.fromEntries(codes) });
    expect(ms).toBeLessThan(60_000);
    expect(prototypePollution(prototypes)).toEqual([]);
  }, 120_000);

  test("after the fuzz: health 200, no INTERNAL logged, heap bounded", async () => {
    expect((await raw(d.url, { path: "/health" })).status).toBe(200);
    expect(d.logs.filter((l) => l.includes('"unhandled error"'))).toEqual([]);
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    figure("fuzz-rest-heap", { heapBeforeMb: Math.round(heapBefore / 2 ** 20), heapGrowthMb: Math.round(growth / 2 ** 20) });
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT);
  });
});
