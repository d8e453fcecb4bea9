// Doctor checks about reach: the daemon, where it listens, LAN reachability, Bonjour, TLS, Tailscale, notifications, first connection.
import { isIP } from "node:net";
import type { CheckResult, DoctorInputs } from "./types.js";

const DAY_MS = 86_400_000;
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const notRunning = (): CheckResult => ({ status: "warn", detail: "not checked: the daemon is not running", fix: null });

export function checkDaemon(i: DoctorInputs): CheckResult {
  if (!i.daemon) return { status: "fail", detail: i.daemonProblem ?? "not running", fix: "Start it: claude-companion start (or start -d for the background)." };
  const d = i.daemon;
  if (d.health.status === "degraded") return { status: "warn", detail: `running at ${d.url} (pid ${d.pid}) but degraded: sessions cannot be saved`, fix: "See `claude-companion logs`; check the disk and the config dir's permissions." };
  return { status: "ok", detail: `running at ${d.url} (pid ${d.pid}, version ${d.health.version})`, fix: null };
}

export function checkListen(i: DoctorInputs): CheckResult {
  if (!i.daemon) return notRunning();
  const { host, port, info } = i.daemon;
  if (LOOPBACK.has(host)) {
    if (i.behindProxy) return { status: "ok", detail: `port ${port} on ${host} only, behind your reverse proxy`, fix: null };
    return { status: "warn", detail: `port ${port} is bound to ${host} only: a phone cannot reach it`, fix: "Restart without --host (or with --host 0.0.0.0) to listen on the LAN." };
  }
  const where = host === "0.0.0.0" || host === "::" ? `every interface (${host}): ${info.addresses.join(", ") || "no LAN address yet"}` : host;
  return { status: "ok", detail: `port ${port} on ${where}`, fix: null };
}

/** Lists the non-loopback addresses the daemon listens on, then connects to each from this machine. */
export async function checkLanReachable(i: DoctorInputs): Promise<CheckResult> {
  if (!i.daemon) return notRunning();
  const { port, host, info } = i.daemon;
  if (LOOPBACK.has(host)) return { status: i.behindProxy ? "ok" : "warn", detail: `not checked: the daemon listens on ${host} only`, fix: null };
  // A wildcard daemon reports its non-internal addresses; the tailnet one is checked with Tailscale.
  const lan = info.addresses.filter((a) => isIP(a) && a !== info.tailscale?.address);
  if (!lan.length) return { status: "fail", detail: "this computer has no LAN address: is it connected to the Wi-Fi?", fix: "Connect to the same network as the phone, then run doctor again." };
  const results = await Promise.all(lan.map(async (a) => [a, await i.probe(a, port)] as const));
  const good = results.filter(([, up]) => up).map(([a]) => a);
  if (good.length) return { status: "ok", detail: `reachable at ${good.map((a) => `${a}:${port}`).join(", ")} from this computer`, fix: null };
  return { status: "fail", detail: `${lan.map((a) => `${a}:${port}`).join(", ")} refused or timed out from this computer`, fix: "A local firewall or a VPN client may be in the way; see the firewall line." };
}

export function checkBonjour(i: DoctorInputs): CheckResult {
  if (!i.daemon) return notRunning();
  const b = i.daemon.info.bonjour;
  if (!b.enabled) return { status: "ok", detail: "off (ENABLE_BONJOUR=false): pair with the QR code", fix: null };
  if (b.published) return { status: "ok", detail: "published on the LAN (_claude-companion._tcp)", fix: null };
  return { status: "warn", detail: `not published${b.warning ? `: ${b.warning}` : ""}`, fix: "Pairing with the QR code works without it; on Linux check that avahi-daemon is not holding port 5353 exclusively." };
}

export async function checkTls(i: DoctorInputs): Promise<CheckResult> {
  if (!i.daemon) return notRunning();
  if (!i.daemon.info.tls.enabled) {
    return { status: "ok", detail: "off: plain HTTP (Web Push and the installable app need a trusted HTTPS origin: see “Reach from anywhere” in the README)", fix: null };
  }
  const cert = await i.peerCertificate(i.daemon.port);
  if (!cert) return { status: "fail", detail: "TLS is on but no certificate could be read from the daemon", fix: "See `claude-companion logs`." };
  const left = cert.validTo - i.now;
  const until = new Date(cert.validTo).toISOString().slice(0, 10);
  const kind = cert.selfSigned ? "self-signed" : "CA-issued";
  if (left <= 0) return { status: "fail", detail: `the ${kind} certificate expired on ${until}`, fix: cert.selfSigned ? "Restart the daemon: it makes a new one." : "Renew it (tailscale cert / your CA) and restart." };
  if (left < 14 * DAY_MS) return { status: "warn", detail: `the ${kind} certificate expires on ${until}`, fix: "Restart the daemon to renew it (or renew your own certificate)." };
  return { status: "ok", detail: `${kind} certificate valid until ${until}${cert.selfSigned ? " (phones must accept it by hand; Web Push needs a trusted one)" : ""}`, fix: null };
}

export function checkTailscale(i: DoctorInputs): CheckResult {
  const t = i.tailscale;
  if (t.state === "absent") {
    return { status: i.tailscaleWanted ? "fail" : "ok", detail: "not installed (optional: reach from anywhere)", fix: i.tailscaleWanted ? "Install Tailscale (https://tailscale.com/download) or start without --tailscale." : null };
  }
  if (t.state !== "running") return { status: "warn", detail: t.detail, fix: "tailscale up" };
  const https = t.httpsEnabled ? "HTTPS certificates enabled" : "HTTPS certificates not enabled on the tailnet";
  const detail = `connected as ${t.dnsName ?? "?"} (${t.ipv4 ?? "no IPv4"}); ${https}`;
  if (i.tailscaleWanted && !t.httpsEnabled) return { status: "warn", detail, fix: "Enable HTTPS Certificates at https://login.tailscale.com/admin/dns, then restart." };
  return { status: "ok", detail, fix: null };
}

export async function checkNotify(i: DoctorInputs): Promise<CheckResult> {
  if (!i.daemon) return notRunning();
  const channels = i.daemon.channels;
  if (channels === null) return { status: "ok", detail: "this daemon has no notification channels feature", fix: null };
  if (!channels.length) return { status: "ok", detail: "no channel configured (optional: claude-companion notify add …)", fix: null };
  // Only the type and host are shown: an ntfy topic or a webhook path is a secret.
  const label = (c: { type: string; url: string }) => `${c.type} ${safeHost(c.url)}`;
  const failing = channels.filter((c) => c.failing);
  if (failing.length) return { status: "fail", detail: failing.map((c) => `${label(c)} fails: ${c.failing}`).join("; "), fix: "claude-companion notify test, then check the URL or token (notify list)." };
  const probes = await Promise.all(
    channels.map(async (c) => {
      const u = safeUrl(c.url);
      return [c, u ? await i.probe(u.hostname.replace(/^\[|\]$/g, ""), Number(u.port) || (u.protocol === "https:" ? 443 : 80)) : false] as const;
    }),
  );
  const down = probes.filter(([, up]) => !up).map(([c]) => label(c));
  if (down.length) return { status: "warn", detail: `cannot connect to ${down.join(", ")}`, fix: "Check this computer's internet connection, or the channel's server." };
  return { status: "ok", detail: `${channels.length} channel(s) reachable: ${channels.map(label).join(", ")}`, fix: null };
}

export function checkFirstConnection(i: DoctorInputs, lanOk: boolean): CheckResult {
  if (!i.daemon) return notRunning();
  const seen = i.daemon.devices.filter((d) => d.lastSeenAt !== null).length;
  if (seen) return { status: "ok", detail: `${seen} paired device(s) have connected`, fix: null };
  if (!lanOk) return { status: "warn", detail: "no device has connected yet; fix the lines above first", fix: null };
  const mac = i.platform === "darwin" ? " On macOS, allow your terminal under System Settings → Privacy & Security → Local Network." : "";
  return {
    status: "warn",
    detail: "the daemon is reachable on the LAN, but no device has ever connected",
    fix: `If the phone cannot open the URL: the Wi-Fi may isolate clients (guest networks often do: use the main network, or Tailscale), or a VPN on the phone routes around the LAN.${mac}`,
  };
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function safeHost(url: string): string {
  return safeUrl(url)?.host ?? "(invalid URL)";
}
