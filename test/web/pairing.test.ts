// What the phone reads from the QR link, and the name it pairs under.
import { expect, test } from "vitest";
import { deviceNameFor, parseFragment } from "../../src/web/pairing.js";

test.each([
  ["#pair=abc_DEF-123", { kind: "pair", pairingToken: "abc_DEF-123" }],
  ["#pair=abc&fp=AB:CD:EF", { kind: "pair", pairingToken: "abc", fingerprint: "AB:CD:EF" }],
  ["#token=0123456789abcdef0123", { kind: "token", token: "0123456789abcdef0123" }],
  ["", { kind: "none" }],
  ["#", { kind: "none" }],
  ["#/s/123", { kind: "none" }],
  ["#pair=", { kind: "none" }],
  ["#pair=%3Cscript%3E", { kind: "none" }],
  ["#token=a%20b", { kind: "none" }],
])("parseFragment(%j)", (hash, expected) => {
  expect(parseFragment(hash)).toEqual(expected);
});

test.each([
  ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "iPhone Safari"],
  ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "Android Chrome"],
  ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36", "Linux Chrome"],
  ["", "Browser"],
])("deviceNameFor(%j) = %s", (ua, name) => {
  expect(deviceNameFor(ua)).toBe(name);
  expect(name.length).toBeLessThanOrEqual(64);
});
