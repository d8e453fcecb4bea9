// Daemons in child processes, for faults an in-process daemon cannot take: kill -9, and file permissions
// that bind (as root they do not, so a root test run starts the child as `nobody`). The child is bundled
// from src with esbuild, so it runs the code under test, not a stale build.
import { spawn } from "node:child_process";
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const NOBODY = { uid: 65534, gid: 65534 };
/** The user the child runs as: this one, or `nobody` when this is root. */
export const childUser = process.getuid?.() === 0 ? NOBODY : undefined;

let bundled: Promise<string> | undefined;
function childScript(): Promise<string> {
  bundled ??= (async () => {
    // Inside the repository, so the bundle's bare imports (zod, ws, pino …) resolve to its node_modules.
    const outfile = resolve(import.meta.dirname, `../../node_modules/.cache/claude-companion-hardening/daemon-child-${process.pid}.mjs`);
    await build({
      entryPoints: [resolve(import.meta.dirname, "fixtures/daemon-child.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile,
      logLevel: "error",
    });
    return outfile;
  })();
  return bundled;
}

/** Removes the bundle built for this test process. */
export async function removeChildScript(): Promise<void> {
  if (bundled) rmSync(await bundled, { force: true });
  bundled = undefined;
}

/** Gives `paths` (recursively) to the child's user, so it can write there and nothing else. */
export function handOver(...paths: string[]): void {
  if (!childUser) return;
  for (const p of paths) {
    chownSync(p, childUser.uid, childUser.gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) handOver(join(p, e));
  }
}

export interface ChildDaemon {
  url: string;
  configDir: string;
  wsUrl: string;
  token: string;
  pid: number;
  /** The daemon's log lines so far (JSON, debug level). */
  logs(): string[];
  /** SIGKILL: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful close. */
  stop(): Promise<void>;
}

export async function startChildDaemon(options: {
  configDir: string;
  workDir: string;
  logFile: string;
  env?: Record<string, string>;
  childEnv?: Record<string, string>;
}): Promise<ChildDaemon> {
  const script = await childScript();
  const child = spawn(process.execPath, [script, JSON.stringify({ env: {}, childEnv: process.env, ...options })], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(childUser ?? {}),
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const ready = await new Promise<{ url: string; token: string; pid: number }>((resolvePromise, reject) => {
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /^READY (.*)$/m.exec(out);
      if (m) resolvePromise(JSON.parse(m[1]!));
    });
    void exited.then(() => reject(new Error(`the daemon child exited before it was ready: ${stderr.slice(-2000)}`)));
  });
  return {
    ...ready,
    configDir: options.configDir,
    wsUrl: ready.url.replace(/^http/, "ws") + "/ws",
    logs: () => (existsSync(options.logFile) ? readFileSync(options.logFile, "utf8").split("\n").filter(Boolean) : []),
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
