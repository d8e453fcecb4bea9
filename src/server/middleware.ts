// Cross-cutting HTTP middleware: request log, security headers, rate limits, authentication of /api.
import type { Middleware, Request } from "polka";
import type { Logger } from "pino";
import { ACTION_PATH_PREFIX, CompanionError } from "../protocol/index.js";
import { extractToken, type Authenticator, type Principal } from "./auth.js";
import { sendError } from "./http-utils.js";
import { clientAddress } from "./client-address.js";
import type { RateLimiter } from "./rate-limit.js";

export type AuthedRequest = Request & { principal?: Principal };

/** Query parameters that carry a credential, by their name as decoded (extractToken reads `token`). */
const SECRET_PARAMS = new Set(["token", "access_token"]);

/**
 * The request URL as logged: the value of every query parameter whose name, decoded the way the auth
 * code decodes it (`%74oken`, `tok%65n` are `token`), is a credential becomes `[redacted]`.
 */
export function redactRequestUrl(url: string): string {
  // An action URL's path is itself a credential.
  if (url.startsWith(ACTION_PATH_PREFIX)) return `${ACTION_PATH_PREFIX}[redacted]`;
  const q = url.indexOf("?");
  if (q === -1) return url;
  const query = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = new URLSearchParams(eq === -1 ? pair : pair.slice(0, eq)).keys().next().value ?? "";
      return SECRET_PARAMS.has(name.toLowerCase()) ? `${eq === -1 ? pair : pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join("&");
  return `${url.slice(0, q)}?${query}`;
}

export { clientAddress } from "./client-address.js";

export function requestLog(logger: Logger): Middleware {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        { method: req.method, path: redactRequestUrl(req.originalUrl ?? req.url), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        "request",
      );
    });
    void next();
  };
}

export function securityHeaders(): Middleware {
  return (req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    if (req.path.startsWith("/api") || req.path === "/health") res.setHeader("Cache-Control", "no-store");
    void next();
  };
}

/** Token bucket per client address on /api. */
export function rateLimit(limiter: RateLimiter, logger: Logger): Middleware {
  return (req, res, next) => {
    const wait = limiter.take(clientAddress(req));
    if (wait > 0) return sendError(res, new CompanionError("RATE_LIMITED", { retryAfter: wait }), logger);
    void next();
  };
}

export interface AuthGate {
  /** Returns the principal, or throws UNAUTHORIZED / AUTH_RATE_LIMITED. Counts failures per address. */
  check(token: string | undefined, address: string): Principal;
}

/** Failed authentications are limited per address; once over, even the right token gets 429 until it refills. */
export function createAuthGate(auth: Authenticator, failures: RateLimiter, logger: Logger): AuthGate {
  return {
    check(token, address) {
      const blocked = failures.blockedFor(address);
      if (blocked > 0) throw new CompanionError("AUTH_RATE_LIMITED", { retryAfter: blocked });
      const principal = auth.verify(token, address);
      if (principal) return principal;
      failures.take(address);
      logger.warn({ address }, "authentication failed");
      throw new CompanionError("UNAUTHORIZED");
    },
  };
}

export function requireAuth(gate: AuthGate, logger: Logger, publicPaths: ReadonlySet<string>): Middleware<AuthedRequest> {
  return (req, res, next) => {
    // Inside app.use("/api") polka strips the prefix from req.path; the parsed URL keeps the full path.
    if (publicPaths.has(req._parsedUrl.pathname)) return void next();
    try {
      req.principal = gate.check(extractToken(req), clientAddress(req));
    } catch (err) {
      return sendError(res, err, logger);
    }
    void next();
  };
}
