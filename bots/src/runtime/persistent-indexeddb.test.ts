import "@onsafe/schema/polyfills";
import "fake-indexeddb/auto";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createClient, type MatrixClient } from "matrix-js-sdk";
import type { IMegolmSessionData } from "matrix-js-sdk/lib/@types/crypto.js";
import { type Logger, logger } from "matrix-js-sdk/lib/logger.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexedDbMirror } from "./persistent-indexeddb.ts";

(logger as unknown as { setLevel(level: string): void }).setLevel("error");
const quietLogger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...msg: unknown[]) => console.error(...msg),
  getChild: () => quietLogger,
};

let dir: string;
let file: string;
let mirror: IndexedDbMirror | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "onsafe-idb-mirror-"));
  file = join(dir, "crypto.sqlite");
});
afterEach(() => {
  mirror?.close();
  mirror = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function upgrade(request: IDBOpenDBRequest, steps: (db: IDBDatabase, tx: IDBTransaction) => void): Promise<IDBDatabase> {
  request.onupgradeneeded = () => steps(request.result, request.transaction!);
  return settle(request);
}

function finished(tx: IDBTransaction): Promise<"complete" | "abort"> {
  return new Promise((resolve) => {
    tx.oncomplete = () => resolve("complete");
    tx.onabort = () => resolve("abort");
  });
}

async function write(db: IDBDatabase, stores: string[], work: (tx: IDBTransaction) => void): Promise<"complete" | "abort"> {
  const tx = db.transaction(stores, "readwrite");
  work(tx);
  return finished(tx);
}

/** Binary keys as byte lists, so that comparisons look at their contents. */
const plain = (key: unknown): unknown =>
  key instanceof ArrayBuffer ? { bytes: [...new Uint8Array(key)] } : Array.isArray(key) ? key.map(plain) : key;

/** Everything a factory holds: versions, schema, records, and each index's entries. */
async function dump(factory: IDBFactory, prefix: string) {
  const out: Record<string, unknown> = {};
  for (const { name } of await factory.databases()) {
    if (!name?.startsWith(prefix)) continue;
    const db = await settle(factory.open(name));
    const stores: Record<string, unknown> = {};
    const tx = db.transaction(Array.from(db.objectStoreNames));
    for (const storeName of Array.from(db.objectStoreNames)) {
      const store = tx.objectStore(storeName);
      const indexes: Record<string, unknown> = {};
      for (const indexName of Array.from(store.indexNames)) {
        const index = store.index(indexName);
        const entries: unknown[] = [];
        await new Promise<void>((resolve) => {
          const cursor = index.openKeyCursor();
          cursor.onsuccess = () => {
            if (!cursor.result) return resolve();
            entries.push([plain(cursor.result.key), plain(cursor.result.primaryKey)]);
            cursor.result.continue();
          };
        });
        indexes[indexName] = { keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry, entries };
      }
      const keys = await settle(store.getAllKeys());
      const values = await settle(store.getAll());
      stores[storeName] = { keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, records: keys.map((k, i) => [plain(k), values[i]]) };
    }
    out[name] = { version: db.version, stores };
    db.close();
  }
  return out;
}

describe("IndexedDbMirror", () => {
  it("restores databases exactly as committed: schema changes, ranges, clears, and not what was aborted", async () => {
    const source = new IDBFactory();
    mirror = IndexedDbMirror.open(file);
    mirror.track("plain-");

    let db = await upgrade(source.open("plain-a", 1), (d) => {
      const people = d.createObjectStore("people");
      people.createIndex("byName", "name");
      people.createIndex("byPair", ["sender", "type", "id"]);
      people.createIndex("byTag", "tags", { multiEntry: true });
      people.createIndex("byUid", "uid", { unique: true });
      d.createObjectStore("notes", { keyPath: "meta.id", autoIncrement: true });
      d.createObjectStore("keys");
      d.createObjectStore("doomed");
    });
    const person = (i: number) => ({ name: `p${i % 3}`, sender: `s${i % 2}`, type: i, id: `id${i}`, tags: ["x", `t${i % 4}`], uid: i, blob: new Uint8Array([i, 255]), at: new Date(1e12 + i) });
    expect(await write(db, ["people", "notes", "keys", "doomed"], (tx) => {
      for (let i = 0; i < 20; i++) tx.objectStore("people").put(person(i), `k${String(i).padStart(2, "0")}`);
      tx.objectStore("notes").add({ text: "generated key 1" });
      tx.objectStore("notes").add({ text: "generated key 2" });
      tx.objectStore("notes").add({ text: "given key", meta: { id: 100 } });
      const keys = tx.objectStore("keys");
      keys.put("binary", new Uint8Array([1, 2, 3]));
      keys.put("array", ["a", 1, [new Date(5), new Uint8Array([9]).buffer]]);
      keys.put("negative infinity", -Infinity);
      keys.put("date", new Date(7));
      keys.put("gone", "cleared later");
      tx.objectStore("doomed").put({ lost: true }, 1);
    })).toBe("complete");
    expect(await write(db, ["people", "keys"], (tx) => {
      // A failed add whose error is handled does not abort the rest.
      tx.objectStore("people").add(person(99), "k00").onerror = (e) => e.preventDefault();
      tx.objectStore("people").delete(IDBKeyRange.bound("k05", "k09", false, true));
      tx.objectStore("people").delete("k12");
      tx.objectStore("people").put({ ...person(1), name: "renamed" }, "k01");
      tx.objectStore("keys").clear();
      tx.objectStore("keys").put("after clear", new Uint8Array([1, 2, 3]));
    })).toBe("complete");
    expect(await write(db, ["people", "keys"], (tx) => {
      tx.objectStore("people").clear();
      tx.objectStore("keys").delete(IDBKeyRange.lowerBound(0));
      tx.objectStore("people").put(person(50), "aborted");
      tx.abort();
    })).toBe("abort");
    db.close();

    db = await upgrade(source.open("plain-a", 3), (d, tx) => {
      d.deleteObjectStore("doomed");
      tx.objectStore("people").deleteIndex("byTag");
      tx.objectStore("people").createIndex("bySender", "sender");
      tx.objectStore("people").index("byName").name = "byFirstName";
      tx.objectStore("keys").name = "renamedKeys";
      d.createObjectStore("doomed").put("new life", 2);
    });
    expect(await write(db, ["people"], (tx) => {
      tx.objectStore("people").openCursor(IDBKeyRange.only("k02")).onsuccess = function () {
        this.result?.update({ ...person(2), name: "via cursor" });
      };
      tx.objectStore("people").index("byUid").openCursor(IDBKeyRange.only(3)).onsuccess = function () {
        this.result?.delete();
      };
    })).toBe("complete");
    db.close();
    await upgrade(source.open("plain-temporary", 1), (d) => d.createObjectStore("s").put(1, 1)).then((d) => d.close());
    await settle(source.deleteDatabase("plain-temporary"));
    await upgrade(source.open("elsewhere", 1), (d) => d.createObjectStore("s").put(1, 1)).then((d) => d.close());

    expect(mirror.dirty).toBe(true);
    mirror.flush();
    expect(mirror.dirty).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    mirror.close();

    mirror = IndexedDbMirror.open(file);
    const target = new IDBFactory();
    await mirror.restore(target);
    const restored = await dump(target, "");
    expect(Object.keys(restored)).toEqual(["plain-a"]);
    expect(restored).toEqual(await dump(source, "plain-"));
    const people = (restored["plain-a"] as { version: number; stores: Record<string, { records: [string, { name: string }][] }> });
    expect(people.version).toBe(3);
    expect(people.stores.people.records.map(([k]) => k)).toEqual(["k00", "k01", "k02", "k04", "k09", "k10", "k11", "k13", "k14", "k15", "k16", "k17", "k18", "k19"]);

    // The restored store goes on as the original would: the key generator continues after the highest key.
    const again = await settle(target.open("plain-a"));
    const tx = again.transaction(["notes"], "readwrite");
    const next = await settle(tx.objectStore("notes").add({ text: "next" }));
    expect(next).toBe(101);
    again.close();
  });

  it("keeps each bot's databases in its own file when several bots share one process", async () => {
    const factory = new IDBFactory();
    const other = IndexedDbMirror.open(join(dir, "other.sqlite"));
    mirror = IndexedDbMirror.open(file);
    mirror.track("bot-a");
    other.track("bot-b");
    expect(() => other.track("bot-a")).toThrow(/already recorded/);
    for (const name of ["bot-a::crypto", "bot-b::crypto"]) {
      await upgrade(factory.open(name, 1), (d) => d.createObjectStore("s").put(name, "owner")).then((d) => d.close());
    }
    mirror.close();
    other.close();

    for (const [path, owner] of [[file, "bot-a::crypto"], [join(dir, "other.sqlite"), "bot-b::crypto"]]) {
      const target = new IDBFactory();
      const reopened = IndexedDbMirror.open(path);
      await reopened.restore(target);
      reopened.close();
      expect(await dump(target, "")).toEqual({ [owner]: { version: 1, stores: { s: { keyPath: null, autoIncrement: false, indexes: {}, records: [["owner", owner]] } } } });
    }
  });

  it("keeps the Rust crypto's device keys and room keys across a restart, which are lost without it", async () => {
    const prefix = "bot-triage";
    const password = "storage password";
    const start = async () => {
      const client = createClient({ baseUrl: "http://127.0.0.1:9", userId: "@bot:localhost", deviceId: "BOTDEV", accessToken: "x", logger: quietLogger });
      await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: prefix, storagePassword: password });
      return client;
    };
    const roomKeys = async (client: MatrixClient) =>
      (await client.getCrypto()!.exportRoomKeys()).map((k) => [k.room_id, k.session_id, k.session_key]);

    globalThis.indexedDB = new IDBFactory();
    mirror = IndexedDbMirror.open(file);
    await mirror.restore();
    mirror.track(prefix);
    const first = await start();
    const deviceKeys = await first.getCrypto()!.getOwnDeviceKeys();
    const imported = megolmSession("!room:localhost", deviceKeys);
    mirror.flush();
    await first.getCrypto()!.importRoomKeys([imported]);
    expect(mirror.dirty).toBe(true);
    let t = performance.now();
    mirror.flush();
    console.log(`flush after importing one room key: ${(performance.now() - t).toFixed(2)} ms`);
    first.stopClient();
    mirror.close();

    globalThis.indexedDB = new IDBFactory();
    mirror = IndexedDbMirror.open(file);
    t = performance.now();
    await mirror.restore();
    console.log(`restore of the crypto store: ${(performance.now() - t).toFixed(2)} ms`);
    mirror.track(prefix);
    const second = await start();
    expect(await second.getCrypto()!.getOwnDeviceKeys()).toEqual(deviceKeys);
    expect(await roomKeys(second)).toEqual([[imported.room_id, imported.session_id, imported.session_key]]);

    // A thousand more room keys: the size of a busy service's store.
    const many = Array.from({ length: 1000 }, (_, i) => megolmSession(`!r${i}:localhost`, deviceKeys));
    await second.getCrypto()!.importRoomKeys(many);
    t = performance.now();
    mirror.flush();
    console.log(`flush after importing 1000 room keys: ${(performance.now() - t).toFixed(2)} ms`);
    second.stopClient();
    mirror.close();

    globalThis.indexedDB = new IDBFactory();
    mirror = IndexedDbMirror.open(file);
    t = performance.now();
    await mirror.restore();
    console.log(`restore of the crypto store with 1001 room keys: ${(performance.now() - t).toFixed(2)} ms`);
    const third = await start();
    expect((await roomKeys(third)).length).toBe(1001);
    third.stopClient();

    globalThis.indexedDB = new IDBFactory();
    const forgetful = await start();
    expect(await forgetful.getCrypto()!.getOwnDeviceKeys()).not.toEqual(deviceKeys);
    expect(await roomKeys(forgetful)).toEqual([]);
    forgetful.stopClient();
  });
});

/** An exported Megolm session as a key backup would hold it (version 1, index 0, random ratchet, fresh signing key). */
function megolmSession(roomId: string, sender: { ed25519: string; curve25519: string }): IMegolmSessionData {
  const unpadded = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");
  const signingKey = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x!, "base64url");
  return {
    algorithm: "m.megolm.v1.aes-sha2",
    room_id: roomId,
    sender_key: sender.curve25519,
    session_id: unpadded(signingKey),
    session_key: unpadded(Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), randomBytes(128), signingKey])),
    sender_claimed_keys: { ed25519: sender.ed25519 },
    forwarding_curve25519_key_chain: [],
  };
}
