/**
 * Encrypting a file for an encrypted room the way Matrix clients do
 * (Client-Server API "Sending encrypted attachments"): AES-256-CTR with a
 * fresh key, the SHA-256 of the ciphertext, and the key in the event's `file`.
 * The homeserver stores only the ciphertext.
 */
import { createCipheriv, createHash, randomBytes } from "node:crypto";

export interface EncryptedFileInfo {
  v: "v2";
  url: string;
  key: { kty: "oct"; key_ops: ["encrypt", "decrypt"]; alg: "A256CTR"; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
}

export function encryptFile(bytes: Uint8Array): { ciphertext: Uint8Array<ArrayBuffer>; file: Omit<EncryptedFileInfo, "url"> } {
  const key = randomBytes(32);
  // The low 64 bits are the counter and start at zero (what the spec asks for).
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  const cipher = createCipheriv("aes-256-ctr", key, iv);
  // A copy on its own ArrayBuffer, which fetch and the SDK take as a body.
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(bytes), cipher.final()]));
  const unpadded = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return {
    ciphertext,
    file: {
      v: "v2",
      key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: key.toString("base64url"), ext: true },
      iv: unpadded(iv),
      hashes: { sha256: unpadded(createHash("sha256").update(ciphertext).digest()) },
    },
  };
}
