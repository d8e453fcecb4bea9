// `start --daemon`: spawn the daemon detached with a log file, wait until it answers /health, print how to reach it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import kleur from "kleur";
import { LOG_FILE, processEnv, type ResolvedConfig } from "../../config/index.js";
import { readStateFile } from "../../daemon/index.js";
import { prettyLine } from "../../log.js";
import type { InfoResponse } from "../../protocol/index.js";
import { formatBanner, renderQr } from "../banner.js";
import { callDaemon, currentToken, EXIT, fail, openStoreOrExit } from "../common.js";

const READY_TIMEOUT_MS = 20_000;

/** One line of the JSON log, readable (a line that is not JSON is printed as it is). */
export function readableLogLine(line: string, color: boolean): string {
  try {
    return prettyLine(JSON.parse(line) as Record<string, unknown>, color);
  } catch {
    return line + "\n";
  }
}

/** The last `n` lines of a JSON log file, readable. */
export function tailLog(path: string, n: number, color: boolean): string {
  if (!existsSync(path)) return "";
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean).slice(-n);
  return lines.map((l) => readableLogLine(l, color)).join("");
}

export async function startBackground(config: ResolvedConfig): Promise<void> {
  const logPath = join(config.configDir, LOG_FILE);
  // Same command line, without --daemon, plus the log file: the child is an ordinary foreground daemon.
  const args = process.argv.slice(2).filter((a) => a !== "-d" && a !== "--daemon");
  const child = spawn(process.execPath, [process.argv[1]!, ...args, "--log-file", logPath, "--config-dir", config.configDir], {
    detached: true,
    stdio: "ignore",
    env: processEnv(),
  });
  child.unref();
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let url: string | undefined;
  while (Date.now() < deadline && exited === undefined) {
    const state = readStateFile(config.configDir);
    if (state && state.pid === child.pid) {
      try {
        const health = await callDaemon(state, "/health", null);
        if (health.status === 200) {
          url = state.url;
          break;
        }
      } catch {
        /* not answering yet */
      }
    }
    // Polling: the child is detached and reports readiness only through its state file and /health.
    await delay(50);
  }
  if (!url) {
    const tail = tailLog(logPath, 20, config.color);
    process.stderr.write(tail ? `${kleur.gray("Last log lines:")}\n${tail}` : "");
    if (exited === undefined) child.kill("SIGTERM");
    fail(exited === undefined ? `The daemon did not answer within ${READY_TIMEOUT_MS / 1000} s.` : `The daemon exited (code ${exited}) before it was ready.`, EXIT.ERROR, `Log: ${logPath}`);
  }

  const state = readStateFile(config.configDir)!;
  const store = openStoreOrExit(config.configDir);
  const token = currentToken(store);
  const info = (await callDaemon<InfoResponse>(state, "/api/info", token)).body;
  const code = (await callDaemon<{ url: string; expiresAt: number }>(state, "/api/pairing-codes", token, { method: "POST" })).body;
  const lan = info.addresses.map((a) => `${state.tls ? "https" : "http"}://${a}:${state.port}`);
  process.stdout.write(
    formatBanner({
      version: `${state.version} (background, pid ${state.pid})`,
      claudeLine: info.claude.available ? kleur.green(`Claude Code ${info.claude.version ?? ""}`.trim()) : kleur.yellow("Claude Code CLI not found."),
      urls: [...lan, state.url],
      pairingUrl: code.url,
      qr: await renderQr(code.url),
      expiresAt: code.expiresAt,
      fingerprint: state.fingerprint ?? undefined,
    }) + `Log: ${logPath}   Stop: claude-companion stop\nListening on ${state.url}\n`,
  );
}
