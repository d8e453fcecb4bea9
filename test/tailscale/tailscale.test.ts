// The Tailscale room against the fake `tailscale` executable: status parsing, and the certificate kept, reused, renewed or refused.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { ResolvedConfig } from "../../src/config/index.js";
import { scheduleTailnetRenewal } from "../../src/daemon/tailnet.js";
import { createLogger } from "../../src/log.js";
import { createTailscaleRunner, detectTailscale, ensureTailscaleCertificate, parseTailscaleStatus } from "../../src/tailscale/index.js";
import { installFakeTailscale } from "../helpers/cli-process.js";
import { createTestCa, type TestCa } from "../helpers/test-ca.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const NAME = "laptop.tail1234.ts.net";
let ca: TestCa;
let fake: string;
let files: { cert: string; key: string };

beforeAll(async () => {
  ca = await createTestCa();
  const dir = tempDir("cc-ts-unit-");
  fake = installFakeTailscale(dir);
  const leaf = await ca.issue(NAME, 90);
  files = { cert: join(dir, "leaf.crt"), key: join(dir, "leaf.key") };
  writeFileSync(files.cert, leaf.cert);
  writeFileSync(files.key, leaf.key);
});
afterAll(cleanupTempDirs);

/** The fake reads its mode from the environment; execFile inherits it from this process. */
function withMode<T>(mode: string, fn: () => Promise<T>, log?: string): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, { FAKE_TAILSCALE_MODE: mode, FAKE_TAILSCALE_CERT: files.cert, FAKE_TAILSCALE_KEY: files.key, ...(log ? { FAKE_TAILSCALE_LOG: log } : {}) });
  return fn().finally(() => {
    for (const k of ["FAKE_TAILSCALE_MODE", "FAKE_TAILSCALE_CERT", "FAKE_TAILSCALE_KEY", "FAKE_TAILSCALE_LOG"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
}

/** The --cert-file and --key-file paths of every `tailscale cert` the fake logged. */
const certOutputs = (log: string) =>
  readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l.startsWith('["cert"'))
    .map((l) => JSON.parse(l) as string[])
    .map((a) => [a[a.indexOf("--cert-file") + 1]!, a[a.indexOf("--key-file") + 1]!]);

describe("detectTailscale", () => {
  test.each([
    ["running", { state: "running", ipv4: "100.101.102.103", dnsName: NAME, httpsEnabled: true }],
    ["no-https", { state: "running", ipv4: "100.101.102.103", dnsName: NAME, httpsEnabled: false }],
    ["logged-out", { state: "logged-out", ipv4: null, dnsName: null, httpsEnabled: false }],
    ["no-daemon", { state: "error", ipv4: null, dnsName: null }],
  ])("%s", async (mode, expected) => {
    expect(await withMode(mode, () => detectTailscale(createTailscaleRunner(fake)))).toMatchObject(expected);
  });

  test("absent: a state, not an error", async () => {
    expect(await detectTailscale(createTailscaleRunner(join(tempDir(), "tailscale")))).toMatchObject({ state: "absent", detail: "not installed" });
  });

  test.each([
    ["not JSON", "hello", "error"],
    ["stopped", JSON.stringify({ BackendState: "Stopped" }), "stopped"],
    ["wrong shape", JSON.stringify({ BackendState: 5 }), "error"],
  ])("parse: %s", (_n, text, state) => {
    expect(parseTailscaleStatus(text).state).toBe(state);
  });
});

describe("ensureTailscaleCertificate", () => {
  test("first use runs `tailscale cert` (0600 files), then reuses; a near-expiry one is renewed", async () => {
    const configDir = tempDir();
    const dir = join(configDir, "tailscale");
    const tmp = join(configDir, "tmp");
    const run = createTailscaleRunner(fake);
    const first = await withMode("running", () => ensureTailscaleCertificate({ run, dir, tempDir: tmp, name: NAME }));
    expect(first.renewed).toBe(true);
    expect(first.cert).toBe(readFileSync(files.cert, "utf8"));
    expect(statSync(first.paths.key).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const second = await withMode("cert-fails", () => ensureTailscaleCertificate({ run, dir, tempDir: tmp, name: NAME }));
    expect(second.renewed).toBe(false);
    // 80 days later, 10 left: inside the 14-day window.
    const later = await withMode("running", () => ensureTailscaleCertificate({ run, dir, tempDir: tmp, name: NAME, now: () => Date.now() + 80 * 86_400_000 }));
    expect(later.renewed).toBe(true);
  });

  test("a failing `tailscale cert` is TAILSCALE_CERT_FAILED with its reason, and leaves no files", async () => {
    const configDir = tempDir();
    const dir = join(configDir, "tailscale");
    const tmp = join(configDir, "tmp");
    const err = await withMode("cert-fails", () => ensureTailscaleCertificate({ run: createTailscaleRunner(fake), dir, tempDir: tmp, name: NAME })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "TAILSCALE_CERT_FAILED" });
    expect((err as Error).message).toContain("does not support getting TLS certs");
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("a wrong key from `tailscale cert` is refused and its files are removed from the temp folder; the kept certificate stays", async () => {
    const configDir = tempDir();
    const dir = join(configDir, "tailscale");
    const tmp = join(configDir, "tmp");
    const run = createTailscaleRunner(fake);
    await withMode("running", () => ensureTailscaleCertificate({ run, dir, tempDir: tmp, name: NAME }));
    const other = await ca.issue(NAME, 90);
    const wrongKey = join(configDir, "other.key");
    writeFileSync(wrongKey, other.key);
    // withMode puts FAKE_TAILSCALE_KEY back afterwards.
    const err = await withMode("running", () => {
      process.env.FAKE_TAILSCALE_KEY = wrongKey;
      return ensureTailscaleCertificate({ run, dir, tempDir: tmp, name: NAME, now: () => Date.now() + 80 * 86_400_000 });
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "TAILSCALE_CERT_FAILED", message: expect.stringContaining("does not match") });
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([`${NAME}.crt`, `${NAME}.key`]);
    expect(readFileSync(join(dir, `${NAME}.key`), "utf8")).toBe(readFileSync(files.key, "utf8"));
  });
});

test("a running daemon renews the certificate before expiry (its temp files in <config dir>/tmp, none left) and hands the new one to the server", async () => {
  const configDir = tempDir();
  const log = join(configDir, "..", `${configDir.split("/").pop()}-calls.log`);
  const dir = join(configDir, "tailscale");
  const run = createTailscaleRunner(fake);
  const old = await ca.issue(NAME, 5);
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${NAME}.crt`), old.cert, { mode: 0o600 });
  writeFileSync(join(dir, `${NAME}.key`), old.key, { mode: 0o600 });
  const applied: string[] = [];
  await withMode("running", async () => {
    const stop = scheduleTailnetRenewal(
      {
        status: { state: "running", ipv4: "100.101.102.103", dnsName: NAME, httpsEnabled: true, detail: "connected" },
        cert: { ...old, validTo: Date.now() + 5 * 86_400_000, renewed: false, paths: { cert: join(dir, `${NAME}.crt`), key: join(dir, `${NAME}.key`) } },
        warning: null,
      },
      { config: { configDir } as ResolvedConfig, logger: createLogger({ format: "json", level: "silent" }), run, apply: (c) => applied.push(c.cert), everyMs: 50 },
    );
    try {
      await vi.waitFor(() => expect(applied).toEqual([readFileSync(files.cert, "utf8")]), { timeout: 10_000 });
    } finally {
      stop();
    }
  }, log);
  expect(readFileSync(join(dir, `${NAME}.crt`), "utf8")).toBe(readFileSync(files.cert, "utf8"));
  const outputs = certOutputs(log);
  expect(outputs.length).toBeGreaterThan(0);
  for (const path of outputs.flat()) expect(path.startsWith(join(configDir, "tmp") + "/")).toBe(true);
  expect(readdirSync(join(configDir, "tmp"))).toEqual([]);
  expect(readdirSync(dir).sort()).toEqual([`${NAME}.crt`, `${NAME}.key`]);
});
