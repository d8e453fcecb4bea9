// `claude-companion doctor --json`: the report schema (a CLI output, not a daemon route).
import { z } from "zod";

export const DOCTOR_STATUSES = ["ok", "warn", "fail"] as const;

/** The checks, in the order they are printed. */
export const DOCTOR_CHECK_IDS = [
  "node",
  "claude-cli",
  "claude-auth",
  "daemon",
  "listen",
  "lan-reachable",
  "firewall",
  "bonjour",
  "tls",
  "tailscale",
  "notify",
  "file-modes",
  "disk",
  "first-connection",
] as const;

export const DoctorCheckSchema = z.object({
  id: z.enum(DOCTOR_CHECK_IDS),
  /** A short human title, e.g. "Node.js". */
  title: z.string(),
  /** ok: fine; warn: works but something may stop a phone (or could not tell); fail: this stops it. */
  status: z.enum(DOCTOR_STATUSES),
  /** What was found. Never a token, key or credential. */
  detail: z.string(),
  /** What to do, or null when nothing needs doing. */
  fix: z.string().nullable(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  /** True when no check failed (then the exit code is 0, else 1). */
  ok: z.boolean(),
  checks: z.array(DoctorCheckSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
