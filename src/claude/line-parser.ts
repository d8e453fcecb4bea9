// NDJSON framing of Claude's stdout: chunks in, parsed JSON objects or warnings out. Pure: no I/O, no logging.

/** Default longest line accepted, in UTF-16 code units (~64 MiB of ASCII). */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024;

/** How much of a bad line a warning keeps. */
const WARNING_EXCERPT = 1000;

/**
 * Deepest nesting of arrays and objects accepted in a line. JSON.parse takes any depth, but events are
 * serialised recursively downstream (the event log, the WebSocket): a line nested 100 000 levels deep
 * overflowed the stack there, after its seq number was taken. Claude's own lines nest a few levels.
 */
export const MAX_NESTING = 1000;

/** True when `line` opens more than `max` arrays or objects at once (outside strings). */
function nestedDeeperThan(line: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export type ParsedLine =
  | { kind: "json"; value: Record<string, unknown> }
  | { kind: "warning"; message: string; line: string };

export interface LineParserOptions {
  /** Longest line accepted, in string length units; longer lines are dropped with one warning. Default 64 MiB. */
  maxLineLength?: number;
}

export interface LineParser {
  /** Feeds a chunk (already decoded text); returns every line completed by it, in order. */
  push(chunk: string): ParsedLine[];
  /** Flushes a final line that had no trailing newline (call on stream end). */
  end(): ParsedLine[];
}

function excerpt(line: string): string {
  return line.length > WARNING_EXCERPT ? `${line.slice(0, WARNING_EXCERPT)}…` : line;
}

/** Parses one complete line (without its "\n"). Blank lines yield nothing. */
export function parseLine(raw: string): ParsedLine | undefined {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (line.trim() === "") return undefined;
  // Only a line of more than 2 * MAX_NESTING characters can nest that deep: short lines skip the scan.
  if (line.length > 2 * MAX_NESTING && nestedDeeperThan(line, MAX_NESTING)) {
    return { kind: "warning", message: `stdout line nested deeper than ${MAX_NESTING} levels was dropped`, line: excerpt(line) };
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { kind: "warning", message: `stdout line is not JSON: ${(error as Error).message}`, line: excerpt(line) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { kind: "warning", message: "stdout line is JSON but not an object", line: excerpt(line) };
  }
  return { kind: "json", value: value as Record<string, unknown> };
}

/**
 * Creates a stateful splitter. Partial lines are kept as a list of pieces (joined once, when the
 * newline arrives) so a line of many MB costs one copy, not one per chunk.
 */
export function createLineParser(options: LineParserOptions = {}): LineParser {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  let pieces: string[] = [];
  let pendingLength = 0;
  // Set while skipping the rest of an oversized line, up to its newline.
  let discarding = false;

  function oversize(head: string): ParsedLine {
    return {
      kind: "warning",
      message: `stdout line longer than ${maxLineLength} characters was dropped`,
      line: excerpt(head),
    };
  }

  function complete(tail: string, out: ParsedLine[]): void {
    if (discarding) {
      discarding = false;
      return;
    }
    if (pendingLength + tail.length > maxLineLength) {
      out.push(oversize(pieces.length > 0 ? (pieces[0] ?? "") : tail));
      pieces = [];
      pendingLength = 0;
      return;
    }
    const line = pieces.length === 0 ? tail : pieces.join("") + tail;
    pieces = [];
    pendingLength = 0;
    const parsed = parseLine(line);
    if (parsed) out.push(parsed);
  }

  function keep(rest: string, out: ParsedLine[]): void {
    if (rest === "" || discarding) return;
    if (pendingLength + rest.length > maxLineLength) {
      out.push(oversize(pieces.length > 0 ? (pieces[0] ?? "") : rest));
      pieces = [];
      pendingLength = 0;
      discarding = true;
      return;
    }
    pieces.push(rest);
    pendingLength += rest.length;
  }

  return {
    push(chunk: string): ParsedLine[] {
      const out: ParsedLine[] = [];
      let start = 0;
      let nl = chunk.indexOf("\n");
      while (nl !== -1) {
        complete(chunk.slice(start, nl), out);
        start = nl + 1;
        nl = chunk.indexOf("\n", start);
      }
      keep(start === 0 ? chunk : chunk.slice(start), out);
      return out;
    },
    end(): ParsedLine[] {
      const out: ParsedLine[] = [];
      if (!discarding && pieces.length > 0) complete("", out);
      pieces = [];
      pendingLength = 0;
      discarding = false;
      return out;
    },
  };
}
