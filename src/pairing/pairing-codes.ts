// One-time pairing tokens held only in memory (as hashes): issue, single-use redeem, distinct failures.
// Pure: no HTTP, no timers, no logging. Rate limiting of redeem attempts belongs to the server.
import { CompanionError } from "../protocol/errors.js";
import { PAIRING_TOKEN_BYTES, generateToken, hashToken } from "./tokens.js";

export interface PairingCodesOptions {
  /** How long an issued pairing token can be redeemed, in ms. Default 600_000 (10 minutes). */
  ttlMs?: number;
  /** Clock in ms since epoch. Default Date.now. */
  now?: () => number;
  /**
   * How long a used or expired token is remembered after its expiry, in ms, so a late attempt gets
   * PAIRING_TOKEN_USED / PAIRING_TOKEN_EXPIRED instead of PAIRING_TOKEN_UNKNOWN. Default 86_400_000 (24 h).
   */
  rememberMs?: number;
  /** Upper bound on remembered tokens (active, used and expired); the oldest are dropped first. Default 1000. */
  maxEntries?: number;
}

export interface IssuedPairingCode {
  /** 128-bit random, base64url (22 characters). Shown once in the QR; only its hash is kept. */
  pairingToken: string;
  /** ms since epoch after which redeem() fails with PAIRING_TOKEN_EXPIRED. */
  expiresAt: number;
}

export interface RedeemedPairingCode {
  /** When the token was issued, ms since epoch. */
  issuedAt: number;
  /** When it was redeemed (now), ms since epoch. */
  redeemedAt: number;
}

export interface PairingCodes {
  /** A fresh pairing token valid for ttlMs. */
  issue(): IssuedPairingCode;
  /**
   * Marks the token used and returns, or throws CompanionError PAIRING_TOKEN_UNKNOWN, PAIRING_TOKEN_USED
   * or PAIRING_TOKEN_EXPIRED. Synchronous check-and-mark: of two concurrent redeems exactly one wins.
   */
  redeem(pairingToken: string): RedeemedPairingCode;
  /**
   * Checks the token like redeem(), runs `use` and marks the token used only when `use` returns: a
   * pairing that could not be completed (e.g. the device could not be saved) leaves the code valid.
   * Synchronous from check to mark, so of two concurrent calls at most one runs `use`.
   */
  redeemWith<T>(pairingToken: string, use: (redeemed: RedeemedPairingCode) => T): T;
  /** Forgets every outstanding token (they become unknown), e.g. after the master token was rotated. */
  clear(): void;
  /** Tokens that can still be redeemed now. */
  activeCount(): number;
  /** Entries held in memory (active, used, expired); bounded by maxEntries. */
  size(): number;
}

interface Entry {
  issuedAt: number;
  expiresAt: number;
  usedAt?: number;
}

export function createPairingCodes(options: PairingCodesOptions = {}): PairingCodes {
  const ttlMs = options.ttlMs ?? 600_000;
  const now = options.now ?? Date.now;
  const rememberMs = options.rememberMs ?? 86_400_000;
  const maxEntries = options.maxEntries ?? 1000;
  if (!(ttlMs > 0)) throw new RangeError("createPairingCodes: ttlMs must be > 0");
  if (!(rememberMs >= 0)) throw new RangeError("createPairingCodes: rememberMs must be >= 0");
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError("createPairingCodes: maxEntries must be >= 1");

  // Keyed by sha256(token): a heap dump or a debugger shows no redeemable token.
  // Map iteration order is insertion order, so the first keys are the oldest.
  const entries = new Map<string, Entry>();

  function prune(t: number): void {
    for (const [hash, entry] of entries) {
      if (t >= entry.expiresAt + rememberMs) entries.delete(hash);
    }
    for (const hash of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(hash);
    }
  }

  function redeemWith<T>(pairingToken: string, use: (redeemed: RedeemedPairingCode) => T): T {
    const t = now();
    prune(t);
    const entry = typeof pairingToken === "string" ? entries.get(hashToken(pairingToken)) : undefined;
    if (!entry) throw new CompanionError("PAIRING_TOKEN_UNKNOWN");
    if (entry.usedAt !== undefined) throw new CompanionError("PAIRING_TOKEN_USED");
    if (t >= entry.expiresAt) throw new CompanionError("PAIRING_TOKEN_EXPIRED");
    // No await between the checks above and this mark (use is synchronous): JavaScript runs it to completion.
    const result = use({ issuedAt: entry.issuedAt, redeemedAt: t });
    entry.usedAt = t;
    return result;
  }

  return {
    issue() {
      const t = now();
      const pairingToken = generateToken(PAIRING_TOKEN_BYTES);
      const entry: Entry = { issuedAt: t, expiresAt: t + ttlMs };
      entries.set(hashToken(pairingToken), entry);
      prune(t);
      return { pairingToken, expiresAt: entry.expiresAt };
    },
    redeem: (pairingToken) => redeemWith(pairingToken, (r) => r),
    redeemWith,
    clear() {
      entries.clear();
    },
    activeCount() {
      const t = now();
      let n = 0;
      for (const entry of entries.values()) if (entry.usedAt === undefined && t < entry.expiresAt) n++;
      return n;
    },
    size: () => entries.size,
  };
}
