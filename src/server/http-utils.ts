// Small HTTP helpers: JSON replies, the shared error body, JSON body reading with a size limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { CompanionError, type ErrorBody } from "../protocol/index.js";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Any thrown value becomes the shared error body; unknown errors become INTERNAL (stack logged, never sent). */
export function toCompanionError(err: unknown, logger?: Logger): CompanionError {
  if (err instanceof CompanionError) return err;
  logger?.error({ err }, "unhandled error");
  return new CompanionError("INTERNAL");
}

export function errorBody(err: CompanionError, requestId?: string | null, sessionId?: string): ErrorBody {
  return {
    type: "error",
    requestId: requestId ?? null,
    ...(sessionId ? { sessionId } : {}),
    data: { code: err.code, message: err.message, details: err.details },
  };
}

export function sendError(res: ServerResponse, err: unknown, logger?: Logger, headers: Record<string, string> = {}): void {
  const e = toCompanionError(err, logger);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = e.details.retryAfter;
  sendJson(res, e.status, errorBody(e), typeof retry === "number" ? { "Retry-After": String(retry), ...headers } : headers);
}

/** Reads a JSON body up to `limit` bytes; PAYLOAD_TOO_LARGE / UNSUPPORTED_MEDIA_TYPE / BAD_REQUEST otherwise. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new CompanionError("PAYLOAD_TOO_LARGE", { limit });
  if (declared === 0 || (!req.headers["content-length"] && !req.headers["transfer-encoding"])) {
    if (type && type !== "application/json") throw new CompanionError("UNSUPPORTED_MEDIA_TYPE");
    return undefined;
  }
  if (type !== "application/json") throw new CompanionError("UNSUPPORTED_MEDIA_TYPE", {}, { contentType: type || null });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new CompanionError("PAYLOAD_TOO_LARGE", { limit });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CompanionError("BAD_REQUEST", { reason: "the body is not valid JSON" }, { parseError: (e as Error).message });
  }
}
