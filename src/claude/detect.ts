// Finds the Claude Code CLI and reads its version (`<cli> --version`), cached per path. Never throws.
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

// Node's child_process, not execa: `start` runs this probe before the daemon's modules (execa among them) are loaded.

export const INSTALL_SUGGESTION = "npm install -g @anthropic-ai/claude-code";

export interface ClaudeDetection {
  available: boolean;
  /** e.g. "2.1.332"; null when unavailable or unparsable. */
  version: string | null;
  /** Absolute path when it could be resolved, else the configured value. */
  path: string;
  /** Why it is unavailable. */
  error?: string;
  /** What the user can do about it. */
  suggestion?: string;
}

export interface DetectClaudeOptions {
  /** Give up on `--version` after this long. Default 5000 ms. */
  timeoutMs?: number;
  /** Environment for the probe and for the PATH lookup of a bare command name (from config). */
  env?: Record<string, string | undefined>;
}

const cache = new Map<string, Promise<ClaudeDetection>>();

/** Forgets cached detections (e.g. after the user installed the CLI). */
export function clearClaudeDetectionCache(): void {
  cache.clear();
}

/** The first semver in `--version` output: "2.1.332 (Claude Code)" -> "2.1.332". */
export function parseClaudeVersion(output: string): string | null {
  const m = /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output);
  return m?.[1] ?? null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `cliPath`: resolved against PATH when it is a bare name; undefined when not found. */
export function resolveCliPath(cliPath: string, pathEnv: string | undefined): string | undefined {
  if (cliPath.includes("/") || cliPath.includes(path.sep)) {
    const abs = path.resolve(cliPath);
    return isExecutableFile(abs) ? abs : undefined;
  }
  for (const dir of (pathEnv ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cliPath);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

type VersionRun = { kind: "ok"; stdout: string } | { kind: "failed"; error: string } | { kind: "timeout" };

/** `<target> --version` in its own process group (a timeout kills whatever it started too); never rejects. */
function runVersion(target: string, env: Record<string, string | undefined> | undefined, timeoutMs: number): Promise<VersionRun> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let settled = false;
    const child = spawn(target, ["--version"], {
      // Without an env the probe inherits the daemon's own environment (spawn's default).
      ...(env !== undefined ? { env: definedOnly(env) } : {}),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const done = (r: VersionRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    // Not waiting for 'close' alone: a grandchild can hold stdout open for ever.
    const timer = setTimeout(() => {
      killGroup(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      done({ kind: "timeout" });
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.once("error", (error) => done({ kind: "failed", error: error.message }));
    child.once("close", (code, signal) => {
      if (code === 0) return done({ kind: "ok", stdout });
      const why = signal ? `was killed with ${signal}` : `exited with code ${String(code)}`;
      done({ kind: "failed", error: `'${target} --version' ${why}${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ""}` });
    });
  });
}

async function probe(cliPath: string, options: DetectClaudeOptions): Promise<ClaudeDetection> {
  const env = options.env;
  const resolved = resolveCliPath(cliPath, env?.PATH);
  if (resolved === undefined && (cliPath.includes("/") || env !== undefined)) {
    return {
      available: false,
      version: null,
      path: cliPath,
      error: `Claude Code CLI not found at '${cliPath}'`,
      suggestion: INSTALL_SUGGESTION,
    };
  }
  const target = resolved ?? cliPath;
  const timeoutMs = options.timeoutMs ?? 5000;
  const result = await runVersion(target, env, timeoutMs);
  if (result.kind === "timeout") {
    return { available: false, version: null, path: target, error: `'${target} --version' did not answer within ${timeoutMs} ms`, suggestion: INSTALL_SUGGESTION };
  }
  if (result.kind === "failed") {
    return { available: false, version: null, path: target, error: result.error, suggestion: INSTALL_SUGGESTION };
  }
  const version = parseClaudeVersion(result.stdout);
  if (version === null) {
    return {
      available: false,
      version: null,
      path: target,
      error: `unexpected output of '${target} --version': ${result.stdout.slice(0, 200)}`,
      suggestion: INSTALL_SUGGESTION,
    };
  }
  return { available: true, version, path: target };
}

/**
 * Runs `<cliPath> --version` once per path (cached, including failures; clear with
 * clearClaudeDetectionCache). Without `env`, the probe inherits the daemon's environment.
 */
export function detectClaude(cliPath: string, options: DetectClaudeOptions = {}): Promise<ClaudeDetection> {
  const cached = cache.get(cliPath);
  if (cached) return cached;
  const detection = probe(cliPath, options).catch(
    (error: unknown): ClaudeDetection => ({
      available: false,
      version: null,
      path: cliPath,
      error: error instanceof Error ? error.message : String(error),
      suggestion: INSTALL_SUGGESTION,
    }),
  );
  cache.set(cliPath, detection);
  return detection;
}
