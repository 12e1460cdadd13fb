/**
 * Forwards `/_onsafe/*` (the ops API and public config) to the bots service,
 * so a browser sees one origin. Only the headers the ops API needs go through;
 * nothing about the request is logged.
 */
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

const FORWARDED_REQUEST_HEADERS = ["authorization", "content-type", "accept", "accept-language"];
const FORWARDED_RESPONSE_HEADERS = ["content-type", "cache-control", "allow", "retry-after"];
const PROXY_TIMEOUT_MS = 35_000;

export function onsafeProxy(botsUrl: string) {
  const base = botsUrl.replace(/\/$/, "");
  return async (c: Context<AppEnv>): Promise<Response> => {
    const incoming = new URL(c.req.url);
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const hasBody = !["GET", "HEAD"].includes(c.req.method);
    let upstream: Response;
    try {
      upstream = await fetch(base + incoming.pathname + incoming.search, {
        method: c.req.method,
        headers,
        body: hasBody ? await c.req.arrayBuffer() : undefined,
        // A browser going away ends the forwarded request too: a console's long poll must not keep its waiter in the bots service.
        signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(PROXY_TIMEOUT_MS)]),
        redirect: "manual",
      });
    } catch {
      return c.json({ errcode: "M_UNKNOWN", error: "The onsafe service is starting or unavailable; try again shortly" }, 502, { "retry-after": "5" });
    }
    const out = new Headers();
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    return new Response(upstream.body, { status: upstream.status, headers: out });
  };
}
