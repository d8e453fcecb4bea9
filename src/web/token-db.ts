// The device token in IndexedDB, where the service worker can read it to answer from a notification. No other state.
const DB = "claude-companion";
const STORE = "kv";
const KEY = "deviceToken";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB unavailable"));
  });
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
    });
  } finally {
    db.close();
  }
}

export const saveWorkerToken = (token: string) => run("readwrite", (s) => s.put(token, KEY)).then(() => undefined);
export const loadWorkerToken = () => run<unknown>("readonly", (s) => s.get(KEY)).then((v) => (typeof v === "string" ? v : null));
export const clearWorkerToken = () => run("readwrite", (s) => s.delete(KEY)).then(() => undefined);
