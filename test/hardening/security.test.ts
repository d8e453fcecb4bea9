// Security controls against a hostile LAN peer: token brute force (master, device, WebSocket), secrets
// never logged, constant-time compare, DNS rebinding, cross-site WebSocket, path traversal (static files
// and working directories), socket caps, and file modes of the secrets on disk.
import { chmodSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { generateToken, tokensEqual } from "../../src/pairing/tokens.js";
import { ErrorBodySchema } from "../../src/protocol/index.js";
import type { TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";
import { connectWs } from "../helpers/ws-client.js";
import { FUZZ_SEED } from "./arbitraries.js";
import { figure, finishFile, raw, secretLeaks, startTracked, trackSecret } from "./support.js";

afterAll(async () => {
  const leaks = await finishFile("security");
  cleanupTempDirs();
  expect(leaks).toEqual([]);
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const json = (body: unknown) => ({ "content-type": "application/json", body: JSON.stringify(body) });
const codeOf = (text: string) => ErrorBodySchema.parse(JSON.parse(text)).data.code;

async function pairDevice(d: TestDaemon, name = "phone"): Promise<string> {
  const code = JSON.parse((await raw(d.url, { method: "POST", path: "/api/pairing-codes", headers: bearer(d.daemon.masterToken()) })).text) as { pairingToken: string };
  trackSecret(code.pairingToken);
  const { body, ...headers } = json({ pairingToken: code.pairingToken, deviceName: name });
  const paired = JSON.parse((await raw(d.url, { method: "POST", path: "/api/pair", headers, body })).text) as { deviceToken: string };
  trackSecret(paired.deviceToken);
  return paired.deviceToken;
}

describe("brute force of tokens", () => {
  test("guessing device tokens: 401 ten times, then 429 for every credential of that address, REST and WebSocket", async () => {
    const d = await startTracked();
    const device = await pairDevice(d);
    for (let i = 0; i < 10; i++) {
      // Guesses shaped like real device tokens (32 random bytes, base64url).
      const r = await raw(d.url, { path: "/api/info", headers: bearer(generateToken()) });
      expect(r.status).toBe(401);
      expect(codeOf(r.text)).toBe("UNAUTHORIZED");
    }
    const rightDevice = await raw(d.url, { path: "/api/info", headers: bearer(device) });
    expect(rightDevice.status).toBe(429);
    expect(codeOf(rightDevice.text)).toBe("AUTH_RATE_LIMITED");
    expect(Number(rightDevice.headers["retry-after"])).toBeGreaterThan(0);
    expect((await raw(d.url, { path: "/api/info", headers: bearer(d.token) })).status).toBe(429);
    await expect(connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${device}`] })).rejects.toMatchObject({ status: 429 });
    await expect(connectWs(`${d.wsUrl}?token=${d.token}`)).rejects.toMatchObject({ status: 429 });
    // The unauthenticated health check and other addresses' business go on.
    expect((await raw(d.url, { path: "/health" })).status).toBe(200);
    figure("brute-force", { vector: "device tokens over REST", guesses: 10, blockedAfter: 10 });
  });

  test("guessing through WebSocket upgrades counts against the same limit", async () => {
    const d = await startTracked();
    const guesses = [
      (t: string) => connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${t}`] }),
      (t: string) => connectWs(`${d.wsUrl}?token=${t}`),
      (t: string) => connectWs(d.wsUrl, { headers: bearer(t) }),
    ];
    for (let i = 0; i < 10; i++) await expect(guesses[i % 3]!(generateToken())).rejects.toMatchObject({ status: 401 });
    await expect(connectWs(d.wsUrl, { headers: bearer(d.token) })).rejects.toMatchObject({ status: 429 });
    const rest = await raw(d.url, { path: "/api/sessions", headers: bearer(d.token) });
    expect(rest.status).toBe(429);
    expect(codeOf(rest.text)).toBe("AUTH_RATE_LIMITED");
    figure("brute-force", { vector: "WebSocket upgrades (subprotocol, query, header)", guesses: 10, blockedAfter: 10 });
  });

  test("a revoked device token is refused at once and counts as a failure", async () => {
    const d = await startTracked();
    const device = await pairDevice(d, "lost phone");
    const list = JSON.parse((await raw(d.url, { path: "/api/devices", headers: bearer(d.token) })).text) as { devices: { id: string }[] };
    await raw(d.url, { method: "DELETE", path: `/api/devices/${list.devices[0]!.id}`, headers: bearer(d.token) });
    expect((await raw(d.url, { path: "/api/info", headers: bearer(device) })).status).toBe(401);
    await expect(connectWs(d.wsUrl, { headers: bearer(device) })).rejects.toMatchObject({ status: 401 });
  });
});

describe("secrets never reach a log line", () => {
  test("tokens sent in every place the server reads them, and a few it does not, stay out of the log", async () => {
    const d = await startTracked();
    const device = await pairDevice(d);
    const t = d.token;
    const paths = [
      `/api/info?token=${t}`,
      `/api/info?%74oken=${t}`,
      `/api/info?tok%65n=${t}`,
      `/api/info?TOKEN=${t}`,
      `/api/info?access_token=${t}`,
      `/api/info?a=1&token=${t}&b=2`,
      `/api/info?token=${device}`,
      `/api/nothing?token=${t}`,
      `/health?token=${t}`,
      `/?token=${t}`,
    ];
    for (const path of paths) await raw(d.url, { path });
    await raw(d.url, { path: "/api/info", headers: { authorization: `Basic ${t}` } });
    await raw(d.url, { path: "/api/info", headers: { authorization: `Bearer ${t} extra` } });
    await connectWs(`${d.wsUrl}?token=${t}`).then((c) => c.close());
    await connectWs(`${d.wsUrl}?%74oken=${t}`).then((c) => c.close());
    await connectWs(d.wsUrl, { protocols: ["claude-companion", `bearer.${device}`] }).then((c) => c.close());
    await connectWs(d.wsUrl, { headers: { "x-token": t } }).catch(() => undefined);
    // A pairing token in a bad exchange (bad name: the code is not used up) and in a good one.
    const code = JSON.parse((await raw(d.url, { method: "POST", path: "/api/pairing-codes", headers: bearer(t) })).text) as { pairingToken: string; url: string };
    trackSecret(code.pairingToken);
    for (const deviceName of ["bad\u0000name", "ok"]) {
      const { body, ...headers } = json({ pairingToken: code.pairingToken, deviceName });
      const r = await raw(d.url, { method: "POST", path: `/api/pair?token=${code.pairingToken}`, headers, body });
      if (r.status === 200) trackSecret((JSON.parse(r.text) as { deviceToken: string }).deviceToken);
    }
    await raw(d.url, { method: "POST", path: "/api/token/rotate", headers: bearer(t) });
    trackSecret(d.daemon.masterToken());
    expect(d.daemon.masterToken()).not.toBe(t);
    const { leaks, lines } = secretLeaks();
    expect(lines).toBeGreaterThan(paths.length);
    expect(leaks).toEqual([]);
    // The query token still works (it is only hidden from the log).
    expect((await raw(d.url, { path: `/api/info?%74oken=${d.daemon.masterToken()}` })).status).toBe(200);
  });
});

describe("constant-time comparison", () => {
  test("tokensEqual compares SHA-256 digests with crypto.timingSafeEqual, whatever the lengths", () => {
    // timingSafeEqual throws on inputs of different lengths: no throw for any pair of lengths shows
    // that both sides are hashed to 32 bytes first, so neither content nor length leaks through timing.
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        expect(tokensEqual(a, b)).toBe(a === b);
        expect(tokensEqual(a, a)).toBe(true);
      }),
      { numRuns: 2000, seed: FUZZ_SEED },
    );
    // And the code is what it says (read, not timed: a timing test on a shared CI machine is noise).
    const source = readFileSync(resolve(import.meta.dirname, "../../src/pairing/tokens.ts"), "utf8");
    const body = /export function tokensEqual\([^)]*\): boolean \{([^}]*)\}/.exec(source)?.[1] ?? "";
    expect(body.trim()).toBe("return timingSafeEqual(digest(a), digest(b));");
    expect(source).toMatch(/function digest\(value: string\): Buffer \{\s*return createHash\("sha256"\)/);
    // The master token goes through it; device tokens are looked up by their SHA-256 with hashesEqual (timingSafeEqual too).
    expect(readFileSync(resolve(import.meta.dirname, "../../src/server/auth.ts"), "utf8")).toMatch(/tokensEqual\(token, options\.masterToken\(\)\)/);
    expect(readFileSync(resolve(import.meta.dirname, "../../src/pairing/devices.ts"), "utf8")).toMatch(/hashesEqual\(hash, r\.tokenHash\)/);
  });
});

describe("Host and Origin", () => {
  test("DNS rebinding: a Host that is not ours gets 421 on every route and on the upgrade, never content", async () => {
    const d = await startTracked();
    const port = new URL(d.url).port;
    const me = hostname().toLowerCase();
    const bad = [
      "evil.example.com",
      `evil.example.com:${port}`,
      "127.0.0.1.nip.io",
      `localhost.evil.com:${port}`,
      `${me}.evil.com`,
      `${me}.local.evil.com`,
      "0x7f000001",
      "2130706433",
      "127.1",
      "localhost:80@evil.com",
      "[::1].evil.com",
    ];
    const routes: [string, Record<string, string>][] = [
      ["/health", {}],
      ["/api/info", bearer(d.token)],
      ["/", {}],
      ["/index.html", {}],
    ];
    let checked = 0;
    for (const host of bad) {
      for (const [path, headers] of routes) {
        const r = await raw(d.url, { path, headers: { ...headers, host } });
        // Node's parser refuses a few outright (400); everything else is ours: 421.
        expect([400, 421], `${host} ${path}`).toContain(r.status);
        if (r.status === 421) expect(codeOf(r.text)).toBe("MISDIRECTED_HOST");
        checked++;
      }
      await expect(connectWs(d.wsUrl, { headers: { ...bearer(d.token), host } })).rejects.toMatchObject({ status: expect.any(Number) });
    }
    // Random names: never answered as ours.
    await fc.assert(
      fc.asyncProperty(fc.domain(), async (name) => {
        fc.pre(![me, `${me}.local`, "localhost"].includes(name.toLowerCase()));
        const r = await raw(d.url, { path: "/api/info", headers: { ...bearer(d.token), host: `${name}:${port}` } });
        expect([400, 421]).toContain(r.status);
        checked++;
      }),
      { numRuns: 500, seed: FUZZ_SEED },
    );
    // Our own names are accepted.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `localhost.:${port}`, `${me}:${port}`, `${me}.local:${port}`, `[::1]:${port}`]) {
      expect((await raw(d.url, { path: "/api/info", headers: { ...bearer(d.token), host } })).status, host).toBe(200);
    }
    figure("dns-rebinding", { hostsRefused: checked });
  });

  test("cross-site WebSocket: a foreign or odd Origin is refused before the upgrade, with the right token", async () => {
    const d = await startTracked();
    const port = new URL(d.url).port;
    const origins = [
      "http://evil.example.com",
      "null",
      `http://localhost:${Number(port) + 1}`,
      `http://127.0.0.1:${port}.evil.com`,
      `http://127.0.0.1@evil.com:${port}`,
      `http://evil.com#@127.0.0.1:${port}`,
      "file://",
      "chrome-extension://abcdefghijklmnop",
      `ws://evil.example.com:${port}`,
      `http://192.0.2.1:${port}`,
    ];
    for (const origin of origins) {
      const err = await connectWs(d.wsUrl, { headers: { ...bearer(d.token), origin } }).catch((e: { status: number; body: string }) => e);
      expect(err, origin).toMatchObject({ status: 403 });
      expect(codeOf((err as { body: string }).body)).toBe("FORBIDDEN_ORIGIN");
    }
    const own = await connectWs(d.wsUrl, { headers: bearer(d.token), origin: `http://127.0.0.1:${port}` });
    await own.next("welcome");
    await own.close();
    figure("cross-site-ws", { originsRefused: origins.length });
  });
});

describe("path traversal", () => {
  test("static files: no encoding of `..` reaches a file outside the web root (the token file included)", async () => {
    const d = await startTracked();
    const configFile = join(d.configDir, "config.json");
    const up = "../".repeat(12);
    const targets = ["package.json", "dist/index.js", `${configFile.slice(1)}`, "etc/passwd"];
    const encodings = [
      (p: string) => `/${up}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "%2e%2e/")}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "%2e%2e%2f")}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "..%2f")}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "%252e%252e%252f")}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "..\\")}${p}`,
      (p: string) => `/${up.replace(/\.\.\//g, "%c0%ae%c0%ae/")}${p}`,
      (p: string) => `/assets/${up}${p}`,
      (p: string) => `//${p}`,
      (p: string) => `/./${up}${p}%00.html`,
    ];
    const secret = d.daemon.masterToken();
    let tried = 0;
    for (const target of targets) {
      for (const encode of encodings) {
        const r = await raw(d.url, { path: encode(target) });
        tried++;
        expect(r.status, encode(target)).toBe(404);
        expect(r.text).not.toContain(secret);
        expect(r.text).not.toContain('"name": "claude-companion"');
        expect(r.text).not.toContain("root:x:0:0");
      }
    }
    // Random mixes of segments and encodings.
    const segment = fc.constantFrom("..", ".", "%2e%2e", "%2E%2e", "..%2f", "%2f", "assets", "index.html", "%252e%252e", "..%5c", "%00", "");
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 16 }), fc.constantFrom(...targets), async (segs, target) => {
        const r = await raw(d.url, { path: `/${segs.join("/")}/${target}` });
        tried++;
        expect(r.text).not.toContain(secret);
        expect(r.text).not.toContain('"name": "claude-companion"');
        expect(r.text).not.toContain("root:x:0:0");
      }),
      { numRuns: 1000, seed: FUZZ_SEED },
    );
    figure("traversal-static", { pathsTried: tried });
  });

  test("working directories: the daemon's verdict matches an independent resolution of `..` and symlinks", async () => {
    const workDir = realpathSync(tempDir("cc-roots-"));
    const outside = realpathSync(tempDir("cc-outside-"));
    mkdirSync(join(workDir, "a", "b"), { recursive: true });
    writeFileSync(join(workDir, "file.txt"), "x");
    symlinkSync(outside, join(workDir, "link-out"));
    symlinkSync(join(workDir, "a"), join(workDir, "link-in"));
    symlinkSync("/", join(workDir, "a", "root"));
    const d = await startTracked({ workDir, env: { MAX_SESSIONS: "1" }, limits: { requestsPerMinute: 1e9 } });
    // One open session fills MAX_SESSIONS: an allowed directory gets TOO_MANY_SESSIONS (nothing spawns), a refused one FORBIDDEN_PATH.
    const { body, ...headers } = json({});
    expect((await raw(d.url, { method: "POST", path: "/api/stream/start", headers: { ...headers, ...bearer(d.token) }, body })).status).toBe(201);
    const expected = (dir: string): string => {
      if (dir.length === 0 || dir.length > 4096) return "BAD_REQUEST";
      if (dir.includes("\0")) return "FORBIDDEN_PATH";
      let real: string;
      try {
        real = realpathSync(resolve(workDir, dir));
      } catch {
        return "FORBIDDEN_PATH";
      }
      if (!statSync(real).isDirectory()) return "FORBIDDEN_PATH";
      const rel = relative(workDir, real);
      const inside = rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes(".."));
      return inside ? "TOO_MANY_SESSIONS" : "FORBIDDEN_PATH";
    };
    const segment = fc.constantFrom("..", ".", "a", "b", "link-out", "link-in", "root", "file.txt", "missing", "%2e%2e", "...", "a\u0000", "tmp", "etc");
    const dirArb = fc.tuple(fc.constantFrom("", "/", `${workDir}/`, `${outside}/`, "./", "//"), fc.array(segment, { maxLength: 8 })).map(([start, segs]) => start + segs.join("/"));
    const verdicts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(dirArb, fc.constantFrom("/api/stream/start", "/api/ask"), async (dir, route) => {
        const payload = route === "/api/ask" ? { prompt: "hi", workingDirectory: dir } : { workingDirectory: dir };
        const r = await raw(d.url, { method: "POST", path: route, headers: { "content-type": "application/json", ...bearer(d.token) }, body: JSON.stringify(payload) });
        const code = codeOf(r.text);
        expect(code, `${route} ${JSON.stringify(dir)}`).toBe(expected(dir));
        verdicts.set(code, (verdicts.get(code) ?? 0) + 1);
      }),
      { numRuns: 1500, seed: FUZZ_SEED },
    );
    // The same through the WebSocket.
    const ws = await connectWs(d.wsUrl, { headers: bearer(d.token) });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(dirArb, async (dir) => {
        const requestId = `wd${++n}`;
        ws.send({ type: "streamStart", requestId, data: { workingDirectory: dir } });
        const reply = await ws.next((f) => f.requestId === requestId);
        expect(reply.data.code, JSON.stringify(dir)).toBe(expected(dir));
      }),
      { numRuns: 500, seed: FUZZ_SEED },
    );
    expect(ws.invalid).toEqual([]);
    await ws.close();
    figure("traversal-cwd", { directoriesTried: 2000, verdicts: Object.fromEntries(verdicts) });
    expect(verdicts.get("FORBIDDEN_PATH")).toBeGreaterThan(50);
    expect(verdicts.get("TOO_MANY_SESSIONS")).toBeGreaterThan(50);
  });
});

describe("socket caps", () => {
  test("20 WebSockets per address at the default limit, also when 40 upgrades race", async () => {
    const d = await startTracked();
    const attempts = await Promise.allSettled(Array.from({ length: 40 }, () => connectWs(d.wsUrl, { headers: bearer(d.token) })));
    const open = attempts.filter((a) => a.status === "fulfilled").map((a) => (a as PromiseFulfilledResult<Awaited<ReturnType<typeof connectWs>>>).value);
    const refused = attempts.filter((a) => a.status === "rejected").map((a) => (a as PromiseRejectedResult).reason as { status: number; body: string });
    expect(open).toHaveLength(20);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(codeOf(r.body)).toBe("TOO_MANY_CONNECTIONS");
    }
    // Failed authentications never hold a slot; a closed socket frees one.
    await expect(connectWs(d.wsUrl, { headers: bearer("wrong") })).rejects.toMatchObject({ status: 401 });
    await open[0]!.close();
    let again: Awaited<ReturnType<typeof connectWs>> | undefined;
    for (let i = 0; i < 50 && !again; i++) again = await connectWs(d.wsUrl, { headers: bearer(d.token) }).catch(() => undefined);
    expect(again).toBeDefined();
    await Promise.all([again!, ...open.slice(1)].map((c) => c.close()));
    figure("socket-cap", { racingUpgrades: 40, accepted: open.length, refused: refused.length });
  });
});

describe("file modes of secrets", () => {
  test("with umask 000: the config dir is 0700 and every file in it 0600 (token, devices, TLS key and certificate, state)", async () => {
    const old = process.umask(0o000);
    try {
      const configDir = join(tempDir("cc-umask-"), "fresh", "claude-companion");
      const d = await startTracked({ configDir, env: { TLS: "true" } });
      await pairDevice(d);
      await raw(d.url, { method: "POST", path: "/api/token/rotate", headers: bearer(d.token) });
      const modes = walk(configDir);
      expect(modes.get(configDir)).toBe(0o700);
      const files = [...modes].filter(([p]) => p !== configDir);
      expect(files.map(([p]) => relative(configDir, p))).toEqual(expect.arrayContaining(["config.json"]));
      expect(files.some(([p]) => /key/i.test(p))).toBe(true);
      for (const [path, mode] of files) expect(mode & 0o077, `${path} is ${mode.toString(8)}`).toBe(0);
      figure("file-modes", { entries: files.map(([p, m]) => `${relative(configDir, p)} ${m.toString(8)}`), groupOrOtherAccess: files.filter(([, m]) => (m & 0o077) !== 0).length });
      await d.close();

      // An existing dir and file left open by someone else are closed again at start.
      chmodSync(configDir, 0o777);
      chmodSync(join(configDir, "config.json"), 0o666);
      const again = await startTracked({ configDir });
      expect(statSync(configDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(configDir, "config.json")).mode & 0o777).toBe(0o600);
      await again.close();
    } finally {
      process.umask(old);
    }
  });
});

/** Modes (permission bits) of a directory and everything below it. */
function walk(dir: string, out = new Map<string, number>()): Map<string, number> {
  out.set(dir, statSync(dir).mode & 0o777);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.set(path, statSync(path).mode & 0o777);
  }
  return out;
}

