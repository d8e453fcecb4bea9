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

/** Opaque list cursor: the position after the last session of a page. */
export function encodeCursor(lastActivity: number, sessionId: string): string {
  return Buffer.from(JSON.stringify([lastActivity, sessionId])).toString("base64url");
}

export function decodeCursor(cursor: string): { lastActivity: number; sessionId: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "string") return { lastActivity: v[0], sessionId: v[1] };
  } catch {
    /* falls through to the error */
  }
  throw new CompanionError("BAD_REQUEST", { reason: "query.cursor: is not a cursor from a previous page" }, { path: "query.cursor" });
}
