/** Bytes as text, for the victim app and the console alike. */

/** Unpadded base64, as Matrix writes keys and hashes. */
export function unpaddedBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}

/** Unpadded base64url (RFC 4648 §5): Web Push keys, and the recovery code's derived password. */
export function base64url(bytes: Uint8Array): string {
  return unpaddedBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_");
}
