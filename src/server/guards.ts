// Host and Origin policy: DNS-rebinding guard (421), allowed origins for CORS and WebSocket upgrades (403).
import { isIP } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Middleware } from "polka";
import { CompanionError } from "../protocol/index.js";

export interface OriginPolicy {
  /** Extra accepted Host names (ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** Extra accepted browser origins (ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** This machine's host name (without .local). */
  hostname: string;
  /** The port the server listens on (known after listen). */
  port(): number;
  /** This machine's addresses (LAN and loopback). */
  addresses(): readonly string[];
}

/** The host part of a Host header, lower-cased, without port or IPv6 brackets; "" when it is not `host[:port]`. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  // A port is digits only, and nothing follows it: `localhost:80@evil.com` and `[::1].evil.com` are not ours.
  const m = /^\[([^\]]*)\](?::\d*)?$/.exec(h) ?? /^([^:[\]]*)(?::\d*)?$/.exec(h);
  return m ? m[1]! : "";
}

export function isAllowedHost(header: string | undefined, policy: OriginPolicy): boolean {
  if (!header) return false;
  const host = hostOf(header).replace(/\.$/, "");
  if (isIP(host)) return true;
  const me = policy.hostname.toLowerCase().replace(/\.local$/, "");
  const names = new Set(["localhost", me, `${me}.local`, ...policy.allowedHosts.map((n) => n.toLowerCase())]);
  return names.has(host);
}

/** An origin is allowed when it is configured, or it is this server itself: our port, and one of our addresses or names. */
export function isAllowedOrigin(origin: string, policy: OriginPolicy): boolean {
  if (policy.allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  if (port !== policy.port()) return false;
  const host = hostOf(url.host);
  if (isIP(host)) return ["127.0.0.1", "::1", ...policy.addresses()].includes(host);
  return isAllowedHost(url.host, policy);
}

export function checkHost(req: IncomingMessage, policy: OriginPolicy): void {
  if (!isAllowedHost(req.headers.host, policy)) {
    throw new CompanionError("MISDIRECTED_HOST", { host: (req.headers.host ?? "").slice(0, 255) });
  }
}

/** Throws FORBIDDEN_ORIGIN when a browser Origin header is present and not allowed. */
export function checkOrigin(req: IncomingMessage, policy: OriginPolicy): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (!isAllowedOrigin(origin, policy)) throw new CompanionError("FORBIDDEN_ORIGIN", { origin: origin.slice(0, 255) });
  return origin;
}

/**
 * Fetch Metadata: a request the browser marks `Sec-Fetch-Site: cross-site` (an <img>, a form or a fetch
 * from a foreign page) is refused with FORBIDDEN_ORIGIN before authentication, unless its Origin is
 * allowed, so a foreign page can neither use a token nor spend the address's failed-attempt budget.
 */
export function checkFetchSite(req: IncomingMessage, policy: OriginPolicy): void {
  if (req.headers["sec-fetch-site"] !== "cross-site") return;
  const origin = req.headers.origin;
  if (origin !== undefined && isAllowedOrigin(origin, policy)) return;
  throw new CompanionError("FORBIDDEN_ORIGIN", { origin: (origin ?? "(cross-site, no Origin header)").slice(0, 255) }, { fetchSite: "cross-site" });
}

const CORS_HEADERS = {
  "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Max-Age": "600",
};

/** Host and Fetch-Metadata checks on every request; CORS for allowed origins (never `*`); preflights answered before auth. */
export function hostAndCors(policy: OriginPolicy, onError: (res: ServerResponse, err: unknown) => void): Middleware {
  return (req, res, next) => {
    try {
      checkHost(req, policy);
      checkFetchSite(req, policy);
      const origin = checkOrigin(req, policy);
      if (origin) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Vary", "Origin");
      }
      if (req.method === "OPTIONS") {
        res.writeHead(204, origin ? CORS_HEADERS : {});
        res.end();
        return;
      }
    } catch (err) {
      onError(res, err);
      return;
    }
    void next();
  };
}
