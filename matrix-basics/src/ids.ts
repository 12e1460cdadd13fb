/** Matrix identifier checks and generators (Appendices: Identifier Grammar). */
import { randomBytes } from "node:crypto";

const USER_ID = /^@([a-z0-9._=\-/+]+):([A-Za-z0-9.\-:[\]]+)$/;
const ROOM_ID = /^![A-Za-z0-9._~\-]+:[A-Za-z0-9.\-:[\]]+$/;
const EVENT_ID = /^\$[A-Za-z0-9._~\-+/]+(:[A-Za-z0-9.\-:[\]]+)?$/;
const LOCALPART = /^[a-z0-9._=\-/+]+$/;

export const isUserId = (s: string) => s.length <= 255 && USER_ID.test(s);
export const isRoomId = (s: string) => s.length <= 255 && ROOM_ID.test(s);
export const isEventId = (s: string) => s.length <= 255 && EVENT_ID.test(s);
export const isLocalpart = (s: string) => s.length > 0 && s.length <= 200 && LOCALPART.test(s);

export function localpartOf(userId: string): string {
  return userId.slice(1, userId.lastIndexOf(":"));
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

const EVENT_ID_BYTES = 32;
/** Random bytes for event ids, drawn 128 ids at a time: one `randomBytes` call per event was about 15% of a send in a profile (docs/BENCHMARKS.md). */
let eventIdPool = Buffer.alloc(0);
let eventIdOffset = 0;

/** A new event id: `$` and 32 random bytes in URL-safe base64, as room version 4+ ids look. */
export function newEventId(): string {
  if (eventIdOffset + EVENT_ID_BYTES > eventIdPool.length) {
    eventIdPool = randomBytes(EVENT_ID_BYTES * 128);
    eventIdOffset = 0;
  }
  const id = `$${eventIdPool.toString("base64url", eventIdOffset, eventIdOffset + EVENT_ID_BYTES)}`;
  eventIdOffset += EVENT_ID_BYTES;
  return id;
}

/** Lower-case letters and digits only, for localparts and device ids. */
export function randomAlnum(length: number): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
