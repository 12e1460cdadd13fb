/**
 * Visitors' room events (messages, redactions, state, and membership changes:
 * join, leave, invite, kick, ban, unban), account data, to-device messages,
 * key uploads and key claims share one budget per account and minute (`ONSAFE_VISITOR_SENDS_PER_MINUTE`), so a script behind a
 * throwaway visitor cannot flood a companion's screen or the disk. Staff,
 * partners and bots are not limited: they are created by the operator, and a
 * bot held back would leave a victim waiting. Past the budget a send answers
 * `429 M_LIMIT_EXCEEDED` with `retry_after_ms`, which matrix-js-sdk honours by
 * sending again after that long. Kept in memory, like every limit here.
 */
import type { Config } from "../config.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import type { Session } from "../services/accounts.ts";

export type SendLimit = (session: Session) => void;

export function visitorSendLimit(config: Config): SendLimit {
  const limiter = new RateLimiter(config.visitorSendsPerMinute, 60_000);
  return (session) => {
    if (session.kind === "visitor") limiter.hit(session.userId);
  };
}
