// The registry of paired devices: pair (issue a device token), authenticate, touch, list, revoke.
// Tokens are stored only as sha256 hashes. No HTTP, no sockets: revocation is announced to listeners.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { Logger } from "../log.js";
import { parseDeviceName } from "./device-name.js";
import type { DeviceRecord, DeviceStorage } from "./device-storage.js";
import { DEVICE_TOKEN_BYTES, generateToken, hashToken, hashesEqual, isTokenHash } from "./tokens.js";

/** What clients and the CLI see of a device: no token hash. Times are ms since epoch. */
export interface PublicDevice {
  id: string;
  name: string;
  pairedAt: number;
  lastSeenAt: number | null;
  lastAddress: string | null;
}

export interface PairedDevice {
  deviceId: string;
  /** 256-bit token, base64url. Returned once here; only its hash is stored. */
  deviceToken: string;
  device: PublicDevice;
}

export type RevokeListener = (device: PublicDevice) => void;

export interface DeviceRegistryOptions {
  storage: DeviceStorage;
  logger: Logger;
  /** Clock in ms since epoch. Default Date.now. */
  now?: () => number;
  /** touch() saves at most once per this many ms (other changes save at once). Default 60_000. */
  touchSaveIntervalMs?: number;
}

export interface DeviceRegistry {
  /** Validates the name (1..64 chars, trimmed, no control characters; else BAD_REQUEST), stores a new device. */
  pair(name: string): PairedDevice;
  /** The device whose token this is, or null. Scans every record with a constant-time hash compare. */
  authenticate(token: string): DeviceRecord | null;
  /** Records activity (lastSeenAt = now, lastAddress). Saves are throttled; never throws. */
  touch(id: string, address?: string): void;
  list(): PublicDevice[];
  get(id: string): PublicDevice | null;
  /** Removes the device and calls the revoke listeners synchronously. False when the id is unknown. */
  revoke(id: string): boolean;
  /** Revokes every device; returns how many there were. */
  revokeAll(): number;
  /** Called once per revoked device, synchronously, before revoke() returns. Returns an unsubscribe function. */
  onRevoke(listener: RevokeListener): () => void;
  /** Writes throttled touch() data now if any is pending. */
  flush(): void;
}

const DeviceRecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{4,32}$/),
  name: z.string().min(1).max(256),
  tokenHash: z.string().refine(isTokenHash),
  pairedAt: z.number(),
  lastSeenAt: z.number().optional(),
  lastAddress: z.string().max(64).optional(),
});

function toPublic(r: DeviceRecord): PublicDevice {
  return { id: r.id, name: r.name, pairedAt: r.pairedAt, lastSeenAt: r.lastSeenAt ?? null, lastAddress: r.lastAddress ?? null };
}

/** "::ffff:192.168.1.5" -> "192.168.1.5"; anything that is not an IP address is dropped. */
function normalizeAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const plain = v4?.[1] ?? address;
  return isIP(plain) ? plain : undefined;
}

export function createDeviceRegistry(options: DeviceRegistryOptions): DeviceRegistry {
  const { storage } = options;
  const log = options.logger.child({ room: "pairing" });
  const now = options.now ?? Date.now;
  const touchSaveIntervalMs = options.touchSaveIntervalMs ?? 60_000;
  const listeners = new Set<RevokeListener>();

  let records: DeviceRecord[] = [];
  storage.load().forEach((raw, index) => {
    const parsed = DeviceRecordSchema.safeParse(raw);
    if (parsed.success) records.push(parsed.data);
    else log.warn({ index }, "Ignoring an invalid paired-device record in the store");
  });

  let dirty = false;
  let lastSaveAt = Number.NEGATIVE_INFINITY;

  function save(): void {
    storage.save(records.map((r) => ({ ...r })));
    dirty = false;
    lastSaveAt = now();
  }

  function newId(): string {
    for (;;) {
      const id = randomBytes(4).toString("hex");
      if (!records.some((r) => r.id === id)) return id;
    }
  }

  function notify(removed: DeviceRecord[]): void {
    for (const r of removed) {
      const device = toPublic(r);
      for (const listener of listeners) {
        try {
          listener(device);
        } catch (e) {
          log.error({ err: e, deviceId: r.id }, "A revoke listener failed");
        }
      }
    }
  }

  function remove(predicate: (r: DeviceRecord) => boolean): DeviceRecord[] {
    const removed = records.filter(predicate);
    if (removed.length === 0) return removed;
    // Memory first: the token stops working now even if the save below fails.
    records = records.filter((r) => !predicate(r));
    notify(removed);
    save();
    return removed;
  }

  return {
    pair(name) {
      const record: DeviceRecord = {
        id: newId(),
        name: parseDeviceName(name),
        tokenHash: "",
        pairedAt: now(),
      };
      const deviceToken = generateToken(DEVICE_TOKEN_BYTES);
      record.tokenHash = hashToken(deviceToken);
      records.push(record);
      try {
        save();
      } catch (e) {
        // A token that cannot be persisted would stop working at the next restart: do not hand it out.
        records = records.filter((r) => r !== record);
        throw e;
      }
      log.info({ deviceId: record.id, deviceName: record.name }, "Device paired");
      return { deviceId: record.id, deviceToken, device: toPublic(record) };
    },
    authenticate(token) {
      if (typeof token !== "string" || token.length === 0) return null;
      const hash = hashToken(token);
      let found: DeviceRecord | null = null;
      // Compare against every record, without an early exit, so timing says nothing about which matched.
      for (const r of records) {
        if (hashesEqual(hash, r.tokenHash) && found === null) found = r;
      }
      return found ? { ...found } : null;
    },
    touch(id, address) {
      const record = records.find((r) => r.id === id);
      if (!record) return;
      const t = now();
      record.lastSeenAt = t;
      const addr = normalizeAddress(address);
      if (addr) record.lastAddress = addr;
      dirty = true;
      if (t - lastSaveAt < touchSaveIntervalMs) return;
      try {
        save();
      } catch (e) {
        log.warn({ err: e }, "Could not save device activity; will retry");
      }
    },
    list: () => records.map(toPublic),
    get(id) {
      const record = records.find((r) => r.id === id);
      return record ? toPublic(record) : null;
    },
    revoke(id) {
      const removed = remove((r) => r.id === id);
      if (removed.length) log.info({ deviceId: id }, "Device revoked");
      return removed.length > 0;
    },
    revokeAll() {
      const removed = remove(() => true);
      if (removed.length) log.info({ count: removed.length }, "All devices revoked");
      return removed.length;
    },
    onRevoke(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    flush() {
      if (dirty) save();
    },
  };
}
