// The daemon's log file in background mode: JSON lines, rotated by size (daemon.log, .1, .2 …).
import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { Writable } from "node:stream";

export interface RotatingLogOptions {
  path: string;
  /** Rotate when the file passes this size. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept besides the live one. Default 3. */
  keep?: number;
}

/** A writable stream that appends to `path` and rotates it by size. Writes are synchronous (logs must survive a crash). */
export function createRotatingLog(options: RotatingLogOptions): Writable & { close(): void } {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const keep = options.keep ?? 3;
  let fd = openSync(options.path, "a", 0o600);
  let size = fstatSync(fd).size;
  const rotate = () => {
    closeSync(fd);
    rmSync(`${options.path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${options.path}.${i}`, `${options.path}.${i + 1}`);
      } catch {
        /* not there yet */
      }
    }
    renameSync(options.path, `${options.path}.1`);
    fd = openSync(options.path, "a", 0o600);
    size = 0;
  };
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        if (size + chunk.length > maxBytes && size > 0) rotate();
        writeSync(fd, chunk);
        size += chunk.length;
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  }) as Writable & { close(): void };
  stream.close = () => {
    try {
      closeSync(fd);
    } catch {
      /* closed */
    }
  };
  return stream;
}
