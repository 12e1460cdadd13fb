/**
 * The queries of account deactivation (services/deactivation.ts): locking the
 * account and erasing the rows a user left behind. Many of these tables
 * belong to other concerns (devices and keys, key backup, receipts,
 * `key_signatures`, media); the queries sit here because erasing a whole
 * user is one deactivation step.
 */
import type { Store } from "./database.ts";
import { PER_DEVICE_TABLES } from "./accounts.ts";

/** Tables whose rows belong to one user, by their `user_id` column: every device's, and the user's own. */
const PER_USER_TABLES = [
  ...PER_DEVICE_TABLES, "cross_signing_keys", "room_key_versions", "room_keys", "account_data", "filters", "receipts",
] as const;

export class DeactivationStore {
  constructor(private readonly store: Store) {}

  /** Marks the user deactivated, forgets their password and profile, and deletes every access token: no token works from here on. */
  lockAccount(userId: string): void {
    const q = this.store.q;
    this.store.run(q.updateTable("users").set({ deactivated: 1, password_hash: null, displayname: null, avatar_url: null }).where("user_id", "=", userId));
    this.store.run(q.deleteFrom("access_tokens").where("user_id", "=", userId));
  }

  /** Deletes the user's rows in every per-user table, and every cross-signing signature by or of them. */
  deleteRowsOf(userId: string): void {
    const q = this.store.q;
    for (const table of PER_USER_TABLES) {
      // Every table in the list has a user_id column.
      this.store.run(q.deleteFrom(table as "devices").where("user_id", "=", userId));
    }
    this.store.run(q.deleteFrom("key_signatures").where((eb) => eb.or([eb("target_user_id", "=", userId), eb("signer_user_id", "=", userId)])));
  }

  /** Deletes the rows of the user's uploads; returns their media ids, whose files are still to be removed. */
  deleteMediaOf(userId: string): string[] {
    const q = this.store.q;
    const media = this.store.all(q.selectFrom("media").select("media_id").where("user_id", "=", userId)).map((m) => m.media_id);
    this.store.run(q.deleteFrom("media").where("user_id", "=", userId));
    return media;
  }
}
