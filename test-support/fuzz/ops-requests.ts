/**
 * A seeded generator of malformed and hostile ops API requests (bots service,
 * `/_onsafe/v1/…`), built from the app's route table. Every request must be
 * refused: no token or one that is not staff's, a partner on staff routes, a
 * companion with bodies that are not JSON objects or are over the limit, and
 * ids that name nothing (the fuzzed service has no cases, slots or referrals).
 */
import type { RouteLike } from "../../chat-server/src/http/known-routes.ts";
import { Random } from "./random.ts";
import type { FuzzRequest } from "./requests.ts";

export interface OpsFuzzContext {
  routes: RouteLike[];
  /** A companion on the roster. */
  companionToken: string;
  partnerToken: string;
  visitorToken: string;
  expiredToken: string;
  maxBodyBytes: number;
}

/** Routes a partner's staff may call (GET me, GET me/referrals); the public config needs no token. */
const PARTNER_ROUTES = [/\/me$/, /\/me\/referrals$/];
const PUBLIC = [/\/public\//];

const HOSTILE_IDS = ["0", "-1", "1e309", "NaN", "..", "%2e%2e", "%252e%252e", "\u202e1", "\u200b", "a".repeat(3000), "9".repeat(400), "' or 1=1 --", "%00", "ü한글", "null", "undefined", "case-1", "!room:localhost"];
const BAD_BODIES = ["{", '{"a":', "not json", "null", "42", '"s"', "[]", "true", "[".repeat(5000) + "]".repeat(5000), '{"a":1}{"b":2}', "{'a':1}", '{"onShift":"yes"}', '{"onShift":1}', '{"onShift":null}'];

export function* generateOps(context: OpsFuzzContext, seed: number, count: number): Generator<FuzzRequest> {
  const random = new Random(seed);
  const routes = dedupe(context.routes.filter((r) => r.method !== "ALL"));
  const authed = routes.filter((r) => !PUBLIC.some((p) => p.test(r.path)));
  const staffOnly = authed.filter((r) => !(r.method === "GET" && PARTNER_ROUTES.some((p) => p.test(r.path))));
  const withBody = authed.filter((r) => (r.method === "POST" || r.method === "PUT") && !r.path.includes(":"));
  const withIds = authed.filter((r) => r.path.includes(":"));
  for (let i = 0; i < count; i++) {
    const choice = random.int(5);
    if (choice === 0) {
      const route = random.pick(authed);
      const token = random.pick(["", context.visitorToken, context.expiredToken, "x", "a".repeat(3000), "' or 1=1 --"]);
      yield request("no-auth", route.method, fill(random, route.path), token, '{"onShift":true}');
    } else if (choice === 1) {
      const route = random.pick(staffOnly);
      yield request("foreign", route.method, fill(random, route.path), context.partnerToken, '{"onShift":true}');
    } else if (choice === 2) {
      const route = random.pick(withBody);
      yield request("bad-body", route.method, route.path, context.companionToken, random.pick(BAD_BODIES));
    } else if (choice === 3) {
      const route = random.pick(withIds);
      yield request("hostile-ids", route.method, fill(random, route.path), context.companionToken, '{"outcome":"resolved"}');
    } else {
      const route = random.pick(withBody);
      yield request("oversized", route.method, route.path, context.companionToken, `{"a":"${"x".repeat(context.maxBodyBytes)}"}`);
    }
  }
}

function dedupe(routes: RouteLike[]): RouteLike[] {
  return [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
}

function fill(random: Random, path: string): string {
  return path.replace(/:([A-Za-z]+)/g, () => encodeURIComponent(random.pick(HOSTILE_IDS)));
}

function request(kind: FuzzRequest["kind"], method: string, path: string, token: string, body: string): FuzzRequest {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return { kind, method, path, headers, body: method === "GET" || method === "DELETE" ? undefined : Buffer.from(body), mayAccept: false };
}
