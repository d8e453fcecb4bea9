// Tailscale state of this machine from `tailscale status --json`: tailnet address, MagicDNS name, HTTPS certificates.
import { isIP } from "node:net";
import { z } from "zod";
import type { TailscaleRunner } from "./run.js";

/** The fields we read from `tailscale status --json` (it has many more; they are ignored). */
const StatusJsonSchema = z.object({
  BackendState: z.string().optional(),
  Self: z
    .object({
      DNSName: z.string().optional(),
      TailscaleIPs: z.array(z.string()).nullable().optional(),
    })
    .nullable()
    .optional(),
  /** Names `tailscale cert` can get a certificate for; empty or absent when HTTPS is not enabled on the tailnet. */
  CertDomains: z.array(z.string()).nullable().optional(),
});

export type TailscaleStatus =
  /** Logged in and connected: the phone can reach this machine on the tailnet. */
  | { state: "running"; ipv4: string | null; dnsName: string | null; httpsEnabled: boolean; detail: string }
  /** Installed but not usable now: logged out, stopped, tailscaled not running, or it did not answer. */
  | { state: "logged-out" | "stopped" | "error"; ipv4: null; dnsName: null; httpsEnabled: false; detail: string }
  | { state: "absent"; ipv4: null; dnsName: null; httpsEnabled: false; detail: string };

const idle = (state: "logged-out" | "stopped" | "error" | "absent", detail: string): TailscaleStatus => ({ state, ipv4: null, dnsName: null, httpsEnabled: false, detail });

/** Parses the JSON `tailscale status --json` prints. Pure. */
export function parseTailscaleStatus(text: string): TailscaleStatus {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return idle("error", "`tailscale status --json` did not print JSON");
  }
  const parsed = StatusJsonSchema.safeParse(json);
  if (!parsed.success) return idle("error", "`tailscale status --json` printed an unexpected shape");
  const s = parsed.data;
  if (s.BackendState === "NeedsLogin" || s.BackendState === "NoState") return idle("logged-out", "logged out: run `tailscale up` to log in");
  if (s.BackendState === "Stopped") return idle("stopped", "stopped: run `tailscale up` to connect");
  if (s.BackendState !== "Running") return idle("error", `not connected (state ${s.BackendState ?? "unknown"})`);
  const ipv4 = (s.Self?.TailscaleIPs ?? []).find((ip) => isIP(ip) === 4) ?? null;
  const name = (s.Self?.DNSName ?? "").toLowerCase().replace(/\.$/, "");
  const dnsName = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(name) ? name : null;
  const certDomains = (s.CertDomains ?? []).map((d) => d.toLowerCase().replace(/\.$/, ""));
  const httpsEnabled = dnsName !== null && certDomains.includes(dnsName);
  return { state: "running", ipv4, dnsName, httpsEnabled, detail: `connected as ${dnsName ?? ipv4 ?? "an unnamed node"}` };
}

/** Asks the Tailscale CLI; absent, logged out or slow is a state, never a throw. The CLI answers in milliseconds; 5 s is for a loaded machine. */
export async function detectTailscale(run: TailscaleRunner, timeoutMs = 5000): Promise<TailscaleStatus> {
  const r = await run(["status", "--json"], timeoutMs);
  if (r.absent) return idle("absent", "not installed");
  if (r.timedOut) return idle("error", `\`tailscale status\` did not answer within ${timeoutMs} ms`);
  // Logged out, `tailscale status --json` still prints JSON (BackendState NeedsLogin), sometimes with exit 1.
  if (r.stdout.trim().startsWith("{")) return parseTailscaleStatus(r.stdout);
  const why = (r.stderr.trim().split("\n")[0] ?? "").slice(0, 200);
  return idle("error", why ? `not usable: ${why}` : `\`tailscale status\` exited ${r.code}`);
}
