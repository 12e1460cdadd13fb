/** Uploaded media's rows (the files themselves are under `{dataDir}/media/`): the queries of services/media.ts. */
import type { MediaTable } from "@onsafe/schema";
import { sql } from "kysely";
import type { Store } from "./database.ts";

export class MediaStore {
  constructor(private readonly store: Store) {}

  /**
   * Adds the row unless its owner is deactivated (an upload that ends after
   * the account was deleted: its file would never be removed); returns
   * whether it was added.
   */
  insertForActiveOwner(row: MediaTable): boolean {
    const owner = this.store.first(this.store.q.selectFrom("users").select("deactivated").where("user_id", "=", row.user_id));
    if (!owner || owner.deactivated) return false;
    this.store.run(this.store.q.insertInto("media").values(row));
    return true;
  }

  byId(mediaId: string) {
    return this.store.first(this.store.q.selectFrom("media").select(["content_type", "upload_name", "size"]).where("media_id", "=", mediaId));
  }

  /** Bytes of all the files `userId` uploaded (index media_by_owner). */
  bytesOf(userId: string): number {
    const row = this.store.first(this.store.q.selectFrom("media").select(sql<number | null>`sum(size)`.as("bytes")).where("user_id", "=", userId));
    return row?.bytes ?? 0;
  }
}
