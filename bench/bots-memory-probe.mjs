// Loaded with `--import` (and `--expose-gc`) before the bots service's bundle by
// bench/bots-process.ts: on a "memory" message over the IPC channel, answers with
// the process's memory after a full garbage collection, and the size of what
// its in-memory IndexedDB (fake-indexeddb: the bots' Rust crypto stores) holds.
import { serialize } from "node:v8";

async function indexedDbSizes() {
  const factory = globalThis.indexedDB;
  if (!factory) return [];
  const sizes = [];
  for (const { name } of await factory.databases()) {
    const db = await new Promise((resolve, reject) => {
      const open = factory.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      for (const store of Array.from({ length: db.objectStoreNames.length }, (_, i) => db.objectStoreNames.item(i))) {
        const values = await new Promise((resolve, reject) => {
          const request = db.transaction(store, "readonly").objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (values.length > 0) sizes.push({ db: name, store, records: values.length, bytes: values.reduce((n, v) => n + serialize(v).length, 0) });
      }
    } finally {
      db.close();
    }
  }
  return sizes;
}

process.on("message", (message) => {
  if (message?.type !== "memory") return;
  void indexedDbSizes().then((indexedDb) => {
    globalThis.gc?.();
    process.send({ type: "memory", id: message.id, collected: typeof globalThis.gc === "function", usage: process.memoryUsage(), indexedDb });
  }, (error) => process.send({ type: "memory", id: message.id, error: String(error) }));
});
