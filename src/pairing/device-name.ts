// Validation of the name a phone gives itself when pairing. Pure.
import { CompanionError } from "../protocol/errors.js";

/** Longest device name, in characters (Unicode code points) after trimming. */
export const DEVICE_NAME_MAX = 64;

// Control characters, line/paragraph separators and every format character (Unicode Cf: zero-width
// spaces and joiners, bidi overrides, soft hyphens…): a name is printed in a terminal by `devices` and
// shown as "answered by" on every phone, where these could forge output, reorder text or make two
// names look alike.
const FORBIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * Labels the daemon itself shows for who did something (the master token's label, the reasons of a
 * permissionResolved): a device named like one of them would pass for it. Compared case-insensitively
 * after NFKC and with runs of spaces, '-' and '_' read as one space.
 */
export const RESERVED_DEVICE_NAMES = ["master token", "master", "claude-companion", "timeout", "cancelled", "shutdown"] as const;

const folded = (s: string) => s.normalize("NFKC").toLowerCase().replace(/[\s_-]+/g, " ").trim();
const RESERVED = new Set(RESERVED_DEVICE_NAMES.map(folded));

/** The trimmed, NFC-normalised name, or null when it is not 1..64 characters, has a control or format character, or is reserved. */
export function normalizeDeviceName(name: unknown): string | null {
  if (typeof name !== "string") return null;
  const trimmed = name.normalize("NFC").trim();
  const length = [...trimmed].length;
  if (length < 1 || length > DEVICE_NAME_MAX || FORBIDDEN.test(trimmed) || RESERVED.has(folded(trimmed))) return null;
  return trimmed;
}

/** normalizeDeviceName, throwing CompanionError BAD_REQUEST (details.field = "deviceName") when invalid. */
export function parseDeviceName(name: unknown): string {
  const normalized = normalizeDeviceName(name);
  if (normalized === null) {
    throw new CompanionError(
      "BAD_REQUEST",
      {
        reason: `deviceName must be 1 to ${DEVICE_NAME_MAX} characters without control or format (zero-width) characters, and not a name the daemon uses itself (${RESERVED_DEVICE_NAMES.join(", ")})`,
      },
      { field: "deviceName", path: "body.deviceName" },
    );
  }
  return normalized;
}
