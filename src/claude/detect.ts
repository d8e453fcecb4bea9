// Finds the Claude Code CLI and reads its version (`<cli> --version`), cached per path. Never throws.
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { INSTALL_SUGGESTION } from "./spawn.js";

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
  const subprocess = execa(target, ["--version"], {
    ...(env !== undefined && { env: definedOnly(env), extendEnv: false }),
    reject: false,
    stdin: "ignore",
    // Its own process group, so a timeout can kill whatever the probe started as well.
    detached: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const result = await Promise.race([subprocess, timedOut]);
  clearTimeout(timer);
  if (result === "timeout") {
    // Not execa's `timeout`: its promise waits for stdout to close, which a grandchild can hold open.
    killGroup(subprocess.pid);
    subprocess.stdout?.destroy();
    subprocess.stderr?.destroy();
    return { available: false, version: null, path: target, error: `'${target} --version' did not answer within ${timeoutMs} ms`, suggestion: INSTALL_SUGGESTION };
  }
  if (result.failed) {
    const why = (result as { originalMessage?: string }).originalMessage || result.shortMessage;
    return { available: false, version: null, path: target, error: why, suggestion: INSTALL_SUGGESTION };
  }
  const version = parseClaudeVersion(String(result.stdout));
  if (version === null) {
    return {
      available: false,
      version: null,
      path: target,
      error: `unexpected output of '${target} --version': ${String(result.stdout).slice(0, 200)}`,
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
