// What the composer offers as you type: `/` at the start (commands and skills), `@` after a space (file names). Pure.
import type { SlashCommand } from "../protocol/composer.js";

export type Trigger =
  | { kind: "command"; query: string; start: number; end: number }
  | { kind: "file"; query: string; start: number; end: number };

/**
 * The word being typed at `caret`, when it asks for suggestions: `/name` as the prompt's first word,
 * or `@path` at the start or after whitespace. `start`/`end` bound the word (the `/` or `@` included).
 */
export function triggerAt(text: string, caret: number): Trigger | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  const word = text.slice(start, caret);
  if (word.startsWith("/") && text.slice(0, start).trim() === "") return { kind: "command", query: word.slice(1), start, end };
  if (word.startsWith("@")) return { kind: "file", query: word.slice(1), start, end };
  return null;
}

/** Commands whose name (or an alias) starts with the query first, then those that contain it; at most `limit`. */
export function filterCommands(commands: readonly SlashCommand[], query: string, limit = 50): SlashCommand[] {
  const q = query.toLowerCase();
  const rank = (c: SlashCommand): number => {
    const names = [c.name, ...c.aliases].map((n) => n.toLowerCase());
    if (names.some((n) => n.startsWith(q))) return 0;
    if (names.some((n) => n.includes(q))) return 1;
    return c.description.toLowerCase().includes(q) && q.length >= 3 ? 2 : -1;
  };
  return commands
    .map((c, i) => ({ c, r: rank(c), i }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || Number(a.c.builtin) - Number(b.c.builtin) || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.c);
}

/**
 * The `/` list: the commands that work from the phone, filtered (filterCommands); those Claude Code marks as no use
 * here (`unavailable`) are left out, and when the query starts their name a note says which and why.
 */
export function commandChoices(commands: readonly SlashCommand[], query: string): { offered: SlashCommand[]; leftOut: string | null } {
  const offered = filterCommands(commands.filter((c) => c.unavailable === null), query);
  const q = query.toLowerCase();
  const hidden = q ? commands.filter((c) => c.unavailable !== null && [c.name, ...c.aliases].some((n) => n.toLowerCase().startsWith(q))) : [];
  const leftOut =
    hidden.length === 0 ? null : hidden.length === 1 ? `/${hidden[0]!.name} is left out: ${hidden[0]!.unavailable}` : `Left out, no use from the phone: ${hidden.map((c) => `/${c.name}`).join(", ")}.`;
  return { offered, leftOut };
}

/** A file reference as Claude Code reads it: `@path`, quoted when the path has spaces. */
export function fileReference(path: string): string {
  return /\s/.test(path) ? `@"${path}"` : `@${path}`;
}

/** The text with the word at [start, end) replaced by `insert` and one space; the caret goes after it. */
export function replaceWord(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const after = text.slice(end);
  const spaced = after.startsWith(" ") ? insert : insert + " ";
  return { text: text.slice(0, start) + spaced + after, caret: start + spaced.length + (after.startsWith(" ") ? 1 : 0) };
}
