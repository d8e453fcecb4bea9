import { describe, expect, test } from "vitest";
import { createPairingCodes } from "../../src/pairing/pairing-codes.js";
import { CompanionError } from "../../src/protocol/errors.js";

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(CompanionError);
    return (e as CompanionError).code;
  }
}

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createPairingCodes", () => {
  test("issues a 128-bit base64url token valid for 10 minutes by default", () => {
    const clock = fakeClock();
    const codes = createPairingCodes({ now: clock.now });
    const { pairingToken, expiresAt } = codes.issue();
    expect(pairingToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(pairingToken, "base64url")).toHaveLength(16);
    expect(expiresAt).toBe(clock.now() + 600_000);
  });

  // Each row: steps applied to one freshly issued token; the expected outcome of the last redeem.
  test.each([
    { name: "fresh token", advanceMs: 0, redeemsBefore: 0, expected: null },
    { name: "just before expiry", advanceMs: 599_999, redeemsBefore: 0, expected: null },
    { name: "at expiry", advanceMs: 600_000, redeemsBefore: 0, expected: "PAIRING_TOKEN_EXPIRED" },
    { name: "long after expiry", advanceMs: 3_600_000, redeemsBefore: 0, expected: "PAIRING_TOKEN_EXPIRED" },
    { name: "second use", advanceMs: 0, redeemsBefore: 1, expected: "PAIRING_TOKEN_USED" },
    { name: "second use after expiry", advanceMs: 700_000, redeemsBefore: 1, expected: "PAIRING_TOKEN_USED" },
  ])("$name -> $expected", ({ advanceMs, redeemsBefore, expected }) => {
    const clock = fakeClock();
    const codes = createPairingCodes({ now: clock.now });
    const { pairingToken } = codes.issue();
    for (let i = 0; i < redeemsBefore; i++) codes.redeem(pairingToken);
    clock.advance(advanceMs);
    expect(codeOf(() => codes.redeem(pairingToken))).toBe(expected);
  });

  test.each([
    ["a token never issued", "AAAAAAAAAAAAAAAAAAAAAA"],
    ["an empty string", ""],
    ["a very long string", "x".repeat(100_000)],
    ["a non-string", 42 as unknown as string],
  ])("%s is PAIRING_TOKEN_UNKNOWN", (_name, token) => {
    const codes = createPairingCodes();
    codes.issue();
    expect(codeOf(() => codes.redeem(token))).toBe("PAIRING_TOKEN_UNKNOWN");
  });

  test("the ttl is configurable", () => {
    const clock = fakeClock();
    const codes = createPairingCodes({ now: clock.now, ttlMs: 1000 });
    const { pairingToken, expiresAt } = codes.issue();
    expect(expiresAt).toBe(clock.now() + 1000);
    clock.advance(1000);
    expect(codeOf(() => codes.redeem(pairingToken))).toBe("PAIRING_TOKEN_EXPIRED");
  });

  test("of two concurrent redeems of one token exactly one wins", async () => {
    const codes = createPairingCodes();
    const { pairingToken } = codes.issue();
    const attempt = async () => {
      await Promise.resolve();
      return codes.redeem(pairingToken);
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, attempt));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) expect((r.reason as CompanionError).code).toBe("PAIRING_TOKEN_USED");
  });

  test("several tokens are independent", () => {
    const codes = createPairingCodes();
    const a = codes.issue().pairingToken;
    const b = codes.issue().pairingToken;
    codes.redeem(a);
    expect(codeOf(() => codes.redeem(b))).toBeNull();
    expect(codes.activeCount()).toBe(0);
  });

  test("holds no token in memory, only hashes", () => {
    const codes = createPairingCodes();
    const { pairingToken } = codes.issue();
    // The closure state is not reachable from outside; the public surface exposes no token either.
    expect(JSON.stringify(codes)).not.toContain(pairingToken);
    expect(Object.values(codes).some((v) => typeof v === "string" && v.includes(pairingToken))).toBe(false);
  });

  test("forgets used and expired tokens after rememberMs (then they are unknown)", () => {
    const clock = fakeClock();
    const codes = createPairingCodes({ now: clock.now, ttlMs: 1000, rememberMs: 5000 });
    const used = codes.issue().pairingToken;
    const expired = codes.issue().pairingToken;
    codes.redeem(used);
    clock.advance(5999);
    expect(codeOf(() => codes.redeem(used))).toBe("PAIRING_TOKEN_USED");
    expect(codeOf(() => codes.redeem(expired))).toBe("PAIRING_TOKEN_EXPIRED");
    clock.advance(1);
    expect(codeOf(() => codes.redeem(used))).toBe("PAIRING_TOKEN_UNKNOWN");
    expect(codeOf(() => codes.redeem(expired))).toBe("PAIRING_TOKEN_UNKNOWN");
    expect(codes.size()).toBe(0);
  });

  test("memory is bounded by maxEntries, oldest dropped first", () => {
    const codes = createPairingCodes({ maxEntries: 50 });
    const tokens = Array.from({ length: 200 }, () => codes.issue().pairingToken);
    expect(codes.size()).toBe(50);
    expect(codeOf(() => codes.redeem(tokens[0]!))).toBe("PAIRING_TOKEN_UNKNOWN");
    expect(codeOf(() => codes.redeem(tokens[199]!))).toBeNull();
  });

  test("clear() makes every outstanding token unknown", () => {
    const codes = createPairingCodes();
    const { pairingToken } = codes.issue();
    codes.clear();
    expect(codeOf(() => codes.redeem(pairingToken))).toBe("PAIRING_TOKEN_UNKNOWN");
  });

  test("the error messages carry no token", () => {
    const codes = createPairingCodes();
    const { pairingToken } = codes.issue();
    codes.redeem(pairingToken);
    let err: CompanionError | undefined;
    try {
      codes.redeem(pairingToken);
    } catch (e) {
      err = e as CompanionError;
    }
    expect(err?.status).toBe(401);
    expect(err!.message + JSON.stringify(err!.details)).not.toContain(pairingToken);
  });
});
