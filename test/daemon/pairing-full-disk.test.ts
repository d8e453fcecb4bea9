// A pairing exchange that cannot save the device (the config directory's disk is full) does not use up the code.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

// Mounting a tmpfs needs root (CI runs as root); elsewhere this file skips.
const isRoot = process.getuid?.() === 0;
let d: TestDaemon | undefined;
const mounts: string[] = [];
afterAll(async () => {
  await d?.close();
  for (const m of mounts) execFileSync("umount", ["-l", m]);
  cleanupTempDirs();
});

/** Fills the filesystem of `dir` to the last byte; returns the function that frees it. */
function fillDisk(dir: string): () => void {
  const file = join(dir, "filler");
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(4096, 120);
  try {
    for (let i = 0; i < 10_000; i++) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  }
  try {
    for (let i = 0; i < 4096; i++) writeSync(fd, chunk, 0, 1);
  } catch {
    /* full */
  }
  closeSync(fd);
  return () => rmSync(file, { force: true });
}

const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(d!.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

describe.skipIf(!isRoot)("pairing on a full disk", () => {
  test("503 DEVICE_NOT_SAVED, the code stays valid, and the same code pairs once the disk has room", async () => {
    const configDir = join(tempDir("cc-pfd-"), "config");
    mkdirSync(configDir);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", configDir]);
    mounts.push(configDir);
    d = await startTestDaemon({ configDir });
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
