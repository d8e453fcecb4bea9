// The static handler: types, caching by file kind, CSP, `/` only as SPA fallback, no way out of the root.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import polka from "polka";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { contentSecurityPolicy, createStaticHandler, isUnsafePath } from "../../src/server/static.js";
import { useTestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const daemons = useTestDaemon({ lazy: true });
let server: Server;
let base: { host: string; port: number };

function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    // http.request sends the path as given (no normalisation of `..`), like a hostile client would.
    const req = request({ ...base, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = tempDir("cc-static-");
  const root = join(dir, "web");
  mkdirSync(join(root, "assets"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(root, "manifest.webmanifest"), "{}");
  writeFileSync(join(root, "assets", "app-ABCD1234.js"), "console.log(1)");
  writeFileSync(join(root, "assets", "app-ABCD1234.css"), "body{}");
  writeFileSync(join(root, "assets", "icon-192-abcdefgh.png"), Buffer.from([0x89, 0x50]));
  writeFileSync(join(root, ".secret"), "dotfile");
  writeFileSync(join(dir, "secret.txt"), "outside the root");
  const app = polka({ onNoMatch: (_req, res) => { res.statusCode = 404; res.end("no route"); } });
  const handler = createStaticHandler({ root });
  app.get("/api/x", (_req, res) => void res.end("api"));
  app.get("/*", handler).get("/", handler);
  server = createServer((req, res) => void app.handler(req as never, res, undefined as never));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = { host: "127.0.0.1", port: (server.address() as AddressInfo).port };
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  cleanupTempDirs();
});

describe("serving", () => {
  test("`/` is index.html, revalidated, with the CSP and no inline script allowed", async () => {
    const r = await get("/", { host: "192.168.1.20:3001" });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html;charset=utf-8");
    expect(r.headers["cache-control"]).toBe("no-cache");
    const csp = String(r.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://192.168.1.20:3001 wss://192.168.1.20:3001");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.body).toContain("<title>app</title>");
  });

  test.each([
    ["/assets/app-ABCD1234.js", "text/javascript", "public, max-age=31536000, immutable"],
    ["/assets/app-ABCD1234.css", "text/css", "public, max-age=31536000, immutable"],
    ["/assets/icon-192-abcdefgh.png", "image/png", "public, max-age=31536000, immutable"],
    ["/manifest.webmanifest", "application/manifest+json", "no-cache"],
    ["/index.html", "text/html;charset=utf-8", "no-cache"],
  ])("%s: %s, %s", async (path, type, cache) => {
    const r = await get(path);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe(type);
    expect(r.headers["cache-control"]).toBe(cache);
  });

  test("HEAD works; other methods and API paths pass through", async () => {
    expect((await get("/", {}, "HEAD")).status).toBe(200);
    expect((await get("/api/x")).body).toBe("api");
    expect((await get("/", {}, "POST")).status).toBe(404);
  });

  test("an unknown path is not answered with the app (SPA fallback is `/` only)", async () => {
    const r = await get("/some/deep/link");
    expect(r.status).toBe(404);
    expect(r.body).toBe("no route");
  });

  test("a weird Host header is not echoed into the CSP", async () => {
    const r = await get("/", { host: "evil.example; script-src *" });
    expect(String(r.headers["content-security-policy"])).toContain("connect-src 'self';");
  });
});

describe("no way out of the root", () => {
  test.each([
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/assets/..%00/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/.secret",
    "//secret.txt",
  ])("%s -> 404", async (path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain("outside the root");
    expect(r.body).not.toContain("dotfile");
  });

  test.each([
    ["/a/../b", true],
    ["/%2e%2e/", true],
    ["/%252e%252e/", true],
    ["/%zz", true],
    ["/a\\b", true],
    ["/assets/app-1.js", false],
    ["/", false],
    ["/a..b/c", false],
  ])("isUnsafePath(%j) = %s", (path, unsafe) => {
    expect(isUnsafePath(path)).toBe(unsafe);
  });
});

test("a missing build answers `/` with 503 and a hint", async () => {
  const handler = createStaticHandler({ root: join(tempDir("cc-static-empty-"), "nothing") });
  const res = { statusCode: 0, headers: {} as Record<string, string>, body: "", setHeader(k: string, v: string) { this.headers[k.toLowerCase()] = v; }, end(b: string) { this.body = b; } };
  let nexted = false;
  handler({ method: "GET", url: "/", headers: {} } as never, res as never, () => (nexted = true));
  expect(res.statusCode).toBe(503);
  expect(res.body).toContain("npm run build");
  handler({ method: "GET", url: "/x.js", headers: {} } as never, res as never, () => (nexted = true));
  expect(nexted).toBe(true);
});

test("contentSecurityPolicy without a host keeps connect-src to 'self'", () => {
  expect(contentSecurityPolicy(undefined)).toContain("connect-src 'self';");
});

// `npm test` builds first; a bare `vitest run` without a build has no client to serve.
const built = existsSync(resolve(import.meta.dirname, "../../dist/web/index.html"));
describe.skipIf(!built)("mounted in the daemon", () => {
  test("the daemon serves the client at `/` with the CSP, and traversal gets 404", async () => {
    const d = await daemons.start();
    const saved = base;
    base = { host: "127.0.0.1", port: Number(new URL(d.url).port) };
    try {
      const r = await get("/");
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toBe("text/html;charset=utf-8");
      expect(String(r.headers["content-security-policy"])).toContain("script-src 'self'");
      for (const path of ["/../package.json", "/%2e%2e/package.json", "/assets/..%2f..%2fpackage.json"]) {
        expect((await get(path)).status).toBe(404);
      }
      // API routes still answer as the API (JSON errors), not with the app.
      const api = await get("/api/nope");
      expect(api.status).toBe(401);
    } finally {
      base = saved;
    }
  });
});
