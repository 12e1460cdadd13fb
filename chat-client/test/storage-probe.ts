/**
 * What the victim app left on the device: every storage the page's origin
 * can write, read from inside the page, and what the browser context itself
 * would save (cookies, localStorage, IndexedDB per origin).
 */
import type { BrowserContext, Page } from "playwright-core";

export interface DeviceStorage {
  localStorage: string[];
  sessionStorage: string[];
  indexedDB: string[];
  cacheStorage: string[];
  serviceWorkers: string[];
  /** Entries in the origin private file system. */
  fileSystem: string[];
  cookies: string;
}

export const NOTHING_STORED: DeviceStorage = {
  localStorage: [],
  sessionStorage: [],
  indexedDB: [],
  cacheStorage: [],
  serviceWorkers: [],
  fileSystem: [],
  cookies: "",
};

/** Names of everything stored, as the page's own origin sees it. */
export function storageInPage(page: Page): Promise<DeviceStorage> {
  return page.evaluate(async () => {
    const keys = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? "");
    const root = (await navigator.storage.getDirectory()) as unknown as { keys(): AsyncIterable<string> };
    const fileSystem: string[] = [];
    for await (const name of root.keys()) fileSystem.push(name);
    return {
      localStorage: keys(localStorage),
      sessionStorage: keys(sessionStorage),
      indexedDB: (await indexedDB.databases()).map((db) => db.name ?? ""),
      cacheStorage: await caches.keys(),
      serviceWorkers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
      fileSystem,
      cookies: document.cookie,
    };
  });
}

/** What the context's storage state holds per origin beyond its typed fields (Playwright adds these when asked). */
interface OriginExtras {
  indexedDB?: { name: string }[];
  opfs?: { path: string }[];
}

export interface ContextStorage {
  cookies: string[];
  /** Only origins that hold something. */
  origins: { origin: string; localStorage: string[]; indexedDB: string[]; fileSystem: string[] }[];
}

/** What the browser context would save: cookie names, and per origin the names in localStorage, IndexedDB and its file system. */
export async function storageInContext(context: BrowserContext): Promise<ContextStorage> {
  const state = await context.storageState({ indexedDB: true, opfs: true });
  const origins = state.origins
    .map((o) => {
      const extras = o as typeof o & OriginExtras;
      return {
        origin: o.origin,
        localStorage: o.localStorage.map((item) => item.name),
        indexedDB: (extras.indexedDB ?? []).map((db) => db.name),
        fileSystem: (extras.opfs ?? []).map((entry) => entry.path),
      };
    })
    .filter((o) => o.localStorage.length + o.indexedDB.length + o.fileSystem.length > 0);
  return { cookies: state.cookies.map((c) => c.name), origins };
}

/**
 * Everything the origin holds in localStorage, sessionStorage and IndexedDB as
 * one text (binary values decoded as UTF-8), to look for words that must
 * never be stored there.
 */
export function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) parts.push(storage.key(i) ?? "", storage.getItem(storage.key(i) ?? "") ?? "");
    }
    const decoder = new TextDecoder();
    const asText = (value: unknown) =>
      JSON.stringify(value, (_key, v: unknown) => (v instanceof ArrayBuffer ? decoder.decode(v) : ArrayBuffer.isView(v) ? decoder.decode(v) : v)) ?? "";
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        parts.push(await new Promise<string>((resolve, reject) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => resolve(asText(all.result));
          all.onerror = () => reject(all.error);
        }));
      }
      db.close();
    }
    return parts.join("\n");
  });
}
