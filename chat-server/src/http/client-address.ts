/**
 * The client's address as the server sees it: the key of the per-address limits
 * (never stored or logged).
 *
 * Behind a reverse proxy every connection comes from the proxy. Only when the
 * connection's peer is one of `ONSAFE_TRUSTED_PROXIES` is `X-Forwarded-For`
 * read: the client is the right-most address in it that is not itself a trusted
 * proxy (each proxy appends the address it was reached from, so everything left
 * of that is the client's own to write). From any other peer the header is
 * ignored: a client cannot choose its key and reset its budgets.
 */
import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";

/** The trusted proxies of `ONSAFE_TRUSTED_PROXIES` (addresses or CIDR ranges); throws on an entry that is neither. */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(prefix!) || bits > maxBits))) {
      throw new Error(`ONSAFE_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, bits, type);
  }
  return list;
}

/**
 * `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) as `10.0.0.1`; an
 * IPv6 address in brackets without them; a hop written with its port, as some
 * proxies and load balancers do (`1.2.3.4:5678`, `[2001:db8::1]:443`), without it.
 */
function normalise(address: string): string {
  const trimmed = address.trim();
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d{1,5}$/.exec(trimmed) ?? /^\[([^\]]+)\]:\d{1,5}$/.exec(trimmed);
  const bare = withPort ? withPort[1]! : trimmed.replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  return mapped ? mapped[1]! : bare;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client address of a request from `peer` with these `X-Forwarded-For` headers (joined with commas). */
export function resolveClientAddress(list: BlockList, peer: string | undefined, forwardedFor: string | undefined): string {
  let client = normalise(peer ?? "unknown");
  if (!isTrusted(list, client) || !forwardedFor) return client;
  const hops = forwardedFor.split(",").map(normalise);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // Not an address: written by someone we do not trust; the last trusted hop is the best key there is.
    if (!isIP(hop)) return client;
    client = hop;
    if (!isTrusted(list, hop)) return hop;
  }
  return client;
}

/** Middleware that works the client address out once per request, for `clientAddress`. */
export function clientAddresses(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  const list = trustedProxyList(trustedProxies);
  return async (c, next) => {
    c.set("clientAddress", resolveClientAddress(list, getConnInfo(c).remote.address, c.req.header("x-forwarded-for")));
    await next();
  };
}

export function clientAddress(c: Context<AppEnv>): string {
  return c.get("clientAddress") ?? normalise(getConnInfo(c).remote.address ?? "unknown");
}
