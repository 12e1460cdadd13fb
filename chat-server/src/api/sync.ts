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
import { intParam } from "@onsafe/matrix-basics";
import { Slots } from "../http/slots.ts";
import { visitorSyncBytesLimit } from "./send-limit.ts";

export function syncRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  /**
   * Open `/sync` requests per account, in memory: one account must not hold the server's connections.
   * Past it 429 with a second's retry (one of its syncs will have returned by then, or timed out).
   */
  const open = new Slots(Number.POSITIVE_INFINITY, hs.config.maxSyncsPerUser);
  const syncBytes = visitorSyncBytesLimit(hs.config);

  r.get("/_matrix/client/v3/sync", async (c) => {
    const session = c.get("session");
    const release = open.take(session.userId);
    try {
      syncBytes.check(session);
      return await sync(c, session);
    } finally {
      release();
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
