// The pictures of an unsent prompt, per session, in IndexedDB (too large for localStorage), so a reload keeps them too.
import type { AttachedImage } from "./image-limits.js";
import { idbRequest } from "./idb.js";

const DB = "claude-companion-drafts";
const STORE = "images";

const available = () => typeof indexedDB !== "undefined";

export async function loadDraftImages(sessionId: string): Promise<AttachedImage[]> {
  if (!available()) return [];
  try {
    const v = await idbRequest<unknown>(DB, STORE, "readonly", (s) => s.get(sessionId));
    return Array.isArray(v) ? (v as AttachedImage[]) : [];
  } catch {
    return [];
  }
}

/** No pictures removes the entry. A failure (storage full, private mode) leaves them in the page only. */
export async function saveDraftImages(sessionId: string, images: readonly AttachedImage[]): Promise<void> {
  if (!available()) return;
  try {
    if (images.length === 0) await idbRequest(DB, STORE, "readwrite", (s) => s.delete(sessionId));
    else await idbRequest(DB, STORE, "readwrite", (s) => s.put([...images], sessionId));
  } catch {
    // the pictures stay attached in this page
  }
}
