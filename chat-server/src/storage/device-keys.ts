/**
 * End-to-end encryption keys of devices: identity keys (`device_keys`, stored
 * exactly as uploaded), one-time keys and fallback keys. The rules (what may be
 * uploaded, which key a claim hands out) are in `services/keys.ts`.
 */
import type { Store } from "./database.ts";

export class DeviceKeysStore {
  constructor(private readonly store: Store) {}

  /** The device's signed identity keys as uploaded, JSON. */
  deviceKeyJson(userId: string, deviceId: string): string | undefined {
    return this.store.first(this.store.q.selectFrom("device_keys").select("key_json").where("user_id", "=", userId).where("device_id", "=", deviceId))?.key_json;
  }

  upsertDeviceKeys(userId: string, deviceId: string, json: string): void {
    this.store.run(this.store.q.insertInto("device_keys").values({ user_id: userId, device_id: deviceId, key_json: json })
      .onConflict((oc) => oc.columns(["user_id", "device_id"]).doUpdateSet({ key_json: json })));
  }

  /**
   * The user's devices' identity keys, with the device's display name (the
   * `devices` table, owned by accounts) when the device still has a row.
   */
  deviceKeysWithNames(userId: string) {
    const q = this.store.q;
    return this.store.all(q.selectFrom("device_keys")
      .leftJoin("devices", (join) => join.onRef("devices.user_id", "=", "device_keys.user_id").onRef("devices.device_id", "=", "device_keys.device_id"))
      .select(["device_keys.device_id", "device_keys.key_json", "devices.display_name"])
      .where("device_keys.user_id", "=", userId));
  }

  /** How many one-time keys the device has left, per algorithm. */
  oneTimeKeyCounts(userId: string, deviceId: string): { algorithm: string; n: number }[] {
    return this.store.all(this.store.q.selectFrom("one_time_keys").select((eb) => ["algorithm", eb.fn.countAll<number>().as("n")])
      .where("user_id", "=", userId).where("device_id", "=", deviceId).groupBy("algorithm"));
  }

  /** The highest `upload_seq` among the device's stored one-time keys, if any. */
  lastOneTimeKeyUpload(userId: string, deviceId: string): number | undefined {
    const last = this.store.first(this.store.q.selectFrom("one_time_keys").select((eb) => eb.fn.max("upload_seq").as("seq"))
      .where("user_id", "=", userId).where("device_id", "=", deviceId));
    return last?.seq ?? undefined;
  }

  oneTimeKeyJson(userId: string, deviceId: string, keyId: string): string | undefined {
    return this.store.first(this.store.q.selectFrom("one_time_keys").select("key_json")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("key_id", "=", keyId))?.key_json;
  }

  insertOneTimeKey(userId: string, deviceId: string, key: { keyId: string; algorithm: string; json: string }, seq: number): void {
    this.store.run(this.store.q.insertInto("one_time_keys")
      .values({ user_id: userId, device_id: deviceId, key_id: key.keyId, algorithm: key.algorithm, key_json: key.json, upload_seq: seq }));
  }

  /** The device's oldest one-time key of `algorithm` (oldest upload first, then by key id). */
  oldestOneTimeKey(userId: string, deviceId: string, algorithm: string) {
    return this.store.first(this.store.q.selectFrom("one_time_keys").select(["key_id", "key_json"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm)
      .orderBy("upload_seq").orderBy("key_id").limit(1));
  }

  deleteOneTimeKey(userId: string, deviceId: string, keyId: string): void {
    this.store.run(this.store.q.deleteFrom("one_time_keys").where("user_id", "=", userId).where("device_id", "=", deviceId).where("key_id", "=", keyId));
  }

  fallbackKey(userId: string, deviceId: string, algorithm: string) {
    return this.store.first(this.store.q.selectFrom("fallback_keys").select(["key_id", "key_json"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm));
  }

  fallbackKeyCount(userId: string, deviceId: string): number {
    const row = this.store.first(this.store.q.selectFrom("fallback_keys").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("device_id", "=", deviceId));
    return Number(row?.n ?? 0);
  }

  unusedFallbackKeyTypes(userId: string, deviceId: string): string[] {
    return this.store.all(this.store.q.selectFrom("fallback_keys").select("algorithm")
      .where("user_id", "=", userId).where("device_id", "=", deviceId).where("used", "=", 0)).map((r) => r.algorithm);
  }

  markFallbackKeyUsed(userId: string, deviceId: string, algorithm: string): void {
    this.store.run(this.store.q.updateTable("fallback_keys").set({ used: 1 }).where("user_id", "=", userId).where("device_id", "=", deviceId).where("algorithm", "=", algorithm));
  }

  /** Stores the device's fallback key for its algorithm, replacing the one before, marked unused. */
  upsertFallbackKey(userId: string, deviceId: string, key: { keyId: string; algorithm: string; json: string }): void {
    const values = { key_id: key.keyId, key_json: key.json, used: 0 };
    this.store.run(this.store.q.insertInto("fallback_keys").values({ user_id: userId, device_id: deviceId, algorithm: key.algorithm, ...values })
      .onConflict((oc) => oc.columns(["user_id", "device_id", "algorithm"]).doUpdateSet(values)));
  }
}
