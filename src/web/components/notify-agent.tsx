// In-page alerts and presence: reports visibility to the daemon, banners another session's approval, title/badge count, vibration.
import { useEffect, useRef, useState } from "preact/hooks";
import { reportPresence } from "../commands.js";
import { baseName } from "../format.js";
import { navigate } from "../navigate.js";
import type { AppState } from "../reducer.js";
import { useAppState } from "../store.js";
import { waitingForYou } from "../transcript.js";

const TITLE = "Claude Companion";

/** Sessions with approvals waiting: the open view knows best, the session list covers the others. */
export function waitingSessions(s: AppState): { sessionId: string; title: string; count: number }[] {
  const out: { sessionId: string; title: string; count: number }[] = [];
  for (const info of Object.values(s.sessions)) {
    const view = s.views[info.sessionId];
    const count = view ? (waitingForYou(view) ? Math.max(1, info.pendingPermissions.length) : 0) : info.pendingPermissions.length;
    if (count > 0) out.push({ sessionId: info.sessionId, title: info.title ?? baseName(info.workingDirectory), count });
  }
  return out;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", on);
    window.addEventListener("pagehide", on);
    return () => {
      document.removeEventListener("visibilitychange", on);
      window.removeEventListener("pagehide", on);
    };
  }, []);
  return visible;
}

export function NotifyAgent() {
  const s = useAppState();
  const visible = usePageVisible();
  const current = s.route.name === "session" ? s.route.id : undefined;
  const paired = Boolean(s.token);

  useEffect(() => {
    if (paired) reportPresence(visible && current ? { visible: true, sessionId: current } : { visible });
  }, [paired, visible, current]);

  const waiting = paired ? waitingSessions(s) : [];
  const total = waiting.reduce((n, w) => n + w.count, 0);
  const before = useRef(0);
  useEffect(() => {
    document.title = total > 0 ? `(${total}) ${TITLE}` : TITLE;
    const nav = navigator as Navigator & { setAppBadge?(n: number): Promise<void>; clearAppBadge?(): Promise<void> };
    void (total > 0 ? nav.setAppBadge?.(total) : nav.clearAppBadge?.())?.catch(() => undefined);
    if (total > before.current && visible) navigator.vibrate?.([120, 60, 120]);
    before.current = total;
  }, [total, visible]);

  const other = waiting.find((w) => w.sessionId !== current);
  if (!other) return null;
  return (
    <div aria-live="polite">
      <button type="button" class="approval-banner" onClick={() => navigate({ name: "session", id: other.sessionId })}>
        <strong>{other.title}</strong> waits for your approval{other.count > 1 ? ` (${other.count})` : ""}. Tap to open.
      </button>
    </div>
  );
}
