/**
 * Media repository: files under `{dataDir}/media/`, owner-only, named by a
 * random unguessable id. In encrypted rooms these are ciphertext blobs.
 *
 * Neither way holds a whole file in memory (issue 21, finding 3): an upload
 * goes to a partial file (`.partial-…`, never a servable id) as it arrives,
 * counted against the size limit and the owner's quota as it comes, and is
 * renamed to its id only once whole; a download is read from the file a chunk
 * at a time, as fast as the client takes it (a visitor's: at most at its pace).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { type FileHandle, open, rename, statfs, unlink } from "node:fs/promises";
import { join } from "node:path";
import { MatrixError, tooLarge } from "@onsafe/matrix-basics";
import type { Store } from "../storage/database.ts";
import { MediaStore } from "../storage/media.ts";
import type { Writer } from "../storage/writer.ts";

const PARTIAL = ".partial-";
/** Bytes read from a file per chunk of a download. */
const CHUNK_BYTES = 64 * 1024;

/** Who uploads, and what they may: `maxBytes` per file; `quotaBytes` in all their files (0: no bound). */
export interface Uploader {
  userId: string;
  maxBytes: number;
  quotaBytes: number;
  /** Bytes a second this account's uploads may arrive at, all together; 0: no bound. */
  bytesPerSecond: number;
}

export interface OpenedMedia {
  contentType: string;
  uploadName: string | null;
  size: number;
  /** The file, read a chunk at a time as it is pulled; the file is closed when it ends, errs or is cancelled. */
  body: ReadableStream<Uint8Array>;
  /** Closes the file if the body was not read to its end (idempotent). */
  close(): void;
}

export class Media {
  private readonly dir: string;
  private readonly rows: MediaStore;
  /** Per account with uploads under way: bytes kept and arriving, and when its paced uploads may read again. */
  private readonly usage = new Map<string, { stored: number; inFlight: number; uploads: number; readyAt: number }>();
  /** Per account with paced downloads under way: how many, and when they may read their next chunk. */
  private readonly downloading = new Map<string, { downloads: number; readyAt: number }>();

  /**
   * `disk.minFreeBytes`: uploads stop this far before the disk (which holds the
   * database too) is full; 0: no check. `disk.adminContact`: where a refused
   * uploader may turn (the spec's `admin_contact`).
   */
  constructor(
    store: Store, private readonly writer: Writer, dataDir: string, private readonly serverName: string,
    private readonly disk: { minFreeBytes: number; adminContact: string } = { minFreeBytes: 0, adminContact: "" },
  ) {
    this.rows = new MediaStore(store);
    this.dir = join(dataDir, "media");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Uploads cut short by a stop or crash of the process.
    for (const name of readdirSync(this.dir)) if (name.startsWith(PARTIAL)) unlinkSync(join(this.dir, name));
  }

  /**
   * Refuses, before any of the body is read, an upload whose declared length
   * is over the size limit or over what is left of the uploader's quota
   * (413 M_TOO_LARGE).
   */
  refuseIfNoRoom(who: Uploader, declared: number | undefined): void {
    if (declared === undefined) return;
    if (declared > who.maxBytes) throw tooLarge(`File over ${who.maxBytes} bytes`);
    if (who.quotaBytes > 0) {
      const usage = this.usage.get(who.userId);
      const used = usage ? usage.stored + usage.inFlight : this.rows.bytesOf(who.userId);
      if (used + declared > who.quotaBytes) throw quotaFull(who.quotaBytes);
    }
  }

  /**
   * Refuses (403 M_RESOURCE_LIMIT_EXCEEDED) an upload of `bytes` that would
   * leave less than `disk.minFreeBytes` free on the media's disk: a full disk
   * would fail every commit of the database beside it.
   */
  async refuseIfDiskFull(bytes: number): Promise<void> {
    if (this.disk.minFreeBytes <= 0) return;
    const { bavail, bsize } = await statfs(this.dir);
    if (bavail * bsize - bytes < this.disk.minFreeBytes) {
      throw new MatrixError(403, "M_RESOURCE_LIMIT_EXCEEDED", "The server has no room for files now; messages still go", { admin_contact: this.disk.adminContact });
    }
  }

  /**
   * Stores `body` as it arrives; past the size limit or the quota (counting
   * this account's other uploads under way), or when `body` fails (too slow,
   * the client gone), the partial file is removed and nothing is stored.
   * The caller refuses what its Content-Length already shows to be too much
   * with `refuseIfNoRoom` first, before reading anything.
   */
  async upload(who: Uploader, body: AsyncIterable<Uint8Array>, contentType: string, uploadName: string | null): Promise<string> {
    let usage = this.usage.get(who.userId);
    if (!usage) {
      usage = { stored: who.quotaBytes > 0 ? this.rows.bytesOf(who.userId) : 0, inFlight: 0, uploads: 0, readyAt: 0 };
      this.usage.set(who.userId, usage);
    }
    usage.uploads++;
    const mediaId = randomBytes(24).toString("base64url");
    const partial = join(this.dir, PARTIAL + mediaId);
    let size = 0;
    let unsynced = 0;
    try {
      const file = await open(partial, "wx", 0o600);
      try {
        for await (const chunk of body) {
          if (size + chunk.length > who.maxBytes) throw tooLarge(`File over ${who.maxBytes} bytes`);
          if (who.quotaBytes > 0 && usage.stored + usage.inFlight + chunk.length > who.quotaBytes) throw quotaFull(who.quotaBytes);
          size += chunk.length;
          usage.inFlight += chunk.length;
          await writeAll(file, chunk);
          // Flushed as it comes, on libuv's threads: left dirty in the page cache, megabytes of uploads made
          // the database's next fsync (on the server's one thread, synchronous=FULL) wait for them too.
          if ((unsynced += chunk.length) >= SYNC_EVERY_BYTES) {
            unsynced = 0;
            await file.datasync();
            // Others' uploads may be filling the disk too: each megabyte, what is left is looked at again.
            await this.refuseIfDiskFull(0);
          }
          if (who.bytesPerSecond > 0) await pace(usage, chunk.length, who.bytesPerSecond);
        }
      } finally {
        await file.close();
      }
      await rename(partial, join(this.dir, mediaId));
      try {
        const added = await this.writer.write(() => this.rows.insertForActiveOwner({
          media_id: mediaId, user_id: who.userId, content_type: contentType, upload_name: uploadName, size, created_ts: Date.now(),
        }));
        // The account was deleted while this upload came in (as its token would now be).
        if (!added) throw new MatrixError(401, "M_UNKNOWN_TOKEN", "Unrecognised access token");
      } catch (error) {
        await unlink(join(this.dir, mediaId)).catch(() => undefined);
        throw error;
      }
      usage.stored += size;
      return `mxc://${this.serverName}/${mediaId}`;
    } catch (error) {
      await unlink(partial).catch(() => undefined);
      throw error;
    } finally {
      usage.inFlight -= size;
      if (--usage.uploads === 0) this.usage.delete(who.userId);
    }
  }

  /**
   * The media and its open file, or undefined if there is none. The body is
   * read on demand (backpressure: nothing is read ahead of the client). A body
   * not pulled for `stallMs` (a client that stopped reading) is given up:
   * `onStall` (the caller ends the connection) and the file is closed.
   * `onClose` runs once the file is closed, whichever way. A `reader` with a
   * pace reads at most `bytesPerSecond` (its account's paced downloads share it).
   */
  async open(
    serverName: string, mediaId: string,
    when: { stallMs: number; onStall(): void; onClose(): void },
    reader?: { userId: string; bytesPerSecond: number },
  ): Promise<OpenedMedia | undefined> {
    if (serverName !== this.serverName || !/^[A-Za-z0-9_-]{1,64}$/.test(mediaId)) return undefined;
    const row = this.rows.byId(mediaId);
    if (!row) return undefined;
    const file = await open(join(this.dir, mediaId), "r");
    const size = Number(row.size);
    const paced = reader && reader.bytesPerSecond > 0 ? this.pacedDownload(reader.userId, reader.bytesPerSecond) : undefined;
    let position = 0;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(stall);
      void file.close().catch(() => undefined);
      paced?.done();
      when.onClose();
    };
    const stall = setTimeout(() => { when.onStall(); close(); }, when.stallMs);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        stall.refresh();
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size - position, 1)));
        if (paced) {
          await paced.wait(buffer.length);
          if (closed) return;
        }
        const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
        // Cancelled while reading: the stream is gone already.
        if (closed) return;
        if (bytesRead === 0) {
          controller.close();
          close();
          return;
        }
        position += bytesRead;
        controller.enqueue(buffer.subarray(0, bytesRead));
        stall.refresh();
      },
      cancel() { close(); },
    }, { highWaterMark: 0 });
    return { contentType: row.content_type, uploadName: row.upload_name, size, body, close };
  }

  /** One more of `userId`'s downloads on their shared pace: `wait` before each chunk, `done` once when it ends. */
  private pacedDownload(userId: string, bytesPerSecond: number): { wait(bytes: number): Promise<void>; done(): void } {
    const usage = this.downloading.get(userId) ?? { downloads: 0, readyAt: 0 };
    this.downloading.set(userId, usage);
    usage.downloads++;
    return {
      wait: (bytes) => pace(usage, bytes, bytesPerSecond),
      done: () => { if (--usage.downloads === 0) this.downloading.delete(userId); },
    };
  }

  /** Deletes the files of media whose rows are already gone. */
  async removeFiles(mediaIds: string[]): Promise<void> {
    await Promise.all(mediaIds.map((id) => unlink(join(this.dir, id)).catch(() => undefined)));
  }
}

const quotaFull = (quotaBytes: number) =>
  new MatrixError(413, "M_TOO_LARGE", `Upload would take your files past ${quotaBytes} bytes in all`);

/**
 * Waits until `bytes` more fit the account's pace (its uploads share one, its
 * downloads another): an upload's next chunk is not read meanwhile, so the
 * client's TCP window fills and it slows down; a download's next chunk is not
 * read from the file. At loopback speed one visitor's uploads took a core of
 * the server's one thread, and twelve downloads starting at once filled
 * loopback's socket buffers with about 50 MB in their first second
 * (`npm run bench -- attack`).
 */
async function pace(usage: { readyAt: number }, bytes: number, bytesPerSecond: number): Promise<void> {
  const now = Date.now();
  usage.readyAt = Math.max(usage.readyAt, now) + (bytes * 1000) / bytesPerSecond;
  if (usage.readyAt - now > PACE_SLACK_MS) await new Promise((resolve) => setTimeout(resolve, usage.readyAt - now));
}

/** An upload's file is flushed to disk after each this many bytes. */
const SYNC_EVERY_BYTES = 1024 * 1024;

/** Ahead of its pace by less than this, a transfer reads on without a timer. */
const PACE_SLACK_MS = 50;

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) offset += (await file.write(chunk, offset)).bytesWritten;
}
