// A small tmpfs a test can fill to the last byte and free again: the set-up of the full-disk tests (root only).
import { execFileSync } from "node:child_process";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";

/** Mounting a tmpfs needs root (CI runs as root); elsewhere the full-disk tests skip. */
export const canMountTmpfs = process.getuid?.() === 0;

export interface TmpfsOptions {
  /** tmpfs size, e.g. "1m". */
  size: string;
  /** Owner of the mount's root (default: this process's user). */
  owner?: { uid: number; gid: number };
}

/**
 * Returns `mount(dir, options)`, which mounts a 0700 tmpfs on the existing `dir`. Each mount is detached
 * (umount -l) after its test, so a daemon still writing there cannot hold it, and the temp dirs under it
 * are removable whatever order the file's other hooks run in.
 */
export function useTmpfs(): (dir: string, options: TmpfsOptions) => void {
  const mounts: string[] = [];
  afterEach(() => {
    for (const m of mounts.splice(0)) execFileSync("umount", ["-l", m]);
  });
  return (dir, { size, owner }) => {
    const ids = owner ? `,uid=${owner.uid},gid=${owner.gid}` : "";
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700${ids}`, "tmpfs", dir]);
    mounts.push(dir);
  };
}

/** Fills the filesystem of `dir` to the last byte (bounded at 400 MiB); returns the function that frees it. */
export function fillDisk(dir: string): () => void {
  const file = join(dir, "filler");
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(4096, 120);
  try {
    for (let i = 0; i < 100_000; i++) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  }
  // The last partial page as well, one byte at a time.
  try {
    for (let i = 0; i < 4096; i++) writeSync(fd, chunk, 0, 1);
  } catch {
    /* full */
  }
  closeSync(fd);
  return () => rmSync(file, { force: true });
}
