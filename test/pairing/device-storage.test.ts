import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createJsonFileDeviceStorage, createKeyValueDeviceStorage, type DeviceRecord } from "../../src/pairing/device-storage.js";
import { hashToken } from "../../src/pairing/tokens.js";

const record: DeviceRecord = { id: "0123abcd", name: "phone", tokenHash: hashToken("t"), pairedAt: 1 };

describe("createJsonFileDeviceStorage", () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cc-devices-"));
    umask = process.umask();
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a missing file is an empty list", () => {
    expect(createJsonFileDeviceStorage(join(dir, "devices.json")).load()).toEqual([]);
  });

  test("saves atomically with mode 0600 whatever the umask, in a 0700 directory it creates", () => {
    process.umask(0);
    const path = join(dir, "sub", "devices.json");
    const storage = createJsonFileDeviceStorage(path);
    storage.save([record]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "sub")).mode & 0o777).toBe(0o700);
    expect(storage.load()).toEqual([record]);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ version: 1, devices: [record] });
    storage.save([]);
    expect(storage.load()).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "sub"))).toEqual(["devices.json"]);
  });

  test("an unreadable file throws and is left as it is", () => {
    const path = join(dir, "devices.json");
    writeFileSync(path, "{not json");
    expect(() => createJsonFileDeviceStorage(path).load()).toThrow();
    writeFileSync(path, '{"devices": 3}');
    expect(() => createJsonFileDeviceStorage(path).load()).toThrow(/not a device file/);
    expect(readFileSync(path, "utf8")).toBe('{"devices": 3}');
  });
});

describe("createKeyValueDeviceStorage", () => {
  test("keeps the list under one key", () => {
    const map = new Map<string, unknown>();
    const store = { get: (k: string) => map.get(k), set: (k: string, v: unknown) => void map.set(k, v) };
    const storage = createKeyValueDeviceStorage(store);
    expect(storage.load()).toEqual([]);
    storage.save([record]);
    expect(map.get("devices")).toEqual([record]);
    expect(storage.load()).toEqual([record]);
    map.set("devices", "garbage");
    expect(storage.load()).toEqual([]);
  });
});
