// The one atomic write helper: exact mode whatever the umask, whole-file replacement, no temp file left, fsync through write-file-atomic.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { writeFileAtomicSync } from "../src/atomic-file.js";
import { readStateFile, writeStateFile } from "../src/daemon/state-file.js";
import { cleanupTempDirs, tempDir } from "./helpers/tmp.js";

const umask = process.umask();
afterEach(() => void process.umask(umask));
afterAll(cleanupTempDirs);

describe("writeFileAtomicSync", () => {
  test.each([0, 0o022, 0o077, 0o277])("umask %o: the file is exactly 0600 (or the mode asked), its new directory at most 0700", (mask) => {
    process.umask(mask);
    const path = join(tempDir(), "nested", "secret.json");
    writeFileAtomicSync(path, "one");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The directory is created 0700 (narrowed by the umask like any mkdir): never wider.
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700 & ~mask);
    writeFileAtomicSync(path, "two", 0o644);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readFileSync(path, "utf8")).toBe("two");
  });

  test("replaces the whole file and leaves no temporary file beside it", () => {
    const dir = tempDir();
    const path = join(dir, "f.json");
    writeFileSync(path, "x".repeat(10_000));
    writeFileAtomicSync(path, "short");
    expect(readFileSync(path, "utf8")).toBe("short");
    expect(readdirSync(dir)).toEqual(["f.json"]);
  });

  test("a failed write throws and leaves the old file and no temporary file", () => {
    const dir = tempDir();
    const path = join(dir, "f.json");
    writeFileAtomicSync(path, "old");
    mkdirSync(join(dir, "dir-in-the-way"));
    expect(() => writeFileAtomicSync(join(dir, "dir-in-the-way"), "new")).toThrow();
    expect(readFileSync(path, "utf8")).toBe("old");
    expect(readdirSync(dir).sort()).toEqual(["dir-in-the-way", "f.json"]);
  });

  test("the daemon state file is written through it (0600 under umask 0)", () => {
    process.umask(0);
    const dir = tempDir();
    const state = { pid: 1, port: 2, host: "127.0.0.1", url: "http://127.0.0.1:2", version: "0", startedAt: 1, tls: false, fingerprint: null, logPath: null, procStart: null };
    writeStateFile(dir, state);
    expect(statSync(join(dir, "daemon.json")).mode & 0o777).toBe(0o600);
    expect(readStateFile(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual(["daemon.json"]);
  });
});
