/**
 * Cross-signing keys (master, self-signing, user-signing; one of each per
 * user) and the signatures linking them to devices and to other users'
 * master keys. The checks before anything is kept are in
 * `services/cross-signing.ts`.
 */
import type { Insertable } from "kysely";
import type { CrossSigningKeysTable, KeySignaturesTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class CrossSigningStore {
  constructor(private readonly store: Store) {}

  keysOf(userId: string) {
    return this.store.all(this.store.q.selectFrom("cross_signing_keys").selectAll().where("user_id", "=", userId));
  }

  keyJson(userId: string, type: CrossSigningKeysTable["key_type"]): string | undefined {
    return this.store.first(this.store.q.selectFrom("cross_signing_keys").select("key_json").where("user_id", "=", userId).where("key_type", "=", type))?.key_json;
  }

  upsertKey(userId: string, type: CrossSigningKeysTable["key_type"], values: { public_key: string; key_json: string }): void {
    this.store.run(this.store.q.insertInto("cross_signing_keys").values({ user_id: userId, key_type: type, ...values })
      .onConflict((oc) => oc.columns(["user_id", "key_type"]).doUpdateSet(values)));
  }

  /** One of `ids` that is a device id of the user's (the `devices` table, owned by accounts), if any. */
  deviceIdAmong(userId: string, ids: string[]): string | undefined {
    return this.store.first(this.store.q.selectFrom("devices").select("device_id")
      .where("user_id", "=", userId).where("device_id", "in", ids))?.device_id;
  }

  /** Stores a signature, replacing an earlier one by the same signer key on the same target. */
  upsertSignature(row: Insertable<KeySignaturesTable>): void {
    this.store.run(this.store.q.insertInto("key_signatures").values(row)
      .onConflict((oc) => oc.columns(["target_user_id", "target_key_id", "signer_user_id", "signer_key_id"]).doUpdateSet({ signature: row.signature })));
  }

  /** Signatures on a user's key (a device id or a cross-signing public key) by the given signers. */
  signaturesOn(userId: string, keyId: string, signers: string[]) {
    return this.store.all(this.store.q.selectFrom("key_signatures").select(["signer_user_id", "signer_key_id", "signature"])
      .where("target_user_id", "=", userId).where("target_key_id", "=", keyId)
      .where("signer_user_id", "in", signers));
  }
}
