// Headless Chromium for the phone client's end-to-end tests, and a front server that serves dist/web and
// relays /api, /health and /ws to a test daemon, so a test can cut the phone's sockets like a Wi-Fi drop.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { resolve } from "node:path";
import type { Duplex } from "node:stream";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createStaticHandler } from "../../src/server/static.js";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM_PATH);
export const REPO = resolve(import.meta.dirname, "../..");
export const WEB_ROOT = resolve(REPO, "dist/web");

/** Builds dist/web when a test runs without `npm run build` first. */
export function ensureWebBuild(): void {
  if (existsSync(resolve(WEB_ROOT, "index.html"))) return;
  const r = spawnSync(process.execPath, [resolve(REPO, "scripts/build-web.mjs")], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build-web failed:\n${r.stdout}\n${r.stderr}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  /** Every dialog (alert/confirm/prompt) the page opened: XSS would show up here. */
  dialogs: string[];
  /** Every URL the page requested. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
}

/** A 390x844 phone-sized page; dialogs are recorded and dismissed. */
export async function openPhone(browser: Browser, options: { colorScheme?: "light" | "dark" } = {}): Promise<PhonePage> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    colorScheme: options.colorScheme ?? "dark",
    userAgent:
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, dialogs, requests, errors };
}

export interface FrontServer {
  /** http://127.0.0.1:<port>: what the phone opens. */
  readonly url: string;
  /** Where /api, /health and /ws go. */
  setTarget(daemonUrl: string): void;
  /** Destroys every relayed WebSocket connection at once, like the phone losing Wi-Fi. Returns how many. */
  dropSockets(): number;
  /** Stops relaying without closing anything, like a phone asleep: both ends think the socket is open. */
  freezeSockets(): number;
  close(): Promise<void>;
}

const isDaemonPath = (url: string) => {
  const path = url.split("?")[0] ?? "";
  return path === "/health" || path === "/ws" || path === "/api" || path.startsWith("/api/");
};

/**
 * Listens first (the daemon must be told this origin in ALLOWED_ORIGINS), then relays to the daemon set
 * with setTarget. The phone client itself is served by createStaticHandler, exactly as the daemon does.
 */
export async function startFrontServer(root = WEB_ROOT): Promise<FrontServer> {
  let target: URL | null = null;
  const statics = createStaticHandler({ root });
  const pairs = new Set<{ phone: Duplex; daemon: Socket }>();

  const server: Server = createServer((req, res) => {
    if (!isDaemonPath(req.url ?? "/")) {
      statics(req, res, () => {
        res.statusCode = 404;
        res.end("not found");
      });
      return;
    }
    if (!target) {
      res.statusCode = 502;
      res.end("no daemon");
      return;
    }
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!target) return socket.destroy();
    const up = connect(Number(target.port), target.hostname);
    const pair = { phone: socket, daemon: up as Socket };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      socket.destroy();
      up.destroy();
    };
    socket.on("error", forget).on("close", forget);
    up.on("error", forget).on("close", forget);
    up.once("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join("\r\n") + "\r\n\r\n");
      if (head.length > 0) up.write(head);
      socket.pipe(up).pipe(socket);
    });
  });

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget(daemonUrl) {
      target = new URL(daemonUrl);
    },
    dropSockets() {
      const n = pairs.size;
      for (const p of [...pairs]) {
        p.phone.destroy();
        p.daemon.destroy();
      }
      pairs.clear();
      return n;
    },
    freezeSockets() {
      for (const p of pairs) {
        p.phone.unpipe(p.daemon);
        p.daemon.unpipe(p.phone);
        p.phone.pause();
        p.daemon.pause();
      }
      return pairs.size;
    },
    close() {
      for (const p of [...pairs]) {
        p.phone.destroy();
        p.daemon.destroy();
      }
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
