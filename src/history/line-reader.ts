// Reads the complete lines of an append-only file from a byte offset; a torn last line waits for its newline.
import { open } from "node:fs/promises";

const CHUNK = 256 * 1024;
/** Bytes of a line shown to `skip` before it is decoded. */
const HEAD_BYTES = 200;

export interface ReadLinesOptions {
  /** Size of the file if known: a smaller file gets a smaller read buffer. */
  size?: number;
  /** Sees the first bytes of a line; true skips it undecoded (`onSkipped` is called instead). */
  skip?: (head: string) => boolean;
  onSkipped?: () => void;
  /** A read buffer to reuse (a listing scans thousands of files; fresh buffers would each cost RSS). */
  buffer?: Buffer;
}

/**
 * Calls `onLine` for each complete line (ending in "\n") from byte `from` on, in chunks, and resolves
 * with the offset just after the last complete line: a half-written last line is read on a later call.
 */
export async function readLinesFrom(file: string, from: number, onLine: (line: string) => void, options: ReadLinesOptions = {}): Promise<number> {
  const fh = await open(file, "r");
  try {
    let offset = from;
    let carry: Buffer = Buffer.alloc(0);
    const want = options.size !== undefined ? Math.max(4096, Math.min(CHUNK, options.size - from + 1)) : CHUNK;
    const buf = options.buffer ?? Buffer.allocUnsafe(want);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset + carry.length);
      if (bytesRead === 0) break;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (options.skip?.(data.toString("utf8", start, Math.min(nl, start + HEAD_BYTES)))) options.onSkipped?.();
        else onLine(data.toString("utf8", start, nl));
        start = nl + 1;
      }
      offset += start;
      carry = Buffer.from(data.subarray(start));
    }
    return offset;
  } finally {
    await fh.close();
  }
}
