// Unsent prompts kept per session on the phone (localStorage), so a reload or a dropped connection loses nothing.
const PREFIX = "cc.draft.";
/** Drafts kept at most; the oldest go first. */
const MAX_DRAFTS = 50;

interface Stored {
  text: string;
  at: number;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // private mode or blocked storage: drafts live only in memory
  }
}

export function loadDraft(sessionId: string): string {
  try {
    const raw = storage()?.getItem(PREFIX + sessionId);
    const v = raw ? (JSON.parse(raw) as Stored) : null;
    return typeof v?.text === "string" ? v.text : "";
  } catch {
    return "";
  }
}

/** An empty text removes the draft. */
export function saveDraft(sessionId: string, text: string): void {
  const s = storage();
  if (!s) return;
  try {
    if (text === "") return s.removeItem(PREFIX + sessionId);
    s.setItem(PREFIX + sessionId, JSON.stringify({ text, at: Date.now() } satisfies Stored));
    prune(s);
  } catch {
    // quota exceeded: the draft stays in the text box
  }
}

function prune(s: Storage): void {
  const keys: { key: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      keys.push({ key, at: (JSON.parse(s.getItem(key) ?? "{}") as Stored).at ?? 0 });
    } catch {
      keys.push({ key, at: 0 });
    }
  }
  if (keys.length <= MAX_DRAFTS) return;
  keys.sort((a, b) => a.at - b.at);
  for (const k of keys.slice(0, keys.length - MAX_DRAFTS)) s.removeItem(k.key);
}
