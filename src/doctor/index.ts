// Doctor room: runs every check over gathered facts and returns the report. Prints nothing, exits nothing.
import { DOCTOR_CHECK_IDS, type DoctorCheck, type DoctorReport } from "../protocol/index.js";
import { checkClaudeAuth, checkClaudeCli, checkDisk, checkFileModes, checkNode } from "./checks-host.js";
import { checkBonjour, checkDaemon, checkFirstConnection, checkLanReachable, checkListen, checkNotify, checkTailscale, checkTls } from "./checks-network.js";
import { checkFirewall } from "./firewall.js";
import type { CheckResult, DoctorInputs } from "./types.js";

export type { CheckResult, DaemonFacts, DoctorInputs } from "./types.js";
export * from "./checks-host.js";
export * from "./checks-network.js";
export { checkFirewall, parseNft, parseUfw } from "./firewall.js";

const TITLES: Record<(typeof DOCTOR_CHECK_IDS)[number], string> = {
  node: "Node.js",
  "claude-cli": "Claude Code CLI",
  "claude-auth": "Claude credentials",
  daemon: "Daemon",
  listen: "Listening on",
  "lan-reachable": "Reachable on the LAN",
  firewall: "Firewall",
  bonjour: "Bonjour",
  tls: "TLS certificate",
  tailscale: "Tailscale",
  notify: "Notifications",
  "file-modes": "File modes",
  disk: "Disk space",
  "first-connection": "Phone connected",
};

export async function runDoctor(i: DoctorInputs): Promise<DoctorReport> {
  const [lan, firewall, tls, notify, disk] = await Promise.all([checkLanReachable(i), checkFirewall(i), checkTls(i), checkNotify(i), checkDisk(i)]);
  const results: Record<(typeof DOCTOR_CHECK_IDS)[number], CheckResult> = {
    node: checkNode(i),
    "claude-cli": checkClaudeCli(i),
    "claude-auth": checkClaudeAuth(i),
    daemon: checkDaemon(i),
    listen: checkListen(i),
    "lan-reachable": lan,
    firewall,
    bonjour: checkBonjour(i),
    tls,
    tailscale: checkTailscale(i),
    notify,
    "file-modes": checkFileModes(i),
    disk,
    "first-connection": checkFirstConnection(i, lan.status === "ok" && firewall.status !== "fail"),
  };
  const checks: DoctorCheck[] = DOCTOR_CHECK_IDS.map((id) => ({ id, title: TITLES[id], ...results[id] }));
  return { ok: checks.every((c) => c.status !== "fail"), checks };
}
