// `start`: resolve config, check the Claude CLI under a spinner, start the daemon, print the banner, stop on signals.
import kleur from "kleur";
import ora from "ora";
import { detectClaude } from "../../daemon/index.js";
import { startDaemon } from "../../daemon/index.js";
import { CompanionError } from "../../protocol/index.js";
import { createLogger } from "../../log.js";
import { VERSION } from "../../version.js";
import { formatBanner, renderQr } from "../banner.js";
import { EXIT, fail, findRunningDaemon, loadConfigOrExit } from "../common.js";

export interface StartFlags {
  port?: string;
  host?: string;
  cwd?: string;
  root?: string[];
  bonjour?: boolean;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  logFormat?: string;
  configDir?: string;
}

export async function startCommand(flags: StartFlags): Promise<void> {
  const { config } = loadConfigOrExit(
    {
      port: flags.port,
      host: flags.host,
      cwd: flags.cwd,
      allowedRoots: flags.root,
      enableBonjour: flags.bonjour === false ? false : undefined,
      tls: flags.tls ? true : undefined,
      tlsCert: flags.tlsCert,
      tlsKey: flags.tlsKey,
      logFormat: flags.logFormat,
    },
    flags.configDir,
  );

  const running = findRunningDaemon(config.configDir);
  if (running) fail(`claude-companion is already running at ${running.state.url} (pid ${running.state.pid}).`, EXIT.ERROR, "Stop it with `claude-companion stop`.");

  const logger = createLogger({ format: config.logFormat, level: config.logLevel, color: config.color });

  const spinner = ora({ text: "Checking the Claude Code CLI", stream: process.stderr }).start();
  const claude = await detectClaude(config.claudeCliPath, { timeoutMs: 5000 });
  if (claude.available) spinner.succeed(`Claude Code ${claude.version ?? "(unknown version)"}`);
  else spinner.warn(kleur.yellow(`Claude Code CLI not found (${config.claudeCliPath}). Install it: npm install -g @anthropic-ai/claude-code`));

  let daemon;
  try {
    daemon = await startDaemon({ config, logger, claude });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE") fail(`Port ${config.port} is already in use.`, EXIT.ERROR, "Pick another with --port.");
    if (err.code === "EADDRNOTAVAIL") fail(`Cannot listen on ${config.host}: no such address on this machine.`, EXIT.USAGE);
    if (e instanceof CompanionError) fail(e.message, EXIT.ERROR, e.hint);
    throw e;
  }

  const code = daemon.pairing.issue();
  const claudeLine = claude.available
    ? kleur.green(`Claude Code ${claude.version ?? ""}`.trim())
    : kleur.yellow("Claude Code CLI not found: sessions cannot start until it is installed.");
  process.stdout.write(
    formatBanner({
      version: VERSION,
      claudeLine,
      urls: [...daemon.lanUrls, daemon.url],
      pairingUrl: code.url,
      qr: await renderQr(code.url),
      expiresAt: code.expiresAt,
      fingerprint: daemon.tls?.fingerprint,
    }),
  );
  process.stdout.write(`Listening on ${daemon.url}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "signal received");
    // Never hang on shutdown: exit within 2 s whatever happens.
    const force = setTimeout(() => process.exit(EXIT.OK), 2000);
    force.unref();
    daemon.close().then(
      () => process.exit(EXIT.OK),
      () => process.exit(EXIT.ERROR),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
