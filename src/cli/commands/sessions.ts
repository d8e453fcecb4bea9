// `sessions`: every Claude Code session on this computer (terminal ones too), newest first, each with its resume command.
import kleur from "kleur";
import { createHistory } from "../../history/index.js";
import { createSilentLogger } from "../../log.js";
import type { HistoryListResponse, HistorySession } from "../../protocol/index.js";
import { callDaemon, cliContext, fail, printJson, type CliContext } from "../common.js";

/** Sessions listed at most (the newest). */
const MAX = 500;

/** From the running daemon (which knows its own sessions), else straight from the transcripts. */
async function list(ctx: CliContext, q: string | undefined): Promise<HistorySession[]> {
  const query = `/api/history?limit=${MAX}${q ? `&q=${encodeURIComponent(q)}` : ""}`;
  if (ctx.running) {
    const res = await callDaemon<HistoryListResponse>(ctx.running.state, query, ctx.token);
    if (res.status !== 200) fail(`The daemon refused to list sessions (HTTP ${res.status}).`);
    return res.body.sessions;
  }
  const history = createHistory({ claudeConfigDir: ctx.config.claudeConfigDir, allowedRoots: ctx.config.allowedRoots, logger: createSilentLogger() });
  return (await history.list({ limit: MAX, ...(q ? { q } : {}) })).sessions;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

export async function sessionsCommand(flags: { json?: boolean; search?: string; configDir?: string }): Promise<void> {
  const sessions = await list(await cliContext(flags), flags.search);
  if (flags.json) return printJson({ sessions });
  if (!sessions.length) {
    process.stdout.write("No Claude Code sessions found in the allowed directories.\n");
    return;
  }
  for (const s of sessions) {
    const tags = [s.live ? kleur.green("live in a terminal") : "", s.companion ? kleur.cyan("companion") : ""].filter(Boolean).join(" ");
    process.stdout.write(
      `${kleur.bold(s.title)}${tags ? `  ${tags}` : ""}\n` +
        `    ${s.workingDirectory}${s.gitBranch ? ` (${s.gitBranch})` : ""}, ${s.messageCount} prompt${s.messageCount === 1 ? "" : "s"}, ${ago(s.lastActivity)}\n` +
        `    ${kleur.gray(s.resumeCommand)}\n`,
    );
  }
}
