// Pure mapping of the stream part of Claude's events to session events; turn, permission and result handling live in session.ts.
import type { ClaudeEvent } from "../claude/types.js";
import type { NewSessionEvent } from "../protocol/events.js";

/** ClaudeEvent kinds that map one to one; the others need session state. */
export type StreamClaudeEvent = Extract<ClaudeEvent, { kind: "textDelta" | "assistant" | "toolUse" | "toolResult" | "init" | "other" | "warning" }>;

export function isStreamClaudeEvent(event: ClaudeEvent): event is StreamClaudeEvent {
  switch (event.kind) {
    case "textDelta":
    case "assistant":
    case "toolUse":
    case "toolResult":
    case "init":
    case "other":
    case "warning":
      return true;
    default:
      return false;
  }
}

/** One session event for a stream event; optional fields are only set when Claude sent them. */
export function mapStreamEvent(event: StreamClaudeEvent): NewSessionEvent {
  switch (event.kind) {
    case "textDelta": {
      // The hot path (one per token): plain assignments, no spread.
      const data: { kind: "delta"; text: string; messageId?: string; index?: number } = { kind: "delta", text: event.text };
      if (event.messageId !== undefined) data.messageId = event.messageId;
      if (event.index !== undefined) data.index = event.index;
      return { type: "streamData", data };
    }
    case "assistant":
      return {
        type: "streamData",
        data: {
          kind: "message",
          text: event.text,
          content: event.content,
          ...opt("messageId", event.messageId),
          ...opt("aborted", event.aborted),
          ...opt("parentToolUseId", event.parentToolUseId),
        },
      };
    case "toolUse":
      return {
        type: "streamToolUse",
        data: { phase: "use", toolUseId: event.toolUseId, name: event.name, input: event.input, ...opt("parentToolUseId", event.parentToolUseId) },
      };
    case "toolResult":
      return {
        type: "streamToolUse",
        data: {
          phase: "result",
          toolUseId: event.toolUseId,
          isError: event.isError,
          // Already cut to 64 KiB by claude/ (toolResultText), the one home of that rule.
          content: event.content,
          ...opt("structured", event.structured),
          ...opt("parentToolUseId", event.parentToolUseId),
        },
      };
    case "init":
      return { type: "claudeEvent", data: { claudeType: "system", subtype: "init", raw: event.raw } };
    case "other":
      return { type: "claudeEvent", data: { claudeType: event.claudeType, raw: event.raw, ...opt("subtype", event.subtype) } };
    case "warning":
      return { type: "warning", data: { message: event.message, line: event.line } };
  }
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
