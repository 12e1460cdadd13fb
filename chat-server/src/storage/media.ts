/** Uploaded media's rows (the files themselves are under `{dataDir}/media/`): the queries of services/media.ts. */
import type { MediaTable } from "@onsafe/schema";
import { sql } from "kysely";
import type { Store } from "./database.ts";

export class MediaStore {
  constructor(private readonly store: Store) {}

  insert(row: MediaTable): void {
    this.store.run(this.store.q.insertInto("media").values(row));
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
