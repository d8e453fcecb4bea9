// REST calls the page makes: pairing and unpairing, the session list as a fallback, and a token probe. Same origin only.
import type { ErrorBody } from "../protocol/common.js";
import type { ChangesResponse, DiffResponse, FileResponse } from "../protocol/changes.js";
import type { DirectoryListResponse } from "../protocol/directories.js";
import type { GrantRevokeResponse } from "../protocol/grants.js";
import type { PairResponse } from "../protocol/pairing.js";
import type { ProcessStopResponse, SessionProcessesResponse } from "../protocol/rest.js";
import type { SessionInfo } from "../protocol/sessions.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, cache: "no-store", credentials: "omit" });
  } catch {
    throw new ApiError(0, "NETWORK", "The computer cannot be reached. Check that the phone is on the same Wi-Fi and the daemon runs.");
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (body as ErrorBody | null)?.data;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `The computer answered ${res.status}.`);
  }
  return body as T;
}

/** Exchanges a one-time pairing token for this phone's own device token. */
export function pairDevice(pairingToken: string, deviceName: string): Promise<PairResponse> {
  return call<PairResponse>("/api/pair", { method: "POST", body: JSON.stringify({ pairingToken, deviceName }) });
}

export async function fetchSessions(token: string): Promise<SessionInfo[]> {
  return (await call<{ sessions: SessionInfo[] }>("/api/sessions", { token })).sessions;
}

/** false only when the daemon answers 401: the token was revoked or never valid. */
export async function tokenWorks(token: string): Promise<boolean> {
  try {
    await call("/api/info", { token });
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
}

/** Revokes this phone's own device token on the computer (DELETE /api/devices/self). */
export async function unpairSelf(token: string): Promise<void> {
  await call("/api/devices/self", { method: "DELETE", token });
}

/** The directory picker's listing: the roots without `path`, else the subdirectories of `path`. */
export function listDirectories(token: string, path?: string): Promise<DirectoryListResponse> {
  return call<DirectoryListResponse>(`/api/directories${path ? `?path=${encodeURIComponent(path)}` : ""}`, { token });
}

/** What the session's tools left running (its Claude excluded). */
export function listSessionProcesses(token: string, sessionId: string): Promise<SessionProcessesResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/processes`, { token });
}

/** Stops one of them (and what runs below it); the daemon refuses a pid outside the session's tree. */
export function stopSessionProcess(token: string, sessionId: string, pid: number): Promise<ProcessStopResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/processes/${pid}`, { method: "DELETE", token });
}

/** Revokes one of the session's "Always allow" grants (DELETE /api/sessions/:id/grants/:grantId). */
export function revokeSessionGrant(token: string, sessionId: string, grantId: string): Promise<GrantRevokeResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/grants/${encodeURIComponent(grantId)}`, { method: "DELETE", token });
}

/** The Changes view: the session's changed files (git status, else what its tools wrote). */
export function fetchChanges(token: string, sessionId: string): Promise<ChangesResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/changes`, { token });
}

/** One changed file's unified diff (`path` as fetchChanges listed it). */
export function fetchDiff(token: string, sessionId: string, path: string): Promise<DiffResponse> {
  return call(`/api/sessions/${encodeURIComponent(sessionId)}/diff?path=${encodeURIComponent(path)}`, { token });
}

/** A file inside the allowed roots, read-only (absolute path). */
export function fetchFile(token: string, path: string): Promise<FileResponse> {
  return call(`/api/files?path=${encodeURIComponent(path)}`, { token });
}
