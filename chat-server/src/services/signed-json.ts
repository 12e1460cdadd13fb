/**
 * Signed JSON (spec appendices, "Signing JSON"): canonical JSON and ed25519
 * signature checks, so cross-signing keys and signatures are verified before
 * they are stored, as the spec's M_INVALID_SIGNATURE errors require.
 */
import { createPublicKey, verify } from "node:crypto";
import { isObject, type JsonObject } from "@onsafe/matrix-basics";

const UNPADDED_BASE64 = /^[A-Za-z0-9+/]+$/;

/** Keys sorted, no insignificant whitespace; JSON.stringify escapes strings as the spec's canonical JSON does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The signature `signerUserId` made with `keyId` on `signed`, if any. */
export function signatureBy(signed: JsonObject, signerUserId: string, keyId: string): string | undefined {
  const byUser = isObject(signed.signatures) ? signed.signatures[signerUserId] : undefined;
  const signature = isObject(byUser) ? byUser[keyId] : undefined;
  return typeof signature === "string" ? signature : undefined;
}

/**
 * Whether `signature` is a valid ed25519 signature of `object` (without its
 * `signatures` and `unsigned`, which are not signed) by `publicKey`; both in
 * unpadded base64.
 */
export function isValidSignature(object: JsonObject, signature: string, publicKey: string): boolean {
  if (!UNPADDED_BASE64.test(signature) || !UNPADDED_BASE64.test(publicKey)) return false;
  const rawKey = Buffer.from(publicKey, "base64");
  const rawSignature = Buffer.from(signature, "base64");
  if (rawKey.length !== 32 || rawSignature.length !== 64) return false;
  const { signatures: _signatures, unsigned: _unsigned, ...signed } = object;
  try {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: rawKey.toString("base64url") }, format: "jwk" });
    return verify(null, Buffer.from(canonicalJson(signed)), key, rawSignature);
  } catch {
    // A 32-byte string that is not a point on the curve.
    return false;
  }
}
