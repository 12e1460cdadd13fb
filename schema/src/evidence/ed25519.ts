/**
 * Checking an ed25519 signature (the ledger's, docs/EVIDENCE.md "Ledger"), in
 * the browser and in Node, with keys and signatures in unpadded base64 as
 * Matrix writes them.
 *
 * It uses WebCrypto's Ed25519 (`crypto.subtle`), the only maintained ed25519
 * implementation installed today: Node 20 has it, and so do Chromium 137+,
 * Firefox 129+ and Safari 17+; older browsers (an old phone's) throw
 * `Ed25519UnavailableError`, which a caller shows as "cannot check signatures
 * in this browser" rather than "forged".
 * TODO(issue 23): with @noble/curves installed, `ed25519.verify` from it
 * (synchronous, pure JS) makes this work in every browser; the rest of the
 * ledger code does not change (it awaits this function).
 */

const UNPADDED_BASE64 = /^[A-Za-z0-9+/]*$/;

export class Ed25519UnavailableError extends Error {
  override name = "Ed25519UnavailableError";
}

/** Unpadded (or padded) base64 → bytes; null when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const unpadded = text.replace(/={1,2}$/, "");
  if (!UNPADDED_BASE64.test(unpadded) || unpadded.length % 4 === 1) return null;
  const binary = atob(unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** Bytes → unpadded base64, as Matrix writes keys and signatures. */
export function encodeUnpaddedBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "");
}

/**
 * Whether `signature` (64 bytes, base64) is `publicKey`'s (32 bytes, base64)
 * ed25519 signature of `message`. False for malformed keys or signatures, and
 * for a key that is not a point on the curve.
 */
export async function verifyEd25519(publicKey: string, message: Uint8Array<ArrayBuffer>, signature: string): Promise<boolean> {
  const rawKey = decodeBase64(publicKey);
  const rawSignature = decodeBase64(signature);
  if (rawKey?.length !== 32 || rawSignature?.length !== 64) return false;
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new Ed25519UnavailableError("WebCrypto is not available here");
  let key: CryptoKey;
  try {
    key = await subtle.importKey("raw", rawKey, { name: "Ed25519" }, false, ["verify"]);
  } catch (error) {
    if (error instanceof DOMException && error.name === "NotSupportedError") {
      throw new Ed25519UnavailableError("this browser's WebCrypto has no Ed25519");
    }
    return false;
  }
  try {
    return await subtle.verify({ name: "Ed25519" }, key, rawSignature, message);
  } catch {
    return false;
  }
}
