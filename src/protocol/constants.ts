// Protocol values the phone client needs at run time: the WebSocket path and subprotocol, the fingerprint format. No zod.

/** Claude Code's permission modes (PermissionModeSchema in common.ts; the config reads them without zod). */
export const PERMISSION_MODES = ["default", "acceptEdits", "bypassPermissions", "plan"] as const;

/** The WebSocket endpoint (HTTP upgrade on the same port as the REST API). */
export const WS_PATH = "/ws";

/** Browsers cannot set headers on a WebSocket: they send `Sec-WebSocket-Protocol: claude-companion, bearer.<token>`. */
export const WS_SUBPROTOCOL = "claude-companion";
/** Prefix of the second subprotocol, which carries the token. */
export const WS_BEARER_PREFIX = "bearer.";

/** Most images one prompt may carry (streamStart, streamSend). */
export const MAX_IMAGES = 20;
/** Largest total size of the images of one prompt, counted as the base64 text sent. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** The image types a prompt may carry (what the Messages API takes). */
export const IMAGE_MEDIA_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

/** 32 uppercase hex bytes joined by colons, as X509Certificate.fingerprint256 prints them. */
export const FINGERPRINT256_PATTERN = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;

/**
 * Accepts "ab:cd:..", "AB-CD-..", "abcd..." (64 hex digits) and returns Node's format, or null when
 * the value is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const hex = value.trim().replace(/[:\-\s]/g, "").toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(":");
}

/** True for a fingerprint exactly in Node's format. */
export function isFingerprint256(value: unknown): value is string {
  return typeof value === "string" && FINGERPRINT256_PATTERN.test(value);
}

/** The sessionUpdate reason of a session closed because a terminal took it over (`POST /api/history/:id/handoff`). */
export const HANDOFF_REASON = "terminal";
