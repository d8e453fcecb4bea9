// SHA-256 certificate fingerprints of PEM certificates; the format itself is protocol/constants.ts's. Pure.
import { X509Certificate } from "node:crypto";

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
