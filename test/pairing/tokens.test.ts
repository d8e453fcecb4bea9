import { describe, expect, test } from "vitest";
import { generateToken, hashToken, hashesEqual, isTokenHash, tokensEqual } from "../../src/pairing/tokens.js";

describe("generateToken", () => {
  test.each([
    [9, 12],
    [16, 22],
    [32, 43],
    [64, 86],
  ])("%i bytes -> %i base64url characters", (bytes, length) => {
    const token = generateToken(bytes);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(length);
    expect(Buffer.from(token, "base64url")).toHaveLength(bytes);
  });

  test("defaults to 32 bytes and never repeats", () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateToken()));
    expect(seen.size).toBe(1000);
    for (const t of seen) expect(t).toHaveLength(43);
  });

  test.each([0, -1, 1.5, 1025, Number.NaN])("rejects %s bytes", (bytes) => {
    expect(() => generateToken(bytes)).toThrow(RangeError);
  });
});

describe("hashToken", () => {
  test.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ])("sha256 hex of %j", (token, hex) => {
    expect(hashToken(token)).toBe(hex);
    expect(isTokenHash(hashToken(token))).toBe(true);
  });
});

describe("tokensEqual", () => {
  const t = generateToken();
  test.each([
    [t, t, true],
    [t, t.slice(0, -1), false],
    [t, t + "x", false],
    [t, "", false],
    ["", "", true],
    ["a", "b", false],
    ["é", "é", true],
  ])("%j vs %j -> %s", (a, b, equal) => {
    expect(tokensEqual(a, b)).toBe(equal);
  });
});

describe("hashesEqual", () => {
  const h = hashToken("x");
  test.each([
    [h, h, true],
    [h, hashToken("y"), false],
    [h, h.toUpperCase(), false],
    [h, h.slice(1), false],
    ["zz", "zz", false],
    ["", "", false],
  ])("%j vs %j -> %s", (a, b, equal) => {
    expect(hashesEqual(a, b)).toBe(equal);
  });
});
