// Random tokens, their storage hashes and timing-safe comparison. Pure: no I/O, no logging of values.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Bytes of a master or device token (256 bit). */
export const DEVICE_TOKEN_BYTES = 32;
/** Bytes of a one-time pairing token (128 bit). */
export const PAIRING_TOKEN_BYTES = 16;

/**
 * A random token, base64url without padding.
 * @param bytes random bytes, an integer 1..1024; default 32 (256 bit, 43 characters).
 */
export function generateToken(bytes = DEVICE_TOKEN_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new RangeError(`generateToken: bytes must be an integer 1..1024, got ${String(bytes)}`);
  }
  return randomBytes(bytes).toString("base64url");
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** SHA-256 of the token's UTF-8 bytes, lowercase hex (64 characters). What is stored instead of a token. */
export function hashToken(token: string): string {
  return digest(token).toString("hex");
}

/**
 * Constant-time equality of two secrets. Both are hashed first so the comparison runs over two
 * equal-length digests: neither the content nor the length of the expected secret leaks through timing.
 */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Constant-time equality of two hashes from hashToken(); false for anything that is not one. */
export function hashesEqual(a: string, b: string): boolean {
  const okA = HEX_SHA256.test(a);
  const okB = HEX_SHA256.test(b);
  // Compare even when malformed, so a bad stored hash costs the same time as a good one.
  const bufA = Buffer.from(okA ? a : "0".repeat(64), "hex");
  const bufB = Buffer.from(okB ? b : "f".repeat(64), "hex");
  return timingSafeEqual(bufA, bufB) && okA && okB;
}

/** True for a string that hashToken() could have produced. */
export function isTokenHash(value: unknown): value is string {
  return typeof value === "string" && HEX_SHA256.test(value);
}
