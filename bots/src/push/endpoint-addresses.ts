/**
 * Where a push is sent: the addresses an endpoint's host resolves to, checked
 * before the connection and then the only ones it may use. The subscription's
 * own check (`webPushSubscriptionProblem`) sees only the URL; a name can point
 * at loopback or a private network, and could point there only after it was
 * checked, so the connection is pinned to the addresses that were checked.
 */
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { isPrivateAddress } from "@onsafe/schema/web-push";

/** All addresses of a host name (an IP literal is its own). */
export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

export const resolveWithDns: ResolveHost = async (host) => {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  return lookup(host, { all: true, verbatim: true });
};

/** The host of an endpoint URL as a resolver takes it (an IPv6 literal without brackets). */
export function endpointHost(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

/** A `lookup` for the push's connection that answers only with `addresses`. */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) return callback(null, addresses);
    const first = addresses.find((a) => !options.family || a.family === options.family) ?? addresses[0];
    callback(null, first.address, first.family);
  };
}

export const anyPrivate = (addresses: LookupAddress[]) => addresses.some((a) => isPrivateAddress(a.address));
