// Runs the `tailscale` CLI (or another probe command) with a timeout and returns what it printed; never throws, no shell.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

export interface RunResult {
  /** Exit code; null when it could not run (absent) or was killed by the timeout. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the executable was not found. */
  absent: boolean;
  timedOut: boolean;
}

export type TailscaleRunner = (args: readonly string[], timeoutMs: number) => Promise<RunResult>;

/** The macOS app ships its CLI inside the bundle and does not always put it on PATH. */
const MAC_APP_CLI = "/Applications/Tailscale.app/Contents/MacOS/Tailscale";

/** The command to run: `tailscale` from PATH, or the macOS app's binary when that is the only one. */
export function tailscaleCommand(platform: NodeJS.Platform = process.platform): string {
  return platform === "darwin" && existsSync(MAC_APP_CLI) ? MAC_APP_CLI : "tailscale";
}

export function createTailscaleRunner(command: string = "tailscale"): TailscaleRunner {
  return (args, timeoutMs) => runCommand(command, args, timeoutMs);
}

/** Any command, the same way (doctor uses it for ufw, firewall-cmd, nft and socketfilterfw). */
export function runCommand(command: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 4 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const absent = e?.code === "ENOENT" || e?.code === "EACCES";
        const timedOut = Boolean(e?.killed);
        const code = !e ? 0 : typeof e.code === "number" ? e.code : null;
      resolve({ code, stdout: String(stdout ?? ""), stderr: String(stderr ?? ""), absent, timedOut });
    });
  });
}
