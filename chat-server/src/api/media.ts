/**
 * Media: upload at `/_matrix/media/v3/upload`, download only through the
 * authenticated `/_matrix/client/v1/media/*` endpoints; the legacy
 * unauthenticated downloads answer 404 as after the spec's media freeze.
 *
 * Bounds (issue 21, finding 3): an upload is streamed to disk under the size
 * limit and a minimum pace (http/body.ts streamedBody); a visitor keeps at
 * most `visitorMediaMaxBytes` and starts at most `visitorUploadsPerHour`
 * uploads an hour (staff, bots and admins: `staffMediaMaxBytes`, no rate);
 * downloads are streamed from disk, at most `maxDownloadsPerVisitor` at once
 * per visitor and `maxDownloads` in all, each slot given back when its answer
 * ends or its client goes away; a visitor's downloads together are paced to
 * `visitorDownloadBytesPerSecond`.
 */
import type { ServerResponse } from "node:http";
import { type Context, Hono } from "hono";
import { streamedBody } from "../http/body.ts";
import type { AppEnv } from "../http/env.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { Slots } from "../http/slots.ts";
import type { Homeserver } from "../services/homeserver.ts";
import type { Uploader } from "../services/media.ts";
import { badJson, MatrixError, notFound } from "@onsafe/matrix-basics";

/** Types a browser may show inline without risk; anything else downloads as an attachment. */
const INLINE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm", "audio/mpeg", "audio/ogg", "text/plain", "application/octet-stream"]);

/**
 * What a thumbnail may be: the image types the spec allows in a 200. The
 * server scales nothing (it has no image library, and files in encrypted rooms
 * are ciphertext, uploaded as application/octet-stream): an image's thumbnail
 * is the image as uploaded, anything else is refused as Synapse refuses media
 * it has no thumbnail of (400 M_UNKNOWN).
 */
const THUMBNAIL_TYPES = new Set(["image/jpeg", "image/png", "image/apng", "image/gif", "image/webp"]);

const outgoingOf = (c: Context): ServerResponse | undefined => (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;

export function mediaRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  const { config } = hs;
  const uploads = new RateLimiter(config.visitorUploadsPerHour, 60 * 60 * 1000);
  const downloads = new Slots(config.maxDownloads, config.maxDownloadsPerVisitor);
  const mediaConfig = (c: Context<AppEnv>) => c.json({ "m.upload.size": config.maxUploadBytes });
  r.get("/_matrix/media/v3/config", mediaConfig);
  r.get("/_matrix/client/v1/media/config", mediaConfig);

  r.post("/_matrix/media/v3/upload", async (c) => {
    const contentType = (c.req.header("content-type") ?? "application/octet-stream").split(";")[0].trim().toLowerCase();
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(contentType)) throw badJson("Invalid Content-Type");
    const filename = c.req.query("filename");
    if (filename !== undefined && filename.length > 255) throw badJson("File name too long");
    const session = c.get("session");
    const visitor = session.kind === "visitor";
    const who: Uploader = {
      userId: session.userId,
      maxBytes: config.maxUploadBytes,
      quotaBytes: visitor ? config.visitorMediaMaxBytes : config.staffMediaMaxBytes,
      bytesPerSecond: visitor ? config.visitorUploadBytesPerSecond : 0,
    };
    const length = c.req.header("content-length");
    const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    // Before reading: too large by its Content-Length, then too many uploads.
    hs.media.refuseIfNoRoom(who, declared);
    await hs.media.refuseIfDiskFull(declared ?? config.maxUploadBytes);
    if (visitor) uploads.hit(session.userId);
    const body = streamedBody(c, config.bodyTimeoutMs, config.uploadMinBytesPerSecond);
    return c.json({ content_uri: await hs.media.upload(who, body, contentType, filename ?? null) });
  });

  const serve = async (c: Context<AppEnv>, thumbnail = false) => {
    const session = c.get("session");
    const release = downloads.take(session.kind === "visitor" ? session.userId : undefined);
    const outgoing = outgoingOf(c);
    let media;
    try {
      media = await hs.media.open(c.req.param("serverName")!, c.req.param("mediaId")!, {
        stallMs: config.bodyTimeoutMs,
        // A client that stopped reading: end the connection, which gives the slot back.
        onStall: () => outgoing?.destroy(),
        onClose: release,
      }, session.kind === "visitor" ? { userId: session.userId, bytesPerSecond: config.visitorDownloadBytesPerSecond } : undefined);
    } catch (error) {
      release();
      throw error;
    }
    if (!media) {
      release();
      throw notFound("Media not found");
    }
    // However the answer ends (sent, client gone, HEAD, an error below), the file is closed and the slot given back.
    if (outgoing?.destroyed) media.close();
    else outgoing?.once("close", media.close);
    if (thumbnail && !THUMBNAIL_TYPES.has(media.contentType)) {
      media.close();
      throw new MatrixError(400, "M_UNKNOWN", "Cannot thumbnail this media: only images (JPEG, PNG, APNG, GIF, WebP) have thumbnails; download it instead");
    }
    const inline = INLINE_TYPES.has(media.contentType);
    const name = encodeURIComponent(c.req.param("fileName") ?? media.uploadName ?? "file");
    c.header("Content-Type", media.contentType);
    c.header("Content-Disposition", `${inline ? "inline" : "attachment"}; filename*=utf-8''${name}`);
    c.header("Content-Security-Policy", "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "private, max-age=31536000, immutable");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    c.header("Content-Length", String(media.size));
    return c.body(media.body);
  };
  r.get("/_matrix/client/v1/media/download/:serverName/:mediaId/:fileName?", (c) => serve(c));
  r.get("/_matrix/client/v1/media/thumbnail/:serverName/:mediaId", (c) => serve(c, true));

  const frozen = () => { throw notFound("Unauthenticated media is not served; use /_matrix/client/v1/media"); };
  r.get("/_matrix/media/v3/download/*", frozen);
  r.get("/_matrix/media/v3/thumbnail/*", frozen);
  return r;
}
