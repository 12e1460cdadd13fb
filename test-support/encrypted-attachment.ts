/**
 * Encrypted attachments the way Matrix clients handle them (AES-256-CTR,
 * SHA-256 of the ciphertext; Client-Server API "Sending encrypted
 * attachments"): sending one, for tests of what receivers show, and
 * receiving one, for tests of what bots send.
 */
import { createDecipheriv, createHash } from "node:crypto";
import { encryptFile } from "../bots/src/runtime/encrypted-file.ts";
import type { SdkClient } from "./sdk-client.ts";

/** A 1x1 PNG. */
export const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

export async function sendEncryptedImage(sender: SdkClient, baseUrl: string, roomId: string, bytes: Buffer, name: string): Promise<void> {
  const { ciphertext, file } = encryptFile(bytes);
  const upload = await fetch(`${baseUrl}/_matrix/media/v3/upload?filename=encrypted`, {
    method: "POST",
    headers: { authorization: `Bearer ${sender.account.token}`, "content-type": "application/octet-stream" },
    body: ciphertext,
  });
  if (!upload.ok) throw new Error(`upload failed: ${upload.status}`);
  const { content_uri: url } = (await upload.json()) as { content_uri: string };
  await sender.client.sendMessage(roomId, {
    msgtype: "m.image",
    body: name,
    info: { mimetype: "image/png", size: bytes.length },
    file: { ...file, url },
  } as never);
}

/** Downloads an attachment's ciphertext from the media repository, checks its hash and decrypts it, as a receiving client does. */
export async function downloadAttachment(baseUrl: string, token: string, file: { url: string; key: { k: string }; iv: string; hashes: { sha256: string } }): Promise<Buffer> {
  const [server, mediaId] = file.url.slice("mxc://".length).split("/");
  const reply = await fetch(`${baseUrl}/_matrix/client/v1/media/download/${server}/${mediaId}`, { headers: { authorization: `Bearer ${token}` } });
  if (!reply.ok) throw new Error(`download failed: ${reply.status}`);
  const ciphertext = Buffer.from(await reply.arrayBuffer());
  if (createHash("sha256").update(ciphertext).digest("base64").replace(/=+$/, "") !== file.hashes.sha256.replace(/=+$/, "")) {
    throw new Error("the attachment's hash does not match");
  }
  const decipher = createDecipheriv("aes-256-ctr", Buffer.from(file.key.k, "base64url"), Buffer.from(file.iv, "base64"));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
