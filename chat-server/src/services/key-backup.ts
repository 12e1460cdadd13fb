/**
 * Server-side room key backup (`/room_keys/*`). The server stores opaque,
 * client-encrypted session data; only the newest version accepts keys.
 */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { badJson, MatrixError, notFound } from "../http/errors.ts";
import { isObject, type JsonObject } from "../http/json.ts";

export interface BackupVersion {
  version: string;
  algorithm: string;
  auth_data: JsonObject;
  count: number;
  etag: string;
}

/** rooms → sessions → key data, the body shape of `PUT /room_keys/keys`. */
export type KeysByRoom = Record<string, Record<string, JsonObject>>;

export class KeyBackup {
  constructor(private readonly store: Store, private readonly writer: Writer) {}

  private latestRow(userId: string) {
    return this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
      .where("user_id", "=", userId).where("deleted", "=", 0).orderBy("version", "desc").limit(1));
  }

  private count(userId: string, version: number): number {
    const row = this.store.first(this.store.q.selectFrom("room_keys").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("version", "=", version));
    return Number(row?.n ?? 0);
  }

  getVersion(userId: string, version?: string): BackupVersion {
    const row = version === undefined
      ? this.latestRow(userId)
      : /^\d{1,15}$/.test(version)
        ? this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
          .where("user_id", "=", userId).where("version", "=", Number(version)).where("deleted", "=", 0))
        : undefined;
    if (!row) throw notFound("No current backup version");
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

  async updateVersion(userId: string, version: string, algorithm: string, authData: JsonObject): Promise<void> {
    const current = this.getVersion(userId, version);
    if (current.algorithm !== algorithm) throw badJson("The algorithm of a backup version cannot change");
    await this.writer.write(() => {
      this.store.run(this.store.q.updateTable("room_key_versions").set({ auth_data: JSON.stringify(authData) })
        .where("user_id", "=", userId).where("version", "=", Number(version)));
    });
  }

  async deleteVersion(userId: string, version: string): Promise<void> {
    this.getVersion(userId, version);
    await this.writer.write(() => {
      const q = this.store.q;
      this.store.run(q.updateTable("room_key_versions").set({ deleted: 1 }).where("user_id", "=", userId).where("version", "=", Number(version)));
      this.store.run(q.deleteFrom("room_keys").where("user_id", "=", userId).where("version", "=", Number(version)));
    });
  }

  /** Stores keys into the current version, keeping the better of old and new per session. */
  async putKeys(userId: string, version: string, keys: KeysByRoom): Promise<{ etag: string; count: number }> {
    const current = this.assertCurrent(userId, version);
    const q = this.store.q;
    return this.writer.write(() => {
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
      if (changed) {
        this.store.run(q.updateTable("room_key_versions").set((eb) => ({ etag: eb("etag", "+", 1) }))
          .where("user_id", "=", userId).where("version", "=", current));
      }
      const { etag, count } = this.getVersion(userId, version);
      return { etag, count };
    });
  }

  getKeys(userId: string, version: string, roomId?: string, sessionId?: string): KeysByRoom {
    const v = this.getVersion(userId, version);
    let query = this.store.q.selectFrom("room_keys").selectAll().where("user_id", "=", userId).where("version", "=", Number(v.version));
    if (roomId !== undefined) query = query.where("room_id", "=", roomId);
    if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
    const rooms: KeysByRoom = {};
    for (const row of this.store.all(query)) (rooms[row.room_id] ??= {})[row.session_id] = JSON.parse(row.key_data);
    return rooms;
  }

  async deleteKeys(userId: string, version: string, roomId?: string, sessionId?: string): Promise<{ etag: string; count: number }> {
    const current = Number(this.getVersion(userId, version).version);
    return this.writer.write(() => {
      const q = this.store.q;
      let query = q.deleteFrom("room_keys").where("user_id", "=", userId).where("version", "=", current);
      if (roomId !== undefined) query = query.where("room_id", "=", roomId);
      if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
      if (this.store.run(query).changes > 0) {
        this.store.run(q.updateTable("room_key_versions").set((eb) => ({ etag: eb("etag", "+", 1) })).where("user_id", "=", userId).where("version", "=", current));
      }
      const { etag, count } = this.getVersion(userId, version);
      return { etag, count };
    });
  }

  private assertCurrent(userId: string, version: string): number {
    const latest = this.latestRow(userId);
    if (!latest) throw notFound("No current backup version");
    if (String(latest.version) !== version) {
      throw new MatrixError(403, "M_WRONG_ROOM_KEYS_VERSION", "Wrong backup version", { current_version: String(latest.version) });
    }
    return latest.version;
  }
}

/** The spec's rule: verified beats unverified, then lower first_message_index, then lower forwarded_count. */
function isBetter(next: JsonObject, old: JsonObject): boolean {
  if (next.is_verified !== old.is_verified) return next.is_verified === true;
  if (next.first_message_index !== old.first_message_index) return Number(next.first_message_index) < Number(old.first_message_index);
  return Number(next.forwarded_count) < Number(old.forwarded_count);
}

export function validateKeyData(data: unknown): JsonObject {
  if (!isObject(data) || typeof data.first_message_index !== "number" || typeof data.forwarded_count !== "number"
    || typeof data.is_verified !== "boolean" || !isObject(data.session_data)) {
    throw badJson("Key data needs first_message_index, forwarded_count, is_verified and session_data");
  }
  return data;
}
