// Lists the subdirectories a session may work in (inside the allowed roots only), git repositories marked, recent first.
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DirectoryEntry, DirectoryListResponse } from "../protocol/directories.js";
import { resolveWorkingDirectory } from "./working-directory.js";

export const MAX_DIRECTORY_ENTRIES = 500;

function entry(path: string, name: string): DirectoryEntry | null {
  try {
    const real = realpathSync(path);
    const st = statSync(real);
    if (!st.isDirectory()) return null;
    return { name, path: real, git: existsSync(join(real, ".git")), modifiedAt: Math.round(st.mtimeMs) };
  } catch {
    return null; // vanished, unreadable or a dangling link
  }
}

/**
 * `path` undefined lists the roots. Otherwise `path` must pass the one working-directory check
 * (FORBIDDEN_PATH when it is missing, not a directory or outside the roots); links that lead out of
 * the roots are left out of the listing.
 */
export function listDirectories(roots: readonly string[], path: string | undefined): DirectoryListResponse {
  if (path === undefined) {
    const dirs = roots.flatMap((r) => entry(r, r) ?? []);
    return { roots: [...roots], path: null, parent: null, directories: dirs, truncated: false };
  }
  const dir = resolveWorkingDirectory(path, roots, "/");
  const within = (p: string) => {
    try {
      resolveWorkingDirectory(p, roots, "/");
      return true;
    } catch {
      return false;
    }
  };
  let names: string[] = [];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && !d.name.startsWith("."))
      .map((d) => d.name);
  } catch {
    names = []; // unreadable: nothing to pick inside
  }
  const dirs = names.flatMap((n) => entry(join(dir, n), n) ?? []).filter((d) => within(d.path));
  dirs.sort((a, b) => b.modifiedAt - a.modifiedAt || a.name.localeCompare(b.name));
  const up = dirname(dir);
  return {
    roots: [...roots],
    path: dir,
    parent: up !== dir && within(up) ? up : null,
    directories: dirs.slice(0, MAX_DIRECTORY_ENTRIES),
    truncated: dirs.length > MAX_DIRECTORY_ENTRIES,
  };
}
