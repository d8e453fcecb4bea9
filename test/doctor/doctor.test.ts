// Each doctor check in a pass and a fail (or warn) case, over real probes on 127.0.0.1 and fake firewall executables.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { detectClaude } from "../../src/claude/detect.js";
import * as doctor from "../../src/doctor/index.js";
import { freeBytes, peerCertificate, probe } from "../../src/doctor/probes.js";
import type { DaemonFacts, DoctorInputs } from "../../src/doctor/index.js";
import { DoctorReportSchema, type InfoResponse } from "../../src/protocol/index.js";
import { runCommand, type TailscaleStatus } from "../../src/tailscale/index.js";
import { FAKE_CLAUDE } from "../helpers/cli-process.js";
import { createTestCa } from "../helpers/test-ca.js";
import { cleanupTempDirs, tempDir } from "../helpers/tmp.js";

const DAY = 86_400_000;
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  cleanupTempDirs();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}
/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const noTailscale: TailscaleStatus = { state: "absent", ipv4: null, dnsName: null, httpsEnabled: false, detail: "not installed" };

function info(over: Partial<InfoResponse> = {}): InfoResponse {
  return {
    name: "claude-companion", version: "0.1.0", protocolVersion: 1, serverId: "s", hostname: "h", platform: "linux",
    addresses: ["127.0.0.1"], port: 1, capabilities: [], tls: { enabled: false, fingerprint: null },
    bonjour: { enabled: true, published: true, warning: null },
    tailscale: { state: "absent", address: null, dnsName: null, httpsEnabled: false, url: null, warning: null },
    claude: { available: true, version: "2.1.332", path: "claude" },
    ...over,
  } as InfoResponse;
}

function facts(over: Partial<DaemonFacts> = {}): DaemonFacts {
  return {
    url: "http://127.0.0.1:1", pid: 1, host: "0.0.0.0", port: 1,
    health: { status: "ok", version: "0.1.0", uptime: 1, claude: { available: true, version: "2.1.332", checking: false }, sessions: { active: 0, max: 5 } },
    info: info(), devices: [{ lastSeenAt: Date.now() }], channels: [],
    ...over,
  };
}

let configDir: string;
let home: string;
let claudeOk: DoctorInputs["claude"];

function inputs(over: Partial<DoctorInputs> = {}): DoctorInputs {
  return {
    nodeVersion: "v20.11.0", platform: "linux", env: {}, homeDir: home, configDir, claude: claudeOk,
    daemon: facts(), daemonProblem: null, tailscale: noTailscale, tailscaleWanted: false, behindProxy: false,
    probe, peerCertificate: peerCertificate("127.0.0.1"), run: runCommand, freeBytes, now: Date.now(),
    ...over,
  };
}

beforeAll(async () => {
  configDir = tempDir("cc-doc-");
  chmodSync(configDir, 0o700);
  writeFileSync(join(configDir, "config.json"), "{}", { mode: 0o600 });
  home = tempDir("cc-doc-home-");
  claudeOk = await detectClaude(FAKE_CLAUDE, { timeoutMs: 10_000 });
});

describe("host checks", () => {
  test("node: 20+ ok, 18 fails", () => {
    expect(doctor.checkNode(inputs()).status).toBe("ok");
    expect(doctor.checkNode(inputs({ nodeVersion: "v18.19.0" }))).toMatchObject({ status: "fail", fix: expect.stringContaining("Node.js 20") });
  });

  test("claude-cli: the fake CLI is found with its version; a missing one fails with the install hint", async () => {
    expect(doctor.checkClaudeCli(inputs())).toMatchObject({ status: "ok", detail: expect.stringContaining("2.1.332") });
    const missing = await detectClaude(join(home, "no-such-claude"), { timeoutMs: 5000 });
    expect(doctor.checkClaudeCli(inputs({ claude: missing }))).toMatchObject({ status: "fail", fix: expect.stringContaining("npm install -g @anthropic-ai/claude-code") });
  });

  test("claude-auth: a key in the environment (its value never shown), a credentials file; none fails on Linux, cannot tell on macOS", () => {
    const secret = "sk-ant-secret-value-1234567890";
    const fromEnv = doctor.checkClaudeAuth(inputs({ env: { ANTHROPIC_API_KEY: secret } }));
    expect(fromEnv).toMatchObject({ status: "ok", detail: expect.stringContaining("ANTHROPIC_API_KEY") });
    expect(JSON.stringify(fromEnv)).not.toContain(secret);
    expect(doctor.checkClaudeAuth(inputs()).status).toBe("fail");
    expect(doctor.checkClaudeAuth(inputs({ platform: "darwin" })).status).toBe("warn");
    const withLogin = tempDir("cc-doc-home-");
    mkdirSync(join(withLogin, ".claude"));
    writeFileSync(join(withLogin, ".claude", ".credentials.json"), JSON.stringify({ claudeAiOauth: { accessToken: secret } }));
    const file = doctor.checkClaudeAuth(inputs({ homeDir: withLogin }));
    expect(file.status).toBe("ok");
    expect(JSON.stringify(file)).not.toContain(secret);
  });

  test("file-modes: 0700/0600 ok; a world-readable config.json fails with chmod", () => {
    expect(doctor.checkFileModes(inputs()).status).toBe("ok");
    const loose = tempDir("cc-doc-");
    chmodSync(loose, 0o700);
    writeFileSync(join(loose, "config.json"), "{}", { mode: 0o644 });
    chmodSync(join(loose, "config.json"), 0o644);
    expect(doctor.checkFileModes(inputs({ configDir: loose }))).toMatchObject({ status: "fail", detail: expect.stringContaining("config.json is 644"), fix: expect.stringContaining("chmod") });
  });

  test("disk: the real free space; under 100 MiB fails", async () => {
    expect((await doctor.checkDisk(inputs())).detail).toMatch(/free under/);
    expect((await doctor.checkDisk(inputs({ freeBytes: async () => 50 * 1024 * 1024 }))).status).toBe("fail");
  });
});

describe("daemon and network checks", () => {
  test("daemon: running ok, degraded warns, not running fails with how to start it", () => {
    expect(doctor.checkDaemon(inputs()).status).toBe("ok");
    expect(doctor.checkDaemon(inputs({ daemon: facts({ health: { ...facts().health, status: "degraded" } }) })).status).toBe("warn");
    expect(doctor.checkDaemon(inputs({ daemon: null }))).toMatchObject({ status: "fail", fix: expect.stringContaining("claude-companion start") });
  });

  test("listen: every interface ok; loopback only warns, unless behind a proxy", () => {
    expect(doctor.checkListen(inputs()).status).toBe("ok");
    expect(doctor.checkListen(inputs({ daemon: facts({ host: "127.0.0.1" }) }))).toMatchObject({ status: "warn", fix: expect.stringContaining("--host") });
    expect(doctor.checkListen(inputs({ daemon: facts({ host: "127.0.0.1" }), behindProxy: true })).status).toBe("ok");
  });

  test("lan-reachable: a listening port is reachable, a closed one fails, no address fails", async () => {
    const open = await listen(createNetServer((s) => s.destroy()));
    expect(await doctor.checkLanReachable(inputs({ daemon: facts({ port: open }) }))).toMatchObject({ status: "ok", detail: expect.stringContaining(`:${open}`) });
    const closed = await closedPort();
    expect((await doctor.checkLanReachable(inputs({ daemon: facts({ port: closed }) }))).status).toBe("fail");
    expect((await doctor.checkLanReachable(inputs({ daemon: facts({ info: info({ addresses: [] }) }) }))).status).toBe("fail");
  });

  test("bonjour: published ok; enabled but not published warns with the reason", () => {
    expect(doctor.checkBonjour(inputs()).status).toBe("ok");
    const b = doctor.checkBonjour(inputs({ daemon: facts({ info: info({ bonjour: { enabled: true, published: false, warning: "port 5353 in use" } }) }) }));
    expect(b).toMatchObject({ status: "warn", detail: expect.stringContaining("port 5353 in use") });
  });

  test("tls: off is ok; a valid certificate is ok with its expiry; an expired one fails; one expiring in days warns", async () => {
    expect((await doctor.checkTls(inputs())).status).toBe("ok");
    const ca = await createTestCa();
    const serve = async (days: number) => {
      const leaf = await ca.issue("laptop.tail1234.ts.net", days);
      return listen(createTlsServer({ cert: leaf.cert, key: leaf.key }, (s) => s.destroy()) as unknown as Server);
    };
    const tlsOn = (port: number) => inputs({ daemon: facts({ port, info: info({ tls: { enabled: true, fingerprint: "x" } }) }) });
    expect(await doctor.checkTls(tlsOn(await serve(90)))).toMatchObject({ status: "ok", detail: expect.stringContaining("CA-issued certificate valid until") });
    expect((await doctor.checkTls(tlsOn(await serve(-0.5)))).status).toBe("fail");
    expect((await doctor.checkTls(tlsOn(await serve(5)))).status).toBe("warn");
  });

  test("tailscale: running ok, logged out warns (tailscale up), --tailscale without it fails, --tailscale without HTTPS warns how to enable", () => {
    const running: TailscaleStatus = { state: "running", ipv4: "100.101.102.103", dnsName: "laptop.tail1234.ts.net", httpsEnabled: true, detail: "connected" };
    expect(doctor.checkTailscale(inputs({ tailscale: running }))).toMatchObject({ status: "ok", detail: expect.stringContaining("laptop.tail1234.ts.net") });
    expect(doctor.checkTailscale(inputs())).toMatchObject({ status: "ok" });
    expect(doctor.checkTailscale(inputs({ tailscale: { ...noTailscale, state: "logged-out", detail: "logged out" } }))).toMatchObject({ status: "warn", fix: "tailscale up" });
    expect(doctor.checkTailscale(inputs({ tailscaleWanted: true })).status).toBe("fail");
    expect(doctor.checkTailscale(inputs({ tailscaleWanted: true, tailscale: { ...running, httpsEnabled: false } }))).toMatchObject({ status: "warn", fix: expect.stringContaining("login.tailscale.com/admin/dns") });
  });

  test("notify: none is ok; a reachable channel ok (its topic never shown); a failing one fails; an unreachable one warns", async () => {
    expect((await doctor.checkNotify(inputs())).status).toBe("ok");
    const port = await listen(createNetServer((s) => s.destroy()));
    const channel = { type: "ntfy", url: `http://127.0.0.1:${port}/secret-topic-name`, failing: null };
    const up = await doctor.checkNotify(inputs({ daemon: facts({ channels: [channel] }) }));
    expect(up).toMatchObject({ status: "ok", detail: expect.stringContaining(`ntfy 127.0.0.1:${port}`) });
    expect(JSON.stringify(up)).not.toContain("secret-topic-name");
    const failing = await doctor.checkNotify(inputs({ daemon: facts({ channels: [{ ...channel, failing: "HTTP 403" }] }) }));
    expect(failing).toMatchObject({ status: "fail", detail: expect.stringContaining("HTTP 403") });
    const closed = await closedPort();
    expect((await doctor.checkNotify(inputs({ daemon: facts({ channels: [{ ...channel, url: `http://127.0.0.1:${closed}/t` }] }) }))).status).toBe("warn");
  });

  test("first-connection: a device seen is ok; reachable but never connected warns with client isolation (and Local Network on macOS)", () => {
    expect(doctor.checkFirstConnection(inputs(), true).status).toBe("ok");
    const never = inputs({ daemon: facts({ devices: [] }) });
    expect(doctor.checkFirstConnection(never, true)).toMatchObject({ status: "warn", fix: expect.stringContaining("isolate clients") });
    expect(doctor.checkFirstConnection({ ...never, platform: "darwin" }, true).fix).toContain("Local Network");
    expect(doctor.checkFirstConnection(never, false).fix).toBeNull();
  });
});

describe("firewall", () => {
  const PORT = 38123;
  /** A directory of fake firewall tools; `run` finds commands only there. */
  function tools(scripts: Record<string, string>): DoctorInputs["run"] {
    const dir = tempDir("cc-fw-");
    for (const [name, body] of Object.entries(scripts)) {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    }
    return (cmd, args, t) => runCommand(join(dir, cmd.split("/").pop()!), args, t);
  }
  const fw = (scripts: Record<string, string>) => doctor.checkFirewall(inputs({ daemon: facts({ port: PORT }), run: tools(scripts) }));

  test.each([
    ["ufw inactive", { ufw: 'echo "Status: inactive"' }, "ok"],
    ["ufw allows the port", { ufw: `printf 'Status: active\\n\\nTo  Action  From\\n--  ------  ----\\n22/tcp  ALLOW  Anywhere\\n${PORT}/tcp  ALLOW  Anywhere\\n'` }, "ok"],
    ["ufw active without the port", { ufw: `printf 'Status: active\\n\\nTo  Action  From\\n22/tcp  ALLOW  Anywhere\\n'` }, "fail"],
    ["ufw needs root, firewalld lists the port", { ufw: 'echo "ERROR: You need to be root to run this script" >&2; exit 1', "firewall-cmd": `[ "$1" = --state ] && echo running || echo "ssh ${PORT}/tcp"` }, "ok"],
    ["firewalld running without the port", { "firewall-cmd": '[ "$1" = --state ] && echo running || echo "22/tcp"' }, "fail"],
    ["nft drops input without an accept", { nft: "printf 'table inet filter {\\n chain input {\\n  type filter hook input priority 0; policy drop;\\n  tcp dport 22 accept\\n }\\n}\\n'" }, "fail"],
    ["nft accepts the port", { nft: `printf 'table inet filter {\\n chain input {\\n  type filter hook input priority 0; policy drop;\\n  tcp dport { 22, ${PORT} } accept\\n }\\n}\\n'` }, "ok"],
    ["nothing answers: could not tell", { nft: 'echo "Operation not permitted" >&2; exit 1' }, "warn"],
    ["no tool at all: could not tell", {}, "warn"],
  ])("%s", async (_name, scripts, status) => {
    const r = await fw(scripts as Record<string, string>);
    expect(r.status).toBe(status);
    if (status === "fail") expect(r.fix).toContain(String(PORT));
    if (status === "warn") expect(r.detail).toContain("could not tell");
  });

  test("macOS application firewall: off ok, block-all fails", async () => {
    const mac = (scripts: Record<string, string>) => doctor.checkFirewall(inputs({ platform: "darwin", daemon: facts({ port: PORT }), run: tools(scripts) }));
    expect((await mac({ socketfilterfw: 'echo "Firewall is disabled. (State = 0)"' })).status).toBe("ok");
    expect((await mac({ socketfilterfw: '[ "$1" = --getglobalstate ] && echo "Firewall is enabled. (State = 1)" || echo "Block all ENABLED!"' })).status).toBe("fail");
  });
});

test("runDoctor: every check in order, valid against the schema; ok only when nothing fails", async () => {
  const port = await listen(createNetServer((s) => s.destroy()));
  const good = await doctor.runDoctor(inputs({ env: { ANTHROPIC_API_KEY: "k" }, daemon: facts({ port }), run: async () => ({ code: 0, stdout: "Status: inactive", stderr: "", absent: false, timedOut: false }) }));
  expect(DoctorReportSchema.parse(good).checks.map((c) => c.id)).toEqual([...(await import("../../src/protocol/index.js")).DOCTOR_CHECK_IDS]);
  expect(good.ok).toBe(true);
  const bad = await doctor.runDoctor(inputs({ daemon: null }));
  expect(bad.ok).toBe(false);
});
