// The Notifications part of the session list: turn Web Push on or off, or say why this origin cannot have it (and offer ntfy).
import { useEffect, useState } from "preact/hooks";
import { disablePush, enablePush, pushEnabled, pushSupport } from "../push.js";

export function NotifySettings({ token }: { token: string }) {
  const support = pushSupport();
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void pushEnabled().then(setOn, () => setOn(false));
  }, []);
  if (!support.available) {
    return (
      <section class="notify-settings" aria-label="Notifications">
        <h2>Notifications</h2>
        <p class="muted">{support.reason}</p>
      </section>
    );
  }
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (on) await disablePush(token);
      else await enablePush(token);
      setOn(!on);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Notifications could not be turned on.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="notify-settings" aria-label="Notifications">
      <h2>Notifications</h2>
      <p class="muted">{on ? "This phone gets approvals and finished turns with Allow and Deny." : "Get approvals and finished turns on this phone, with Allow and Deny."}</p>
      <button type="button" class="text-btn" disabled={busy || on === null} onClick={() => void toggle()}>
        {on ? "Turn off notifications" : "Turn on notifications"}
      </button>
      {error && <p class="error-text">{error}</p>}
    </section>
  );
}
