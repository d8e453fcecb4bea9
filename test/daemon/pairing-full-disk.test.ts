// A pairing exchange that cannot save the device (the config directory's disk is full) does not use up the code.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { useTestDaemon } from "../helpers/daemon.js";
import { canMountTmpfs, fillDisk, useTmpfs } from "../helpers/full-disk.js";
import { tempDir } from "../helpers/tmp.js";

const mountTmpfs = useTmpfs();
const d = useTestDaemon({ lazy: true });

/** A POST without a token unless one is given (pairing is what a phone does before it has one). */
const post = (path: string, body: unknown, token?: string) => d.rest("POST", path, body, { token: token ?? null });

describe.skipIf(!canMountTmpfs)("pairing on a full disk", () => {
  test("503 DEVICE_NOT_SAVED, the code stays valid, and the same code pairs once the disk has room", async () => {
    const configDir = join(tempDir("cc-pfd-"), "config");
    mkdirSync(configDir);
    mountTmpfs(configDir, { size: "1m" });
    await d.start({ configDir });
    const code = (await post("/api/pairing-codes", {}, d.token)).body.pairingToken as string;

    const free = fillDisk(configDir);
    const refused = await post("/api/pair", { pairingToken: code, deviceName: "Pixel" });
    expect(refused.status).toBe(503);
    expect(refused.body.data.code).toBe("DEVICE_NOT_SAVED");
    expect(JSON.stringify(refused.body)).not.toContain(code);
    free();

    const paired = await post("/api/pair", { pairingToken: code, deviceName: "Pixel" });
    expect(paired.status).toBe(200);
    expect((await fetch(`${d.url}/api/info`, { headers: { authorization: `Bearer ${paired.body.deviceToken}` } })).status).toBe(200);
    // Used up now: a second exchange of the same code is refused.
    expect((await post("/api/pair", { pairingToken: code, deviceName: "Other" })).body.data.code).toBe("PAIRING_TOKEN_USED");
  });
});
