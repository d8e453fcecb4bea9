// Shared by the hardening tests: daemons whose logs are searched for every secret issued, figures for
// docs/RELIABILITY.md, raw HTTP, and probes of this process (fds, children, heap, prototypes).
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startTestDaemon, type TestDaemon } from "../helpers/daemon.js";

export const EVIL_CLAUDE = resolve(import.meta.dirname, "../fixtures/evil-claude.mjs");

// ---- daemons and secrets -------------------------------------------------------------------

const daemons: TestDaemon[] = [];
const secrets = new Set<string>();

/** startTestDaemon, remembered: its master token is a secret and its log is searched at the end of the file. */
export async function startTracked(overrides: Parameters<typeof startTestDaemon>[0] = {}): Promise<TestDaemon> {
  const d = await startTestDaemon(overrides);
  daemons.push(d);
  secrets.add(d.token);
  return d;
}

/** A token, device token or pairing token that must never appear in a log line. */
export function trackSecret(secret: string): void {
  if (secret) secrets.add(secret);
}

/** Every log line of every tracked daemon that contains a tracked secret (should be none). */
export function secretLeaks(): { lines: number; secrets: number; leaks: string[] } {
  for (const d of daemons) secrets.add(d.daemon.masterToken());
  const leaks: string[] = [];
  let lines = 0;
  for (const d of daemons) {
    for (const line of d.logs) {
      lines++;
      for (const s of secrets) if (line.includes(s)) leaks.push(line.slice(0, 300));
    }
  }
  return { lines, secrets: secrets.size, leaks };
}

export async function closeTracked(): Promise<void> {
  await Promise.all(daemons.map((d) => d.close()));
}

/** The afterAll of a hardening file: close its daemons, search their logs for every secret, record the figure. */
export async function finishFile(file: string): Promise<string[]> {
  await closeTracked();
  const { lines, secrets: searched, leaks } = secretLeaks();
  figure("secrets-in-logs", { file, logLines: lines, secretsSearched: searched, leaks: leaks.length });
  return leaks;
}

// ---- figures -------------------------------------------------------------------------------

/** Appends one figure (a JSON line) to $HARDENING_FIGURES, from which docs/RELIABILITY.md is filled. */
export function figure(name: string, values: Record<string, unknown>): void {
  const file = process.env.HARDENING_FIGURES;
  if (file) appendFileSync(file, JSON.stringify({ name, ...values }) + "\n");
}

// ---- raw HTTP ------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
// The daemon's self-signed certificate is checked by fingerprint elsewhere (test/server/pairing.test.ts).
const tlsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false });

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request exactly as given: path not normalised, body bytes as they are, no Host unless passed. */
export function raw(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; keepAlive?: boolean },
): Promise<RawResponse> {
  const u = new URL(base);
  const tls = u.protocol === "https:";
  return new Promise((resolvePromise, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(
      {
        host: u.hostname,
        port: u.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: u.host, ...options.headers },
        setHost: false,
        agent: options.keepAlive === false ? false : tls ? tlsAgent : agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

// ---- this process --------------------------------------------------------------------------

/** Open file descriptors of this process (the daemon runs in it). */
export function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}

/** What the open descriptors point at (for a failure message). */
export function fdTargets(): string[] {
  return readdirSync("/proc/self/fd").map((fd) => {
    try {
      return `${fd} -> ${readlinkSync(`/proc/self/fd/${fd}`)}`;
    } catch {
      return `${fd} -> ?`;
    }
  });
}

/** Live child processes of `pid` (default: this process), with their command lines. */
export function childProcesses(pid = process.pid): { pid: number; cmdline: string }[] {
  const children: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== pid || fields[0] === "Z") continue;
      children.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim() });
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

let gcFn: (() => void) | undefined;
/** A full garbage collection (for heap figures that mean something). */
export function collectGarbage(): void {
  if (!gcFn) {
    setFlagsFromString("--expose-gc");
    gcFn = runInNewContext("gc") as () => void;
  }
  gcFn();
}

const PROTOTYPES: [string, object][] = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Number.prototype", Number.prototype],
  ["Boolean.prototype", Boolean.prototype],
];

/** The own keys of the built-in prototypes now, to compare with later. */
export function prototypeSnapshot(): Map<string, string[]> {
  return new Map(PROTOTYPES.map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));
}

/** What changed on the built-in prototypes since `before`, and any `polluted` property reachable from a fresh object. */
export function prototypePollution(before: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [name, proto] of PROTOTYPES) {
    const now = Reflect.ownKeys(proto).map(String).sort();
    const was = before.get(name) ?? [];
    for (const k of now) if (!was.includes(k)) found.push(`${name}.${k}`);
  }
  const probe = {} as Record<string, unknown>;
  for (const key of ["polluted", "isAdmin", "admin", "shell"]) {
    if (probe[key] !== undefined || ([] as unknown as Record<string, unknown>)[key] !== undefined) found.push(`({}).${key}`);
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) found.push("Object.getPrototypeOf({})");
  return found;
}
