// What the phone reads from the QR link (the parser the daemon and the tests share), and the name it pairs under.
import { expect, test } from "vitest";
import { parsePairingFragment } from "../../src/protocol/pairing-link.js";
import { deviceNameFor } from "../../src/web/pairing.js";

const FP = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

test.each([
  ["#pair=abc_DEF-123", { pairingToken: "abc_DEF-123" }],
  [`#pair=abc&fp=${FP}`, { pairingToken: "abc", fingerprint: FP }],
  ["#pair=abc&fp=AB:CD:EF", null],
  ["#token=0123456789abcdef0123", null],
  ["", null],
  ["#", null],
  ["#/s/123", null],
  ["#/new", null],
  ["#pair=", null],
  ["#pair=%3Cscript%3E", null],
])("parsePairingFragment(%j)", (hash, expected) => {
  expect(parsePairingFragment(hash)).toEqual(expected);
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
