/** Uploaded media's rows (the files themselves are under `{dataDir}/media/`): the queries of services/media.ts. */
import type { MediaTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class MediaStore {
  constructor(private readonly store: Store) {}

  insert(row: MediaTable): void {
    this.store.run(this.store.q.insertInto("media").values(row));
  }

  byId(mediaId: string) {
    return this.store.first(this.store.q.selectFrom("media").select(["content_type", "upload_name"]).where("media_id", "=", mediaId));
  }
}
