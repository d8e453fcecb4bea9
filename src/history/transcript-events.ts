// Maps transcript records to the session events the live stream uses (deduped by uuid). Pure.
import type { NewSessionEvent } from "../protocol/events.js";
import { blocksOf, isMainLine, promptOf, timeOf, type TranscriptRecord } from "./transcript.js";

/** Tool result text is cut like the live stream's (64 KiB). */
const TOOL_RESULT_MAX_CHARS = 64 * 1024;

export interface MappedEvent {
  event: NewSessionEvent;
  /** ms since epoch from the record's timestamp (0 when it has none). */
  ts: number;
}

function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  return blocksOf(content)
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text as string)
    .join("\n");
}

const cut = (text: string): string =>
  text.length <= TOOL_RESULT_MAX_CHARS ? text : `${text.slice(0, TOOL_RESULT_MAX_CHARS)}… [truncated ${text.length - TOOL_RESULT_MAX_CHARS} characters]`;

/**
 * A stateful mapper for one transcript: `map(record)` returns the events of that record, none for a
 * uuid already seen (the CLI can write a record twice), for bookkeeping and for injected text.
 */
export function createTranscriptMapper(): { map(record: TranscriptRecord): MappedEvent[] } {
  const seen = new Set<string>();
  return {
    map(r) {
      if (r.uuid !== undefined) {
        if (seen.has(r.uuid)) return [];
        seen.add(r.uuid);
      }
      const ts = timeOf(r) ?? 0;
      const out: MappedEvent[] = [];
      const push = (event: NewSessionEvent) => out.push({ event, ts });
      if (r.type === "user") {
        const prompt = promptOf(r);
        if (prompt) {
          push({ type: "userMessage", data: { promptId: r.promptId ?? r.uuid ?? "", text: prompt.text, images: prompt.images } });
          return out;
        }
        if (!isMainLine(r)) return out;
        for (const b of blocksOf(r.message?.content)) {
          if (b.type !== "tool_result" || typeof b.tool_use_id !== "string") continue;
          push({
            type: "streamToolUse",
            data: {
              phase: "result",
              toolUseId: b.tool_use_id,
              isError: b.is_error === true,
              content: cut(resultText(b.content)),
              ...(r.toolUseResult !== undefined ? { structured: r.toolUseResult } : {}),
            },
          });
        }
        return out;
      }
      if (r.type === "assistant" && isMainLine(r)) {
        const blocks = blocksOf(r.message?.content);
        const shown = blocks.filter((b) => b.type === "text" || b.type === "thinking");
        if (shown.length > 0) {
          const text = shown.filter((b) => b.type === "text").map((b) => b.text ?? "").join("");
          const messageId = r.message?.id;
          push({ type: "streamData", data: { kind: "message", text, content: shown, ...(messageId ? { messageId } : {}) } });
        }
        for (const b of blocks) {
          if (b.type === "tool_use" && typeof b.id === "string" && typeof b.name === "string") {
            push({ type: "streamToolUse", data: { phase: "use", toolUseId: b.id, name: b.name, input: b.input ?? {} } });
          }
        }
        return out;
      }
      // A compaction boundary is shown as Claude's own event; the summary user record after it is not a prompt.
      if (r.type === "system" && r.subtype === "compact_boundary" && isMainLine(r)) {
        push({ type: "claudeEvent", data: { claudeType: "system", subtype: "compact_boundary", raw: { content: r.content ?? null } } });
      }
      return out;
    },
  };
}
