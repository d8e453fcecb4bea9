// REST calls of the History tab: Claude Code sessions on the computer (terminal ones too) and a transcript's events.
import type { HistoryListResponse, HistorySession } from "../protocol/history.js";
import type { SessionEvent } from "../protocol/events.js";

export type { HistorySession };

async function get<T>(path: string, token: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: "application/json", Authorization: `Bearer ${token}` }, cache: "no-store", credentials: "omit" });
  const body = (await res.json().catch(() => null)) as { data?: { message?: string } } | null;
  if (!res.ok) throw new Error(body?.data?.message ?? `The computer answered ${res.status}.`);
  return body as T;
}

/** The rows seen last, by id (a transcript's screen takes its resume command from here). */
export const knownHistory = new Map<string, HistorySession>();

export async function fetchHistory(token: string, q: string, limit = 100): Promise<HistoryListResponse> {
  const query = new URLSearchParams({ limit: String(limit), ...(q.trim() ? { q: q.trim() } : {}) });
  const r = await get<HistoryListResponse>(`/api/history?${query}`, token);
  for (const s of r.sessions) knownHistory.set(s.sessionId, s);
  return r;
}

export interface HistoryEventsPage {
  sessionId: string;
  lastSeq: number;
  nextAfter: number;
  hasMore: boolean;
  live: boolean;
  events: SessionEvent[];
}

export function fetchHistoryEvents(token: string, id: string, after: number): Promise<HistoryEventsPage> {
  return get<HistoryEventsPage>(`/api/history/${encodeURIComponent(id)}/events?after=${after}&limit=1000`, token);
}
