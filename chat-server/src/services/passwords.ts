/** Password hashing with scrypt (node:crypto); the format records its parameters. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { MatrixError } from "@onsafe/matrix-basics";

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const N = 16384, R = 8, P = 1, LEN = 32;

const MIN_LENGTH = 8;
const MAX_LENGTH = 512;

/** The one password rule, for registration, admin registration and password changes. */
export function assertAcceptablePassword(password: string): void {
  if (password.length < MIN_LENGTH) throw new MatrixError(400, "M_WEAK_PASSWORD", `Password must be at least ${MIN_LENGTH} characters`);
  if (password.length > MAX_LENGTH) throw new MatrixError(400, "M_BAD_JSON", `Password must be at most ${MAX_LENGTH} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n), r: Number(r), p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}
