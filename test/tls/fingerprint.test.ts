import { describe, expect, test } from "vitest";
import { isFingerprint256, normalizeFingerprint } from "../../src/protocol/constants.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

describe("normalizeFingerprint", () => {
  test.each([
    [FP, FP],
    [FP.toLowerCase(), FP],
    [FP.replace(/:/g, ""), FP],
    [FP.replace(/:/g, "-"), FP],
    [` ${FP} `, FP],
    [FP.slice(3), null],
    [FP + ":00", null],
    [FP.replace("AB", "GG"), null],
    ["", null],
    [42, null],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeFingerprint(input)).toBe(expected);
  });

  test.each([
    [FP, true],
    [FP.toLowerCase(), false],
    [FP.replace(/:/g, ""), false],
    [null, false],
  ])("isFingerprint256(%j) is %s", (input, expected) => {
    expect(isFingerprint256(input)).toBe(expected);
  });
});
