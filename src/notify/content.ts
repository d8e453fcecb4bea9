// What a notification says, at the channel's content level: pure functions from session events to Notification.
import type { ContentLevel, Notification, SessionEventData } from "../protocol/index.js";

type PermissionData = SessionEventData<"permissionRequest">;

const MAX_LINE = 160;
const oneLine = (text: string, max = MAX_LINE) => {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? "";
  const t = first.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** The one-line summary of a tool request: the Bash command, the file path, the URL, the pattern. */
export function toolSummary(data: PermissionData): string {
  const input = (data.input ?? {}) as Record<string, unknown>;
  const detail =
    str(input.command) ?? str(input.file_path) ?? str(input.notebook_path) ?? str(input.path) ?? str(input.url) ?? str(input.pattern) ?? str(input.query) ?? data.description;
  return detail ? oneLine(detail) : "";
}

export interface SessionLabel {
  /** The session title or project (the working directory's name). */
  title: string;
}

/** Tag of a permission's notification: a later one with the same tag replaces it. */
export const permissionTag = (permissionId: string) => `perm-${permissionId}`;

export function permissionNotification(
  sessionId: string,
  label: SessionLabel,
  data: PermissionData,
  level: ContentLevel,
  links: { url: string; allow?: string; deny?: string },
  ts: number,
): Notification {
  const base = { tag: permissionTag(data.permissionId), sessionId, url: links.url, permissionId: data.permissionId, ts, kind: "permission" as const };
  if (data.kind === "question") {
    return { ...base, title: `${label.title}: Claude has a question`, body: level === "full" ? questionText(data) : "Open the app to answer.", actions: [] };
  }
  if (data.kind === "plan") {
    return { ...base, title: `${label.title}: Claude proposes a plan`, body: "Open the app to review it.", actions: [] };
  }
  const summary = level === "full" ? toolSummary(data) : "";
  const actions =
    links.allow && links.deny
      ? [
          { action: "allow" as const, label: "Allow", url: links.allow },
          { action: "deny" as const, label: "Deny", url: links.deny },
        ]
      : [];
  return { ...base, title: `${label.title}: allow ${data.toolName}?`, body: summary || `Claude asks to use ${data.toolName}.`, actions };
}

function questionText(data: PermissionData): string {
  const qs = ((data.input ?? {}) as { questions?: { question?: unknown }[] }).questions;
  return oneLine(str(qs?.[0]?.question) ?? "Open the app to answer.");
}

/** Replaces a permission's notification once it is resolved: no buttons left. */
export function resolvedNotification(
  sessionId: string,
  label: SessionLabel,
  data: SessionEventData<"permissionResolved">,
  url: string,
  ts: number,
): Notification {
  const how =
    data.by === "timeout" ? "timed out (denied)" : data.by === "cancelled" ? "withdrawn by Claude" : data.by === "shutdown" ? "closed" : data.decision === "deny" ? "denied" : "allowed";
  return {
    kind: "permission",
    tag: permissionTag(data.permissionId),
    sessionId,
    title: `${label.title}: ${how}`,
    body: data.client ? `Answered by ${data.client}.` : "No answer needed any more.",
    url,
    permissionId: data.permissionId,
    actions: [],
    withdrawn: true,
    ts,
  };
}

export function doneNotification(sessionId: string, label: SessionLabel, data: SessionEventData<"streamComplete">, level: ContentLevel, url: string, ts: number): Notification {
  const secs = data.durationMs !== undefined ? ` in ${Math.max(1, Math.round(data.durationMs / 1000))} s` : "";
  const first = level === "full" ? oneLine(data.result) : "";
  return {
    kind: "done",
    tag: `done-${sessionId}`,
    sessionId,
    title: `${label.title}: ${data.isError ? "turn failed" : "done"}${secs}`,
    body: first || (data.isError ? "The turn ended with an error." : "Claude finished."),
    url,
    actions: [],
    ts,
  };
}

/** A CPU runaway (`warning` event, kind "cpu"): the busiest process's command only at the `full` level. */
export function warningNotification(sessionId: string, label: SessionLabel, data: SessionEventData<"warning">, level: ContentLevel, url: string, ts: number): Notification {
  const top = data.process;
  const busiest = top ? `Busiest: pid ${top.pid} at ${top.cpu}% CPU: ${oneLine(top.command, 100)}` : oneLine(data.message);
  return {
    kind: "warning",
    tag: `warning-${sessionId}`,
    sessionId,
    title: `${label.title}: CPU over the limit`,
    body: level === "full" ? busiest : "The session's processes stayed over the CPU limit. Open the app to stop them.",
    url,
    actions: [],
    ts,
  };
}

export function errorNotification(sessionId: string, label: SessionLabel, data: SessionEventData<"sessionError">, level: ContentLevel, url: string, ts: number): Notification {
  return {
    kind: "error",
    tag: `error-${sessionId}`,
    sessionId,
    title: `${label.title}: ${data.code}`,
    body: level === "full" ? oneLine(data.message) : "The session failed. Open the app for details.",
    url,
    actions: [],
    ts,
  };
}

/**
 * The session became unable to start (a sessionUpdate whose cannotStart has attempts 2: sent once per run of failures). Same tag
 * as the `error` of the failure just before it, which it replaces on Web Push. Claude's reason only at the `full` level.
 */
export function cannotStartNotification(
  sessionId: string,
  label: SessionLabel,
  data: NonNullable<SessionEventData<"sessionUpdate">["cannotStart"]>,
  level: ContentLevel,
  url: string,
  ts: number,
): Notification {
  return {
    kind: "error",
    tag: `error-${sessionId}`,
    sessionId,
    title: `${label.title}: Claude Code cannot start`,
    body: level === "full" ? oneLine(data.reason) : "It failed the same way twice. Open the app for the reason and what to do.",
    url,
    actions: [],
    ts,
  };
}
