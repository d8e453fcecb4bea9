// `start`: resolve config, check the Claude CLI under a spinner, start the daemon, print the banner, stop on signals.
// `start --daemon` re-runs this command detached with a log file and returns once the daemon answers /health.
//
// Start-up order (issue 20): config (the file read as JSON, no conf, no zod), the logger, then the socket is bound
// and answers /health ("starting"); only then `claude --version` is spawned and the daemon's modules load while it
// runs. Requests other than /health wait for the daemon. With TLS or --tailscale the certificate comes first, so
// the daemon listens itself once loaded. Only light modules are imported statically.
import kleur from "kleur";
import { detectClaude } from "../../claude/detect.js";
import { bareToolWarnings } from "../../claude/tool-rules.js";
import { baseUrl, loopbackFor } from "../../daemon/addresses.js";
import { listenEarly, type EarlyListener } from "../../daemon/early-listener.js";
import { loadDaemon } from "../../daemon/load.js";
import { createRotatingLog } from "../../daemon/log-file.js";
import { tuneV8ForServing } from "../../daemon/v8-tuning.js";
import { createLogger, type Logger } from "../../log.js";
import { CompanionError } from "../../protocol/errors.js";
import { VERSION } from "../../version.js";
import { claudeUnavailableLine } from "../banner.js";
import { cliConfig, cliContext, EXIT, fail } from "../common.js";

interface Spinner {
  succeed(text: string): void;
  warn(text: string): void;
}

/** ora on a terminal; elsewhere it would only print its final line, so that line is printed without loading it. */
async function startSpinner(text: string, enabled: boolean): Promise<Spinner> {
  if (!enabled) {
    const line = (symbol: string) => (t: string) => void process.stderr.write(`${symbol} ${t}\n`);
    return { succeed: line(kleur.green("✔")), warn: line(kleur.yellow("⚠")) };
  }
  const { default: ora } = await import("ora");
  return ora({ text, stream: process.stderr }).start();
}

export interface StartFlags {
  port?: string;
  host?: string;
  cwd?: string;
  root?: string[];
  bonjour?: boolean;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tailscale?: boolean;
  trustProxy?: string[];
  publicUrl?: string;
  logFormat?: string;
  configDir?: string;
  daemon?: boolean;
  /** Internal: set by `start --daemon` for the detached child. */
  logFile?: string;
}

/** `start`'s one line for an error of listen() (port taken, no such address), else undefined. */
function failListen(e: unknown, logger: Logger, port: number, host: string): void {
  const err = e as NodeJS.ErrnoException;
  logger.fatal({ err: err.message, code: err.code }, "the daemon could not start");
  if (err.code === "EADDRINUSE") fail(`Port ${port} is already in use.`, EXIT.ERROR, "Pick another with --port.");
  if (err.code === "EADDRNOTAVAIL") fail(`Cannot listen on ${host}: no such address on this machine.`, EXIT.USAGE);
  if (e instanceof CompanionError) fail(e.message, EXIT.ERROR, e.hint);
}

export async function startCommand(flags: StartFlags): Promise<void> {
  const configFlags = {
    configDir: flags.configDir,
    settings: {
      port: flags.port,
      host: flags.host,
      cwd: flags.cwd,
      allowedRoots: flags.root,
      enableBonjour: flags.bonjour === false ? false : undefined,
      tls: flags.tls ? true : undefined,
      tlsCert: flags.tlsCert,
      tlsKey: flags.tlsKey,
      tailscale: flags.tailscale ? true : undefined,
      trustProxy: flags.trustProxy,
      publicUrl: flags.publicUrl,
      logFormat: flags.logFile ? "json" : flags.logFormat,
    },
  };
  const { config, running } = cliConfig(configFlags);
  if (running) fail(`claude-companion is already running at ${running.state.url} (pid ${running.state.pid}).`, EXIT.ERROR, "Stop it with `claude-companion stop`.");

  if (flags.daemon) return (await import("./start-background.js")).startBackground(await cliContext(configFlags));

  const logFile = flags.logFile ? createRotatingLog({ path: flags.logFile }) : undefined;
  const logger = createLogger({ format: config.logFormat, level: config.logLevel, color: config.color, ...(logFile ? { destination: logFile } : {}) });
  const startedAt = Date.now();
  let listener: EarlyListener | undefined;
  if (!config.tls && !config.tailscale) {
    try {
      listener = await listenEarly({
        host: config.host,
        port: config.port,
        health: () => ({
          status: "starting",
          version: VERSION,
          uptime: Math.round((Date.now() - startedAt) / 1000),
          claude: { available: false, version: null, checking: true },
          sessions: { active: 0, max: config.maxSessions },
        }),
      });
    } catch (e) {
      failListen(e, logger, config.port, config.host);
      throw e;
    }
    logger.child({ room: "daemon" }).info({ url: baseUrl("http", loopbackFor(config.host), listener.port), host: config.host, port: listener.port, tls: false }, "listening");
  }

  const detecting = detectClaude(config.claudeCliPath, { timeoutMs: 5000 });
  // Beside the Claude check, so it adds nothing to the start-up time.
  const tailscale = import("../../tailscale/index.js").then(({ createTailscaleRunner, detectTailscale, tailscaleCommand }) => detectTailscale(createTailscaleRunner(tailscaleCommand())));
  const spinner = await startSpinner("Checking the Claude Code CLI", !flags.logFile && Boolean(process.stderr.isTTY));
  const { startDaemon } = await loadDaemon();

  let daemon;
  try {
    daemon = await startDaemon({ config, logger, claude: detecting, tailscale, ...(listener ? { listener } : {}), ...(flags.logFile ? { logPath: flags.logFile } : {}) });
  } catch (e) {
    failListen(e, logger, config.port, config.host);
    throw e;
  }

  const claude = await detecting;
  if (claude.available) spinner.succeed(`Claude Code ${claude.version ?? "(unknown version)"}`);
  else spinner.warn(kleur.yellow(claudeUnavailableLine(config.claudeCliPath)));
  if (!claude.available) logger.warn({ cliPath: config.claudeCliPath, error: claude.error }, "Claude Code CLI not found; sessions cannot start until it is installed");
  // The default is kept inside each session's directory; a bare name the user gave is not, and says so.
  for (const warning of config.allowedToolsGiven ? bareToolWarnings(config.allowedTools) : []) {
    if (logFile) logger.warn(warning);
    else process.stderr.write(`${kleur.yellow(`⚠ ${warning}`)}\n`);
  }

  if (!logFile) {
    const { formatStartBanner } = await import("../banner.js");
    process.stdout.write(
      await formatStartBanner({
        version: VERSION,
        claude,
        protocol: daemon.protocol,
        hosts: daemon.addresses,
        port: daemon.port,
        loopbackUrl: daemon.url,
        pairing: daemon.pairing.issue(),
        fingerprint: daemon.tls?.fingerprint,
        tailscale: daemon.info().tailscale,
      }),
    );
    process.stdout.write(`Listening on ${daemon.url}\n`);
  }
  // Started (the index command set the start-up flags before the modules loaded).
  tuneV8ForServing();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "signal received");
    // Never hang on shutdown: exit within 8 s whatever happens (Claude gets 2 s for stdin EOF, then SIGTERM).
    const force = setTimeout(() => process.exit(EXIT.OK), 8000);
    force.unref();
    daemon.close().then(
      () => {
        logFile?.close();
        process.exit(EXIT.OK);
      },
      () => process.exit(EXIT.ERROR),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGHUP", () => stop("SIGHUP"));
}
