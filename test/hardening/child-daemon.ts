// Daemons in child processes, for faults an in-process daemon cannot take: kill -9, and file permissions
// that bind (as root they do not, so a root test run starts the child as `nobody`). The child is bundled
// from src with esbuild, so it runs the code under test, not a stale build.
import { spawn } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { build } from "esbuild";

const NOBODY = { uid: 65534, gid: 65534 };
/** The user the child runs as: this one, or `nobody` when this is root. */
export const childUser = process.getuid?.() === 0 ? NOBODY : undefined;

const REPO = resolve(import.meta.dirname, "../..");
// The child (maybe `nobody`) cannot be assumed to reach the checkout (a clone under a 0700 directory):
// its script, with every dependency bundled in, and the fake CLIs it runs live in a world-readable temp dir.
let shared: string | undefined;
function sharedDir(): string {
  if (!shared) {
    shared = mkdtempSync(join(tmpdir(), "cc-hardening-"));
    chmodSync(shared, 0o755);
  }
  return shared;
}

/** A copy of a file of the checkout that the child's user can run. */
function reachable(path: string): string {
  if (!childUser || relative(REPO, path).startsWith("..")) return path;
  const copy = join(sharedDir(), basename(path));
  if (!existsSync(copy)) {
    copyFileSync(path, copy);
    chmodSync(copy, 0o755);
  }
  return copy;
}

let bundled: Promise<string> | undefined;
function childScript(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(sharedDir(), "daemon-child.mjs");
    await build({
      entryPoints: [resolve(import.meta.dirname, "fixtures/daemon-child.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      logLevel: "error",
      // Bundled CommonJS dependencies call require() and read __filename (write-file-atomic): give the ESM bundle both.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url);",
      },
    });
    chmodSync(outfile, 0o644);
    return outfile;
  })();
  return bundled;
}

/** Removes the bundle and copies made for this test process. */
export async function removeChildScript(): Promise<void> {
  if (bundled) await bundled.catch(() => undefined);
  if (shared) rmSync(shared, { recursive: true, force: true });
  bundled = undefined;
  shared = undefined;
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
  /** Run as this test's user even as root (the real CLI in node_modules is not `nobody`'s to run). */
  sameUser?: boolean;
}): Promise<ChildDaemon> {
  const script = await childScript();
  const user = options.sameUser ? undefined : childUser;
  if (user && options.env?.CLAUDE_CLI_PATH) options = { ...options, env: { ...options.env, CLAUDE_CLI_PATH: reachable(options.env.CLAUDE_CLI_PATH) } };
  const child = spawn(process.execPath, [script, JSON.stringify({ env: {}, childEnv: process.env, ...options })], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ?? {}),
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
