// The device token in IndexedDB, where the service worker can read it to answer from a notification. No other state.
import { idbRequest } from "./idb.js";

const DB = "claude-companion";
const STORE = "kv";
const KEY = "deviceToken";

const run = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>) => idbRequest(DB, STORE, mode, op);

export const saveWorkerToken = (token: string) => run("readwrite", (s) => s.put(token, KEY)).then(() => undefined);
export const loadWorkerToken = () => run<unknown>("readonly", (s) => s.get(KEY)).then((v) => (typeof v === "string" ? v : null));
export const clearWorkerToken = () => run("readwrite", (s) => s.delete(KEY)).then(() => undefined);
