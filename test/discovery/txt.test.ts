import { describe, expect, test } from "vitest";
import { TXT_KEYS, encodeTxt, serviceHost, serviceInstanceName } from "../../src/discovery/txt.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const base = { v: "0.1.0", proto: 1, tls: false, id: "srv_Abc123", auth: "token" };

describe("encodeTxt", () => {
  test.each([
    ["plain http", base, { v: "0.1.0", proto: "1", tls: "0", id: "srv_Abc123", auth: "token" }],
    ["tls with fingerprint", { ...base, tls: true, fp: FP }, { v: "0.1.0", proto: "1", tls: "1", fp: FP, id: "srv_Abc123", auth: "token" }],
    ["tls as 1, proto as string", { ...base, tls: 1, fp: FP, proto: "2" }, { v: "0.1.0", proto: "2", tls: "1", fp: FP, id: "srv_Abc123", auth: "token" }],
    ["prerelease version", { ...base, v: "1.0.0-beta.2" }, { v: "1.0.0-beta.2", proto: "1", tls: "0", id: "srv_Abc123", auth: "token" }],
  ])("%s", (_name, input, record) => {
    const result = encodeTxt(input);
    expect(result).toEqual({ ok: true, record });
    if (result.ok) for (const key of Object.keys(result.record)) expect(TXT_KEYS).toContain(key);
  });

  test.each([
    ["a token key", { ...base, token: "s3cr3t-value" }, /unexpected key\(s\) token/],
    ["a pairing token", { ...base, pair: "s3cr3t-value" }, /unexpected key\(s\) pair/],
    ["a missing id", { ...base, id: undefined }, /invalid id/],
    ["tls without fp", { ...base, tls: true }, /invalid fp/],
    ["fp without tls", { ...base, fp: FP }, /invalid fp/],
    ["a malformed fp", { ...base, tls: true, fp: "ab:cd" }, /invalid fp/],
    ["auth other than token", { ...base, auth: "none" }, /invalid auth/],
    ["an id with spaces", { ...base, id: "a b c d" }, /invalid id/],
    ["proto 0", { ...base, proto: 0 }, /invalid proto/],
    ["not an object", "v=1", /invalid record/],
  ])("refuses %s, naming keys but never values", (_name, input, reason) => {
    const result = encodeTxt(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.reason).not.toContain("s3cr3t");
    }
  });
});

describe("service names", () => {
  test.each([
    ["devbox", "devbox (claude-companion)", "devbox.local"],
    ["Annas-MacBook-Pro.local", "Annas-MacBook-Pro (claude-companion)", "Annas-MacBook-Pro.local"],
    ["box.example.lan", "box (claude-companion)", "box.local"],
    ["", "computer (claude-companion)", "computer.local"],
    ["x".repeat(80), "x".repeat(44) + " (claude-companion)", "x".repeat(80) + ".local"],
    ["é".repeat(40), "é".repeat(22) + " (claude-companion)", "é".repeat(40) + ".local"],
  ])("%j -> %j on %j", (hostname, name, host) => {
    expect(serviceInstanceName(hostname)).toBe(name);
    expect(Buffer.byteLength(serviceInstanceName(hostname))).toBeLessThanOrEqual(63);
    expect(serviceHost(hostname)).toBe(host);
  });
});
