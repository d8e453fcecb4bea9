// Validation of the name a phone gives itself when pairing. Pure.
import { CompanionError } from "../protocol/errors.js";

/** Longest device name, in characters (Unicode code points) after trimming. */
export const DEVICE_NAME_MAX = 64;

// Control characters, line/paragraph separators and bidi overrides: a name is printed in a terminal
// by `devices`, where these could forge output or reorder text.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** The trimmed, NFC-normalised name, or null when it is not 1..64 characters or has a control character. */
export function normalizeDeviceName(name: unknown): string | null {
  if (typeof name !== "string") return null;
  const trimmed = name.normalize("NFC").trim();
  const length = [...trimmed].length;
  if (length < 1 || length > DEVICE_NAME_MAX || FORBIDDEN.test(trimmed)) return null;
  return trimmed;
}

/** normalizeDeviceName, throwing CompanionError BAD_REQUEST (details.field = "deviceName") when invalid. */
export function parseDeviceName(name: unknown): string {
  const normalized = normalizeDeviceName(name);
  if (normalized === null) {
    throw new CompanionError(
      "BAD_REQUEST",
      { reason: `deviceName must be 1 to ${DEVICE_NAME_MAX} characters without control characters` },
      { field: "deviceName" },
    );
  }
  return normalized;
}
