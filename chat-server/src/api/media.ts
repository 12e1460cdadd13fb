/**
 * Media: upload at `/_matrix/media/v3/upload`, download only through the
 * authenticated `/_matrix/client/v1/media/*` endpoints; the legacy
 * unauthenticated downloads answer 404 as after the spec's media freeze.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Homeserver } from "../services/homeserver.ts";
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

export function mediaRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  const config = (c: Context<AppEnv>) => c.json({ "m.upload.size": hs.config.maxUploadBytes });
  r.get("/_matrix/media/v3/config", config);
  r.get("/_matrix/client/v1/media/config", config);

  r.post("/_matrix/media/v3/upload", async (c) => {
    const contentType = (c.req.header("content-type") ?? "application/octet-stream").split(";")[0].trim().toLowerCase();
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(contentType)) throw badJson("Invalid Content-Type");
    const filename = c.req.query("filename");
    if (filename !== undefined && filename.length > 255) throw badJson("File name too long");
    const data = Buffer.from(await c.req.arrayBuffer());
    return c.json({ content_uri: await hs.media.upload(c.get("session").userId, data, contentType, filename ?? null) });
  });

  const serve = async (c: Context<AppEnv>, thumbnail = false) => {
    const media = await hs.media.download(c.req.param("serverName")!, c.req.param("mediaId")!);
    if (!media) throw notFound("Media not found");
    if (thumbnail && !THUMBNAIL_TYPES.has(media.contentType)) {
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
    return c.body(new Uint8Array(media.data));
  };
  r.get("/_matrix/client/v1/media/download/:serverName/:mediaId/:fileName?", (c) => serve(c));
  r.get("/_matrix/client/v1/media/thumbnail/:serverName/:mediaId", (c) => serve(c, true));

  const frozen = () => { throw notFound("Unauthenticated media is not served; use /_matrix/client/v1/media"); };
  r.get("/_matrix/media/v3/download/*", frozen);
  r.get("/_matrix/media/v3/thumbnail/*", frozen);
  return r;
}
