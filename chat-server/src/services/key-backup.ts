/**
 * Server-side room key backup (`/room_keys/*`). The server stores opaque,
 * client-encrypted session data; only the newest version accepts keys.
 * Deleted versions keep their row (marked deleted) so their numbers are never
 * reused and a second delete still succeeds, as the spec asks.
 * Anyone's key data and auth_data are at most `MAX_KEY_DATA_BYTES` each, and
 * a caller may be held to a number of keys (visitors: ONSAFE_VISITOR_BACKUP_MAX_KEYS):
 * past either 413 M_TOO_LARGE, nothing stored.
 */
import type { Store } from "../storage/database.ts";
import { KeyBackupStore } from "../storage/key-backup.ts";
import type { Writer } from "../storage/writer.ts";
import { badJson, invalidParam, isObject, type JsonObject, MatrixError, notFound, tooLarge } from "@onsafe/matrix-basics";

/** One backed-up key's JSON, and a version's auth_data: matrix-js-sdk's are under 1 KiB (an encrypted session export; a public key and two signatures). */
export const MAX_KEY_DATA_BYTES = 8 * 1024;

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
  private readonly rows: KeyBackupStore;

  constructor(store: Store, private readonly writer: Writer) {
    this.rows = new KeyBackupStore(store);
  }

  /** The latest version, or the one named; 404 when there is none (or it was deleted). */
  getVersion(userId: string, version?: string): BackupVersion {
    const row = version === undefined ? this.latest(userId) : this.row(userId, version);
    if (!row || row.deleted) throw notFound(version === undefined ? "No current backup version" : "Unknown backup version");
    return { version: String(row.version), algorithm: row.algorithm, auth_data: JSON.parse(row.auth_data), count: this.rows.keyCount(userId, row.version), etag: String(row.etag) };
  }

  async createVersion(userId: string, algorithm: string, authData: JsonObject): Promise<string> {
    assertAuthDataSize(authData);
    return this.writer.write(() => {
      const version = Number(this.rows.maxVersion(userId) ?? 0) + 1;
      this.rows.insertVersion(userId, version, algorithm, JSON.stringify(authData));
      return String(version);
    });
  }

  /** Only `auth_data` may change; the algorithm must stay the same. */
  async updateVersion(userId: string, version: string, algorithm: string, authData: JsonObject): Promise<void> {
    assertAuthDataSize(authData);
    await this.writer.write(() => {
      const current = this.getVersion(userId, version);
      if (current.algorithm !== algorithm) throw invalidParam("Algorithm does not match");
      this.rows.setAuthData(userId, Number(version), JSON.stringify(authData));
    });
  }

  /** Deletes the version and its keys; deleting a deleted version again succeeds. */
  async deleteVersion(userId: string, version: string): Promise<void> {
    await this.writer.write(() => {
      const row = this.row(userId, version);
      if (!row) throw notFound("Unknown backup version");
      this.rows.markDeleted(userId, row.version);
      this.rows.deleteKeys(userId, row.version);
    });
  }

  /**
   * Stores keys into the current version, keeping per session whichever of the
   * old and new key the spec's rules prefer; the etag moves only on a change.
   * With `maxKeys`, a request that would take the version past that many keys
   * is refused whole (413), its keys all rolled back.
   */
  async putKeys(userId: string, version: string, keys: KeysByRoom, maxKeys?: number): Promise<BackupUpdate> {
    return this.writer.write(() => {
      const current = this.assertCurrent(userId, version);
      let changed = false;
      let added = 0;
      for (const [roomId, sessions] of Object.entries(keys)) {
        for (const [sessionId, data] of Object.entries(sessions)) {
          const existing = this.rows.keyData(userId, current, roomId, sessionId);
          if (existing !== undefined && !isBetter(data, JSON.parse(existing))) continue;
          this.rows.upsertKey(userId, current, roomId, sessionId, JSON.stringify(data));
          if (existing === undefined) added++;
          changed = true;
        }
      }
      if (maxKeys !== undefined && added > 0 && this.rows.keyCount(userId, current) > maxKeys) {
        throw tooLarge(`A backup may hold at most ${maxKeys} keys`);
      }
      if (changed) this.rows.bumpEtag(userId, current);
      return this.update(userId, version);
    });
  }

  /** Keys of any existing version, optionally of one room or one session. */
  getKeys(userId: string, version: string, roomId?: string, sessionId?: string): KeysByRoom {
    const v = Number(this.getVersion(userId, version).version);
    const rooms: KeysByRoom = {};
    for (const row of this.rows.keys(userId, v, roomId, sessionId)) (rooms[row.room_id] ??= {})[row.session_id] = JSON.parse(row.key_data);
    return rooms;
  }

  async deleteKeys(userId: string, version: string, roomId?: string, sessionId?: string): Promise<BackupUpdate> {
    return this.writer.write(() => {
      const v = Number(this.getVersion(userId, version).version);
      if (this.rows.deleteKeys(userId, v, roomId, sessionId) > 0) this.rows.bumpEtag(userId, v);
      return this.update(userId, version);
    });
  }

  /** Versions are decimal numbers without leading zeros; anything else names no version. */
  private row(userId: string, version: string) {
    if (!/^[1-9]\d{0,14}$/.test(version)) return undefined;
    return this.rows.version(userId, Number(version));
  }

  private latest(userId: string) {
    return this.rows.latestVersion(userId);
  }

  private update(userId: string, version: string): BackupUpdate {
    const { etag, count } = this.getVersion(userId, version);
    return { etag, count };
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
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_KEY_DATA_BYTES) throw tooLarge(`Key data may take at most ${MAX_KEY_DATA_BYTES} bytes`);
  return data;
}

function assertAuthDataSize(authData: JsonObject): void {
  if (Buffer.byteLength(JSON.stringify(authData)) > MAX_KEY_DATA_BYTES) throw tooLarge(`'auth_data' may take at most ${MAX_KEY_DATA_BYTES} bytes`);
}
