/** Public ids: short, random, unguessable enough to say on the phone (`c-7k2q9x`, `a-…` appointments, `s-…` slots). */
import { randomInt } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
export const CASE_ID_PATTERN = /^c-[0-9a-z]{6}$/;

/** `prefix-` and six random letters or digits. */
export function shortId(prefix: string): string {
  let id = `${prefix}-`;
  for (let i = 0; i < 6; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export function newCaseId(): string {
  return shortId("c");
}
