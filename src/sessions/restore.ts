// What a session was when the daemon stopped or died, from its persisted events: a scan that can be saved in the meta and resumed. Pure.
import { z } from "zod";
import type { SessionState } from "../protocol/common.js";
import { SessionStateSchema } from "../protocol/common.js";
import { StreamCompleteData, type SessionEvent } from "../protocol/events.js";
import type { LogRecord } from "./event-log.js";
import { nextHeadline, type Headline } from "../protocol/headline.js";
import { isCutTurnSubtype } from "./cut-turn.js";
import type { StreamComplete } from "./session-events.js";
import { nextStartFailure, StartFailureStateSchema, type StartFailureState } from "./start-failure.js";

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
  /** The last start failure with no system/init since (start-failure.ts): whether the session cannot start. */
  startFailure: StartFailureState | null;
}

/** What the daemon itself wrote when it stopped or restarted: not the session's activity. */
const DAEMON_REASONS = new Set(["daemon-shutdown", "daemon-restarted"]);
function isBookkeeping(event: LogRecord["event"]): boolean {
  if (event.type === "sessionUpdate") return DAEMON_REASONS.has(event.data.reason);
  if (event.type === "permissionResolved") return event.data.by === "shutdown";
  return false;
}

/** What the scan of a session's events has found so far; saved in the meta so a start need not read the log. */
export const RestoreSummarySchema = z.object({
  messageCount: z.number().int().nonnegative(),
  transcript: z.boolean(),
  lastResult: StreamCompleteData.nullable(),
  openPermissions: z.array(z.string()).max(10_000),
  unansweredPromptIds: z.array(z.string()).max(10_000).default([]),
  completedSinceActive: z.boolean().default(false),
  lastState: SessionStateSchema.optional(),
  lastActivity: z.number().optional(),
  title: z.string().max(1000).optional(),
  lastMessage: z.string().max(1000).optional(),
  startFailure: StartFailureStateSchema.optional(),
});
export type RestoreSummary = z.infer<typeof RestoreSummarySchema>;

/** Folds events, one at a time, into a RestoreSummary (cheap: one switch per event). */
export class RestoreScan {
  private messageCount = 0;
  private transcript = false;
  private lastResult: StreamComplete | null = null;
  private lastState: SessionState | undefined;
  private lastActivity: number | undefined;
  private completedSinceActive = false;
  private headline: Headline = {};
  private startFailure: StartFailureState | null = null;
  private readonly open = new Set<string>();
  private readonly unanswered = new Set<string>();

  constructor(from?: RestoreSummary) {
    if (!from) return;
    this.messageCount = from.messageCount;
    this.transcript = from.transcript;
    this.lastResult = from.lastResult as StreamComplete | null;
    this.lastState = from.lastState;
    this.lastActivity = from.lastActivity;
    this.completedSinceActive = from.completedSinceActive;
    if (from.title !== undefined) this.headline.title = from.title;
    if (from.lastMessage !== undefined) this.headline.lastMessage = from.lastMessage;
    this.startFailure = from.startFailure ?? null;
    for (const id of from.openPermissions) this.open.add(id);
    for (const id of from.unansweredPromptIds) this.unanswered.add(id);
  }

  add(event: SessionEvent): void {
    this.headline = nextHeadline(this.headline, event);
    this.startFailure = nextStartFailure(this.startFailure, event);
    if (!isBookkeeping(event)) this.lastActivity = event.ts;
    switch (event.type) {
      case "userMessage":
        this.messageCount++;
        this.unanswered.add(event.data.promptId);
        break;
      case "streamComplete":
        this.lastResult = event.data;
        this.completedSinceActive = true;
        for (const id of event.data.promptIds) this.unanswered.delete(id);
        // Our own streamComplete of a cut turn says nothing about Claude's transcript.
        if (!isCutTurnSubtype(event.data.subtype)) this.transcript = true;
        break;
      case "claudeEvent":
        // system/init comes once Claude has taken the user message: a transcript exists from then on.
        if (event.data.claudeType === "system" && event.data.subtype === "init") this.transcript = true;
        break;
      case "permissionRequest":
        this.open.add(event.data.permissionId);
        break;
      case "permissionResolved":
        this.open.delete(event.data.permissionId);
        break;
      case "sessionUpdate":
        if (event.data.state === "active" && this.lastState !== "active") this.completedSinceActive = false;
        this.lastState = event.data.state;
        // Prompts dropped from the queue (interrupt, close) never get a turn.
        for (const id of event.data.droppedPromptIds ?? []) this.unanswered.delete(id);
        break;
    }
  }

  summary(): RestoreSummary {
    return {
      messageCount: this.messageCount,
      transcript: this.transcript,
      lastResult: this.lastResult,
      openPermissions: [...this.open],
      unansweredPromptIds: [...this.unanswered],
      completedSinceActive: this.completedSinceActive,
      ...(this.lastState !== undefined ? { lastState: this.lastState } : {}),
      ...(this.lastActivity !== undefined ? { lastActivity: this.lastActivity } : {}),
      ...(this.headline.title !== undefined ? { title: this.headline.title } : {}),
      ...(this.headline.lastMessage !== undefined ? { lastMessage: this.headline.lastMessage } : {}),
      ...(this.startFailure ? { startFailure: this.startFailure } : {}),
    };
  }
}

/** The restored state from a summary and the meta's times. */
export function restoredStateFrom(summary: RestoreSummary, meta: { createdAt: number; closed: boolean }): RestoredState {
  return {
    createdAt: meta.createdAt,
    lastActivity: summary.lastActivity ?? meta.createdAt,
    messageCount: summary.messageCount,
    lastResult: summary.lastResult as StreamComplete | null,
    headline: {
      ...(summary.title !== undefined ? { title: summary.title } : {}),
      ...(summary.lastMessage !== undefined ? { lastMessage: summary.lastMessage } : {}),
    },
    closed: meta.closed,
    transcript: summary.transcript,
    openPermissions: [...summary.openPermissions],
    lastState: summary.lastState,
    cutTurn: summary.lastState === "active" && !summary.completedSinceActive,
    unansweredPromptIds: [...summary.unansweredPromptIds],
    startFailure: summary.startFailure ?? null,
  };
}

export function restoredStateOf(records: readonly LogRecord[], meta: { createdAt: number; closed: boolean }): RestoredState {
  const scan = new RestoreScan();
  for (const { event } of records) scan.add(event);
  return restoredStateFrom(scan.summary(), meta);
}
