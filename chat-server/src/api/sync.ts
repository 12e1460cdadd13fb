/**
 * `GET /sync`, long-polling. The waiter is registered before the stream is
 * read, so a commit between reading and waiting still wakes this request.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { intParam } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { computeSync, type SyncRequest } from "../services/sync/compute.ts";
import { parseSyncToken } from "../services/sync-token.ts";

export function syncRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });

  r.get("/_matrix/client/v3/sync", async (c) => {
    const session = c.get("session");
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
    for (;;) {
      const remaining = deadline - Date.now();
      const waiter = remaining > 0 && request.since ? hs.notifier.wait(session.userId, remaining, signal) : undefined;
      const result = computeSync(hs, request);
      if (!result.empty || !waiter) {
        waiter?.cancel();
        return c.json(result.body);
      }
      if (!(await waiter.promise)) return c.json(computeSync(hs, request).body);
    }
  });
  return r;
}
