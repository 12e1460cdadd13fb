/**
 * The recovery code shown once when a victim starts: it names their anonymous
 * account and carries a 120-bit secret generated in the browser. From the
 * secret, HKDF derives two independent keys, so the server, which learns the
 * password, cannot derive the secret-storage key that protects the room key
 * backup:
 *   - the account password (sent to the server at registration and login);
 *   - the secret-storage key (never leaves the browser).
 *
 * Code: the 12 random characters of the visitor's localpart (`v-…`) then 24
 * secret characters, in the homeserver's own unambiguous alphabet (no 0/o,
 * 1/l), shown in groups of four.
 */
import { base64url } from "../../matrix/base64.ts";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const ACCOUNT_CHARS = 12;
const SECRET_CHARS = 24;
const LOCALPART_PREFIX = "v-";

export interface RecoveryParts {
  localpart: string;
  secret: string;
}

export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_CHARS));
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
}

export function encodeRecoveryCode(userId: string, secret: string): string {
  const localpart = userId.slice(1, userId.indexOf(":"));
  const account = localpart.slice(LOCALPART_PREFIX.length);
  if (!localpart.startsWith(LOCALPART_PREFIX) || !isCodeText(account, ACCOUNT_CHARS) || !isCodeText(secret, SECRET_CHARS)) {
    throw new Error("This account cannot be written as a recovery code");
  }
  return (account + secret).match(/.{4}/g)!.join("-");
}

/** Accepts the code as shown, in any case, with or without dashes and spaces. */
export function decodeRecoveryCode(text: string): RecoveryParts | null {
  const compact = text.toLowerCase().replace(/[\s-]/g, "");
  if (!isCodeText(compact, ACCOUNT_CHARS + SECRET_CHARS)) return null;
  return { localpart: LOCALPART_PREFIX + compact.slice(0, ACCOUNT_CHARS), secret: compact.slice(ACCOUNT_CHARS) };
}

export async function derivePassword(secret: string): Promise<string> {
  return base64url(await derive(secret, "onsafe recovery v1: account password"));
}

export async function deriveSecretStorageKey(secret: string): Promise<Uint8Array<ArrayBuffer>> {
  return derive(secret, "onsafe recovery v1: secret storage key");
}

async function derive(secret: string, info: string): Promise<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) }, key, 256);
  return new Uint8Array(bits);
}

function isCodeText(text: string, length: number): boolean {
  return text.length === length && [...text].every((c) => ALPHABET.includes(c));
}
