// Cross-cutting HTTP middleware: request log, security headers, authentication of /api.
import type { Middleware, Request } from "polka";
import type { Logger } from "pino";
import { redactUrl } from "../log.js";
import { CompanionError } from "../protocol/index.js";
import { extractToken, type Authenticator, type Principal } from "./auth.js";
import { sendError } from "./http-utils.js";

export type AuthedRequest = Request & { principal?: Principal };

export function requestLog(logger: Logger): Middleware {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        { method: req.method, path: redactUrl(req.originalUrl ?? req.url), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
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

export function requireAuth(auth: Authenticator, logger: Logger): Middleware<AuthedRequest> {
  return (req, res, next) => {
    const principal = auth.verify(extractToken(req));
    if (!principal) return sendError(res, new CompanionError("UNAUTHORIZED"), logger);
    req.principal = principal;
    void next();
  };
}
