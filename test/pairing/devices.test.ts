import { describe, expect, test } from "vitest";
import { createSilentLogger } from "../../src/log.js";
import { normalizeDeviceName, parseDeviceName } from "../../src/pairing/device-name.js";
import { createMemoryDeviceStorage, type DeviceRecord } from "../../src/pairing/device-storage.js";
import { createDeviceRegistry, type PublicDevice } from "../../src/pairing/devices.js";
import { hashToken } from "../../src/pairing/tokens.js";
import { CompanionError } from "../../src/protocol/errors.js";

const logger = createSilentLogger();

function setup(initial: DeviceRecord[] = [], touchSaveIntervalMs?: number) {
  let t = 1_700_000_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const storage = createMemoryDeviceStorage(initial);
  const registry = createDeviceRegistry({ storage, logger, now: clock.now, touchSaveIntervalMs });
  return { clock, storage, registry };
}

describe("device names", () => {
  test.each([
    ["Anna's iPhone", "Anna's iPhone"],
    ["  padded  ", "padded"],
    ["x", "x"],
    ["é".repeat(64), "é".repeat(64)],
    ["📱".repeat(64), "📱".repeat(64)],
    ["e\u0301", "é"],
    ["", null],
    ["   ", null],
    ["a".repeat(65), null],
    ["line\nbreak", null],
    ["tab\there", null],
    ["nul\u0000", null],
    ["esc\u001b[31m", null],
    ["del\u007f", null],
    ["bidi\u202Eevil", null],
    ["sep\u2028x", null],
    [42, null],
    [undefined, null],
  ])("%j -> %j", (input, expected) => {
    expect(normalizeDeviceName(input)).toBe(expected);
  });

  test("parseDeviceName throws BAD_REQUEST naming the field", () => {
    expect(() => parseDeviceName("\n")).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST", details: expect.objectContaining({ field: "deviceName" }) }),
    );
    expect(parseDeviceName(" ok ")).toBe("ok");
  });
});

describe("createDeviceRegistry", () => {
  test("pair returns a 256-bit token once and stores only its hash", () => {
    const { registry, storage, clock } = setup();
    const paired = registry.pair("  Pixel 8 ");
    expect(paired.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(paired.deviceId).toMatch(/^[0-9a-f]{8}$/);
    expect(paired.device).toEqual<PublicDevice>({
      id: paired.deviceId,
      name: "Pixel 8",
      pairedAt: clock.now(),
      lastSeenAt: null,
      lastAddress: null,
    });
    const stored = storage.snapshot();
    expect(stored).toEqual([{ id: paired.deviceId, name: "Pixel 8", tokenHash: hashToken(paired.deviceToken), pairedAt: clock.now() }]);
    expect(JSON.stringify(stored)).not.toContain(paired.deviceToken);
  });

  test("pair rejects an invalid name and stores nothing", () => {
    const { registry, storage } = setup();
    expect(() => registry.pair("bad\u0007name")).toThrow(CompanionError);
    expect(storage.saveCount).toBe(0);
    expect(registry.list()).toEqual([]);
  });

  test("pair hands out no token when it cannot be saved", () => {
    const failing = createDeviceRegistry({
      storage: { load: () => [], save: () => { throw new Error("disk full"); } },
      logger,
    });
    expect(() => failing.pair("phone")).toThrow("disk full");
    expect(failing.list()).toEqual([]);
  });

  test("authenticate finds the device by token and nothing else", () => {
    const { registry } = setup();
    const a = registry.pair("a");
    const b = registry.pair("b");
    expect(registry.authenticate(a.deviceToken)?.id).toBe(a.deviceId);
    expect(registry.authenticate(b.deviceToken)?.id).toBe(b.deviceId);
    expect(registry.authenticate(a.deviceToken.slice(0, -1))).toBeNull();
    expect(registry.authenticate("")).toBeNull();
    expect(registry.authenticate(hashToken(a.deviceToken))).toBeNull();
  });

  test("list and get expose no hash", () => {
    const { registry } = setup();
    const a = registry.pair("a");
    expect(Object.keys(registry.list()[0]!).sort()).toEqual(["id", "lastAddress", "lastSeenAt", "name", "pairedAt"]);
    expect(registry.get(a.deviceId)?.name).toBe("a");
    expect(registry.get("nope")).toBeNull();
  });

  test("touch records last seen and address, saving at most once per interval", () => {
    const { registry, storage, clock } = setup([], 60_000);
    const a = registry.pair("a");
    const savesAfterPair = storage.saveCount;
    clock.advance(1000);
    registry.touch(a.deviceId, "::ffff:192.168.1.20");
    expect(registry.get(a.deviceId)).toMatchObject({ lastSeenAt: clock.now(), lastAddress: "192.168.1.20" });
    expect(storage.saveCount).toBe(savesAfterPair); // within the interval of the pair() save
    for (let i = 0; i < 100; i++) registry.touch(a.deviceId, "fe80::1");
    expect(storage.saveCount).toBe(savesAfterPair);
    clock.advance(60_000);
    registry.touch(a.deviceId, "10.0.0.7");
    expect(storage.saveCount).toBe(savesAfterPair + 1);
    expect(storage.snapshot()[0]).toMatchObject({ lastSeenAt: clock.now(), lastAddress: "10.0.0.7" });
    clock.advance(10);
    registry.touch(a.deviceId, "not an address");
    expect(registry.get(a.deviceId)?.lastAddress).toBe("10.0.0.7");
    registry.flush();
    expect(storage.saveCount).toBe(savesAfterPair + 2);
    expect(storage.snapshot()[0]?.lastSeenAt).toBe(clock.now());
    registry.flush();
    expect(storage.saveCount).toBe(savesAfterPair + 2);
  });

  test("touch never throws, even when saving fails or the id is unknown", () => {
    const registry = createDeviceRegistry({
      storage: { load: () => [{ id: "abcd1234", name: "x", tokenHash: hashToken("t"), pairedAt: 1 }], save: () => { throw new Error("EROFS"); } },
      logger,
      touchSaveIntervalMs: 0,
    });
    expect(() => registry.touch("abcd1234", "127.0.0.1")).not.toThrow();
    expect(() => registry.touch("unknown")).not.toThrow();
  });

  test("revoke removes the device, stops its token and tells listeners synchronously", () => {
    const { registry, storage } = setup();
    const a = registry.pair("a");
    const b = registry.pair("b");
    const revoked: string[] = [];
    const off = registry.onRevoke((d) => revoked.push(d.id));
    expect(registry.revoke(a.deviceId)).toBe(true);
    expect(revoked).toEqual([a.deviceId]);
    expect(registry.authenticate(a.deviceToken)).toBeNull();
    expect(registry.authenticate(b.deviceToken)?.id).toBe(b.deviceId);
    expect(storage.snapshot().map((r) => r.id)).toEqual([b.deviceId]);
    expect(registry.revoke(a.deviceId)).toBe(false);
    off();
    registry.revoke(b.deviceId);
    expect(revoked).toEqual([a.deviceId]);
  });

  test("revokeAll counts, notifies each device and empties the store", () => {
    const { registry, storage } = setup();
    const ids = ["a", "b", "c"].map((n) => registry.pair(n).deviceId);
    const revoked: string[] = [];
    registry.onRevoke((d) => revoked.push(d.id));
    registry.onRevoke(() => {
      throw new Error("a broken listener does not stop the others");
    });
    expect(registry.revokeAll()).toBe(3);
    expect(revoked.sort()).toEqual(ids.sort());
    expect(storage.snapshot()).toEqual([]);
    expect(registry.revokeAll()).toBe(0);
  });

  test("a revoked token stops working even when the save fails", () => {
    let fail = false;
    const records: DeviceRecord[] = [];
    const registry = createDeviceRegistry({
      storage: {
        load: () => records,
        save: () => {
          if (fail) throw new Error("EIO");
        },
      },
      logger,
    });
    const a = registry.pair("a");
    fail = true;
    expect(() => registry.revoke(a.deviceId)).toThrow("EIO");
    expect(registry.authenticate(a.deviceToken)).toBeNull();
  });

  test("records survive a restart through the storage; invalid ones are skipped", () => {
    const { registry, storage } = setup();
    const a = registry.pair("a");
    const raw = [...storage.snapshot(), { id: "zz", name: "", tokenHash: "nope", pairedAt: "x" }, null];
    const again = createDeviceRegistry({ storage: { load: () => raw, save: () => {} }, logger });
    expect(again.list().map((d) => d.id)).toEqual([a.deviceId]);
    expect(again.authenticate(a.deviceToken)?.id).toBe(a.deviceId);
  });
});
