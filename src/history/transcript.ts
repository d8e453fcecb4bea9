// Claude Code transcript records (one JSON object a line): what is conversation, what is bookkeeping or injected. Pure.

/** The fields of a transcript record this room reads; everything else is ignored. */
export interface TranscriptRecord {
  type: string;
  uuid?: string;
  parentUuid?: string | null;
  sessionId?: string;
  cwd?: string;
  gitBranch?: string;
  timestamp?: string;
  isSidechain?: boolean;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  promptId?: string;
  subtype?: string;
  content?: unknown;
  message?: { id?: string; role?: string; content?: unknown; stop_reason?: string | null };
  toolUseResult?: unknown;
  customTitle?: string;
  summary?: string;
}

/** Parses one complete line; undefined for a line that is not a JSON object with a string `type`. */
export function parseTranscriptLine(line: string): TranscriptRecord | undefined {
  if (line.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return typeof (value as { type?: unknown }).type === "string" ? (value as TranscriptRecord) : undefined;
  } catch {
    return undefined;
  }
}

// Text the CLI puts into user records itself: reminders, slash-command wrappers and their output, caveats.
const INJECTED = /^\s*(<system-reminder>|<command-name>|<command-message>|<command-args>|<local-command-stdout>|<local-command-stderr>|<local-command-caveat>|<bash-input>|<bash-stdout>|<bash-stderr>|Caveat: )/;

export function isInjectedText(text: string): boolean {
  return INJECTED.test(text);
}

type Block = { type?: string; text?: string; [k: string]: unknown };
const blocksOf = (content: unknown): Block[] =>
  Array.isArray(content) ? content.filter((b): b is Block => typeof b === "object" && b !== null) : [];

/** Part of the main conversation (not a subagent's sidechain, not a CLI meta record). */
const isMainLine = (r: TranscriptRecord): boolean => r.isSidechain !== true && r.isMeta !== true;

/**
 * The text of a prompt the user typed, or undefined: tool results, injected text, compaction summaries,
 * sidechain and meta records are not prompts.
 */
export function promptOf(r: TranscriptRecord): { text: string; images: number } | undefined {
  if (r.type !== "user" || !isMainLine(r) || r.isCompactSummary === true) return undefined;
  const content = r.message?.content;
  if (typeof content === "string") return isInjectedText(content) || content.trim() === "" ? undefined : { text: content, images: 0 };
  const blocks = blocksOf(content);
  if (blocks.some((b) => b.type === "tool_result")) return undefined;
  const texts = blocks.filter((b) => b.type === "text" && typeof b.text === "string" && !isInjectedText(b.text)).map((b) => b.text as string);
  const images = blocks.filter((b) => b.type === "image").length;
  if (texts.length === 0 && images === 0) return undefined;
  return { text: texts.join("\n"), images };
}

/** A session's own name: `custom-title` (from /rename) or an older CLI's `summary` line. */
export function titleOf(r: TranscriptRecord): { text: string; custom: boolean } | undefined {
  if (r.type === "custom-title" && typeof r.customTitle === "string" && r.customTitle.trim()) return { text: r.customTitle.trim(), custom: true };
  if (r.type === "summary" && typeof r.summary === "string" && r.summary.trim()) return { text: r.summary.trim(), custom: false };
  return undefined;
}

/** ms since epoch of a record, or undefined. */
export function timeOf(r: TranscriptRecord): number | undefined {
  if (typeof r.timestamp !== "string") return undefined;
  const t = Date.parse(r.timestamp);
  return Number.isFinite(t) ? t : undefined;
}

/** Shortens a title or prompt to one line of at most `max` characters. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export { blocksOf, isMainLine };
