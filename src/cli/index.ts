// The CLI: commander, one file per command, each loaded only when its command runs.
import { Command, Option } from "commander";
import { tuneV8ForStartUp } from "../daemon/v8-tuning.js";
import { VERSION } from "../version.js";

const EXAMPLES = `
Examples:
  $ claude-companion start                  start in the foreground and print a QR code
  $ claude-companion start -d               start in the background (logs: claude-companion logs -f)
  $ claude-companion start --port 4000 --host 127.0.0.1
  $ claude-companion status --json          is it running? (exit 3 when not)
  $ claude-companion pair                   print a QR code for the running daemon
  $ claude-companion start --tailscale      HTTPS on the Tailscale name; pair from anywhere on the tailnet
  $ claude-companion pair --via tailscale   a QR code with the tailnet address
  $ claude-companion doctor                 why can't my phone connect? (exit 1 when a check fails)
  $ claude-companion token --rotate         replace the master token
  $ claude-companion devices                list paired phones; devices revoke <id>
  $ claude-companion notify add ntfy https://ntfy.sh/<topic>   notifications with Allow/Deny
  $ claude-companion sessions               every Claude Code session here, with its resume command
  $ claude-companion resume <id>            continue a session in this terminal; the phone follows
  $ claude-companion stop                   stop the running daemon
`;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("claude-companion")
    .description("Reach the Claude Code CLI on this computer from your phone.")
    .version(VERSION, "-v, --version")
    .addHelpText("after", EXAMPLES)
    .showHelpAfterError();

  const configDir = new Option("--config-dir <dir>", "config directory (default: the OS config dir, or CLAUDE_COMPANION_CONFIG_DIR)");

  program
    .command("start")
    .description("start the daemon in the foreground and print the pairing QR code")
    .option("-p, --port <n>", "port for HTTP and WebSocket (env PORT, default 3001)")
    .option("-H, --host <addr>", "address to listen on (env HOST, default 0.0.0.0)")
    .option("--cwd <dir>", "default working directory for sessions (default: current directory)")
    .option("--root <dir>", "directory sessions may work in; repeat for more (default: home)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--no-bonjour", "do not advertise on the LAN (env ENABLE_BONJOUR=false)")
    .option("--tls", "serve HTTPS/WSS with a self-signed certificate (env TLS=true)")
    .option("--tls-cert <file>", "your own certificate (PEM), e.g. from Tailscale; implies --tls")
    .option("--tls-key <file>", "the private key of --tls-cert")
    .option("--tailscale", "HTTPS on this machine's Tailscale name with a `tailscale cert` certificate; the QR carries it (env TAILSCALE=true)")
    .option("--trust-proxy <cidr>", "a reverse proxy whose X-Forwarded-For names the client; repeat for more (env TRUST_PROXY)", (v: string, acc: string[] = []) => [...acc, v])
    .option("--public-url <url>", "the https://name a reverse proxy serves this daemon on (env PUBLIC_URL)")
    .option("-d, --daemon", "run in the background, logging to <config dir>/daemon.log")
    .addOption(new Option("--log-format <format>", "log format on stderr").choices(["pretty", "json"]))
    .addOption(new Option("--log-file <path>", "write logs to this file, rotated by size (used by --daemon)").hideHelp())
    .addOption(configDir)
    .action(async (opts) => {
      // Before the daemon's modules load (daemon/v8-tuning.ts: idle memory).
      tuneV8ForStartUp();
      return (await import("./commands/start.js")).startCommand(opts);
    });

  program
    .command("token")
    .description("print the master token (created on first use)")
    .option("--rotate", "replace the token (the running daemon switches at once)")
    .option("--json", "print JSON")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/token.js")).tokenCommand(opts));

  program
    .command("status")
    .description("show whether the daemon runs, its URL, uptime and sessions (exit 3 when not running)")
    .option("--json", "print JSON")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/status.js")).statusCommand(opts));

  program
    .command("pair")
    .description("print the QR code and URL to pair a phone with the running daemon")
    .addOption(new Option("--via <where>", "which address the QR carries (default: tailscale with --tailscale, else lan)").choices(["lan", "tailscale", "public"]))
    .option("--json", "print JSON")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/pair.js")).pairCommand(opts));

  const devices = program
    .command("devices")
    .description("list paired devices")
    .option("--json", "print JSON")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/devices.js")).devicesCommand(opts));
  devices
    .command("revoke [id]")
    .description("revoke a paired device (its open connections close at once)")
    .option("--all", "revoke every paired device")
    .option("--json", "print JSON")
    .addOption(new Option("--config-dir <dir>", "config directory"))
    .action(async (id: string | undefined, opts) => (await import("./commands/devices.js")).revokeCommand(id, opts));

  program
    .command("sessions")
    .description("list every Claude Code session on this computer (terminal ones too), each with the command that resumes it")
    .option("--search <text>", "only sessions whose title or prompts contain this text")
    .option("--json", "print JSON")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/sessions.js")).sessionsCommand(opts));

  program
    .command("resume <id>")
    .description("continue a session in this terminal (claude --resume in its directory); the daemon lets go of it first and the phone follows")
    .argument("[claudeArgs...]", "more arguments for claude, after --")
    .addOption(configDir)
    .action(async (id: string, claudeArgs: string[], opts) => (await import("./commands/resume.js")).resumeCommand(id, claudeArgs, opts));

  const notify = program.command("notify").description("notification channels: add | list | remove | test");
  notify
    .command("add <type> <url>")
    .description("add a channel: `ntfy https://ntfy.sh/<topic>` or `webhook <url>`")
    .option("--token <token>", "ntfy access token (for protected topics)")
    .addOption(new Option("--content <level>", "full, or minimal (no commands, no paths; default for ntfy.sh)").choices(["full", "minimal"]))
    .option("--no-reply-topic", "ntfy: put action URLs on this daemon's address instead of a reply topic (LAN only)")
    .option("--json", "print JSON")
    .addOption(new Option("--config-dir <dir>", "config directory"))
    .action(async (type: string, url: string, opts) => (await import("./commands/notify.js")).notifyAddCommand(type, url, opts));
  notify
    .command("list")
    .description("list channels and whether they fail")
    .option("--json", "print JSON")
    .addOption(new Option("--config-dir <dir>", "config directory"))
    .action(async (opts) => (await import("./commands/notify.js")).notifyListCommand(opts));
  notify
    .command("remove <id>")
    .description("remove a channel")
    .option("--json", "print JSON")
    .addOption(new Option("--config-dir <dir>", "config directory"))
    .action(async (id: string, opts) => (await import("./commands/notify.js")).notifyRemoveCommand(id, opts));
  notify
    .command("test [id]")
    .description("send a test notification to one channel or all (needs the running daemon)")
    .option("--json", "print JSON")
    .addOption(new Option("--config-dir <dir>", "config directory"))
    .action(async (id: string | undefined, opts) => (await import("./commands/notify.js")).notifyTestCommand(id, opts));

  program
    .command("logs")
    .description("print the daemon's log readably (-f to follow)")
    .option("-f, --follow", "keep printing new lines")
    .option("-n, --lines <n>", "how many lines to print", "50")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/logs.js")).logsCommand(opts));

  program
    .command("service")
    .description("run the daemon as a user service: install | uninstall | status")
    .argument("<action>", "install, uninstall or status")
    .addOption(configDir)
    .action(async (action: string, opts) => (await import("./commands/service.js")).serviceCommand(action, opts));

  program
    .command("doctor")
    .description("check why a phone cannot connect or nothing happens: each check ok / warn / fail with its fix (exit 1 when one fails)")
    .option("--json", "print JSON (schema: DoctorReportSchema, docs/PROTOCOL.md)")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/doctor.js")).doctorCommand(opts));

  program
    .command("stop")
    .description("stop the running daemon (graceful, then forced after 10 s)")
    .addOption(configDir)
    .action(async (opts) => (await import("./commands/stop.js")).stopCommand(opts));

  return program;
}

export function run(argv: string[]): void {
  buildProgram()
    .parseAsync(argv)
    .catch((err: unknown) => {
      process.stderr.write(`claude-companion: ${(err as Error).message ?? String(err)}\n`);
      process.exit(1);
    });
}
