// SHA-256 certificate fingerprints in Node's format ("AB:CD:..."): compute, recognise, normalise. Pure.
import { X509Certificate } from "node:crypto";

/** 32 uppercase hex bytes joined by colons, as X509Certificate.fingerprint256 prints them. */
export const FINGERPRINT256_PATTERN = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * The leaf of a PEM chain (its first certificate), as X509Certificate only parses one. Returns the
 * input unchanged when there is no PEM block, so parsing reports the error.
 */
export function leafCertificatePem(pem: string | Buffer): string {
  const text = typeof pem === "string" ? pem : pem.toString("utf8");
  return PEM_CERTIFICATE.exec(text)?.[0] ?? text;
}

/** The SHA-256 fingerprint of the first certificate in a PEM (chain), e.g. "3F:A1:...". */
export function fingerprintOf(certPem: string | Buffer): string {
  return new X509Certificate(leafCertificatePem(certPem)).fingerprint256;
}

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
