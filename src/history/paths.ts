// Small pure helpers of the history room: the allowed-roots test, the terminal resume command, list cursors.
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CompanionError } from "../protocol/errors.js";

function inside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes(".."));
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

/**
 * True when a transcript's recorded directory lies inside an allowed root. The directory may be gone,
 * so it is compared as recorded and, when it still exists, by its real path (symlinks resolved).
 */
export function isInsideRoots(dir: string, roots: readonly string[]): boolean {
  if (!isAbsolute(dir) || dir.includes("\0")) return false;
  const candidates = [resolve(dir), real(dir)];
  return roots.some((r) => {
    const rr = [resolve(r), real(r)];
    return candidates.some((c) => rr.some((x) => inside(c, x)));
  });
}

/** True when `requested` (relative to `base`) names the directory `recorded`, after symlinks. */
export function sameDirectory(requested: string, recorded: string, base: string): boolean {
  return real(resolve(base, requested)) === real(recorded);
}

export { resumeCommand, shellQuote } from "../protocol/resume-command.js";

/** A place in the history listing: the sort key of one session. */
export interface ListPosition {
  lastActivity: number;
  sessionId: string;
}

/**
 * The listing's one order, used to sort and to find where a cursor's page starts: newest `lastActivity`
 * first, ties by `sessionId` in plain code-unit order (never the locale's collation).
 */
export function compareListed(a: ListPosition, b: ListPosition): number {
  if (a.lastActivity !== b.lastActivity) return b.lastActivity - a.lastActivity;
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}

const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque list cursor: base64url (no padding) of the JSON `[lastActivity, sessionId]` of a page's last session. */
export function encodeCursor(lastActivity: number, sessionId: string): string {
  return Buffer.from(JSON.stringify([lastActivity, sessionId])).toString("base64url");
}

/** The position a cursor names; BAD_REQUEST unless it is exactly what encodeCursor() writes for a listed session. */
export function decodeCursor(cursor: string): ListPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isSafeInteger(v[0]) &&
      typeof v[1] === "string" &&
      CURSOR_ID.test(v[1]) &&
      encodeCursor(v[0] as number, v[1]) === cursor
    ) {
      return { lastActivity: v[0] as number, sessionId: v[1] };
    }
  } catch {
    /* falls through to the error */
  }
  throw new CompanionError("BAD_REQUEST", { reason: "query.cursor: is not a cursor from a previous page" }, { path: "query.cursor" });
}
