// One REST read for a screen: loads when its key changes, keeps the last good value, and can be refreshed.
import { useEffect, useState } from "preact/hooks";
import { getState } from "../store.js";

export interface Fetched<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Calls `load(token)` whenever `key` changes (or reload() is called); the error is the daemon's message. */
export function useFetched<T>(key: string, load: (token: string) => Promise<T>): Fetched<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null; loading: boolean }>({ key, data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const token = getState().token;
    if (!token) return;
    let live = true;
    setState((s) => ({ key, data: s.key === key ? s.data : null, error: null, loading: true }));
    load(token).then(
      (data) => live && setState({ key, data, error: null, loading: false }),
      (e: unknown) => live && setState((s) => ({ ...s, error: e instanceof Error ? e.message : "The computer could not answer.", loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const current = state.key === key ? state : { data: null, error: null, loading: true };
  return { ...current, reload: () => setTick((n) => n + 1) };
}
