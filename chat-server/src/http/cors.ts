/**
 * CORS for any origin, as the Client-Server API asks. Preflights are answered
 * by Hono's `cors`; on other requests the header goes on the handler's answer
 * once it is made. Hono's `cors` sets it on `c.res` before the handler runs,
 * and Hono then rebuilds every answer as a WHATWG Response with a stream body
 * for @hono/node-server to read back: about a quarter of a `PUT send`'s CPU
 * under load (docs/BENCHMARKS.md, write throughput).
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

export function anyOriginCors(preflight: { allowMethods?: string[]; allowHeaders?: string[]; maxAge?: number } = {}): MiddlewareHandler {
  const answerPreflight = cors({ ...preflight, origin: "*" });
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return answerPreflight(c, next);
    await next();
    c.res.headers.set("Access-Control-Allow-Origin", "*");
  };
}
