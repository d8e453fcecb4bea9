// Where paired devices are kept: the storage seam of the device registry, with in-memory, JSON-file
// and key-value (conf store) implementations. Writes files atomically with mode 0600.
import { readFileSync } from "node:fs";
import { writeFileAtomicSync } from "../atomic-file.js";

/** One paired device as stored. Times are ms since epoch. Never sent to clients (see PublicDevice). */
export interface DeviceRecord {
  /** Short random id (hex), what `devices revoke <id>` takes. */
  id: string;
  /** The name the phone gave itself, 1..64 characters. */
  name: string;
  /** sha256 hex of the device token; the token itself is never stored. */
  tokenHash: string;
  pairedAt: number;
  lastSeenAt?: number;
  /** Remote address of the last authenticated request. */
  lastAddress?: string;
}

/**
 * The registry's persistence seam. load() may return anything: the registry validates each record.
 * save() gets the complete list and must replace what was stored; it may throw.
 */
export interface DeviceStorage {
  load(): readonly unknown[];
  save(records: DeviceRecord[]): void;
}

export interface MemoryDeviceStorage extends DeviceStorage {
  /** A copy of what was saved last. */
  snapshot(): DeviceRecord[];
  /** How many times save() ran. */
  readonly saveCount: number;
}

/** Keeps records in memory (tests, or a daemon run without persistence). */
export function createMemoryDeviceStorage(initial: DeviceRecord[] = []): MemoryDeviceStorage {
  let records = structuredClone(initial);
  let saveCount = 0;
  return {
    load: () => structuredClone(records),
    save(next) {
      records = structuredClone(next);
      saveCount++;
    },
    snapshot: () => structuredClone(records),
    get saveCount() {
      return saveCount;
    },
  };
}

/** The part of a key-value store (such as the conf store in src/config) the adapter needs. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * Keeps records under one key of a key-value store; the daemon backs it with its conf store
 * (which writes its file with mode 0600). Default key "devices".
 */
export function createKeyValueDeviceStorage(store: KeyValueStore, key = "devices"): DeviceStorage {
  return {
    load() {
      const value = store.get(key);
      return Array.isArray(value) ? value : [];
    },
    save(records) {
      store.set(key, records);
    },
  };
}

interface DeviceFile {
  version: 1;
  devices: DeviceRecord[];
}

/**
 * Keeps records in a JSON file `{ "version": 1, "devices": [...] }`. A missing file is an empty list;
 * an unreadable one throws (it is never silently reset). Writes go to a temporary file created
 * with mode 0600 (fchmod'ed, whatever the umask), fsync'ed, then renamed over the target. The parent
 * directory is created with mode 0700 when missing.
 */
export function createJsonFileDeviceStorage(path: string): DeviceStorage {
  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
      }
      const parsed = JSON.parse(text) as Partial<DeviceFile> | null;
      if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.devices)) {
        throw new Error(`${path} is not a device file (expected { "version": 1, "devices": [] })`);
      }
      return parsed.devices;
    },
    save(records) {
      const body: DeviceFile = { version: 1, devices: records };
      writeFileAtomicSync(path, JSON.stringify(body, null, 2) + "\n");
    },
  };
}
