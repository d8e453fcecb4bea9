// What a session was when the daemon stopped or died, read from its persisted events. Pure.
import type { SessionState } from "../protocol/common.js";
import type { LogRecord } from "./event-log.js";
import { nextHeadline, type Headline } from "./headline.js";
import { isCutTurnSubtype } from "./cut-turn.js";
import type { StreamComplete } from "./session-events.js";

export interface RestoredState {
  createdAt: number;
  lastActivity: number;
  messageCount: number;
  lastResult: StreamComplete | null;
  headline: Headline;
  closed: boolean;
  /** Claude has a transcript for this id (it took a user message): the next spawn uses --resume. */
  transcript: boolean;
  /** Permission requests with no resolution: they expire on restore. */
  openPermissions: string[];
  /** The state of the last sessionUpdate on disk ("active" means a turn was cut off). */
  lastState: SessionState | undefined;
  /** A turn was running and its streamComplete is not on disk: it gets one on restore. */
  cutTurn: boolean;
  /** Prompts with no streamComplete naming them, oldest first (the cut turn's first, then those queued behind it). */
  unansweredPromptIds: string[];
}

/** What the daemon itself wrote when it stopped or restarted: not the session's activity. */
const DAEMON_REASONS = new Set(["daemon-shutdown", "daemon-restarted"]);
function isBookkeeping(event: LogRecord["event"]): boolean {
  if (event.type === "sessionUpdate") return DAEMON_REASONS.has(event.data.reason);
  if (event.type === "permissionResolved") return event.data.by === "shutdown";
  return false;
}

export function restoredStateOf(records: readonly LogRecord[], meta: { createdAt: number; closed: boolean }): RestoredState {
  let messageCount = 0;
  let transcript = false;
  let lastResult: StreamComplete | null = null;
  let lastState: SessionState | undefined;
  const open = new Set<string>();
  const unanswered = new Set<string>();
  let completedSinceActive = false;
  let headline: Headline = {};
  let lastActivity = meta.createdAt;
  for (const { event } of records) {
    headline = nextHeadline(headline, event);
    if (!isBookkeeping(event)) lastActivity = event.ts;
    switch (event.type) {
      case "userMessage":
        messageCount++;
        unanswered.add(event.data.promptId);
        break;
      case "streamComplete":
        lastResult = event.data;
        completedSinceActive = true;
        for (const id of event.data.promptIds) unanswered.delete(id);
        // Our own streamComplete of a cut turn says nothing about Claude's transcript.
        if (!isCutTurnSubtype(event.data.subtype)) transcript = true;
        break;
      case "claudeEvent":
        // system/init comes once Claude has taken the user message: a transcript exists from then on.
        if (event.data.claudeType === "system" && event.data.subtype === "init") transcript = true;
        break;
      case "permissionRequest":
        open.add(event.data.permissionId);
        break;
      case "permissionResolved":
        open.delete(event.data.permissionId);
        break;
      case "sessionUpdate":
        if (event.data.state === "active" && lastState !== "active") completedSinceActive = false;
        lastState = event.data.state;
        // Prompts dropped from the queue (interrupt, close) never get a turn.
        for (const id of event.data.droppedPromptIds ?? []) unanswered.delete(id);
        break;
    }
  }
  return {
    createdAt: meta.createdAt,
    lastActivity,
    messageCount,
    lastResult,
    headline,
    closed: meta.closed,
    transcript,
    openPermissions: [...open],
    lastState,
    cutTurn: lastState === "active" && !completedSinceActive,
    unansweredPromptIds: [...unanswered],
  };
}
