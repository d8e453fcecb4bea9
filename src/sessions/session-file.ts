// Reading a session's JSONL event file: whole lines in increasing seq order, a torn tail found, a line glued to a torn one recovered. No writes.
import { closeSync, openSync, readSync, fstatSync } from "node:fs";
import { SessionEventSchema, type SessionEvent } from "../protocol/events.js";
import type { LogRecord } from "./event-log.js";

export interface ParsedLines {
  records: LogRecord[];
  /** Lines skipped: corrupt, of another session, or with a seq not above the one before. */
  skipped: number;
  /** Bytes of the text up to its last newline (what follows is a torn line). */
  wholeBytes: number;
  /** Bytes after the last newline. */
  tornBytes: number;
}

function parse(line: string): SessionEvent | undefined {
  try {
    const parsed = SessionEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parses JSONL text; only events with a seq above `afterSeq` (and above the previous line's) are kept. */
export function parseEventLines(text: string, sessionId: string, afterSeq = 0): ParsedLines {
  const records: LogRecord[] = [];
  const end = text.lastIndexOf("\n") + 1;
  let skipped = 0;
  let last = afterSeq;
  let from = 0;
  while (from < end) {
    const nl = text.indexOf("\n", from);
    let line = text.slice(from, nl);
    from = nl + 1;
    if (!line) continue;
    let event = parse(line);
    if (!event) {
      // A line written after a torn one (by a build that did not cut it) starts inside the same line.
      const glued = line.lastIndexOf('{"seq":');
      if (glued > 0) {
        line = line.slice(glued);
        event = parse(line);
      }
    }
    if (!event || event.sessionId !== sessionId || event.seq <= last) {
      skipped++;
      continue;
    }
    last = event.seq;
    records.push({ event, json: line });
  }
  const whole = text.slice(0, end);
  return { records, skipped, wholeBytes: Buffer.byteLength(whole), tornBytes: Buffer.byteLength(text) - Buffer.byteLength(whole) };
}

/** The file's bytes from `offset` to its end as text, or null when it cannot be read. */
export function readFrom(path: string, offset: number): { text: string; size: number } | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (offset > size) return null;
    const buf = Buffer.allocUnsafe(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.toString("utf8", 0, got), size: offset + got };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
