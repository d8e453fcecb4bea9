import { X509Certificate, createPrivateKey } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createLogger, createSilentLogger } from "../../src/log.js";
import { CompanionError } from "../../src/protocol/errors.js";
import { CERT_FILE, KEY_FILE, ensureCertificate, loadUserCertificate, wantedAltNames } from "../../src/tls/certificate.js";
import { fingerprintOf } from "../../src/tls/fingerprint.js";

const DAY = 86_400_000;
const logger = createSilentLogger();

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ format: "json", level: "debug", destination }) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cc-tls-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("wantedAltNames", () => {
  test.each([
    [[], [], ["localhost"], ["127.0.0.1", "::1"]],
    [["MacBook-Pro"], [], ["localhost", "macbook-pro", "macbook-pro.local"], ["127.0.0.1", "::1"]],
    [["box.lan."], ["192.168.1.20"], ["localhost", "box.lan", "box.local"], ["127.0.0.1", "::1", "192.168.1.20"]],
    [["box.local"], ["[fd00::5]", "fe80::1%en0", "not-an-ip", "127.0.0.1"], ["localhost", "box.local"], ["127.0.0.1", "::1", "fd00::5"]],
    [["10.0.0.1", " "], ["10.0.0.1"], ["localhost"], ["127.0.0.1", "::1", "10.0.0.1"]],
    [["Büro-PC"], [], ["localhost", "xn--bro-pc-3ya", "xn--bro-pc-3ya.local"], ["127.0.0.1", "::1"]],
    [["my_box", "has space", "a..b", "-x-"], [], ["localhost", "my_box", "my_box.local"], ["127.0.0.1", "::1"]],
  ])("hosts %j, addresses %j", (hostnames, addresses, dns, ips) => {
    expect(wantedAltNames(hostnames, addresses)).toEqual({ dns, ips });
  });
});

describe("ensureCertificate", () => {
  test("generates once with the wanted SANs, then reuses it: the same fingerprint across restarts", async () => {
    const opts = { dir, hostnames: ["devbox"], addresses: ["192.168.1.20", "fd00::20"], logger };
    const first = await ensureCertificate(opts);
    expect(first.generated).toBe(true);
    expect(first.paths).toEqual({ cert: join(dir, CERT_FILE), key: join(dir, KEY_FILE) });
    expect(first.fingerprint256).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(first.fingerprint256).toBe(fingerprintOf(readFileSync(first.paths.cert)));

    const x509 = new X509Certificate(first.cert);
    for (const name of ["localhost", "devbox", "devbox.local"]) expect(x509.checkHost(name, { subject: "never" })).toBe(name);
    for (const ip of ["127.0.0.1", "::1", "192.168.1.20", "fd00::20"]) expect(x509.checkIP(ip)).toBe(ip);
    expect(x509.checkIP("192.168.1.21")).toBeUndefined();
    expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(Date.parse(x509.validTo) - Date.now()).toBeGreaterThan(360 * DAY);

    const second = await ensureCertificate(opts);
    expect(second.generated).toBe(false);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
  });

  test("reuses when an address goes away, regenerates when a new one appears", async () => {
    const a = await ensureCertificate({ dir, hostnames: ["devbox"], addresses: ["192.168.1.20", "10.0.0.5"], logger });
    const fewer = await ensureCertificate({ dir, hostnames: ["devbox"], addresses: ["192.168.1.20"], logger });
    expect(fewer.generated).toBe(false);
    expect(fewer.fingerprint256).toBe(a.fingerprint256);
    const more = await ensureCertificate({ dir, hostnames: ["devbox"], addresses: ["192.168.1.20", "192.168.7.7"], logger });
    expect(more.generated).toBe(true);
    expect(more.fingerprint256).not.toBe(a.fingerprint256);
    expect(new X509Certificate(more.cert).checkIP("192.168.7.7")).toBe("192.168.7.7");
    expect(fingerprintOf(readFileSync(more.paths.cert))).toBe(more.fingerprint256);
  });

  test.each([["Büro-PC"], ["my_box"], ["UPPER.Example.LAN"]])("keeps the certificate of host %j across restarts", async (hostname) => {
    const a = await ensureCertificate({ dir, hostnames: [hostname], logger });
    const b = await ensureCertificate({ dir, hostnames: [hostname], logger });
    expect(b.generated).toBe(false);
    expect(b.fingerprint256).toBe(a.fingerprint256);
  });

  test("regenerates for a new hostname", async () => {
    const a = await ensureCertificate({ dir, hostnames: ["old-name"], logger });
    const b = await ensureCertificate({ dir, hostnames: ["new-name"], logger });
    expect(b.generated).toBe(true);
    expect(b.fingerprint256).not.toBe(a.fingerprint256);
    expect(b.altNames).toEqual(expect.arrayContaining(["new-name", "new-name.local"]));
  });

  test.each([
    ["31 days before expiry: kept", 31, false],
    ["29 days before expiry: renewed", 29, true],
    ["expired: renewed", -1, true],
  ])("%s", async (_name, daysLeft, renewed) => {
    const a = await ensureCertificate({ dir, logger });
    const now = a.validTo - daysLeft * DAY;
    const b = await ensureCertificate({ dir, logger, now: () => now });
    expect(b.generated).toBe(renewed);
    if (renewed) {
      expect(b.fingerprint256).not.toBe(a.fingerprint256);
      expect(b.validTo).toBe(now + 365 * DAY);
    }
  });

  test("renews a certificate that is not valid yet (the clock moved back)", async () => {
    await ensureCertificate({ dir, logger });
    const b = await ensureCertificate({ dir, logger, now: () => Date.now() - 10 * DAY });
    expect(b.generated).toBe(true);
  });

  test.each([
    ["a corrupt certificate", CERT_FILE, "not a pem"],
    ["a corrupt key", KEY_FILE, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"],
  ])("renews after %s and logs why", async (_name, file, content) => {
    const a = await ensureCertificate({ dir, logger });
    writeFileSync(join(dir, file), content);
    const { lines, logger: capture } = capturingLogger();
    const b = await ensureCertificate({ dir, logger: capture });
    expect(b.generated).toBe(true);
    expect(b.fingerprint256).not.toBe(a.fingerprint256);
    expect(lines.join("\n")).toContain("cannot be read");
  });

  test("renews when the key belongs to another certificate", async () => {
    const other = mkdtempSync(join(tmpdir(), "cc-tls-other-"));
    try {
      await ensureCertificate({ dir, logger });
      await ensureCertificate({ dir: other, logger });
      writeFileSync(join(dir, KEY_FILE), readFileSync(join(other, KEY_FILE)));
      const { lines, logger: capture } = capturingLogger();
      const b = await ensureCertificate({ dir, logger: capture });
      expect(b.generated).toBe(true);
      expect(lines.join("\n")).toContain("the key does not match the certificate");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("key and certificate are 0600 even with umask 0, and loose modes are tightened on reuse", async () => {
    const previous = process.umask(0);
    try {
      const sub = join(dir, "fresh", "tls");
      const a = await ensureCertificate({ dir: sub, logger });
      expect(statSync(a.paths.key).mode & 0o777).toBe(0o600);
      expect(statSync(a.paths.cert).mode & 0o777).toBe(0o600);
      expect(statSync(sub).mode & 0o777).toBe(0o700);
      chmodSync(a.paths.key, 0o644);
      const b = await ensureCertificate({ dir: sub, logger });
      expect(b.generated).toBe(false);
      expect(statSync(b.paths.key).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  test("never logs the private key", async () => {
    const { lines, logger: capture } = capturingLogger();
    const a = await ensureCertificate({ dir, hostnames: ["h"], logger: capture });
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join("\n");
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(a.key.split("\n")[1]);
    expect(text).toContain(a.fingerprint256);
  });
});

describe("loadUserCertificate", () => {
  test("loads a matching pair, chain files included, as generated:false", async () => {
    const own = await ensureCertificate({ dir, hostnames: ["box.tail1234.ts.net"], logger });
    const other = await ensureCertificate({ dir: join(dir, "other"), logger });
    const chain = join(dir, "fullchain.pem");
    writeFileSync(chain, own.cert + other.cert);
    const loaded = await loadUserCertificate(chain, own.paths.key);
    expect(loaded.generated).toBe(false);
    expect(loaded.fingerprint256).toBe(own.fingerprint256);
    expect(loaded.paths).toEqual({ cert: chain, key: own.paths.key });
    expect(loaded.cert).toBe(own.cert + other.cert);
  });

  test.each([
    ["a missing certificate", (d: string) => [join(d, "nope.pem"), join(d, KEY_FILE)], /cannot read the certificate file .*ENOENT/],
    ["a missing key", (d: string) => [join(d, CERT_FILE), join(d, "nope.pem")], /cannot read the key file .*ENOENT/],
    ["a certificate that is not PEM", (d: string) => [join(d, "garbage.pem"), join(d, KEY_FILE)], /is not a PEM certificate/],
    ["a key that is not PEM", (d: string) => [join(d, CERT_FILE), join(d, "garbage.pem")], /is not an unencrypted PEM private key/],
    ["a key of another certificate", (d: string) => [join(d, CERT_FILE), join(d, "other", KEY_FILE)], /does not belong to the certificate/],
  ])("refuses %s with TLS_CERTIFICATE_INVALID", async (_name, pick, message) => {
    await ensureCertificate({ dir, logger });
    await ensureCertificate({ dir: join(dir, "other"), logger });
    writeFileSync(join(dir, "garbage.pem"), "hello");
    const [certPath, keyPath] = pick(dir) as [string, string];
    const err = await loadUserCertificate(certPath, keyPath).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompanionError);
    expect((err as CompanionError).code).toBe("TLS_CERTIFICATE_INVALID");
    expect((err as CompanionError).message).toMatch(message);
    expect((err as CompanionError).message).not.toContain("PRIVATE KEY");
  });

  test("warns about an expired or expiring certificate but loads it", async () => {
    const own = await ensureCertificate({ dir, logger });
    const { lines, logger: capture } = capturingLogger();
    await loadUserCertificate(own.paths.cert, own.paths.key, { logger: capture, now: () => own.validTo - 10 * DAY });
    await loadUserCertificate(own.paths.cert, own.paths.key, { logger: capture, now: () => own.validTo + DAY });
    await loadUserCertificate(own.paths.cert, own.paths.key, { logger: capture });
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "The TLS certificate expires soon",
      "The TLS certificate has expired; clients will refuse it",
    ]);
  });
});
