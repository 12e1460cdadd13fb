/**
 * Sends a file as an encrypted attachment the way Matrix clients do
 * (AES-256-CTR, SHA-256 of the ciphertext; Client-Server API "Sending
 * encrypted attachments"), for tests of what receivers show.
 */
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
