// A session's title (its first prompt) and its last message's first line (SessionInfo.title, lastMessage): one rule for the daemon and the phone. Pure, no zod.
import type { NewSessionEvent } from "./events.js";

export interface Headline {
  /** The first line of the session's first prompt, at most 80 characters. */
  title?: string;
  /** The first line of the last prompt or answer, at most 120 characters. */
  lastMessage?: string;
}

function firstLine(text: string, max: number): string | undefined {
  const line = text.split("\n").map((l) => l.trim()).find(Boolean);
  if (!line) return undefined;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function nextHeadline(h: Headline, event: NewSessionEvent): Headline {
  if (event.type === "userMessage") {
    const line = firstLine(event.data.text, 120);
    if (!line) return h;
    return { title: h.title ?? firstLine(event.data.text, 80), lastMessage: line };
  }
  if (event.type === "streamData" && event.data.kind === "message") {
    const line = firstLine(event.data.text, 120);
    return line ? { ...h, lastMessage: line } : h;
  }
  return h;
}
