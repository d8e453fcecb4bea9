// One request on a one-store IndexedDB database (opened, used, closed): the device token, the share inbox, the pictures of drafts.
export function idbRequest<T>(db: string, store: string, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(db, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(store);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB unavailable"));
  }).then(
    (handle) =>
      new Promise<T>((resolve, reject) => {
        const req = op(handle.transaction(store, mode).objectStore(store));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
      }).finally(() => handle.close()),
  );
}
