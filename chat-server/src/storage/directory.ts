/** The user directory's search (`/user_directory/search`); there is no room directory to store. */
import type { Store } from "./database.ts";

export interface DirectoryEntry {
  user_id: string;
  displayname: string | null;
  avatar_url: string | null;
}

export class DirectoryStore {
  constructor(private readonly store: Store) {}

  /** Active staff and bot accounts whose localpart or display name is LIKE `pattern`, by user id, at most `limit`. */
  searchUsers(pattern: string, limit: number): DirectoryEntry[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("users").select(["user_id", "displayname", "avatar_url"])
      .where("kind", "!=", "visitor").where("deactivated", "=", 0)
      .where((eb) => eb.or([eb("localpart", "like", pattern), eb("displayname", "like", pattern)]))
      .orderBy("user_id").limit(limit));
  }
}
