/**
 * Visitors' write budgets, per account and minute (docs/VISITOR-WRITES.md lists
 * every route and its bound):
 *
 * - `visitorSendLimit` (`ONSAFE_VISITOR_SENDS_PER_MINUTE`): writes that add to
 *   what the server keeps or that others receive: room events (messages,
 *   redactions, state, membership changes: join, leave, invite, kick, ban,
 *   unban), forgetting a room, account data, to-device messages, key uploads
 *   and claims, cross-signing keys and signatures, key backup (versions and
 *   keys, written or deleted), filters, device deletion and password changes.
 * - `visitorEphemeralLimit` (`ONSAFE_VISITOR_EPHEMERAL_PER_MINUTE`): read
 *   receipts, read markers and typing notices, which replace the visitor's
 *   previous one rather than add to it, and which an app sends beside each
 *   message, so they must not eat into the send budget.
 *
 * Every write is a committed transaction on the single writer and wakes
 * someone's sync: unbounded, a script behind a throwaway visitor would slow
 * everyone's sends, flood a companion's screen or fill the disk. Staff,
 * partners and bots are not limited: they are created by the operator, and a
 * bot held back would leave a victim waiting. Past a budget a write answers
 * `429 M_LIMIT_EXCEEDED` with `retry_after_ms`, before its body is read, so it
 * changes nothing; matrix-js-sdk honours it by sending again after that long.
 * Kept in memory, like every limit here.
 */
import type { Config } from "../config.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import type { Session } from "../services/accounts.ts";

export type SendLimit = (session: Session) => void;

function visitorLimit(perMinute: number): SendLimit {
  const limiter = new RateLimiter(perMinute, 60_000);
  return (session) => {
    if (session.kind === "visitor") limiter.hit(session.userId);
  };
}

export function visitorSendLimit(config: Config): SendLimit {
  return visitorLimit(config.visitorSendsPerMinute);
}

export function visitorEphemeralLimit(config: Config): SendLimit {
  return visitorLimit(config.visitorEphemeralPerMinute);
}

/**
 * What a visitor's `/sync` answers may weigh in each 10 seconds
 * (`ONSAFE_VISITOR_SYNC_BYTES_PER_10S`). Each answer is computed, serialised
 * and written in one go on the server's one thread: an initial sync carrying a
 * full megabyte of account data costs 20-35 ms, and ten at once, again and
 * again, kept everyone else's requests waiting for seconds (`npm run bench --
 * attack`). `check` refuses a sync before any work once the window's bytes are
 * spent (429 with retry_after_ms); `spend` counts an answer's bytes after it is
 * made. A visitor's honest syncs weigh a few kilobytes each.
 */
export interface SyncBytesLimit {
  check(session: Session): void;
  spend(session: Session, bytes: number): void;
}

export function visitorSyncBytesLimit(config: Config): SyncBytesLimit {
  const limiter = new RateLimiter(config.visitorSyncBytesPer10s, 10_000);
  return {
    check: (session) => { if (session.kind === "visitor") limiter.check(session.userId); },
    spend: (session, bytes) => { if (session.kind === "visitor") limiter.spend(session.userId, bytes); },
  };
}
