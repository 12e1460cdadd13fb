/**
 * User and room directories. Visitors may use neither. Staff find staff and
 * bots, never visitors; there is no public room directory.
 */
import type { AccountKind } from "@onsafe/schema";
import type { Store } from "../storage/database.ts";
import { DirectoryStore } from "../storage/directory.ts";
import { assertMayLookUpUsers } from "./policy.ts";

const MAX_RESULTS = 50;

export interface UserSearch {
  limited: boolean;
  results: { user_id: string; display_name?: string; avatar_url?: string }[];
}

export class Directory {
  private readonly rows: DirectoryStore;

  constructor(store: Store) {
    this.rows = new DirectoryStore(store);
  }

  /** Visitors may use neither directory. */
  assertMayUse(kind: AccountKind): void {
    assertMayLookUpUsers(kind);
  }

  /** Up to `limit` (at most MAX_RESULTS) users whose localpart or display name contains `term`, case-insensitively. */
  searchUsers(kind: AccountKind, term: string, limit: number): UserSearch {
    this.assertMayUse(kind);
    // LIKE wildcards in the term are dropped rather than escaped.
    const pattern = `%${term.toLowerCase().replace(/[%_\\]/g, "")}%`;
    const max = Math.min(limit, MAX_RESULTS);
    const rows = this.rows.searchUsers(pattern, max + 1);
    return {
      limited: rows.length > max,
      results: rows.slice(0, max).map((u) => ({ user_id: u.user_id, display_name: u.displayname ?? undefined, avatar_url: u.avatar_url ?? undefined })),
    };
  }

  /** The public room directory, always empty; visitors may not look even at that. */
  publicRooms(kind: AccountKind): { chunk: never[]; total_room_count_estimate: number } {
    this.assertMayUse(kind);
    return { chunk: [], total_room_count_estimate: 0 };
  }
}
