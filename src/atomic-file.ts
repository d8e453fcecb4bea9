// Atomic, fsynced file writes for every room (secrets, the state file, session meta), on write-file-atomic. No logic beyond that.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory, fsynced, then renamed over
 * `path`, so a reader or a crash sees the old content or the new, never a torn file. The temporary file is
 * opened with `mode` (default 0600: the umask can only narrow it) and set to exactly `mode` before the
 * rename. A missing parent directory is created with 0700. Throws what the file system throws.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic.sync(path, typeof data === "string" ? data : Buffer.from(data), { mode, fsync: true });
}
