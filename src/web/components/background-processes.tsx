// What a session's tools left running (dev servers, watchers, background jobs), refreshed while shown, each with a stop button.
import { useEffect, useState } from "preact/hooks";
import type { SessionProcess } from "../../protocol/sessions.js";
import { listSessionProcesses, stopSessionProcess } from "../api.js";
import { getState } from "../store.js";

const REFRESH_MS = 5000;

export function BackgroundProcesses({ sessionId, online }: { sessionId: string; online: boolean }) {
  const [processes, setProcesses] = useState<SessionProcess[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stopping, setStopping] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const token = getState().token;
    if (!token || !online) return;
    let live = true;
    listSessionProcesses(token, sessionId).then(
      (r) => {
        if (!live) return;
        setProcesses(r.processes);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : "The processes could not be listed."),
    );
    const timer = setTimeout(() => live && setTick((n) => n + 1), REFRESH_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sessionId, online, tick]);

  const stop = async (pid: number) => {
    const token = getState().token;
    if (!token) return;
    setStopping(pid);
    try {
      await stopSessionProcess(token, sessionId, pid);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The process could not be stopped.");
    } finally {
      setStopping(null);
      setTick((n) => n + 1);
    }
  };

  return (
    <div aria-label="Background processes" data-processes={processes?.length ?? ""}>
      <strong class="small">Running in the background</strong>
      {processes === null && !error && <p class="muted small">Loading…</p>}
      {processes?.length === 0 && <p class="muted small">Nothing: no tool left a process running.</p>}
      {error && (
        <p class="error-line" role="alert">
          {error}
        </p>
      )}
      <ul class="small proc-list">
        {processes?.map((p) => (
          <li key={p.pid} class="row" data-pid={p.pid}>
            <span class="mono ellipsis" title={p.command}>
              {p.command || `pid ${p.pid}`}
            </span>
            <span class="muted">
              {Math.round(p.cpu)} % · {Math.round(p.rssBytes / 1048576)} MB
            </span>
            <button type="button" class="btn" disabled={!online || stopping === p.pid} onClick={() => void stop(p.pid)} aria-label={`Stop ${p.command || p.pid}`}>
              {stopping === p.pid ? "Stopping…" : "Stop"}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
