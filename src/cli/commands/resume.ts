// `resume <id>`: continues a session in this terminal with `claude --resume` in its recorded directory, after the daemon lets go of it.
import { spawn } from "node:child_process";
import kleur from "kleur";
import { processEnv } from "../../config/index.js";
import { createHistory, resumeCommand as resumeLine } from "../../history/index.js";
import { createSilentLogger } from "../../log.js";
import { SessionIdSchema } from "../../protocol/index.js";
import { callDaemon, cliContext, EXIT, fail } from "../common.js";

export async function resumeCommand(id: string, claudeArgs: string[], flags: { configDir?: string }): Promise<void> {
  if (!SessionIdSchema.safeParse(id).success) fail(`'${id}' is not a session id (a UUID).`, EXIT.USAGE, "List them with: claude-companion sessions");
  const ctx = await cliContext(flags);
  const history = createHistory({ claudeConfigDir: ctx.config.claudeConfigDir, allowedRoots: ctx.config.allowedRoots, logger: createSilentLogger() });
  const entry = await history.find(id);
  if (!entry) fail(`No Claude Code session with id ${id} in the allowed directories.`, EXIT.ERROR, "List them with: claude-companion sessions");
  // One process per session: the daemon stops its own first (its phones are told and then follow the terminal).
  if (ctx.running) {
    const res = await callDaemon<{ released: boolean }>(ctx.running.state, `/api/history/${id}/handoff`, ctx.token, { method: "POST", body: {} });
    if (res.status !== 200) fail(`The daemon refused to hand the session over (HTTP ${res.status}).`);
    if (res.body.released) process.stderr.write(kleur.gray("The daemon stopped its Claude process for this session; the phone follows this terminal.\n"));
  }
  const live = await history.liveProcess(id);
  if (live) fail(`Claude Code (pid ${live.pid}) is already running this session in another terminal.`);
  process.stderr.write(kleur.gray(`${resumeLine(entry.workingDirectory, id)}\n`));
  // The terminal's Claude never sees our token or settings.
  const env = Object.fromEntries(Object.entries(processEnv()).filter(([k]) => k !== "AUTH_TOKEN" && !k.startsWith("CLAUDE_COMPANION_")));
  const child = spawn(ctx.config.claudeCliPath, ["--resume", id, ...claudeArgs], { cwd: entry.workingDirectory, stdio: "inherit", env });
  const code = await new Promise<number>((resolve) => {
    child.once("error", (err) => {
      process.stderr.write(`${kleur.red("error")} could not run ${ctx.config.claudeCliPath}: ${err.message}\n`);
      resolve(EXIT.ERROR);
    });
    child.once("exit", (c) => resolve(c ?? EXIT.ERROR));
  });
  process.exit(code);
}
