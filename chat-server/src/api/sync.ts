/**
 * `GET /sync`, long-polling. The waiter is registered before the stream is
 * read, so a commit between reading and waiting still wakes this request.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Homeserver } from "../services/homeserver.ts";
import type { Session } from "../services/accounts.ts";
import type { SyncRequest } from "../services/sync/compute.ts";
import { parseSyncToken } from "../services/sync-token.ts";
import { intParam, limitExceeded } from "@onsafe/matrix-basics";
import { visitorSyncBytesLimit } from "./send-limit.ts";

/** A client over the limit tries again after this long (one of its syncs will have returned by then, or timed out). */
const SYNC_RETRY_MS = 1000;

export function syncRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  /** Open `/sync` requests per account, in memory: one account must not hold the server's connections. */
  const open = new Map<string, number>();
  const syncBytes = visitorSyncBytesLimit(hs.config);

  r.get("/_matrix/client/v3/sync", async (c) => {
    const session = c.get("session");
    const holding = open.get(session.userId) ?? 0;
    if (holding >= hs.config.maxSyncsPerUser) throw limitExceeded(SYNC_RETRY_MS);
    syncBytes.check(session);
    open.set(session.userId, holding + 1);
    try {
      return await sync(c, session);
    } finally {
      const left = (open.get(session.userId) ?? 1) - 1;
      if (left > 0) open.set(session.userId, left);
      else open.delete(session.userId);
    }
  });

  const sync = async (c: Context<AppEnv>, session: Session) => {
    const since = c.req.query("since");
    const request: SyncRequest = {
      userId: session.userId,
      deviceId: session.deviceId,
      since: since ? parseSyncToken(since) : undefined,
      filter: hs.filters.get(session.userId, c.req.query("filter") ?? "{}"),
      fullState: c.req.query("full_state") === "true",
    };
    const timeout = intParam(c.req.query("timeout"), 0, hs.config.maxSyncTimeoutMs);
    const deadline = Date.now() + timeout;
    const signal = c.req.raw.signal;
    // Serialised here, in the same synchronous step as the computing, so the answer's weight is spent
    // before any other request of the account is looked at (send-limit.ts visitorSyncBytesLimit).
    const answer = (body: object) => {
      const text = JSON.stringify(body);
      syncBytes.spend(session, Buffer.byteLength(text));
      return c.body(text, 200, { "Content-Type": "application/json" });
    };
    for (;;) {
      const remaining = deadline - Date.now();
      const waiter = remaining > 0 && request.since ? hs.notifier.wait(session.userId, remaining, signal) : undefined;
      const result = hs.sync.compute(request);
      if (!result.empty || !waiter) {
        waiter?.cancel();
        return answer(result.body);
      }
      if (!(await waiter.promise)) return answer(hs.sync.compute(request).body);
    }
  };
  return r;
}
