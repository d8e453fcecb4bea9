// Doctor checks about this computer: Node, the Claude CLI and its credentials, file modes, disk space.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { CompanionError } from "../protocol/errors.js";
import type { CheckResult, DoctorInputs } from "./types.js";

const ok = (detail: string): CheckResult => ({ status: "ok", detail, fix: null });

export function checkNode(i: DoctorInputs): CheckResult {
  const major = Number(i.nodeVersion.replace(/^v/, "").split(".")[0]);
  if (major >= 20) return ok(`Node.js ${i.nodeVersion}`);
  return { status: "fail", detail: `Node.js ${i.nodeVersion} is too old`, fix: "Install Node.js 20 or newer (https://nodejs.org)." };
}

export function checkClaudeCli(i: DoctorInputs): CheckResult {
  if (i.claude.available) return ok(`Claude Code ${i.claude.version ?? "(unknown version)"} at ${i.claude.path ?? "?"}`);
  const err = new CompanionError("CLAUDE_UNAVAILABLE", { path: i.claude.path ?? "claude" });
  return { status: "fail", detail: err.message, fix: err.hint ?? "npm install -g @anthropic-ai/claude-code" };
}

/** Variables Claude Code authenticates with (names only are ever shown). */
const CREDENTIAL_VARS = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"];

export function checkClaudeAuth(i: DoctorInputs): CheckResult {
  const fromEnv = CREDENTIAL_VARS.filter((v) => i.env[v]);
  if (fromEnv.length) return ok(`credentials in the environment (${fromEnv.join(", ")})`);
  const dir = i.env.CLAUDE_CONFIG_DIR || join(i.homeDir, ".claude");
  const file = join(dir, ".credentials.json");
  if (existsSync(file)) return ok(`Claude Code login found (${file})`);
  const fix = "Run `claude` once and log in (/login), or set ANTHROPIC_API_KEY for the daemon.";
  // macOS keeps the login in the Keychain, where a file check cannot see it.
  if (i.platform === "darwin") return { status: "warn", detail: "could not tell: no API key in the environment, and macOS keeps a Claude Code login in the Keychain", fix };
  return { status: "fail", detail: `no API key in the environment and no Claude Code login in ${dir}`, fix };
}

export function checkFileModes(i: DoctorInputs): CheckResult {
  if (i.platform === "win32") return ok("not checked on Windows (NTFS permissions)");
  const wanted: [string, number][] = [
    [i.configDir, 0o700],
    [join(i.configDir, "config.json"), 0o600],
    [join(i.configDir, "notify.json"), 0o600],
    [join(i.configDir, "sessions"), 0o700],
    [join(i.configDir, "tls"), 0o700],
    [join(i.configDir, "tailscale"), 0o700],
  ];
  const loose: string[] = [];
  for (const [path, mode] of wanted) {
    let actual: number;
    try {
      actual = statSync(path).mode & 0o777;
    } catch {
      continue;
    }
    // Anything readable or writable by group or others is too open: these hold tokens and keys.
    if (actual & 0o077) loose.push(`${path} is ${actual.toString(8).padStart(3, "0")} (want ${mode.toString(8)})`);
  }
  if (!loose.length) return ok("the config dir, config.json and the sessions are private to you");
  return { status: "fail", detail: loose.join("; "), fix: `chmod -R go-rwx ${i.configDir}` };
}

const MIB = 1024 * 1024;

export async function checkDisk(i: DoctorInputs): Promise<CheckResult> {
  const free = await i.freeBytes(i.configDir);
  if (free === null) return { status: "warn", detail: "could not tell how much space is free", fix: null };
  const text = free >= 1024 * MIB ? `${(free / 1024 / MIB).toFixed(1)} GiB` : `${Math.round(free / MIB)} MiB`;
  if (free < 100 * MIB) return { status: "fail", detail: `${text} free under ${i.configDir}: sessions cannot be saved`, fix: "Free some disk space." };
  if (free < 1024 * MIB) return { status: "warn", detail: `${text} free under ${i.configDir}`, fix: "Free some disk space: session logs grow with every turn." };
  return ok(`${text} free under ${i.configDir}`);
}
