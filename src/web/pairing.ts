// What this phone keeps: the device name it pairs as, its token, recent directories (the link parser is in protocol/pairing-link.ts).

/** A short, human name for this phone in `claude-companion devices` (1..64 characters, no control characters). */
export function deviceNameFor(userAgent: string): string {
  const os = /iPhone/.test(userAgent)
    ? "iPhone"
    : /iPad/.test(userAgent)
      ? "iPad"
      : /Android/.test(userAgent)
        ? "Android"
        : /Mac OS X/.test(userAgent)
          ? "Mac"
          : /Windows/.test(userAgent)
            ? "Windows"
            : /Linux/.test(userAgent)
              ? "Linux"
              : "Browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "";
  return browser ? `${os} ${browser}` : os;
}

const TOKEN_KEY = "claude-companion.token";
const DEVICE_KEY = "claude-companion.deviceId";
const RECENT_KEY = "claude-companion.recentDirs";

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function storage(): KeyValueStore | null {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage ?? null;
  } catch {
    return null; // private mode or storage disabled: the session lasts as long as the page
  }
}

export function loadToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function saveToken(token: string, deviceId?: string): void {
  storage()?.setItem(TOKEN_KEY, token);
  if (deviceId) storage()?.setItem(DEVICE_KEY, deviceId);
  else storage()?.removeItem(DEVICE_KEY);
}

export function forgetToken(): void {
  storage()?.removeItem(TOKEN_KEY);
  storage()?.removeItem(DEVICE_KEY);
}

/** Working directories used for new sessions, most recent first (at most 8). */
export function loadRecentDirs(): string[] {
  try {
    const v = JSON.parse(storage()?.getItem(RECENT_KEY) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((d): d is string => typeof d === "string").slice(0, 8) : [];
  } catch {
    return [];
  }
}

export function rememberDir(dir: string): string[] {
  const next = [dir, ...loadRecentDirs().filter((d) => d !== dir)].slice(0, 8);
  storage()?.setItem(RECENT_KEY, JSON.stringify(next));
  return next;
}
