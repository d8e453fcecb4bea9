// `doctor [--json]`: gathers facts (the running daemon's answers, the environment, probes) and prints each check with its fix.
import { homedir } from "node:os";
import kleur from "kleur";
import { detectClaude } from "../../claude/detect.js";
import { processEnv } from "../../config/index.js";
import { loopbackFor } from "../../daemon/addresses.js";
import type { DaemonState } from "../../daemon/state-file.js";
import type { DaemonFacts } from "../../doctor/index.js";
import { freeBytes, peerCertificate, probe } from "../../doctor/probes.js";
import type { ChannelListResponseSchema, DeviceListResponseSchema, DoctorReport, HealthResponse, InfoResponse } from "../../protocol/index.js";
import { createTailscaleRunner, detectTailscale, runCommand, tailscaleCommand } from "../../tailscale/index.js";
import type { z } from "zod";
import { callDaemon, cliContext, EXIT, printJson } from "../common.js";

async function daemonFacts(state: DaemonState, token: string): Promise<{ facts: DaemonFacts | null; problem: string | null }> {
  try {
    const health = await callDaemon<HealthResponse>(state, "/health", null);
    const info = await callDaemon<InfoResponse>(state, "/api/info", token);
    if (health.status !== 200 || info.status !== 200) return { facts: null, problem: `it answers HTTP ${health.status}/${info.status} at ${state.url}` };
    const devices = await callDaemon<z.infer<typeof DeviceListResponseSchema>>(state, "/api/devices", token);
    const channels = await callDaemon<z.infer<typeof ChannelListResponseSchema>>(state, "/api/notify/channels", token);
    return {
      facts: {
        url: state.url,
        pid: state.pid,
        host: state.host,
        port: state.port,
        health: health.body,
        info: info.body,
        devices: devices.status === 200 ? devices.body.devices : [],
        channels: channels.status === 200 ? channels.body.channels : null,
      },
      problem: null,
    };
  } catch (e) {
    return { facts: null, problem: `pid ${state.pid} is alive but ${state.url} does not answer (${(e as Error).message})` };
  }
}

const SYMBOL = { ok: kleur.green("✔"), warn: kleur.yellow("⚠"), fail: kleur.red("✖") } as const;

export function formatReport(report: DoctorReport): string {
  const lines = report.checks.map((c) => `${SYMBOL[c.status]} ${kleur.bold(c.title)}: ${c.detail}${c.fix ? `\n    ${kleur.gray(`→ ${c.fix}`)}` : ""}`);
  const counts = (s: string) => report.checks.filter((c) => c.status === s).length;
  lines.push("", report.ok ? kleur.green(`Nothing fails (${counts("warn")} warning(s)).`) : kleur.red(`${counts("fail")} check(s) fail, ${counts("warn")} warning(s).`));
  return lines.join("\n") + "\n";
}

export async function doctorCommand(flags: { json?: boolean; configDir?: string }): Promise<void> {
  const ctx = await cliContext(flags);
  const { config, running } = ctx;
  const env = processEnv();
  const [claude, tailscale, daemon, { runDoctor }] = await Promise.all([
    detectClaude(config.claudeCliPath, { timeoutMs: 5000 }),
    detectTailscale(createTailscaleRunner(tailscaleCommand())),
    running ? daemonFacts(running.state, ctx.token) : Promise.resolve({ facts: null, problem: "not running (no state file in the config dir)" }),
    import("../../doctor/index.js"),
  ]);
  const report = await runDoctor({
    nodeVersion: process.version,
    platform: process.platform,
    env,
    homeDir: env.HOME || homedir(),
    configDir: config.configDir,
    claude,
    daemon: daemon.facts,
    daemonProblem: daemon.problem,
    tailscale,
    tailscaleWanted: config.tailscale,
    behindProxy: Boolean(config.publicUrl || config.trustProxy.length),
    probe,
    peerCertificate: peerCertificate(running ? loopbackFor(running.state.host).replace(/^\[|\]$/g, "") : "127.0.0.1"),
    run: runCommand,
    freeBytes,
    now: Date.now(),
  });
  if (flags.json) printJson(report);
  else process.stdout.write(formatReport(report));
  process.exitCode = report.ok ? EXIT.OK : EXIT.ERROR;
}
