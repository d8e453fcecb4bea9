// Pairing and device bodies: exchange a one-time pairing token for a device token; list and revoke devices.
import { z } from "zod";

/** POST /api/pair (no token: the pairing token is the credential). */
export const PairRequestSchema = z
  .object({
    /** The one-time pairing token from the QR fragment `#pair=…`. */
    pairingToken: z.string().min(1).max(128),
    /** A name for this device, shown in `claude-companion devices` and in "answered by". 1–64 characters. */
    deviceName: z.string().min(1).max(64),
  })
  .strict();

/** The device token is shown once; the daemon keeps only its hash. */
export const PairResponseSchema = z.object({ deviceId: z.string(), deviceToken: z.string(), deviceName: z.string() });
export type PairResponse = z.infer<typeof PairResponseSchema>;

/** Which address a pairing QR carries: the LAN, the tailnet (MagicDNS name or 100.x address), or PUBLIC_URL. */
export const PAIRING_VIA = ["lan", "tailscale", "public"] as const;
export type PairingVia = (typeof PAIRING_VIA)[number];

/** POST /api/pairing-codes body (optional; an empty body is `{}`). */
export const PairingCodeRequestSchema = z
  .object({
    /** Default: "tailscale" when the daemon runs with --tailscale and the tailnet is up, else "lan". */
    via: z.enum(PAIRING_VIA).optional(),
  })
  .strict();

/** POST /api/pairing-codes (master token): a fresh pairing QR for `claude-companion pair`. */
export const PairingCodeResponseSchema = z.object({
  pairingToken: z.string(),
  /** ms since epoch. */
  expiresAt: z.number(),
  /** `<http|https>://<host>:<port>/#pair=<token>[&fp=<sha256>]`: what the QR code carries. */
  url: z.string(),
  fingerprint: z.string().nullable(),
  /** The address the URL carries (see PairingCodeRequestSchema). */
  via: z.enum(PAIRING_VIA),
});

export const DeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  pairedAt: z.number(),
  lastSeenAt: z.number().nullable(),
  lastAddress: z.string().nullable(),
});
export const DeviceListResponseSchema = z.object({ devices: z.array(DeviceSchema) });
