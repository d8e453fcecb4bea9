// Reads the complete lines of an append-only file from a byte offset; a torn last line waits for its newline.
import { open } from "node:fs/promises";

const CHUNK = 256 * 1024;

/**
 * Calls `onLine` for each complete line (ending in "\n") from byte `from` on, in chunks, and resolves
 * with the offset just after the last complete line: a half-written last line is read on a later call.
 */
export async function readLinesFrom(file: string, from: number, onLine: (line: string) => void): Promise<number> {
  const fh = await open(file, "r");
  try {
    let offset = from;
    let carry: Buffer = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, offset + carry.length);
      if (bytesRead === 0) break;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        onLine(data.toString("utf8", start, nl));
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
