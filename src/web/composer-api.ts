// The composer's REST calls: a session's slash commands, file names for `@`, and prompts with pictures (too big for a WS frame).
import type { FileSearchResponse, SessionCommandsResponse } from "../protocol/composer.js";
import type { PromptImage } from "../protocol/requests.js";
import { call } from "./api.js";

export function fetchCommands(token: string, sessionId: string): Promise<SessionCommandsResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/commands`, { token });
}

export function searchFiles(token: string, dir: string, q: string, limit = 20): Promise<FileSearchResponse> {
  const query = new URLSearchParams({ dir, q, limit: String(limit) });
  return call(`/api/files/search?${query}`, { token });
}

/** POST /api/stream/:id: a WebSocket frame is at most 1 MiB, a REST body 12 MiB. */
export function sendWithImages(token: string, sessionId: string, prompt: string, images: PromptImage[]): Promise<{ promptId: string; queuePosition: number }> {
  return call(`/api/stream/${encodeURIComponent(sessionId)}`, { method: "POST", token, body: JSON.stringify({ prompt, images }) });
}
