/** The part of `http_ece` (RFC 8188 encrypted content coding) the local push service uses; the package ships no types. */
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  export interface DecryptParams {
    version: "aes128gcm";
    /** The receiver's key pair (the subscription's). */
    privateKey: ECDH;
    /** The subscription's 16-byte auth secret, base64url. */
    authSecret: string;
  }

  export function decrypt(body: Buffer, params: DecryptParams): Buffer;
}
