// The one path check: a working directory (or a file the viewer reads) must exist and lie inside an allowed root after `..` and symlinks (FORBIDDEN_PATH).
import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CompanionError } from "../protocol/errors.js";

function inside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes(".."));
}

function realPathOf(path: string, base: string): string {
  if (path.includes("\0")) throw new CompanionError("FORBIDDEN_PATH", { path: path.replace(/\0/g, "\\0"), reason: "it contains a NUL byte" });
  try {
    return realpathSync(resolve(base, path));
  } catch {
    throw new CompanionError("FORBIDDEN_PATH", { path, reason: "it does not exist" });
  }
}

function checkInside(path: string, real: string, roots: readonly string[]): string {
  const realRoots = roots.map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return resolve(r);
    }
  });
  if (!realRoots.some((r) => inside(real, r))) {
    throw new CompanionError("FORBIDDEN_PATH", { path, reason: "it is outside the allowed roots" }, { allowedRoots: roots });
  }
  return real;
}

/**
 * Returns the real path of `path` (relative paths resolve against `base`), of any kind, or throws FORBIDDEN_PATH
 * when it has a NUL byte, does not exist, or its real path (symlinks followed) lies outside every root.
 */
export function resolveAllowedPath(path: string, roots: readonly string[], base: string): string {
  return checkInside(path, realPathOf(path, base), roots);
}

/**
 * Returns the real path of `dir` (relative paths resolve against `base`) or throws FORBIDDEN_PATH.
 * `roots` undefined checks only that it is an existing directory (the operator's own default directory).
 */
export function resolveWorkingDirectory(dir: string, roots: readonly string[] | undefined, base: string): string {
  const real = realPathOf(dir, base);
  if (!statSync(real).isDirectory()) throw new CompanionError("FORBIDDEN_PATH", { path: dir, reason: "it is not a directory" });
  return roots === undefined ? real : checkInside(dir, real, roots);
}
