// Pairing service of the daemon: one-time pairing codes, the device registry in the conf store, device auth, and where a pairing link points.
import type { Logger } from "pino";
import type { ConfigStore, ResolvedConfig } from "../config/index.js";
import {
  buildPairingUrl,
  createDeviceRegistry,
  createKeyValueDeviceStorage,
  createPairingCodes,
  parseDeviceName,
  type DeviceRegistry,
} from "../pairing/index.js";
import { CompanionError, type PairingVia } from "../protocol/index.js";
import type { Principal } from "../server/index.js";
import type { DaemonTailnet } from "./tailnet.js";
import type { DaemonTls } from "./tls.js";

/** Where a QR points: protocol, host and port of the daemon as the phone reaches it. */
export interface PairingTarget {
  protocol: "http" | "https";
  host: string;
  port: number;
  /** Put in the QR (`&fp=`) for a self-signed certificate; null for a publicly trusted one (it renews). */
  fingerprint: string | null;
}

export interface PairingService {
  readonly devices: DeviceRegistry;
  /** Throws PAIRING_VIA_UNAVAILABLE when `via` has no address (no tailnet, no PUBLIC_URL). */
  issue(via?: PairingVia): { pairingToken: string; expiresAt: number; url: string; fingerprint: string | null; via: PairingVia };
  /** Forgets every outstanding pairing code (after the master token was rotated). */
  dropCodes(): void;
  pair(pairingToken: string, deviceName: string): { deviceId: string; deviceToken: string; deviceName: string };
  verifyDevice(token: string, address?: string): Principal | null;
}

export interface PairingServiceOptions {
  store: ConfigStore;
  logger: Logger;
  ttlMs: number;
  /** The address used when the caller names none. */
  defaultVia: () => PairingVia;
  /** Where the QR points for `via`, or why there is no such address. */
  target: (via: PairingVia) => PairingTarget | { unavailable: string };
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
    issue(requested) {
      const via = requested ?? options.defaultVia();
      const t = options.target(via);
      // Checked before a code is made: a refused request leaves no live code behind.
      if ("unavailable" in t) throw new CompanionError("PAIRING_VIA_UNAVAILABLE", { via, reason: t.unavailable });
      const { pairingToken, expiresAt } = codes.issue();
      const url = buildPairingUrl({ protocol: t.protocol, host: t.host, port: t.port, pairingToken, ...(t.fingerprint ? { fingerprint: t.fingerprint } : {}) });
      return { pairingToken, expiresAt, url, fingerprint: t.fingerprint, via };
    },
    dropCodes: () => codes.clear(),
    pair(pairingToken, deviceName) {
      // Check the name first: a bad name must not use up the one-time code.
      const name = parseDeviceName(deviceName);
      // The code is used up only once the device is saved: a full disk leaves it valid for another try.
      const paired = codes.redeemWith(pairingToken, () => {
        try {
          return devices.pair(name);
        } catch (e) {
          if (e instanceof CompanionError) throw e;
          options.logger.error({ err: e }, "a paired device could not be saved");
          throw new CompanionError("DEVICE_NOT_SAVED", { reason: (e as NodeJS.ErrnoException).code ?? "write failed" });
        }
      });
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

export interface PairingAddressesOptions {
  config: Pick<ResolvedConfig, "tailscale" | "publicUrl">;
  protocol: "http" | "https";
  tailnet: DaemonTailnet;
  /** The tailnet host a phone uses: the MagicDNS name when its certificate is served, else the 100.x address. */
  tailnetHost: string | null | undefined;
  /** Read at each pairing: a renewed certificate changes its fingerprint. */
  tls: DaemonTls | null;
  port: () => number;
  lanHost: () => string;
}

/** Where a pairing link points for each `via` (LAN, tailnet, PUBLIC_URL), and which one a caller who names none gets. */
export function pairingAddresses(options: PairingAddressesOptions): Pick<PairingServiceOptions, "defaultVia" | "target"> {
  const { config, protocol, tailnet, tailnetHost, tls } = options;
  return {
    defaultVia: (): PairingVia => (config.tailscale && tailnetHost ? "tailscale" : "lan"),
    target: (via) => {
      if (via === "tailscale") {
        if (!tailnetHost) return { unavailable: `Tailscale is ${tailnet.status.detail}` };
        // A Tailscale certificate is publicly trusted and renews every few months: never pin it.
        return { protocol, host: tailnetHost, port: options.port(), fingerprint: tailnet.cert ? null : (tls?.fingerprint ?? null) };
      }
      if (via === "public") {
        if (!config.publicUrl) return { unavailable: "PUBLIC_URL is not set" };
        const u = new URL(config.publicUrl);
        return { protocol: u.protocol === "https:" ? "https" : "http", host: u.hostname, port: Number(u.port) || (u.protocol === "https:" ? 443 : 80), fingerprint: null };
      }
      return { protocol, host: options.lanHost(), port: options.port(), fingerprint: tls?.fingerprint ?? null };
    },
  };
}
