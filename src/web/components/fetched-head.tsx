// The head of a screen that shows one REST read (Changes, diff, file): its summary or "Loading…", an action, the read's error.
import type { ComponentChildren } from "preact";
import type { Fetched } from "./use-fetched.js";

/** The read's error as the alert line under a screen's head; nothing without one. */
export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p class="error-line" role="alert">
      {error}
    </p>
  ) : null;
}

/** `summary` once `r` has data, "Loading…" until then (nothing once it failed); `action` beside it; the error line below. */
export function FetchedHead<T>({ r, summary, action }: { r: Fetched<T>; summary: (data: T) => ComponentChildren; action?: ComponentChildren }) {
  return (
    <>
      <div class="changes-head">
        <p class="muted small">{r.data ? summary(r.data) : !r.error && "Loading…"}</p>
        {action}
      </div>
      <ErrorLine error={r.error} />
    </>
  );
}
