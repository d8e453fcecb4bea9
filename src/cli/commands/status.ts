// `status`: is the daemon running? URL, pid, uptime, Claude version, sessions. Exit 0 running, 3 not (LSB).
import kleur from "kleur";
import type { HealthResponse, InfoResponse } from "../../protocol/index.js";
import { callDaemon, cliContext, EXIT, formatDuration, printJson } from "../common.js";

export async function statusCommand(flags: { json?: boolean; configDir?: string }): Promise<void> {
  const ctx = await cliContext(flags);
  const { running } = ctx;
  if (!running) {
    if (flags.json) printJson({ running: false });
    else process.stdout.write(`${kleur.yellow("not running")}\nStart it with: claude-companion start\n`);
    process.exit(EXIT.NOT_RUNNING);
  }
  const { state } = running;
  let health: HealthResponse | null = null;
  let info: InfoResponse | null = null;
  let error: string | undefined;
  try {
    health = (await callDaemon<HealthResponse>(state, "/health", null)).body;
    const res = await callDaemon<InfoResponse>(state, "/api/info", ctx.token);
    if (res.status === 200) info = res.body;
    else error = `the daemon answered ${res.status} to the token`;
  } catch (e) {
    error = `the daemon does not answer: ${(e as Error).message}`;
  }
  const result = {
    running: health !== null,
    pid: state.pid,
    url: state.url,
    version: state.version,
    startedAt: state.startedAt,
    uptime: health?.uptime ?? Math.round((Date.now() - state.startedAt) / 1000),
    claude: health?.claude ?? null,
    sessions: health?.sessions ?? null,
    notify: health?.notify ?? null,
    addresses: info?.addresses ?? [],
    disk: info?.disk ?? null,
    logPath: state.logPath,
    ...(error ? { error } : {}),
  };
  if (flags.json) printJson(result);
  else {
    const lines = [
      `${result.running ? kleur.green("running") : kleur.red("not answering")}  ${state.url}  pid ${state.pid}`,
      `uptime    ${formatDuration(result.uptime)}`,
      `claude    ${result.claude ? (result.claude.checking ? "checking" : result.claude.available ? result.claude.version ?? "available" : kleur.yellow("not found")) : "unknown"}`,
      `sessions  ${result.sessions ? `${result.sessions.active} of ${result.sessions.max}` : "unknown"}`,
      ...(result.disk ? [`disk      ${(result.disk.usedBytes / 1048576).toFixed(1)} MB of ${Math.round(result.disk.maxBytes / 1048576)} MB (${result.disk.sessions} sessions on disk)`] : []),
      ...(state.logPath ? [`log       ${state.logPath}`] : []),
      ...(result.notify?.failing.map((f) => kleur.yellow(`notify    channel ${f.id} (${f.type}) failing: ${f.error}`)) ?? []),
      ...(error ? [kleur.yellow(error)] : []),
    ];
    process.stdout.write(lines.join("\n") + "\n");
  }
  process.exit(result.running ? EXIT.OK : EXIT.NOT_RUNNING);
}
