// Serves the built phone client (dist/web) at `/` with sirv: caching by file kind, CSP, nothing outside the root.
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sirv from "sirv";

export interface StaticHandlerOptions {
  /** Directory of the built client, normally `dist/web` (index.html, manifest.webmanifest, assets/). */
  root: string;
}

/** Connect/polka-style middleware: answers GET/HEAD for the client's files, calls `next()` for everything else. */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Hashed, immutable assets live under this prefix; everything else is revalidated on each load. */
const ASSETS_PREFIX = "/assets/";
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

// Host header values safe to echo into the CSP: a name or IPv4 with a port, or a bracketed IPv6 with a port.
const HOST_SHAPE = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * No inline script or style anywhere; the socket may only go back to the page's own host.
 * The explicit ws:/wss: entries are for browsers whose 'self' does not cover WebSocket schemes.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST_SHAPE.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${sockets}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** True for any path that could climb out of the root once decoded: `..` segments, backslashes, NUL, bad escapes. */
export function isUnsafePath(rawPath: string): boolean {
  let p = rawPath;
  for (let i = 0; i < 4; i++) {
    if (/(^|[/\\])\.\.($|[/\\])/.test(p) || p.includes("\\") || p.includes("\0")) return true;
    if (!p.includes("%")) return false;
    try {
      const decoded = decodeURIComponent(p);
      if (decoded === p) return false;
      p = decoded;
    } catch {
      return true;
    }
  }
  return true; // encoded more than four times: nobody legitimate does that
}

/**
 * Where the built client is: `dist/web` beside the bundled daemon (dist/*.js), or `dist/web` of the
 * repository when running from source (src/server/static.ts). The first that has an index.html wins.
 */
export function defaultWebRoot(): string {
  const candidates = [fileURLToPath(new URL("./web", import.meta.url)), fileURLToPath(new URL("../../dist/web", import.meta.url))];
  return candidates.find((dir) => existsSync(join(dir, "index.html"))) ?? candidates[0]!;
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end("Not found\n");
}

function isServerPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/") || path === "/ws" || path === "/health";
}

export function createStaticHandler(options: StaticHandlerOptions): StaticHandler {
  const root = resolve(options.root);
  const built = existsSync(join(root, "index.html"));
  // Non-dev sirv lists the files once at start and serves only those: a request cannot name a file outside root.
  const serve = built
    ? sirv(root, {
        dev: false,
        etag: true,
        dotfiles: false,
        extensions: ["html"],
        setHeaders(res, pathname) {
          res.setHeader("Cache-Control", pathname.startsWith(ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE);
        },
      })
    : null;

  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    if (isServerPath(rawPath)) return next();
    if (isUnsafePath(rawPath)) return notFound(res);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(req.headers.host));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (!serve) {
      if (rawPath !== "/") return next();
      res.statusCode = 503;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.setHeader("Cache-Control", "no-store");
      res.end("The phone client is not built. Run `npm run build` and restart the daemon.\n");
      return;
    }
    serve(req, res, next);
  };
}
