/**
 * Records what transactions on fake-indexeddb databases commit, so that a
 * mirror (persistent-indexeddb.ts) can keep a copy on disk. fake-indexeddb's
 * prototypes are patched once per process, whatever number of module copies
 * or mirrors there are; each mirror registers a sink for a database-name prefix.
 *
 * Requests are logged in order as their methods are called, and handed over
 * only when their transaction fires `complete`, so an aborted transaction
 * leaves nothing behind. Keys of put/add come from the request's result at
 * that point (generated keys included); values are serialized at call time,
 * when IndexedDB takes its own copy of them.
 */
import { serialize } from "node:v8";
import { IDBCursor, IDBDatabase, IDBFactory, IDBIndex, IDBKeyRange, IDBObjectStore } from "fake-indexeddb";

export type KeyPath = string | string[] | null;

export interface IndexSchema {
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}

/** One committed change, in the order the transaction made it. */
export type IdbChange =
  | { op: "put"; store: string; key: IDBValidKey; value: Buffer }
  | { op: "delete"; store: string; key: IDBValidKey }
  | { op: "clear"; store: string }
  | { op: "createStore"; store: string; keyPath: KeyPath; autoIncrement: boolean }
  | { op: "deleteStore"; store: string }
  | { op: "renameStore"; store: string; to: string }
  | { op: "createIndex"; store: string; index: string; schema: IndexSchema }
  | { op: "deleteIndex"; store: string; index: string }
  | { op: "renameIndex"; store: string; index: string; to: string }
  | { op: "version"; version: number };

export interface CommitSink {
  /** A transaction on database `db` committed `changes`. */
  committed(db: string, changes: IdbChange[]): void;
  /** Database `db` was deleted. */
  deleted(db: string): void;
}

/** A logged request: tells, once its transaction has committed, what it changed. */
type Logged = () => IdbChange[];

interface Recorder {
  sinks: Map<string, CommitSink>;
  logs: WeakMap<IDBTransaction, Logged[]>;
  upgrades: WeakMap<IDBDatabase, IDBTransaction>;
}

const RECORDER = Symbol.for("onsafe.idb-recorder");

/** Sends committed changes of databases whose names start with `prefix` to `sink`. */
export function recordCommits(prefix: string, sink: CommitSink): void {
  const { sinks } = recorder();
  if (sinks.has(prefix) && sinks.get(prefix) !== sink) throw new Error(`IndexedDB prefix ${prefix} is already recorded`);
  sinks.set(prefix, sink);
}

export function stopRecording(prefix: string, sink: CommitSink): void {
  const { sinks } = recorder();
  if (sinks.get(prefix) === sink) sinks.delete(prefix);
}

/** The longest registered prefix of `db` wins. */
function sinkFor(db: string): CommitSink | undefined {
  let best: [string, CommitSink] | undefined;
  for (const entry of recorder().sinks) {
    if (db.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

function recorder(): Recorder {
  const holder = IDBDatabase.prototype as unknown as { [RECORDER]?: Recorder };
  return (holder[RECORDER] ??= install());
}

function install(): Recorder {
  const state: Recorder = { sinks: new Map(), logs: new WeakMap(), upgrades: new WeakMap() };
  const log = (tx: IDBTransaction, entry: Logged) => state.logs.get(tx)?.push(entry);
  // fake-indexeddb leaves `error` undefined (not null) after a success.
  const succeeded = (request: IDBRequest) => !request.error;

  const db = IDBDatabase.prototype;
  const { transaction, createObjectStore, deleteObjectStore } = db;
  db.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase["transaction"]>) {
    const tx = transaction.apply(this, args);
    if (!sinkFor(this.name)) return tx;
    const entries: Logged[] = [];
    state.logs.set(tx, entries);
    if (tx.mode === "versionchange") state.upgrades.set(this, tx);
    tx.addEventListener("complete", () => {
      const changes = entries.flatMap((entry) => entry());
      if (tx.mode === "versionchange") changes.push({ op: "version", version: this.version });
      if (changes.length > 0) sinkFor(this.name)?.committed(this.name, changes);
    });
    return tx;
  };
  db.createObjectStore = function (this: IDBDatabase, ...args: Parameters<IDBDatabase["createObjectStore"]>) {
    const store = createObjectStore.apply(this, args);
    const { name, keyPath, autoIncrement } = store;
    log(store.transaction, () => [{ op: "createStore", store: name, keyPath, autoIncrement }]);
    return store;
  };
  db.deleteObjectStore = function (this: IDBDatabase, name: string) {
    deleteObjectStore.call(this, name);
    const tx = state.upgrades.get(this);
    if (tx) log(tx, () => [{ op: "deleteStore", store: name }]);
  };

  const store = IDBObjectStore.prototype;
  const { put, add, delete: remove, clear, createIndex, deleteIndex } = store;
  for (const [method, original] of [["put", put], ["add", add]] as const) {
    store[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["put"]>) {
      const request = original.apply(this, args);
      const tx = this.transaction;
      if (!state.logs.has(tx)) return request;
      const name = this.name;
      const value = serializeOrAbort(tx, args[0]);
      log(tx, () => succeeded(request) ? [{ op: "put", store: name, key: request.result, value }] : []);
      return request;
    };
  }
  store.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
    const tx = this.transaction;
    // Asked just before the delete, in the same transaction: exactly the keys it removes.
    const removed = state.logs.has(tx) && query instanceof IDBKeyRange ? this.getAllKeys(query) : undefined;
    const request = remove.call(this, query);
    const name = this.name;
    log(tx, () => {
      if (!succeeded(request)) return [];
      const keys = removed ? removed.result : [query as IDBValidKey];
      return keys.map((key) => ({ op: "delete", store: name, key }));
    });
    return request;
  };
  store.clear = function (this: IDBObjectStore) {
    const request = clear.call(this);
    const name = this.name;
    log(this.transaction, () => succeeded(request) ? [{ op: "clear", store: name }] : []);
    return request;
  };
  store.createIndex = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["createIndex"]>) {
    const index = createIndex.apply(this, args);
    const { name, keyPath, unique, multiEntry } = index;
    const storeName = this.name;
    log(this.transaction, () => [{ op: "createIndex", store: storeName, index: name, schema: { keyPath, unique, multiEntry } }]);
    return index;
  };
  store.deleteIndex = function (this: IDBObjectStore, name: string) {
    deleteIndex.call(this, name);
    const storeName = this.name;
    log(this.transaction, () => [{ op: "deleteIndex", store: storeName, index: name }]);
  };
  patchNameSetter(IDBObjectStore.prototype, (s, from, to) => log(s.transaction, () => [{ op: "renameStore", store: from, to }]));
  patchNameSetter(IDBIndex.prototype, (i, from, to) => {
    const storeName = i.objectStore.name;
    log(i.objectStore.transaction, () => [{ op: "renameIndex", store: storeName, index: from, to }]);
  });

  const cursor = IDBCursor.prototype;
  const { update, delete: removeAt } = cursor;
  const cursorStore = (c: IDBCursor) => (c.source instanceof IDBIndex ? c.source.objectStore : c.source as IDBObjectStore);
  cursor.update = function (this: IDBCursor, value: unknown) {
    const request = update.call(this, value);
    const { transaction: tx, name } = cursorStore(this);
    if (!state.logs.has(tx)) return request;
    const bytes = serializeOrAbort(tx, value);
    log(tx, () => succeeded(request) ? [{ op: "put", store: name, key: request.result, value: bytes }] : []);
    return request;
  };
  cursor.delete = function (this: IDBCursor) {
    const request = removeAt.call(this);
    const { transaction: tx, name } = cursorStore(this);
    const key = this.primaryKey;
    log(tx, () => succeeded(request) ? [{ op: "delete", store: name, key }] : []);
    return request;
  };

  const factory = IDBFactory.prototype;
  const { deleteDatabase } = factory;
  factory.deleteDatabase = function (this: IDBFactory, name: string) {
    const request = deleteDatabase.call(this, name);
    request.addEventListener("success", () => sinkFor(String(name))?.deleted(String(name)));
    return request;
  };
  return state;
}

/** The value IndexedDB accepted but v8 cannot serialize would be lost on restart: refuse the whole transaction. */
function serializeOrAbort(tx: IDBTransaction, value: unknown): Buffer {
  try {
    return serialize(value);
  } catch (err) {
    tx.abort();
    throw err;
  }
}

function patchNameSetter<T extends { name: string }>(proto: T, renamed: (target: T, from: string, to: string) => void): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, "name");
  const set = descriptor?.set;
  if (!descriptor || !set) throw new Error("fake-indexeddb: no name setter to patch");
  Object.defineProperty(proto, "name", {
    ...descriptor,
    set(this: T, value: string) {
      const from = this.name;
      set.call(this, value);
      if (this.name !== from) renamed(this, from, this.name);
    },
  });
}
