/**
 * Server-side room key backup (`/room_keys/*`). The server stores opaque,
 * client-encrypted session data; only the newest version accepts keys.
 * Deleted versions keep their row (marked deleted) so their numbers are never
 * reused and a second delete still succeeds, as the spec asks.
 */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { badJson, invalidParam, isObject, type JsonObject, MatrixError, notFound } from "@onsafe/matrix-basics";

export interface BackupVersion {
  version: string;
  algorithm: string;
  auth_data: JsonObject;
  count: number;
  etag: string;
}

/** rooms → sessions → key data, the body shape of `PUT /room_keys/keys`. */
export type KeysByRoom = Record<string, Record<string, JsonObject>>;

export interface BackupUpdate {
  etag: string;
  count: number;
}

export class KeyBackup {
  constructor(private readonly store: Store, private readonly writer: Writer) {}

  /** The latest version, or the one named; 404 when there is none (or it was deleted). */
  getVersion(userId: string, version?: string): BackupVersion {
    const row = version === undefined ? this.latest(userId) : this.row(userId, version);
    if (!row || row.deleted) throw notFound(version === undefined ? "No current backup version" : "Unknown backup version");
    return { version: String(row.version), algorithm: row.algorithm, auth_data: JSON.parse(row.auth_data), count: this.count(userId, row.version), etag: String(row.etag) };
  }

  async createVersion(userId: string, algorithm: string, authData: JsonObject): Promise<string> {
    return this.writer.write(() => {
      const last = this.store.first(this.store.q.selectFrom("room_key_versions").select((eb) => eb.fn.max("version").as("max")).where("user_id", "=", userId));
      const version = Number(last?.max ?? 0) + 1;
      this.store.run(this.store.q.insertInto("room_key_versions").values({
        user_id: userId, version, algorithm, auth_data: JSON.stringify(authData), etag: 0, deleted: 0,
      }));
      return String(version);
    });
  }

  /** Only `auth_data` may change; the algorithm must stay the same. */
  async updateVersion(userId: string, version: string, algorithm: string, authData: JsonObject): Promise<void> {
    await this.writer.write(() => {
      const current = this.getVersion(userId, version);
      if (current.algorithm !== algorithm) throw invalidParam("Algorithm does not match");
      this.store.run(this.store.q.updateTable("room_key_versions").set({ auth_data: JSON.stringify(authData) })
        .where("user_id", "=", userId).where("version", "=", Number(version)));
    });
  }

  /** Deletes the version and its keys; deleting a deleted version again succeeds. */
  async deleteVersion(userId: string, version: string): Promise<void> {
    await this.writer.write(() => {
      const row = this.row(userId, version);
      if (!row) throw notFound("Unknown backup version");
      const q = this.store.q;
      this.store.run(q.updateTable("room_key_versions").set({ deleted: 1 }).where("user_id", "=", userId).where("version", "=", row.version));
      this.store.run(q.deleteFrom("room_keys").where("user_id", "=", userId).where("version", "=", row.version));
    });
  }

  /**
   * Stores keys into the current version, keeping per session whichever of the
   * old and new key the spec's rules prefer; the etag moves only on a change.
   */
  async putKeys(userId: string, version: string, keys: KeysByRoom): Promise<BackupUpdate> {
    const q = this.store.q;
    return this.writer.write(() => {
      const current = this.assertCurrent(userId, version);
      let changed = false;
      for (const [roomId, sessions] of Object.entries(keys)) {
        for (const [sessionId, data] of Object.entries(sessions)) {
          const existing = this.store.first(q.selectFrom("room_keys").select("key_data")
            .where("user_id", "=", userId).where("version", "=", current).where("room_id", "=", roomId).where("session_id", "=", sessionId));
          if (existing && !isBetter(data, JSON.parse(existing.key_data))) continue;
          const keyData = JSON.stringify(data);
          this.store.run(q.insertInto("room_keys").values({ user_id: userId, version: current, room_id: roomId, session_id: sessionId, key_data: keyData })
            .onConflict((oc) => oc.columns(["user_id", "version", "room_id", "session_id"]).doUpdateSet({ key_data: keyData })));
          changed = true;
        }
      }
      if (changed) this.bumpEtag(userId, current);
      return this.update(userId, version);
    });
  }

  /** Keys of any existing version, optionally of one room or one session. */
  getKeys(userId: string, version: string, roomId?: string, sessionId?: string): KeysByRoom {
    const v = Number(this.getVersion(userId, version).version);
    let query = this.store.q.selectFrom("room_keys").selectAll().where("user_id", "=", userId).where("version", "=", v);
    if (roomId !== undefined) query = query.where("room_id", "=", roomId);
    if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
    const rooms: KeysByRoom = {};
    for (const row of this.store.all(query)) (rooms[row.room_id] ??= {})[row.session_id] = JSON.parse(row.key_data);
    return rooms;
  }

  async deleteKeys(userId: string, version: string, roomId?: string, sessionId?: string): Promise<BackupUpdate> {
    return this.writer.write(() => {
      const v = Number(this.getVersion(userId, version).version);
      let query = this.store.q.deleteFrom("room_keys").where("user_id", "=", userId).where("version", "=", v);
      if (roomId !== undefined) query = query.where("room_id", "=", roomId);
      if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
      if (this.store.run(query).changes > 0) this.bumpEtag(userId, v);
      return this.update(userId, version);
    });
  }

  /** Versions are decimal numbers without leading zeros; anything else names no version. */
  private row(userId: string, version: string) {
    if (!/^[1-9]\d{0,14}$/.test(version)) return undefined;
    return this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
      .where("user_id", "=", userId).where("version", "=", Number(version)));
  }

  private latest(userId: string) {
    return this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
      .where("user_id", "=", userId).where("deleted", "=", 0).orderBy("version", "desc").limit(1));
  }

  private count(userId: string, version: number): number {
    const row = this.store.first(this.store.q.selectFrom("room_keys").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("version", "=", version));
    return Number(row?.n ?? 0);
  }

  private update(userId: string, version: string): BackupUpdate {
    const { etag, count } = this.getVersion(userId, version);
    return { etag, count };
  }

  private bumpEtag(userId: string, version: number): void {
    this.store.run(this.store.q.updateTable("room_key_versions").set((eb) => ({ etag: eb("etag", "+", 1) }))
      .where("user_id", "=", userId).where("version", "=", version));
  }

  /** Keys go only into the current version: 404 for an unknown one, 403 naming the current one otherwise. */
  private assertCurrent(userId: string, version: string): number {
    const row = this.row(userId, version);
    if (!row || row.deleted) throw notFound("Unknown backup version");
    const latest = this.latest(userId)!;
    if (latest.version !== row.version) {
      throw new MatrixError(403, "M_WRONG_ROOM_KEYS_VERSION", "Wrong backup version", { current_version: String(latest.version) });
    }
    return row.version;
  }
}

/** The spec's rule: verified beats unverified, then lower first_message_index, then lower forwarded_count. */
function isBetter(next: JsonObject, old: JsonObject): boolean {
  if (next.is_verified !== old.is_verified) return next.is_verified === true;
  if (next.first_message_index !== old.first_message_index) return Number(next.first_message_index) < Number(old.first_message_index);
  return Number(next.forwarded_count) < Number(old.forwarded_count);
}

const isCount = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** `KeyBackupData`: the metadata the replacement rule needs, and the encrypted `session_data`. */
export function validateKeyData(data: unknown): JsonObject {
  if (!isObject(data) || !isCount(data.first_message_index) || !isCount(data.forwarded_count)
    || typeof data.is_verified !== "boolean" || !isObject(data.session_data)) {
    throw badJson("Key data needs first_message_index, forwarded_count, is_verified and session_data");
  }
  return data;
}
