// `start --daemon`: spawn the daemon detached with a log file, wait until it answers /health, print how to reach it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import kleur from "kleur";
import { LOG_FILE } from "../../config/index.js";
import { readStateFile } from "../../daemon/state-file.js";
import { tailLog } from "../../log.js";
import type { z } from "zod";
import type { InfoResponse, PairingCodeResponseSchema } from "../../protocol/index.js";
import { formatStartBanner } from "../banner.js";
import { callDaemon, EXIT, fail, type CliContext } from "../common.js";

const READY_TIMEOUT_MS = 20_000;

export async function startBackground(ctx: CliContext): Promise<void> {
  const { config } = ctx;
  const logPath = join(config.configDir, LOG_FILE);
  // Same command line, without --daemon, plus the log file: the child is an ordinary foreground daemon.
  const args = process.argv.slice(2).filter((a) => a !== "-d" && a !== "--daemon");
  const child = spawn(process.execPath, [process.argv[1]!, ...args, "--log-file", logPath, "--config-dir", config.configDir], {
    detached: true,
    stdio: "ignore",
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
  const info = (await callDaemon<InfoResponse>(state, "/api/info", ctx.token)).body;
  const code = (await callDaemon<z.infer<typeof PairingCodeResponseSchema>>(state, "/api/pairing-codes", ctx.token, { method: "POST" })).body;
  process.stdout.write(
    (await formatStartBanner({
      version: `${state.version} (background, pid ${state.pid})`,
      claude: info.claude,
      protocol: state.tls ? "https" : "http",
      hosts: info.addresses,
      port: state.port,
      loopbackUrl: state.url,
      pairing: code,
      fingerprint: state.fingerprint,
      tailscale: info.tailscale,
    })) + `Log: ${logPath}   Stop: claude-companion stop\nListening on ${state.url}\n`,
  );
}
