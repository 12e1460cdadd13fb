/**
 * Keeps IndexedDB databases (fake-indexeddb, in memory) in a SQLite file, so
 * that what matrix-js-sdk's Rust crypto stores there (the bot's device keys,
 * Olm and Megolm sessions) survives a restart, even a SIGKILL.
 *
 * Order of use: `open`, `restore` (before the crypto opens its store), `track`
 * the crypto's database prefix, then `flush` before every /sync request (so
 * nothing is acknowledged to the server before it is on disk) and on a timer;
 * `close` at the end. Committed changes wait in memory until `flush` writes
 * them in one durable SQLite transaction.
 */
import { chmodSync, closeSync, openSync } from "node:fs";
import { deserialize } from "node:v8";
import SQLite from "better-sqlite3";
import { type CommitSink, type IdbChange, type IndexSchema, type KeyPath, recordCommits, stopRecording } from "./idb-recorder.ts";

interface StoreSchema {
  keyPath: KeyPath;
  autoIncrement: boolean;
  indexes: Map<string, IndexSchema>;
}

interface DatabaseSchema {
  version: number;
  stores: Map<string, StoreSchema>;
}

interface Row {
  db: string;
  store: string;
  key: string;
  /** null: the record was deleted. */
  value: Buffer | null;
}

/** Writes waiting for the next flush, in commit order; a run of record writes keeps only the last one per record. */
type Pending =
  | { kind: "rows"; rows: Map<string, Row> }
  | { kind: "clearStore"; db: string; store: string }
  | { kind: "renameStore"; db: string; store: string; to: string }
  | { kind: "dropDatabase"; db: string };

const TABLES = `
  CREATE TABLE IF NOT EXISTS idb_databases (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    stores TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS idb_records (
    db TEXT NOT NULL,
    store TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (db, store, key)
  ) WITHOUT ROWID;
`;

function statements(sqlite: SQLite.Database) {
  return {
    upsert: sqlite.prepare("INSERT INTO idb_records (db, store, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (db, store, key) DO UPDATE SET value = excluded.value"),
    deleteRecord: sqlite.prepare("DELETE FROM idb_records WHERE db = ? AND store = ? AND key = ?"),
    clearStore: sqlite.prepare("DELETE FROM idb_records WHERE db = ? AND store = ?"),
    renameStore: sqlite.prepare("UPDATE idb_records SET store = ? WHERE db = ? AND store = ?"),
    dropRecords: sqlite.prepare("DELETE FROM idb_records WHERE db = ?"),
    saveSchema: sqlite.prepare("INSERT INTO idb_databases (name, version, stores) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, stores = excluded.stores"),
    dropSchema: sqlite.prepare("DELETE FROM idb_databases WHERE name = ?"),
    records: sqlite.prepare<[string], { store: string; key: string; value: Buffer }>("SELECT store, key, value FROM idb_records WHERE db = ?"),
  };
}

type Statements = ReturnType<typeof statements>;

export class IndexedDbMirror {
  private readonly schemas = new Map<string, DatabaseSchema>();
  private readonly changedSchemas = new Set<string>();
  private pending: Pending[] = [];
  private readonly prefixes = new Set<string>();
  private readonly sink: CommitSink = {
    committed: (db, changes) => this.apply(db, changes),
    deleted: (db) => this.drop(db),
  };
  private readonly sql: Statements;

  private constructor(private readonly sqlite: SQLite.Database) {
    this.sql = statements(sqlite);
    const saved = sqlite.prepare<[], { name: string; version: number; stores: string }>("SELECT name, version, stores FROM idb_databases").all();
    for (const row of saved) this.schemas.set(row.name, { version: row.version, stores: storesFromJson(row.stores) });
  }

  /** Opens the mirror file, creating it readable by this user only. */
  static open(file: string): IndexedDbMirror {
    closeSync(openSync(file, "a", 0o600));
    chmodSync(file, 0o600);
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.exec(TABLES);
    return new IndexedDbMirror(sqlite);
  }

  /**
   * Recreates every saved database in `factory` (version, object stores,
   * indexes, records), replacing any database of the same name there. Call it
   * before `track` and before the crypto opens its store.
   */
  async restore(factory: IDBFactory = globalThis.indexedDB): Promise<void> {
    if (this.prefixes.size > 0) throw new Error("IndexedDbMirror: restore() must come before track()");
    for (const [name, schema] of this.schemas) await this.restoreDatabase(factory, name, schema);
  }

  /** Records committed changes of the databases whose names start with `prefix` (in any factory). */
  track(prefix: string): void {
    recordCommits(prefix, this.sink);
    this.prefixes.add(prefix);
  }

  /** True when committed changes wait for `flush`. */
  get dirty(): boolean {
    return this.pending.length > 0 || this.changedSchemas.size > 0;
  }

  /** Writes the changes committed since the last flush in one durable transaction; on failure they stay for the next. */
  flush(): void {
    if (!this.dirty) return;
    const { sql } = this;
    this.sqlite.transaction(() => {
      for (const write of this.pending) {
        if (write.kind === "rows") {
          for (const row of write.rows.values()) {
            if (row.value) sql.upsert.run(row.db, row.store, row.key, row.value);
            else sql.deleteRecord.run(row.db, row.store, row.key);
          }
        } else if (write.kind === "clearStore") sql.clearStore.run(write.db, write.store);
        else if (write.kind === "renameStore") sql.renameStore.run(write.to, write.db, write.store);
        else sql.dropRecords.run(write.db);
      }
      for (const name of this.changedSchemas) {
        const schema = this.schemas.get(name);
        if (schema) sql.saveSchema.run(name, schema.version, storesToJson(schema.stores));
        else sql.dropSchema.run(name);
      }
    })();
    this.pending = [];
    this.changedSchemas.clear();
  }

  /** Flushes, stops recording and closes the file. */
  close(): void {
    for (const prefix of this.prefixes) stopRecording(prefix, this.sink);
    this.prefixes.clear();
    this.flush();
    this.sqlite.close();
  }

  private async restoreDatabase(factory: IDBFactory, name: string, schema: DatabaseSchema): Promise<void> {
    await done(factory.deleteDatabase(name));
    const open = factory.open(name, schema.version);
    open.onupgradeneeded = () => {
      const db = open.result;
      for (const [storeName, { keyPath, autoIncrement, indexes }] of schema.stores) {
        const store = db.createObjectStore(storeName, { keyPath, autoIncrement });
        for (const [indexName, { keyPath, unique, multiEntry }] of indexes) store.createIndex(indexName, keyPath, { unique, multiEntry });
      }
      const tx = open.transaction!;
      for (const row of this.sql.records.iterate(name)) {
        const store = tx.objectStore(row.store);
        const key = decodeKey(row.key);
        const value: unknown = deserialize(row.value);
        if (store.keyPath === null) store.put(value, key);
        // A generated key was put into IndexedDB's copy of the value, not into the one recorded.
        else store.put(store.autoIncrement ? injectKey(value, store.keyPath as string, key) : value);
      }
    };
    (await done(open)).close();
  }

  private apply(db: string, changes: IdbChange[]): void {
    for (const change of changes) {
      switch (change.op) {
        case "put": this.writeRow(db, change.store, change.key, change.value); break;
        case "delete": this.writeRow(db, change.store, change.key, null); break;
        case "clear": this.pending.push({ kind: "clearStore", db, store: change.store }); break;
        case "createStore":
          this.schema(db).stores.set(change.store, { keyPath: change.keyPath, autoIncrement: change.autoIncrement, indexes: new Map() });
          break;
        case "deleteStore":
          this.schema(db).stores.delete(change.store);
          this.pending.push({ kind: "clearStore", db, store: change.store });
          break;
        case "renameStore":
          rename(this.schema(db).stores, change.store, change.to);
          this.pending.push({ kind: "renameStore", db, store: change.store, to: change.to });
          break;
        case "createIndex": this.schema(db).stores.get(change.store)?.indexes.set(change.index, change.schema); break;
        case "deleteIndex": this.schema(db).stores.get(change.store)?.indexes.delete(change.index); break;
        case "renameIndex": rename(this.schema(db).stores.get(change.store)?.indexes, change.index, change.to); break;
        case "version": this.schema(db).version = change.version; break;
      }
    }
  }

  private drop(db: string): void {
    this.schemas.delete(db);
    this.changedSchemas.add(db);
    this.pending.push({ kind: "dropDatabase", db });
  }

  /** The schema of `db`, about to change. */
  private schema(db: string): DatabaseSchema {
    let schema = this.schemas.get(db);
    if (!schema) this.schemas.set(db, (schema = { version: 0, stores: new Map() }));
    this.changedSchemas.add(db);
    return schema;
  }

  private writeRow(db: string, store: string, key: IDBValidKey, value: Buffer | null): void {
    let last = this.pending.at(-1);
    if (last?.kind !== "rows") this.pending.push((last = { kind: "rows", rows: new Map() }));
    const encoded = encodeKey(key);
    last.rows.set(JSON.stringify([db, store, encoded]), { db, store, key: encoded, value });
  }
}

/**
 * A key as text, equal for keys IndexedDB holds equal and reversible: tagged
 * parts (`n` number, `s` string, `d` date, `b` binary as base64) in JSON arrays.
 */
type KeyPart = string | KeyPart[];

export function encodeKey(key: IDBValidKey): string {
  return JSON.stringify(encodePart(key));
}

export function decodeKey(text: string): IDBValidKey {
  return decodePart(JSON.parse(text) as KeyPart);
}

function encodePart(key: unknown): KeyPart {
  if (typeof key === "number") return `n${key}`; // String(-0) is "0", as IndexedDB holds them equal
  if (typeof key === "string") return `s${key}`;
  if (key instanceof Date) return `d${key.getTime()}`;
  if (Array.isArray(key)) return key.map(encodePart);
  if (ArrayBuffer.isView(key)) return `b${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("base64")}`;
  if (key instanceof ArrayBuffer) return `b${Buffer.from(key).toString("base64")}`;
  throw new TypeError(`not an IndexedDB key: ${String(key)}`);
}

function decodePart(part: KeyPart): IDBValidKey {
  if (Array.isArray(part)) return part.map(decodePart);
  const body = part.slice(1);
  switch (part[0]) {
    case "n": return Number(body);
    case "s": return body;
    case "d": return new Date(Number(body));
    case "b": return new Uint8Array(Buffer.from(body, "base64")).buffer;
    default: throw new Error(`IndexedDbMirror: corrupt key ${part}`);
  }
}

function storesToJson(stores: Map<string, StoreSchema>): string {
  return JSON.stringify([...stores].map(([name, store]) => [name, { ...store, indexes: [...store.indexes] }]));
}

function storesFromJson(text: string): Map<string, StoreSchema> {
  const stores = JSON.parse(text) as [string, Omit<StoreSchema, "indexes"> & { indexes: [string, IndexSchema][] }][];
  return new Map(stores.map(([name, store]) => [name, { ...store, indexes: new Map(store.indexes) }]));
}

function rename<V>(map: Map<string, V> | undefined, from: string, to: string): void {
  const value = map?.get(from);
  if (!map || value === undefined) return;
  map.delete(from);
  map.set(to, value);
}

function injectKey(value: unknown, keyPath: string, key: IDBValidKey): unknown {
  const path = keyPath.split(".");
  let target = value as Record<string, unknown>;
  for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
  target[path.at(-1)!] ??= key;
  return value;
}

/** Settles with `request`; a connection left open (blocked) would otherwise make it wait forever. */
function done<T>(request: IDBOpenDBRequest & IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDbMirror: restore blocked by an open connection"));
  });
}

/**
 * Drops the in-memory databases whose names start with `prefix`, once they are
 * on disk and no longer tracked: a later start in the same process (tests, or
 * another data directory) must see only what it restores.
 */
export async function forgetInMemory(prefix: string, factory: IDBFactory = globalThis.indexedDB): Promise<void> {
  for (const { name } of await factory.databases()) {
    if (name?.startsWith(prefix)) await done(factory.deleteDatabase(name));
  }
}
