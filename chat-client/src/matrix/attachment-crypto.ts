/**
 * Downloads and decrypts an encrypted attachment (AES-256-CTR, SHA-256 of the
 * ciphertext checked first), as the Client-Server API's "Sending encrypted
 * attachments" describes. The result stays in memory as a blob URL.
 */
import { unpaddedBase64 } from "./base64.ts";
import type { EncryptedFile } from "./timeline.ts";

export async function decryptAttachment(file: EncryptedFile, accessToken: string, mimetype: string | null): Promise<Blob> {
  const [server, mediaId] = file.url.slice("mxc://".length).split("/");
  if (!server || !mediaId) throw new Error("not an mxc URL");
  const response = await fetch(`/_matrix/client/v1/media/download/${encodeURIComponent(server)}/${encodeURIComponent(mediaId)}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok) throw new Error(`download failed: HTTP ${response.status}`);
  const ciphertext = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", ciphertext));
  if (unpaddedBase64(digest) !== file.hashes.sha256.replace(/=+$/, "")) throw new Error("the attachment's hash does not match");
  const key = await crypto.subtle.importKey("jwk", file.key, { name: "AES-CTR" }, false, ["decrypt"]);
  const plaintext = await crypto.subtle.decrypt({ name: "AES-CTR", counter: fromBase64(file.iv), length: 64 }, key, ciphertext);
  return new Blob([plaintext], { type: mimetype ?? "application/octet-stream" });
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = normal + "=".repeat((4 - (normal.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
