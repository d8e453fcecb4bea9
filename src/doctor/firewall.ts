// Doctor's firewall check: does a local firewall block the daemon's port? ufw, firewalld, nftables; macOS's application firewall.
import type { CheckResult, DoctorInputs } from "./types.js";

const TIMEOUT = 3000;
const MAC_FW = "/usr/libexec/ApplicationFirewall/socketfilterfw";

/** `ufw status` output: inactive, active with a rule allowing the port, or active without one. Pure. */
export function parseUfw(text: string, port: number): CheckResult | null {
  if (/Status:\s*inactive/i.test(text)) return { status: "ok", detail: "ufw is inactive", fix: null };
  if (!/Status:\s*active/i.test(text)) return null;
  const allows = text.split("\n").some((line) => new RegExp(`^\\s*${port}(/tcp)?(\\s+\\(v6\\))?\\s+ALLOW`, "i").test(line));
  if (allows) return { status: "ok", detail: `ufw is active and allows ${port}/tcp`, fix: null };
  return { status: "fail", detail: `ufw is active and has no rule allowing ${port}/tcp`, fix: `sudo ufw allow ${port}/tcp` };
}

/** `nft list ruleset`: an input chain that drops by default without an accept for the port. Pure. */
export function parseNft(text: string, port: number): CheckResult {
  if (!text.trim()) return { status: "ok", detail: "nftables has no rules", fix: null };
  const dropsInput = /hook input[^\n]*policy drop/i.test(text);
  const acceptsPort = new RegExp(`dport\\s+(?:\\{[^}]*\\b${port}\\b[^}]*\\}|${port}\\b)[^\\n]*accept`).test(text);
  if (!dropsInput || acceptsPort) return { status: "ok", detail: acceptsPort ? `nftables accepts ${port}/tcp` : "nftables does not drop incoming connections by default", fix: null };
  return { status: "fail", detail: `nftables drops incoming connections by default and has no accept rule for ${port}/tcp`, fix: `sudo nft add rule inet filter input tcp dport ${port} accept` };
}

async function linux(i: DoctorInputs, port: number): Promise<CheckResult> {
  const tried: string[] = [];
  const ufw = await i.run("ufw", ["status"], TIMEOUT);
  if (!ufw.absent) {
    const r = parseUfw(ufw.stdout, port);
    if (r) return r;
    tried.push("ufw (needs root)");
  }
  const state = await i.run("firewall-cmd", ["--state"], TIMEOUT);
  if (!state.absent) {
    if (/not running/i.test(state.stdout + state.stderr)) return { status: "ok", detail: "firewalld is not running", fix: null };
    if (/^running/i.test(state.stdout.trim())) {
      const ports = await i.run("firewall-cmd", ["--list-ports"], TIMEOUT);
      if (ports.code === 0) {
        if (ports.stdout.split(/\s+/).includes(`${port}/tcp`)) return { status: "ok", detail: `firewalld allows ${port}/tcp`, fix: null };
        return {
          status: "fail",
          detail: `firewalld is running and does not list ${port}/tcp`,
          fix: `sudo firewall-cmd --add-port=${port}/tcp --permanent && sudo firewall-cmd --reload`,
        };
      }
    }
    tried.push("firewalld");
  }
  const nft = await i.run("nft", ["list", "ruleset"], TIMEOUT);
  if (!nft.absent) {
    if (nft.code === 0) return parseNft(nft.stdout, port);
    tried.push("nftables (needs root)");
  }
  const why = tried.length ? `asked ${tried.join(", ")} without an answer` : "no ufw, firewalld or nft found";
  return { status: "warn", detail: `could not tell (${why})`, fix: "If the phone cannot connect, run `sudo claude-companion doctor` or check your firewall for the port." };
}

async function mac(i: DoctorInputs, port: number): Promise<CheckResult> {
  const global = await i.run(MAC_FW, ["--getglobalstate"], TIMEOUT);
  if (global.absent || global.code !== 0) return { status: "warn", detail: "could not tell (socketfilterfw did not answer)", fix: null };
  if (/disabled|State = 0/i.test(global.stdout)) return { status: "ok", detail: "the macOS firewall is off", fix: null };
  const blockAll = await i.run(MAC_FW, ["--getblockall"], TIMEOUT);
  if (/enabled/i.test(blockAll.stdout) && !/disabled/i.test(blockAll.stdout)) {
    return { status: "fail", detail: "the macOS firewall blocks all incoming connections", fix: "System Settings → Network → Firewall → Options: turn off “Block all incoming connections”." };
  }
  const app = await i.run(MAC_FW, ["--getappblocked", process.execPath], TIMEOUT);
  if (/blocked/i.test(app.stdout) && !/permitted|not blocked/i.test(app.stdout)) {
    return { status: "fail", detail: `the macOS firewall blocks ${process.execPath} (port ${port})`, fix: `sudo ${MAC_FW} --unblockapp ${process.execPath}` };
  }
  return { status: "ok", detail: "the macOS firewall is on and lets Node.js accept connections", fix: null };
}

export async function checkFirewall(i: DoctorInputs): Promise<CheckResult> {
  if (!i.daemon) return { status: "warn", detail: "not checked: the daemon is not running", fix: null };
  if (i.platform === "linux") return linux(i, i.daemon.port);
  if (i.platform === "darwin") return mac(i, i.daemon.port);
  return { status: "warn", detail: `could not tell on ${i.platform}`, fix: null };
}
