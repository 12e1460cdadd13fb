/** A user's own display name and avatar (`users.displayname`, `users.avatar_url`): the query of services/profiles.ts. */
import type { Store } from "./database.ts";

export type ProfileField = "displayname" | "avatar_url";

export class ProfilesStore {
  constructor(private readonly store: Store) {}

  setField(userId: string, field: ProfileField, value: string | null): void {
    this.store.run(this.store.q.updateTable("users").set({ [field]: value }).where("user_id", "=", userId));
  }
}
