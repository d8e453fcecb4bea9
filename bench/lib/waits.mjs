// What the running benchmark row is waiting for: every bounded wait registers here, so a row past its time bound says what it was stuck on.

const waits = new Set();

/** Marks `promise` as something the running row waits for until it settles; returns it. `label`: text, or a function giving it. */
export function waitingFor(label, promise) {
  const wait = { label, since: performance.now() };
  waits.add(wait);
  const done = () => waits.delete(wait);
  promise.then(done, done);
  return promise;
}

/** The waits not settled yet, oldest first, each as "label (for 12.3 s)". */
export function pendingWaits() {
  const now = performance.now();
  return [...waits].sort((a, b) => a.since - b.since).map((w) => `${typeof w.label === "function" ? w.label() : w.label} (for ${((now - w.since) / 1000).toFixed(1)} s)`);
}

/** Forgets every wait (a row that overran its bound leaves its waits behind). */
export function clearWaits() {
  waits.clear();
}
