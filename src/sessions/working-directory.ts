// The one working-directory check: it must exist, be a directory, and lie inside an allowed root after `..` and symlinks (FORBIDDEN_PATH).
import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CompanionError } from "../protocol/errors.js";

function inside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes(".."));
}

/**
 * Returns the real path of `dir` (relative paths resolve against `base`) or throws FORBIDDEN_PATH.
 * `roots` undefined checks only that it is an existing directory (the operator's own default directory).
 */
export function resolveWorkingDirectory(dir: string, roots: readonly string[] | undefined, base: string): string {
  if (dir.includes("\0")) throw new CompanionError("FORBIDDEN_PATH", { path: dir.replace(/\0/g, "\\0"), reason: "it contains a NUL byte" });
  const wanted = resolve(base, dir);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    throw new CompanionError("FORBIDDEN_PATH", { path: dir, reason: "it does not exist" });
  }
  if (!statSync(real).isDirectory()) throw new CompanionError("FORBIDDEN_PATH", { path: dir, reason: "it is not a directory" });
  if (roots === undefined) return real;
  const realRoots = roots.map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return resolve(r);
    }
  });
  if (!realRoots.some((r) => inside(real, r))) {
    throw new CompanionError("FORBIDDEN_PATH", { path: dir, reason: "it is outside the allowed roots" }, { allowedRoots: roots });
  }
  return real;
}
