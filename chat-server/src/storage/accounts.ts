/** Users, devices and access tokens (stored as SHA-256 hashes only): the queries of services/accounts.ts. */
import type { AccessTokensTable, DevicesTable, UsersTable } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

/** Tables whose rows belong to one device and go when it is deleted. */
export const PER_DEVICE_TABLES = ["devices", "dehydrated_devices", "access_tokens", "device_keys", "one_time_keys", "fallback_keys", "to_device", "to_device_txns", "pushers"] as const;

/** Every authenticated request looks its token up: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  session: prepared(store, (q, tokenHash: string) => q.selectFrom("access_tokens")
    .innerJoin("users", "users.user_id", "access_tokens.user_id")
    .select(["access_tokens.user_id", "access_tokens.device_id", "access_tokens.token_hash", "users.kind", "users.deactivated"])
    .where("access_tokens.token_hash", "=", tokenHash)),
});

export class AccountsStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  user(userId: string) {
    return this.store.first(this.store.q.selectFrom("users").selectAll().where("user_id", "=", userId));
  }

  kindOf(userId: string) {
    return this.store.first(this.store.q.selectFrom("users").select("kind").where("user_id", "=", userId))?.kind;
  }

  insertUser(row: UsersTable): void {
    this.store.run(this.store.q.insertInto("users").values(row));
  }

  setPasswordHash(userId: string, passwordHash: string): void {
    this.store.run(this.store.q.updateTable("users").set({ password_hash: passwordHash }).where("user_id", "=", userId));
  }

  /** Adds the device unless the user already has one with that id. */
  insertDeviceIfNew(row: DevicesTable): void {
    this.store.run(this.store.q.insertInto("devices").values(row).onConflict((oc) => oc.columns(["user_id", "device_id"]).doNothing()));
  }

  deleteTokensOfDevice(userId: string, deviceId: string): void {
    this.store.run(this.store.q.deleteFrom("access_tokens").where("user_id", "=", userId).where("device_id", "=", deviceId));
  }

  insertToken(row: AccessTokensTable): void {
    this.store.run(this.store.q.insertInto("access_tokens").values(row));
  }

  /** The token's user, device and account state (prepared: every authenticated request asks). */
  sessionByTokenHash(tokenHash: string) {
    return this.queries.session.first(tokenHash);
  }

  devices(userId: string) {
    return this.store.all(this.store.q.selectFrom("devices").select(["device_id", "display_name"]).where("user_id", "=", userId));
  }

  /** The user's device ids, the longest-standing first. */
  deviceIdsOldestFirst(userId: string): string[] {
    return this.store.all(this.store.q.selectFrom("devices").select("device_id").where("user_id", "=", userId)
      .orderBy("created_ts").orderBy("device_id")).map((d) => d.device_id);
  }

  device(userId: string, deviceId: string) {
    return this.store.first(this.store.q.selectFrom("devices").select(["device_id", "display_name"])
      .where("user_id", "=", userId).where("device_id", "=", deviceId));
  }

  /** Returns how many devices were renamed (0: no such device). */
  renameDevice(userId: string, deviceId: string, displayName: string): number {
    return this.store.run(this.store.q.updateTable("devices").set({ display_name: displayName })
      .where("user_id", "=", userId).where("device_id", "=", deviceId)).changes;
  }

  /**
   * Deletes one device's rows: in every per-device table, and the cross-signing
   * signatures that name it (the `key_signatures` table belongs to the keys
   * services; this query sits here because deleting a device is an accounts step).
   */
  deleteDevice(userId: string, deviceId: string): void {
    const q = this.store.q;
    for (const table of PER_DEVICE_TABLES) {
      // Every table in the list has user_id and device_id columns.
      this.store.run(q.deleteFrom(table as "devices").where("user_id", "=", userId).where("device_id", "=", deviceId));
    }
    // The self-signing key's signature of the device, and the device's signature of the master key.
    this.store.run(q.deleteFrom("key_signatures").where((eb) => eb.or([
      eb.and([eb("target_user_id", "=", userId), eb("target_key_id", "=", deviceId)]),
      eb.and([eb("signer_user_id", "=", userId), eb("signer_key_id", "=", `ed25519:${deviceId}`)]),
    ])));
  }
}
