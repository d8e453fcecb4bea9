// Sessions of ours handed to a terminal: where the terminal's part of the transcript starts, and its events to import on resume.
import type { NewSessionEvent } from "../protocol/index.js";
import type { History } from "../history/index.js";
import type { Session } from "../sessions/index.js";
import { HANDOFF_REASON } from "../protocol/constants.js";

/**
 * A session whose last event is its closing with reason "terminal": `{ transcriptSeq }` from that event (absent in
 * logs written before the field existed), else undefined.
 */
export function handedToTerminal(s: Session): { transcriptSeq?: number } | undefined {
  const last = s.log.after(Math.max(0, s.log.lastSeq - 1)).records.at(-1)?.event;
  if (last?.type !== "sessionUpdate" || last.data.reason !== HANDOFF_REASON) return undefined;
  return last.data.transcriptSeq !== undefined ? { transcriptSeq: last.data.transcriptSeq } : {};
}

/** The terminal's events of a handed-off session (the transcript after transcriptSeq), to append to its log on resume. */
export async function terminalEvents(history: History, s: Session | undefined): Promise<NewSessionEvent[]> {
  const mark = s && s.state === "closed" ? handedToTerminal(s)?.transcriptSeq : undefined;
  if (!s || mark === undefined || !(await history.find(s.id))) return [];
  const feed = await history.feed(s.id);
  return feed.after(mark).records.map((r) => ({ type: r.event.type, data: r.event.data }) as NewSessionEvent);
}
