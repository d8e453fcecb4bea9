// Pictures shared into the installed app (Web Share Target): the service worker puts them here, the next composer opened takes them.
import { idbRequest } from "./idb.js";

const DB = "claude-companion-share";
const STORE = "inbox";
const KEY = "pending";
/** The form the manifest's share_target posts (multipart: `images` files, `title`, `text`, `url`). */
export const SHARE_PATH = "/share-target";
/** Shared items older than this are dropped rather than attached to a prompt out of the blue. */
const MAX_AGE_MS = 60 * 60 * 1000;

export interface SharedItems {
  files: File[];
  text: string;
  at: number;
}

const run = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>) => idbRequest(DB, STORE, mode, op);

/** The service worker's side: what one share posted. */
export async function saveShared(form: FormData): Promise<void> {
  const files = form.getAll("images").filter((f): f is File => typeof f !== "string" && f.type.startsWith("image/"));
  const text = ["title", "text", "url"]
    .map((k) => form.get(k))
    .filter((v): v is string => typeof v === "string" && v.trim() !== "")
    .join("\n");
  if (files.length === 0 && !text) return;
  await run("readwrite", (s) => s.put({ files, text, at: Date.now() } satisfies SharedItems, KEY));
}

async function read(remove: boolean): Promise<SharedItems | null> {
  if (typeof indexedDB === "undefined") return null;
  try {
    const v = (await run<unknown>("readonly", (s) => s.get(KEY))) as SharedItems | undefined;
    if (!v) return null;
    if (remove) await run("readwrite", (s) => s.delete(KEY));
    return Date.now() - v.at <= MAX_AGE_MS ? v : null;
  } catch {
    return null;
  }
}

/** The page's side: takes what is waiting (once). */
export const takeShared = (): Promise<SharedItems | null> => read(true);
/** Whether something waits, without taking it (the session list says so). */
export const peekShared = (): Promise<SharedItems | null> => read(false);
