import { describe, expect, test } from "vitest";
import { buildPairingUrl, parsePairingFragment, type PairingUrlInput } from "../../src/pairing/qr.js";

const TOKEN = "q1w2e3r4t5y6u7i8o9p0-_";
const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

describe("buildPairingUrl", () => {
  test.each<[string, PairingUrlInput, string]>([
    ["http on an IPv4 address", { protocol: "http", host: "192.168.1.20", port: 8787, pairingToken: TOKEN }, `http://192.168.1.20:8787/#pair=${TOKEN}`],
    ["https with fingerprint", { protocol: "https", host: "mac.local", port: 443, pairingToken: TOKEN, fingerprint: FP }, `https://mac.local:443/#pair=${TOKEN}&fp=${FP}`],
    ["lowercase bare fingerprint normalised", { protocol: "https", host: "h", port: 1, pairingToken: TOKEN, fingerprint: FP.replace(/:/g, "").toLowerCase() }, `https://h:1/#pair=${TOKEN}&fp=${FP}`],
    ["IPv6 bracketed", { protocol: "http", host: "fd00::1", port: 8787, pairingToken: TOKEN }, `http://[fd00::1]:8787/#pair=${TOKEN}`],
    ["IPv6 already bracketed", { protocol: "http", host: "[::1]", port: 8787, pairingToken: TOKEN }, `http://[::1]:8787/#pair=${TOKEN}`],
    ["Tailscale name", { protocol: "https", host: "box.tail1234.ts.net", port: 8443, pairingToken: TOKEN, fingerprint: FP }, `https://box.tail1234.ts.net:8443/#pair=${TOKEN}&fp=${FP}`],
  ])("%s", (_name, input, url) => {
    expect(buildPairingUrl(input)).toBe(url);
    const parsed = new URL(url);
    expect(parsed.port === "" ? String(input.port) : parsed.port).toBe(String(input.port));
    expect(parsePairingFragment(parsed.hash)).toEqual({ pairingToken: TOKEN, ...(input.fingerprint ? { fingerprint: FP } : {}) });
  });

  test.each<[string, Partial<PairingUrlInput>]>([
    ["protocol", { protocol: "ftp" as "http" }],
    ["empty host", { host: "" }],
    ["host with a path", { host: "a/b" }],
    ["host with userinfo", { host: "evil@a" }],
    ["IPv6 zone id", { host: "fe80::1%en0" }],
    ["not an IPv6 address", { host: "a:b" }],
    ["invalid host characters", { host: "a<b" }],
    ["port 0", { port: 0 }],
    ["port 65536", { port: 65536 }],
    ["fractional port", { port: 80.5 }],
    ["empty token", { pairingToken: "" }],
    ["token with '&'", { pairingToken: "a&fp=x" }],
    ["bad fingerprint", { fingerprint: "AB:CD" }],
  ])("rejects a bad %s", (_name, patch) => {
    const base: PairingUrlInput = { protocol: "http", host: "h", port: 1, pairingToken: TOKEN };
    expect(() => buildPairingUrl({ ...base, ...patch })).toThrow();
  });
});

describe("parsePairingFragment", () => {
  test.each<[string, string, ReturnType<typeof parsePairingFragment>]>([
    ["with '#'", `#pair=${TOKEN}`, { pairingToken: TOKEN }],
    ["without '#'", `pair=${TOKEN}`, { pairingToken: TOKEN }],
    ["with fp", `#pair=${TOKEN}&fp=${FP}`, { pairingToken: TOKEN, fingerprint: FP }],
    ["percent-encoded fp", `#pair=${TOKEN}&fp=${encodeURIComponent(FP)}`, { pairingToken: TOKEN, fingerprint: FP }],
    ["lowercase fp", `#fp=${FP.toLowerCase()}&pair=${TOKEN}`, { pairingToken: TOKEN, fingerprint: FP }],
    ["unknown keys ignored", `#x=1&pair=${TOKEN}&y`, { pairingToken: TOKEN }],
    ["empty", "", null],
    ["only '#'", "#", null],
    ["no pair", "#fp=" + FP, null],
    ["empty pair", "#pair=", null],
    ["pair twice", `#pair=${TOKEN}&pair=other`, null],
    ["bad fp", `#pair=${TOKEN}&fp=nothex`, null],
    ["empty fp", `#pair=${TOKEN}&fp=`, null],
    ["malformed escape", `#pair=${TOKEN}&fp=%E0%A4%A`, null],
    ["token with odd characters", "#pair=abc%20def", null],
  ])("%s", (_name, hash, expected) => {
    expect(parsePairingFragment(hash)).toEqual(expected);
  });
});
