// What the history list shows of one transcript, scanned once and then only from where the last scan stopped.
import { readLinesFrom } from "./line-reader.js";
import { oneLine, parseTranscriptLine, promptOf, timeOf, titleOf } from "./transcript.js";

/** Characters of prompt text kept per session for `q` searches. */
const SEARCH_CHARS = 1024;

export interface TranscriptMeta {
  /** Byte offset after the last complete line scanned. */
  offset: number;
  /** File identity when scanned: a different inode, or a smaller size, means a rewrite (scan again). */
  ino: number;
  size: number;
  mtimeMs: number;
  /** The first record's `cwd` (where the session was started; the CLI keeps its file in that folder). */
  cwd?: string;
  gitBranch?: string;
  customTitle?: string;
  summary?: string;
  firstPrompt?: string;
  lastActivity: number;
  messageCount: number;
  /** Lower-cased prompt text (the first SEARCH_CHARS characters) for searches. */
  search: string;
  records: number;
  badLines: number;
}

export interface FileStat {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** How bookkeeping lines of 2.1.332 begin (the CLI writes compact JSON with `type` first, or `attachment` third). */
const BOOKKEEPING =
  /^\{"type":"(api-request|api-request-blob|api-request-shape|queue-operation|file-history-snapshot|cost-state|atis-latch|tools-used|last-prompt|mode)"|^\{"parentUuid":("[^"]*"|null),"isSidechain":(true|false),"attachment":/;

const fresh = (st: FileStat): TranscriptMeta => ({ offset: 0, ...st, lastActivity: 0, messageCount: 0, search: "", records: 0, badLines: 0 });

/** Scans `file` (only its new bytes when `previous` is the same file, grown), returning new metadata. */
export async function scanTranscript(file: string, st: FileStat, previous?: TranscriptMeta, buffer?: Buffer): Promise<TranscriptMeta> {
  const sameFile = previous !== undefined && previous.ino === st.ino && st.size >= previous.offset;
  const m: TranscriptMeta = sameFile ? { ...previous, ...st } : fresh(st);
  m.offset = await readLinesFrom(file, m.offset, (line) => {
    if (line.trim() === "") return;
    const r = parseTranscriptLine(line);
    if (!r) return void m.badLines++;
    m.records++;
    if (typeof r.cwd === "string") m.cwd ??= r.cwd;
    if (typeof r.gitBranch === "string" && r.gitBranch) m.gitBranch = r.gitBranch;
    const t = timeOf(r);
    if (t !== undefined && t > m.lastActivity) m.lastActivity = t;
    const title = titleOf(r);
    if (title?.custom) m.customTitle = title.text;
    else if (title) m.summary = title.text;
    const prompt = promptOf(r);
    if (prompt) {
      m.messageCount++;
      m.firstPrompt ??= oneLine(prompt.text);
      if (m.search.length < SEARCH_CHARS) m.search = (m.search + "\n" + prompt.text.toLowerCase()).slice(0, SEARCH_CHARS);
    }
  }, {
    size: st.size,
    ...(buffer ? { buffer } : {}),
    // The big lines (API request blobs, prompt snapshots) are bookkeeping: recognised by their start, never decoded.
    skip: (head) => BOOKKEEPING.test(head),
    onSkipped: () => void m.records++,
  });
  if (m.lastActivity === 0) m.lastActivity = Math.floor(st.mtimeMs);
  return m;
}

/** The title the list shows: the session's own name, else its summary, else its first prompt. */
export function titleOfMeta(m: TranscriptMeta): string {
  return m.customTitle ?? m.summary ?? m.firstPrompt ?? "(no prompt)";
}
