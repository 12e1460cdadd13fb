/**
 * A request refused in a way a script would simply repeat is answered after a
 * pause of up to `maxDelayMs`: over a limit (429 M_LIMIT_EXCEEDED: its
 * `retry_after_ms`, if shorter), over a size or quota (413 M_TOO_LARGE), or
 * without a valid token (401 M_MISSING_TOKEN, M_UNKNOWN_TOKEN; not the 401 of
 * user-interactive auth, which a client answers at once).
 *
 * The refusal itself is cheap, but a script that asks again the moment it is
 * refused turns it into thousands of requests a second, all on the server's one
 * thread: one visitor retrying at once kept 2,200 refusals a second going and
 * held everyone's `/versions` at p99 1.2 s, and with those paced, 1,900
 * tokenless 401s and 130 over-quota 413s a second held it at p99 316 ms
 * (`npm run bench -- attack`). Paced,
 * each of the script's connections asks at most about once per pause. An honest
 * client (matrix-js-sdk) waits `retry_after_ms` before asking again anyway, so
 * it loses at most the pause. The pause holds nothing but a timer and the
 * connection (already counted by every limit that applies to it); it ends early
 * if the client goes away.
 */
import type { MiddlewareHandler } from "hono";
import { MatrixError } from "@onsafe/matrix-basics";

const PACED = new Set(["429 M_LIMIT_EXCEEDED", "413 M_TOO_LARGE", "401 M_MISSING_TOKEN", "401 M_UNKNOWN_TOKEN"]);

export function paceRefusals(maxDelayMs: number): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const error = c.error;
    if (maxDelayMs <= 0 || !(error instanceof MatrixError) || !PACED.has(`${error.status} ${error.errcode}`)) return;
    const retry = error.extra.retry_after_ms;
    const delay = typeof retry === "number" && retry > 0 ? Math.min(retry, maxDelayMs) : maxDelayMs;
    await pause(delay, c.req.raw.signal);
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
