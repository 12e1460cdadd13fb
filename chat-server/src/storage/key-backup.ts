/**
 * Server-side room key backup: each user's numbered versions
 * (`room_key_versions`, kept marked deleted so a number is never reused) and
 * the opaque, client-encrypted keys stored in them (`room_keys`). Which
 * version takes keys and which key is kept is decided in
 * `services/key-backup.ts`.
 */
import type { Store } from "./database.ts";

export class KeyBackupStore {
  constructor(private readonly store: Store) {}

  version(userId: string, version: number) {
    return this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
      .where("user_id", "=", userId).where("version", "=", version));
  }

  /** The user's newest version not deleted. */
  latestVersion(userId: string) {
    return this.store.first(this.store.q.selectFrom("room_key_versions").selectAll()
      .where("user_id", "=", userId).where("deleted", "=", 0).orderBy("version", "desc").limit(1));
  }

  /** The user's highest version number, deleted ones included. */
  maxVersion(userId: string): number | undefined {
    const last = this.store.first(this.store.q.selectFrom("room_key_versions").select((eb) => eb.fn.max("version").as("max")).where("user_id", "=", userId));
    return last?.max ?? undefined;
  }

  insertVersion(userId: string, version: number, algorithm: string, authData: string): void {
    this.store.run(this.store.q.insertInto("room_key_versions").values({
      user_id: userId, version, algorithm, auth_data: authData, etag: 0, deleted: 0,
    }));
  }

  setAuthData(userId: string, version: number, authData: string): void {
    this.store.run(this.store.q.updateTable("room_key_versions").set({ auth_data: authData })
      .where("user_id", "=", userId).where("version", "=", version));
  }

  markDeleted(userId: string, version: number): void {
    this.store.run(this.store.q.updateTable("room_key_versions").set({ deleted: 1 }).where("user_id", "=", userId).where("version", "=", version));
  }

  bumpEtag(userId: string, version: number): void {
    this.store.run(this.store.q.updateTable("room_key_versions").set((eb) => ({ etag: eb("etag", "+", 1) }))
      .where("user_id", "=", userId).where("version", "=", version));
  }

  keyCount(userId: string, version: number): number {
    const row = this.store.first(this.store.q.selectFrom("room_keys").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("version", "=", version));
    return Number(row?.n ?? 0);
  }

  keyData(userId: string, version: number, roomId: string, sessionId: string): string | undefined {
    return this.store.first(this.store.q.selectFrom("room_keys").select("key_data")
      .where("user_id", "=", userId).where("version", "=", version).where("room_id", "=", roomId).where("session_id", "=", sessionId))?.key_data;
  }

  upsertKey(userId: string, version: number, roomId: string, sessionId: string, keyData: string): void {
    this.store.run(this.store.q.insertInto("room_keys").values({ user_id: userId, version, room_id: roomId, session_id: sessionId, key_data: keyData })
      .onConflict((oc) => oc.columns(["user_id", "version", "room_id", "session_id"]).doUpdateSet({ key_data: keyData })));
  }

  /** The version's keys, optionally of one room or one session. */
  keys(userId: string, version: number, roomId?: string, sessionId?: string) {
    let query = this.store.q.selectFrom("room_keys").selectAll().where("user_id", "=", userId).where("version", "=", version);
    if (roomId !== undefined) query = query.where("room_id", "=", roomId);
    if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
    return this.store.all(query);
  }

  /** Deletes the version's keys, optionally of one room or one session; returns how many. */
  deleteKeys(userId: string, version: number, roomId?: string, sessionId?: string): number {
    let query = this.store.q.deleteFrom("room_keys").where("user_id", "=", userId).where("version", "=", version);
    if (roomId !== undefined) query = query.where("room_id", "=", roomId);
    if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
    return this.store.run(query).changes;
  }
}
