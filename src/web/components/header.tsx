// The top bar: back button, title (and a state such as "waiting for you"), actions, and the connection state pill.
import type { ComponentChildren } from "preact";
import type { ConnState } from "../reducer.js";

const LABELS: Record<ConnState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

export function ConnectionPill({ state }: { state: ConnState }) {
  return (
    <span class={`pill pill-${state}`} role="status" aria-live="polite" data-conn={state}>
      <span class="dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}

export function Header(props: { title: string; subtitle?: string; status?: string; back?: () => void; backLabel?: string; conn?: ConnState; children?: ComponentChildren }) {
  return (
    <header class={`bar${props.children ? " compact" : ""}`}>
      {props.back && (
        <button type="button" class="icon-btn" aria-label={props.backLabel ?? "Back to sessions"} onClick={props.back}>
          ‹
        </button>
      )}
      <div class="bar-title">
        <h1>{props.title}</h1>
        {props.status && <p class="bar-state" data-bar-state={props.status}>{props.status}</p>}
        {props.subtitle && <p class="muted mono ellipsis">{props.subtitle}</p>}
      </div>
      {props.children}
      {props.conn && <ConnectionPill state={props.conn} />}
    </header>
  );
}
