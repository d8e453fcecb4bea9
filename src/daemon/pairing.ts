// Pairing service of the daemon: one-time pairing codes, the device registry in the conf store, device auth.
import type { Logger } from "pino";
import type { ConfigStore } from "../config/index.js";
import {
  buildPairingUrl,
  createDeviceRegistry,
  createKeyValueDeviceStorage,
  createPairingCodes,
  parseDeviceName,
  type DeviceRegistry,
} from "../pairing/index.js";
import type { Principal } from "../server/index.js";

export interface PairingService {
  readonly devices: DeviceRegistry;
  issue(): { pairingToken: string; expiresAt: number; url: string; fingerprint: string | null };
  pair(pairingToken: string, deviceName: string): { deviceId: string; deviceToken: string; deviceName: string };
  verifyDevice(token: string, address?: string): Principal | null;
}

export interface PairingServiceOptions {
  store: ConfigStore;
  logger: Logger;
  ttlMs: number;
  /** Where the QR points: protocol, host and port of the daemon on the LAN. */
  target: () => { protocol: "http" | "https"; host: string; port: number; fingerprint: string | null };
}

export function createPairingService(options: PairingServiceOptions): PairingService {
  const codes = createPairingCodes({ ttlMs: options.ttlMs });
  const devices = createDeviceRegistry({
    storage: createKeyValueDeviceStorage({
      get: (key) => options.store.get(key),
      set: (key, value) => options.store.set(key, value),
    }),
    logger: options.logger,
  });
  return {
    devices,
    issue() {
      const { pairingToken, expiresAt } = codes.issue();
      const t = options.target();
      const url = buildPairingUrl({ protocol: t.protocol, host: t.host, port: t.port, pairingToken, ...(t.fingerprint ? { fingerprint: t.fingerprint } : {}) });
      return { pairingToken, expiresAt, url, fingerprint: t.fingerprint };
    },
    pair(pairingToken, deviceName) {
      // Check the name first: a bad name must not use up the one-time code.
      const name = parseDeviceName(deviceName);
      codes.redeem(pairingToken);
      const paired = devices.pair(name);
      return { deviceId: paired.deviceId, deviceToken: paired.deviceToken, deviceName: paired.device.name };
    },
    verifyDevice(token, address) {
      const record = devices.authenticate(token);
      if (!record) return null;
      devices.touch(record.id, address);
      return { kind: "device", id: record.id, label: record.name };
    },
  };
}
