/**
 * The checks of a Web Push subscription shared by the homeserver (when a
 * console sets its pusher) and the bots' push gateway (before each push):
 * keys of the right shape, and an endpoint that is a public `https:` URL. The
 * gateway calls `isPrivateAddress` again on the addresses the host resolves to,
 * since a name can point anywhere (docs/CRISIS.md "Push").
 *
 * Node only (`node:net`): imported as `@onsafe/schema/web-push`, not from the
 * package's index, which the web app also reads.
 */
import { BlockList, isIP } from "node:net";

export interface WebPushSubscription {
  /** The subscription's `p256dh` key, base64url: the Matrix pusher's `pushkey`. */
  pushkey: string;
  /** The push service's URL (`data.endpoint`). */
  endpoint: string;
  /** The subscription's `auth` secret, base64url (`data.auth`). */
  auth: string;
}

/** Push services' endpoints are a few hundred characters (FCM's about 200, Mozilla's about 250). */
export const MAX_ENDPOINT_LENGTH = 1024;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Addresses no push service has: loopback, private, carrier-grade NAT, link-local, unspecified. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16],
] as const) PRIVATE.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10]] as const) PRIVATE.addSubnet(network, prefix, "ipv6");

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`, `::ffff:a00:1`), if it is one. */
function mappedIPv4(ip: string): string | undefined {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(ip);
  if (!match) return undefined;
  const rest = match[1]!;
  if (isIP(rest) === 4) return rest;
  const words = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!words) return undefined;
  const high = parseInt(words[1]!, 16);
  const low = parseInt(words[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Whether a literal IP address (v4 or v6, without brackets) is loopback, private, link-local, unspecified or an IPv4-mapped one of those. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return PRIVATE.check(ip, "ipv4");
  if (family !== 6) return false;
  const v4 = mappedIPv4(ip);
  if (v4 !== undefined) return PRIVATE.check(v4, "ipv4");
  return PRIVATE.check(ip, "ipv6");
}

function base64urlBytes(value: string): Buffer | undefined {
  if (!BASE64URL.test(value)) return undefined;
  return Buffer.from(value, "base64url");
}

/**
 * What is wrong with a subscription, as a sentence for the client, or null when
 * it passes. Syntactic only: a host name is not resolved here. `allowPrivate`
 * is the explicit test mode (ONSAFE_PUSH_ALLOW_PRIVATE_ENDPOINTS=1), in which
 * a push service on loopback may be used.
 */
export function webPushSubscriptionProblem(subscription: WebPushSubscription, options: { allowPrivate: boolean }): string | null {
  const { pushkey, endpoint, auth } = subscription;
  const key = typeof pushkey === "string" ? base64urlBytes(pushkey) : undefined;
  if (!key || key.length !== 65 || key[0] !== 0x04) return "pushkey must be the subscription's p256dh key: base64url of a 65-byte uncompressed P-256 point";
  const secret = typeof auth === "string" ? base64urlBytes(auth) : undefined;
  if (!secret || secret.length !== 16) return "data.auth must be the subscription's auth secret: base64url of 16 bytes";
  if (typeof endpoint !== "string" || endpoint.length > MAX_ENDPOINT_LENGTH) return `data.endpoint must be a URL of at most ${MAX_ENDPOINT_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "data.endpoint must be a URL";
  }
  if (url.protocol !== "https:") return "data.endpoint must be an https: URL";
  if (url.username || url.password) return "data.endpoint must not carry a user name or password";
  if (options.allowPrivate) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (host === "localhost" || host.endsWith(".localhost") || isPrivateAddress(literal)) {
    return "data.endpoint must be a public push service, not a loopback, private or link-local address";
  }
  return null;
}
