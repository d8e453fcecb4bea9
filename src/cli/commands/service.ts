// `service install | uninstall | status`: a systemd user unit (Linux) or a LaunchAgent (macOS) running `claude-companion start`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { LOG_FILE } from "../../config/index.js";
import { cliContext, EXIT, fail, printJson } from "../common.js";

export const SERVICE_NAME = "claude-companion";
export const LAUNCH_AGENT_LABEL = "dev.claude-companion";

export interface ServiceSpec {
  /** Absolute path of node and of the bin script, so the service does not depend on the user's PATH. */
  node: string;
  bin: string;
  configDir: string;
  logPath: string;
  /** PATH for the service, so the Claude Code CLI is found as in the user's shell. */
  path: string;
}

export function systemdUnit(spec: ServiceSpec): string {
  return `[Unit]
Description=claude-companion: reach Claude Code on this computer from your phone
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${spec.node} ${spec.bin} start --config-dir ${spec.configDir} --log-file ${spec.logPath}
Environment=PATH=${spec.path}
Restart=on-failure
RestartSec=5
# SIGTERM: the daemon tells clients, stops Claude processes and keeps sessions for the next start.
KillSignal=SIGTERM
TimeoutStopSec=15

[Install]
WantedBy=default.target
`;
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function launchAgentPlist(spec: ServiceSpec): string {
  const args = [spec.node, spec.bin, "start", "--config-dir", spec.configDir, "--log-file", spec.logPath];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${LAUNCH_AGENT_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args.map((a) => `    <string>${xml(a)}</string>`).join("\n")}
  </array>
  <key>EnvironmentVariables</key>
  <dict><key>PATH</key><string>${xml(spec.path)}</string></dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>StandardErrorPath</key><string>${xml(spec.logPath)}.stderr</string>
</dict>
</plist>
`;
}

export function serviceFile(platform: NodeJS.Platform, home: string): string | null {
  if (platform === "linux") return join(home, ".config", "systemd", "user", `${SERVICE_NAME}.service`);
  if (platform === "darwin") return join(home, "Library", "LaunchAgents", `${LAUNCH_AGENT_LABEL}.plist`);
  return null;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

export async function serviceCommand(action: string, flags: { configDir?: string; json?: boolean }): Promise<void> {
  if (!["install", "uninstall", "status"].includes(action)) fail(`Unknown action '${action}': expected install, uninstall or status.`, EXIT.USAGE);
  const { config, store } = await cliContext(flags);
  const file = serviceFile(process.platform, config.home);
  if (!file) fail(`Services are supported on Linux (systemd) and macOS (launchd), not on ${process.platform}.`, EXIT.ERROR);
  const linux = process.platform === "linux";

  if (action === "status") {
    const installed = existsSync(file);
    const active = installed && linux ? run("systemctl", ["--user", "is-active", SERVICE_NAME]).out : installed ? run("launchctl", ["list", LAUNCH_AGENT_LABEL]).ok ? "loaded" : "not loaded" : "not installed";
    if (flags.json) return printJson({ installed, file, active });
    process.stdout.write(`${installed ? "installed" : "not installed"}: ${file}\n${installed ? `state: ${active}\n` : ""}`);
    return;
  }

  if (action === "uninstall") {
    if (!existsSync(file)) {
      process.stdout.write("The service is not installed.\n");
      return;
    }
    if (linux) run("systemctl", ["--user", "disable", "--now", SERVICE_NAME]);
    else run("launchctl", ["unload", file]);
    rmSync(file);
    if (linux) run("systemctl", ["--user", "daemon-reload"]);
    process.stdout.write(`Removed ${file}.\n`);
    return;
  }

  const spec: ServiceSpec = {
    node: process.execPath,
    bin: resolve(process.argv[1]!),
    configDir: store.dir,
    logPath: join(store.dir, LOG_FILE),
    path: config.searchPath || "/usr/local/bin:/usr/bin:/bin",
  };
  mkdirSync(dirname(file), { recursive: true });
  const content = linux ? systemdUnit(spec) : launchAgentPlist(spec);
  const changed = !existsSync(file) || readFileSync(file, "utf8") !== content;
  writeFileSync(file, content, { mode: 0o644 });
  process.stdout.write(`${changed ? "Wrote" : "Unchanged:"} ${file}\n`);
  if (linux) {
    const reload = run("systemctl", ["--user", "daemon-reload"]);
    const enable = reload.ok ? run("systemctl", ["--user", "enable", "--now", SERVICE_NAME]) : reload;
    if (enable.ok) process.stdout.write("Enabled and started. Logs: claude-companion logs -f\n");
    else process.stdout.write(`No user systemd is running here (${enable.out.split("\n")[0] || "systemctl failed"}).\nEnable it later with:\n  systemctl --user daemon-reload && systemctl --user enable --now ${SERVICE_NAME}\nTo keep it running after logout: loginctl enable-linger $USER\n`);
  } else {
    const load = run("launchctl", ["load", "-w", file]);
    process.stdout.write(load.ok ? "Loaded. Logs: claude-companion logs -f\n" : `Load it with: launchctl load -w ${file}\n`);
  }
}
