// The pairing flow as the server will compose it, without HTTP: QR -> fragment -> redeem -> device
// token -> authenticate -> revoke. Also checks that no secret reaches the log.
import { Writable } from "node:stream";
import { expect, test } from "vitest";
import { createLogger } from "../../src/log.js";
import {
  buildPairingUrl,
  createDeviceRegistry,
  createMemoryDeviceStorage,
  createPairingCodes,
  parsePairingFragment,
} from "../../src/pairing/index.js";

test("pair a phone from the QR, use its token, revoke it; no secret in the log", () => {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString("utf8"));
      cb();
    },
  });
  const logger = createLogger({ format: "json", level: "trace", destination });
  const codes = createPairingCodes();
  const devices = createDeviceRegistry({ storage: createMemoryDeviceStorage(), logger });
  const closed: string[] = [];
  devices.onRevoke((d) => closed.push(d.id));

  const { pairingToken } = codes.issue();
  const url = buildPairingUrl({ protocol: "http", host: "192.168.1.20", port: 8787, pairingToken });
  const fragment = parsePairingFragment(new URL(url).hash);
  expect(fragment?.pairingToken).toBe(pairingToken);

  // POST /api/pair { pairingToken, deviceName }
  codes.redeem(fragment!.pairingToken);
  const { deviceId, deviceToken } = devices.pair("Anna's phone");
  expect(() => codes.redeem(pairingToken)).toThrow(expect.objectContaining({ code: "PAIRING_TOKEN_USED" }));

  const device = devices.authenticate(deviceToken);
  expect(device?.id).toBe(deviceId);
  devices.touch(deviceId, "192.168.1.33");

  expect(devices.revoke(deviceId)).toBe(true);
  expect(closed).toEqual([deviceId]);
  expect(devices.authenticate(deviceToken)).toBeNull();

  const log = out.join("");
  expect(log).toContain("Device paired");
  expect(log).not.toContain(pairingToken);
  expect(log).not.toContain(deviceToken);
});
