/** Public case ids: short, random, unguessable enough to say on the phone (`c-7k2q9x`). */
import { randomInt } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
export const CASE_ID_PATTERN = /^c-[0-9a-z]{6}$/;

export function newCaseId(): string {
  let id = "c-";
  for (let i = 0; i < 6; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
