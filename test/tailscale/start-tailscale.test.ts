// `start` with a fake `tailscale` first on PATH: banner and QR carry the tailnet URL, HTTPS serves the
// `tailscale cert` certificate, the MagicDNS name passes the Host check; logged out and absent are quiet lines.
// Nothing is sent to a 100.x address: the daemon binds 127.0.0.1 and the tailnet name is only a Host header / SNI.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { FAKE_CLAUDE, installFakeTailscale, isolatedPath, runCli, startCli } from "../helpers/cli-process.js";
import { createTestCa, type TestCa } from "../helpers/test-ca.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const NAME = "laptop.tail1234.ts.net";
const IP = "100.101.102.103";

let ca: TestCa;
let binDir: string;
let certFiles: { cert: string; key: string };
let procs: ReturnType<typeof startCli>[] = [];

beforeAll(async () => {
  ca = await createTestCa();
  binDir = tempDir("cc-ts-bin-");
  installFakeTailscale(binDir);
  const leaf = await ca.issue(NAME, 90);
  certFiles = { cert: join(binDir, "leaf.crt"), key: join(binDir, "leaf.key") };
  writeFileSync(certFiles.cert, leaf.cert);
  writeFileSync(certFiles.key, leaf.key);
});
afterEach(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  procs = [];
});
afterAll(cleanupTempDirs);

function envFor(mode: string | null, configDir: string, log?: string): Record<string, string> {
  return {
    CLAUDE_COMPANION_CONFIG_DIR: configDir,
    CLAUDE_CLI_PATH: FAKE_CLAUDE,
    ENABLE_BONJOUR: "false",
    WARM_POOL: "0",
    NO_COLOR: "1",
    LOG_FORMAT: "json",
    PATH: mode === null ? isolatedPath() : isolatedPath(binDir),
    ...(mode ? { FAKE_TAILSCALE_MODE: mode } : {}),
    FAKE_TAILSCALE_CERT: certFiles.cert,
    FAKE_TAILSCALE_KEY: certFiles.key,
    ...(log ? { FAKE_TAILSCALE_LOG: log } : {}),
  };
}

async function start(args: string[], env: Record<string, string>) {
  const p = startCli(["--host", "127.0.0.1", "--port", "0", ...args], env);
  procs.push(p);
  const url = await p.ready;
  return { ...p, url, port: Number(new URL(url).port) };
}

/** GET over HTTPS to 127.0.0.1, presenting the tailnet name as SNI and Host, trusting only the test CA. */
function getTailnetHttps(port: number, path: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: "127.0.0.1", port, path, servername: NAME, ca: ca.cert, headers: { host: `${NAME}:${port}` } }, (res) => {
      const fingerprint = (res.socket as import("node:tls").TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.on("error", reject);
    req.end();
  });
}

function getHttp(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

const certCalls = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l.startsWith('["cert"')).length : 0);

describe("start --tailscale with HTTPS enabled on the tailnet", () => {
  test("QR and banner carry https://<name>:<port>, HTTPS serves the tailscale cert (CA-verified), kept 0600 and reused on the next start", async () => {
    const configDir = tempDir("cc-ts-");
    const log = join(configDir, "..", `${configDir.split("/").pop()}-calls.log`);
    const env = envFor("running", configDir, log);
    const d = await start(["--tailscale"], env);
    const out = d.output().stdout;
    expect(out).toContain(`https://${NAME}:${d.port}`);
    expect(out).toMatch(new RegExp(`Or open: https://${NAME.replace(/\./g, "\\.")}:${d.port}/#pair=[A-Za-z0-9_-]+\\n`));
    // A publicly trusted certificate renews: the QR does not pin it.
    expect(out).not.toMatch(/#pair=[^\s]*&fp=/);
    expect(out).toContain("On your tailnet");

    const served = await getTailnetHttps(d.port, "/health");
    expect(served.status).toBe(200);
    expect(served.fingerprint).toBe(new X509Certificate(readFileSync(certFiles.cert)).fingerprint256);
    const kept = join(configDir, "tailscale", `${NAME}.crt`);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(statSync(join(configDir, "tailscale", `${NAME}.key`)).mode & 0o777).toBe(0o600);
    expect(certCalls(log)).toBe(1);

    // `pair` (pinned to the state file's fingerprint over loopback) defaults to the tailnet; --via lan to the LAN.
    const viaDefault = runCli(["pair", "--json"], env);
    expect(viaDefault.code).toBe(0);
    expect(JSON.parse(viaDefault.stdout)).toMatchObject({ via: "tailscale", url: expect.stringMatching(new RegExp(`^https://${NAME}:${d.port}/#pair=`)) });
    const viaLan = JSON.parse(runCli(["pair", "--json", "--via", "lan"], env).stdout);
    expect(viaLan).toMatchObject({ via: "lan", url: expect.stringMatching(new RegExp(`^https://127\\.0\\.0\\.1:${d.port}/#pair=`)) });

    expect(await d.stop()).toBe(0);
    procs = [];
    const again = await start(["--tailscale"], env);
    expect((await getTailnetHttps(again.port, "/health")).status).toBe(200);
    expect(certCalls(log)).toBe(1);
  }, 90_000);

  test("a kept certificate that expires within 14 days is renewed at start", async () => {
    const configDir = tempDir("cc-ts-");
    const log = join(configDir, "calls.log");
    const old = await ca.issue(NAME, 5);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(configDir, "tailscale"), { recursive: true });
    writeFileSync(join(configDir, "tailscale", `${NAME}.crt`), old.cert, { mode: 0o600 });
    writeFileSync(join(configDir, "tailscale", `${NAME}.key`), old.key, { mode: 0o600 });
    const d = await start(["--tailscale"], envFor("running", configDir, log));
    expect(certCalls(log)).toBe(1);
    expect((await getTailnetHttps(d.port, "/health")).fingerprint).toBe(new X509Certificate(readFileSync(certFiles.cert)).fingerprint256);
    // `tailscale cert` wrote into the daemon's temp folder; the files were moved out of it, none beside the certificate.
    const call = JSON.parse(readFileSync(log, "utf8").split("\n").find((l) => l.startsWith('["cert"'))!) as string[];
    for (const flag of ["--cert-file", "--key-file"]) expect(call[call.indexOf(flag) + 1]!.startsWith(join(configDir, "tmp") + "/")).toBe(true);
    expect(readdirSync(join(configDir, "tmp"))).toEqual([]);
    expect(readdirSync(join(configDir, "tailscale")).sort()).toEqual([`${NAME}.crt`, `${NAME}.key`]);
  }, 60_000);
});

describe("Tailscale detected without --tailscale", () => {
  test("the banner lists the tailnet address and MagicDNS name; the name passes the Host check, others do not", async () => {
    const configDir = tempDir("cc-ts-");
    const d = await start([], envFor("running", configDir));
    const out = d.output().stdout;
    expect(out).toContain(`http://${IP}:${d.port}`);
    expect(out).toContain(`http://${NAME}:${d.port}`);
    // The QR stays on the LAN unless asked.
    expect(out).toMatch(new RegExp(`Or open: http://127\\.0\\.0\\.1:${d.port}/#pair=`));
    expect(await getHttp(d.port, "/health", `${NAME}:${d.port}`)).toBe(200);
    expect(await getHttp(d.port, "/health", `evil.example:${d.port}`)).toBe(421);
    const pair = JSON.parse(runCli(["pair", "--json", "--via", "tailscale"], envFor("running", configDir)).stdout);
    expect(pair).toMatchObject({ via: "tailscale", url: expect.stringMatching(new RegExp(`^http://${IP.replace(/\./g, "\\.")}:${d.port}/#pair=`)) });
  }, 60_000);

  test("HTTPS not enabled on the tailnet: --tailscale says so and how to enable it, and falls back to plain HTTP on the tailnet address", async () => {
    const d = await start(["--tailscale"], envFor("no-https", tempDir("cc-ts-")));
    const out = d.output().stdout;
    expect(out).toContain("HTTPS certificates are not enabled on this tailnet");
    expect(out).toContain("https://login.tailscale.com/admin/dns");
    expect(out).toMatch(new RegExp(`Or open: http://${IP.replace(/\./g, "\\.")}:${d.port}/#pair=`));
    expect(d.url).toMatch(/^http:/);
  }, 60_000);

  test.each([
    ["logged-out", /Tailscale: logged-out/],
    ["no-daemon", /Tailscale: not usable/],
    [null, /Tailscale: not installed/],
  ])("%s: one quiet line, no error, the QR on the LAN; pair --via tailscale explains", async (mode, line) => {
    const configDir = tempDir("cc-ts-");
    const env = envFor(mode, configDir);
    const d = await start([], env);
    const { stdout, stderr } = d.output();
    expect(stdout).toMatch(line);
    expect(stderr).not.toMatch(/"level":(50|60)/);
    expect(stdout).toMatch(new RegExp(`Or open: http://127\\.0\\.0\\.1:${d.port}/#pair=`));
    const pair = runCli(["pair", "--via", "tailscale"], env);
    expect(pair.code).toBe(1);
    expect(pair.stderr).toContain("There is no tailscale address");
  }, 60_000);
});
