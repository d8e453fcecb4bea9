// The built bin as a child process: one-shot commands, and `start` waited on until its readiness line.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const BIN = resolve(import.meta.dirname, "../../bin/claude-companion.js");
export const FAKE_CLAUDE = resolve(import.meta.dirname, "../fixtures/fake-claude.mjs");
const FAKE_TAILSCALE = resolve(import.meta.dirname, "../fixtures/fake-tailscale.mjs");

/** A PATH with node (the fake CLIs' shebang needs it) and `extra` first, and nothing else: no real tailscale, ufw … */
export function isolatedPath(...extra: string[]): string {
  return [...extra, dirname(process.execPath), "/usr/bin", "/bin"].join(":");
}

/** Writes an executable `tailscale` into `dir` that runs the fake (test/fixtures/fake-tailscale.mjs). */
export function installFakeTailscale(dir: string): string {
  const path = join(dir, "tailscale");
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_TAILSCALE}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A one-shot command, run to its end (blocks this process: not for commands an in-process daemon must answer). */
export function runCli(args: string[], env: Record<string, string>, timeout = 20_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8", timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The bin run without blocking this process (for commands an in-process daemon must answer); `env` is its whole environment. */
export function execCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.once("exit", (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** `start` with `args` (and node's own `nodeArgs`), as a child: `ready` resolves with the URL of its readiness line, rejects if it exits first. */
export function startCli(args: string[], env: Record<string, string>, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, BIN, "start", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const ready = new Promise<string>((resolveUrl, reject) => {
    child.stdout.on("data", () => {
      const m = /Listening on (\S+)/.exec(stdout);
      if (m) resolveUrl(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before ready: ${stderr}`)));
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  return { child, ready, exited, stop, output: () => ({ stdout, stderr }) };
}
