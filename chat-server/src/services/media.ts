/**
 * Media repository: files under `{dataDir}/media/`, owner-only, named by a
 * random unguessable id. In encrypted rooms these are ciphertext blobs.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "../storage/database.ts";
import { MediaStore } from "../storage/media.ts";
import type { Writer } from "../storage/writer.ts";

export interface StoredMedia {
  contentType: string;
  uploadName: string | null;
  data: Buffer;
}

export class Media {
  private readonly dir: string;
  private readonly rows: MediaStore;

  constructor(store: Store, private readonly writer: Writer, dataDir: string, private readonly serverName: string) {
    this.rows = new MediaStore(store);
    this.dir = join(dataDir, "media");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async upload(userId: string, data: Buffer, contentType: string, uploadName: string | null): Promise<string> {
    const mediaId = randomBytes(24).toString("base64url");
    await writeFile(join(this.dir, mediaId), data, { mode: 0o600, flag: "wx" });
    await this.writer.write(() => {
      this.rows.insert({
        media_id: mediaId, user_id: userId, content_type: contentType, upload_name: uploadName, size: data.length, created_ts: Date.now(),
      });
    });
    return `mxc://${this.serverName}/${mediaId}`;
  }

  async download(serverName: string, mediaId: string): Promise<StoredMedia | undefined> {
    if (serverName !== this.serverName || !/^[A-Za-z0-9_-]{1,64}$/.test(mediaId)) return undefined;
    const row = this.rows.byId(mediaId);
    if (!row) return undefined;
    return { contentType: row.content_type, uploadName: row.upload_name, data: await readFile(join(this.dir, mediaId)) };
  }

  /** Deletes the files of media whose rows are already gone. */
  async removeFiles(mediaIds: string[]): Promise<void> {
    await Promise.all(mediaIds.map((id) => unlink(join(this.dir, id)).catch(() => undefined)));
  }
}
