/**
 * A seeded generator of malformed and hostile homeserver requests, built from
 * the app's own route table. Every request it makes must be refused (4xx),
 * except replayed transaction ids, which must answer as the first send did and
 * change nothing, and `..` paths that leave the API for the web app.
 */
import type { RouteLike } from "../../chat-server/src/http/known-routes.ts";
import { Random } from "./random.ts";

export interface FuzzAccount {
  userId: string;
  deviceId: string;
  token: string;
}

export interface FuzzContext {
  routes: RouteLike[];
  owner: FuzzAccount;
  /** Another visitor: a real token with no business in the owner's rooms. */
  foreign: FuzzAccount;
  /** A token that was valid once (its session logged out). */
  expiredToken: string;
  roomId: string;
  eventId: string;
  /** Events the owner already sent in `roomId`, with their transaction ids. */
  sent: { txnId: string; eventId: string }[];
  maxJsonBytes: number;
}

export type FuzzKind = "no-auth" | "foreign" | "bad-body" | "wrong-types" | "hostile-ids" | "path-trick" | "path-escape" | "oversized" | "replay";

export interface FuzzRequest {
  kind: FuzzKind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Only a path that leaves the API may answer 2xx (the web app); every other request must be refused. */
  mayAccept: boolean;
  /** For a replayed transaction: the first send's event id, which it must answer again. */
  replayOf?: string;
}

/** Paths reachable without a token: the token categories skip them. */
const PUBLIC = [/\/versions$/, /^\/\.well-known\//, /\/v3\/login$/, /\/v3\/register(\/available)?$/, /^\/_synapse\//];

/** Routes that ignore their body or end the caller's own session: a refused-only run must not call them with a valid token. */
const SESSION_ENDING = [/\/logout(\/all)?$/, /\/account\/deactivate$/, /\/delete_devices$/];

const HOSTILE_STRINGS = [
  "", " ", "\u0000", "a\u0000b", "\u202eevil\u202c", "\u200b\u200c\u200d\ufeff", "\ud800", "\udfff", "x\ud83dy",
  "👩‍👩‍👧‍👦".repeat(50), "ü한글العربية", "..", "../..", "%2e%2e", "%252e%252e", "\\..\\..", "/", "//", "?", "#", "%",
  "%00", "%ZZ", "a".repeat(5000), "9".repeat(400), "-1", "1e309", "NaN", "true", "null", "[]", "{}", "<script>", "' or 1=1 --",
];

const HOSTILE_IDS = [
  "!nope:localhost", "!:localhost", "!", "@ghost:localhost", "@:localhost", "@", "@a:b:c", "#alias:localhost", "$ev:localhost",
  "!room\u0000:localhost", "!\u202e:localhost", "@\ud800:localhost", "!" + "r".repeat(300) + ":localhost", "@UPPER:localhost",
  "@user:evil.example", "!room:evil.example", "x", "..", "%2e%2e", "%252e%252e", "ü한글", "0", "-1",
];

const MALFORMED_TOKENS = ["", "x", "Bearer", "null", "undefined", "a".repeat(5000), "syt_" + "0".repeat(40), "' or 1=1 --", "%00", "tok en", "\t"];

export function* generate(context: FuzzContext, seed: number, count: number): Generator<FuzzRequest> {
  const random = new Random(seed);
  const routes = context.routes.filter((r) => r.method !== "ALL" && r.method !== "OPTIONS");
  const authed = routes.filter((r) => !PUBLIC.some((p) => p.test(r.path)));
  const withBody = routes.filter((r) => (r.method === "POST" || r.method === "PUT") && !SESSION_ENDING.some((p) => p.test(r.path)) && !r.path.includes("/upload"));
  const withIds = authed.filter((r) => /:(roomId|roomIdOrAlias|userId|deviceId|serverName|mediaId|version|alias|filterId)\b/.test(r.path) && !SESSION_ENDING.some((p) => p.test(r.path)) && !/\/forget$/.test(r.path));
  // Profiles are public, and forgetting a room one was never in is the spec's no-op: neither is refused.
  const aboutOthers = authed.filter((r) => /:(roomId|roomIdOrAlias|userId|deviceId)\b/.test(r.path) && !/profile|\/forget$/.test(r.path));
  const makers: (() => FuzzRequest)[] = [
    () => noAuth(random, context, random.pick(authed)),
    () => foreign(random, context, random.pick(aboutOthers)),
    () => badBody(random, context, random.pick(withBody)),
    () => wrongTypes(random, context),
    () => hostileIds(random, context, random.pick(withIds)),
    () => pathTrick(random, context),
    () => replay(random, context),
  ];
  for (let i = 0; i < count; i++) {
    // Oversized bodies are a megabyte each: a few are enough, made one at a time.
    yield random.chance(0.003) ? oversized(random, context, random.pick(withBody)) : random.pick(makers)();
  }
}

/** Fills a route's parameters: real values by default, `override` for those it names. */
function fillPath(path: string, values: Record<string, string>, override: (name: string) => string | undefined = () => undefined): string {
  return path
    .replace(/:([A-Za-z]+)\??/g, (_, name: string) => encodeSegment(override(name) ?? values[name] ?? "x"))
    .replace("*", "localhost/x");
}

/** Percent-encodes a path segment; a lone surrogate (which has no UTF-8) goes as the bytes of its CESU-8 form. */
function encodeSegment(segment: string): string {
  return segment
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part) => part.length === 1 && /[\ud800-\udfff]/.test(part) ? "%ED%A0%80" : encodeURIComponent(part))
    .join("");
}

function realValues(context: FuzzContext, random: Random): Record<string, string> {
  return {
    roomId: context.roomId, roomIdOrAlias: context.roomId, userId: context.owner.userId, deviceId: context.owner.deviceId,
    eventId: context.eventId, eventType: "m.room.encrypted", txnId: `fuzz-${random.int(1e9)}`, type: "m.fuzz", stateKey: "",
    receiptType: "m.read", kind: "override", ruleId: "fuzz", attribute: "enabled", version: "1", sessionId: "s",
    serverName: "localhost", mediaId: "nope", fileName: "f", alias: "#nope:localhost", filterId: "0",
  };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

function noAuth(random: Random, context: FuzzContext, route: RouteLike): FuzzRequest {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const choice = random.int(4);
  if (choice === 1) headers.authorization = `Bearer ${context.expiredToken}`;
  if (choice === 2) headers.authorization = `Bearer ${random.pick(MALFORMED_TOKENS)}`;
  if (choice === 3) headers.authorization = random.pick(["Basic abc", "Bearer", context.owner.token, `bearer  ${context.expiredToken}`]);
  const path = fillPath(route.path, realValues(context, random));
  // The access_token query parameter is the other way to send a token.
  const query = choice === 0 && random.chance(0.3) ? `?access_token=${encodeURIComponent(random.pick([context.expiredToken, "x"]))}` : "";
  return { kind: "no-auth", method: route.method, path: path + query, headers, body: bodyFor(route, json({ msgtype: "m.text", body: "hi" })), mayAccept: false };
}

function foreign(random: Random, context: FuzzContext, route: RouteLike): FuzzRequest {
  const path = fillPath(route.path, realValues(context, random));
  const body = json(random.pick([{}, { msgtype: "m.text", body: "intruder" }, { user_id: context.foreign.userId }, { membership: "join" }, { typing: true, timeout: 1000 }]));
  return { kind: "foreign", method: route.method, path, headers: bearer(context.foreign.token), body: bodyFor(route, body), mayAccept: false };
}

function deepNesting(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function badBody(random: Random, context: FuzzContext, route: RouteLike): FuzzRequest {
  const raw = random.pick<() => Buffer>([
    () => Buffer.from("{"),
    () => Buffer.from('{"a":'),
    () => Buffer.from(JSON.stringify({ msgtype: "m.text", body: "truncated" }).slice(0, 1 + random.int(30))),
    () => Buffer.from("not json"),
    () => Buffer.from("null"),
    () => Buffer.from(String(random.int(1e6) - 5e5)),
    () => Buffer.from('"a string"'),
    () => Buffer.from("[]"),
    () => Buffer.from('[{"a":1}]'),
    () => Buffer.from("true"),
    () => Buffer.from(deepNesting(5000 + random.int(20000), "[", "]")),
    () => Buffer.from('{"a":' + deepNesting(3000, '{"a":', "}") + "1}"),
    () => Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    () => Buffer.from("\u0000{}"),
    () => Buffer.from('{"a":1}{"b":2}'),
    () => Buffer.from('{"a":1,}'),
    () => Buffer.from("{'a':1}"),
    () => Buffer.from('{"a":NaN}'),
  ])();
  const path = fillPath(route.path, realValues(context, random));
  return { kind: "bad-body", method: route.method, path, headers: bearer(context.owner.token), body: raw, mayAccept: false };
}

/** Real shapes of a few strict routes with one field of the wrong type or a hostile value. */
function wrongTypes(random: Random, context: FuzzContext): FuzzRequest {
  const bad = random.pick<unknown>([5, -1, 1.5, true, null, [], [1, "a"], {}, { nested: { deeper: [] } }, "x", random.pick(HOSTILE_STRINGS)]);
  const room = encodeURIComponent(context.roomId);
  const user = encodeURIComponent(context.owner.userId);
  const cases: [string, string, unknown][] = [
    ["POST", "/_matrix/client/v3/createRoom", { preset: bad === "x" ? 5 : bad, invite: "x" }],
    ["POST", "/_matrix/client/v3/createRoom", { invite: [bad, 7] }],
    ["POST", "/_matrix/client/v3/createRoom", { initial_state: bad === null ? {} : [bad, { type: 5 }] }],
    ["POST", "/_matrix/client/v3/login", { type: bad, identifier: { type: "m.id.user", user: context.owner.userId }, password: bad }],
    ["POST", "/_matrix/client/v3/keys/upload", { device_keys: 1, one_time_keys: bad === null ? [] : bad }],
    ["POST", "/_matrix/client/v3/keys/query", { device_keys: bad === null || typeof bad === "object" ? [] : bad }],
    ["POST", "/_matrix/client/v3/keys/claim", { one_time_keys: typeof bad === "object" && bad !== null ? "x" : bad }],
    ["POST", `/_matrix/client/v3/rooms/${room}/invite`, { user_id: typeof bad === "string" ? 7 : bad }],
    ["POST", `/_matrix/client/v3/rooms/${room}/kick`, { user_id: typeof bad === "string" ? [] : bad }],
    ["PUT", `/_matrix/client/v3/rooms/${room}/typing/${user}`, { typing: typeof bad === "boolean" ? "yes" : bad }],
    ["PUT", `/_matrix/client/v3/sendToDevice/m.fuzz/fz-${random.int(1e9)}`, { messages: Array.isArray(bad) ? "x" : bad === null || typeof bad !== "object" ? [bad] : { [context.owner.userId]: 5 } }],
    ["PUT", `/_matrix/client/v3/profile/${user}/displayname`, { displayname: typeof bad === "string" ? 5 : bad }],
    ["PUT", `/_matrix/client/v3/profile/${user}/avatar_url`, { avatar_url: typeof bad === "string" ? [] : bad }],
    ["PUT", `/_matrix/client/v3/devices/${encodeURIComponent(context.owner.deviceId)}`, { display_name: typeof bad === "string" ? 5 : bad }],
    ["POST", "/_matrix/client/v3/room_keys/version", { algorithm: typeof bad === "string" ? 5 : bad, auth_data: "x" }],
    ["POST", `/_matrix/client/v3/user/${user}/filter`, { room: typeof bad === "object" && bad !== null ? 5 : bad }],
    ["POST", "/_matrix/client/v3/pushers/set", { kind: typeof bad === "string" ? 5 : bad, app_id: 1 }],
  ];
  const [method, path, body] = random.pick(cases);
  return { kind: "wrong-types", method, path, headers: bearer(context.owner.token), body: json(body), mayAccept: false };
}

/** A hostile value in each id the route names (room, user, device, media…), with an otherwise plausible body. */
function hostileIds(random: Random, context: FuzzContext, route: RouteLike): FuzzRequest {
  const ids = new Set(["roomId", "roomIdOrAlias", "userId", "deviceId", "serverName", "mediaId", "version", "alias", "filterId"]);
  const path = fillPath(route.path, realValues(context, random), (name) => ids.has(name) ? random.pick([...HOSTILE_IDS, ...HOSTILE_STRINGS.filter((s) => s !== "")]) : undefined);
  const body = json(random.pick([{}, { msgtype: "m.text", body: random.pick(HOSTILE_STRINGS) }, { user_id: random.pick(HOSTILE_IDS) }, { display_name: random.pick(HOSTILE_STRINGS) }]));
  return { kind: "hostile-ids", method: route.method, path, headers: bearer(context.owner.token), body: bodyFor(route, body), mayAccept: false };
}

function pathTrick(random: Random, context: FuzzContext): FuzzRequest {
  const tricks = [
    "/_matrix/client/v3/../../../etc/passwd", "/_matrix/client/v3/%2e%2e/%2e%2e/etc/passwd", "/_matrix/client/v3/%252e%252e/sync",
    "/_matrix/client/v3/rooms/../sync/x", "/_matrix/client/v3/" + "a".repeat(8000), "/_matrix/client/v3/rooms/" + "%".repeat(50),
    "/_matrix/client/v3/nope", "/_matrix/client/v4/sync/x", "/_matrix/client/v3/rooms", "/_matrix/client/v3/rooms/x/y/z/w/v",
    "/_matrix/client/v3/sync/%00", "/_matrix/client/v3/sync%00", "/_matrix/client/v3/user/%E2%80%AE/filter/x/y",
    "/_matrix/media/v3/upload/x/y", "/_matrix/client/v3/keys/upload/%2F..%2F..", "/_matrix/client/v3/%ZZ",
    "/_matrix/client/v3/devices/a/b", "/_matrix/client/v3/account/whoami/x", "/_synapse/admin/v1/users", "/_synapse/admin/v2/register",
    "/_matrix/client/v3/%F0%9F%98%80", "/_matrix/client/v3/%ED%A0%80", "/_matrix/client/unstable/org.matrix.msc0000/x",
  ];
  const method = random.pick(["GET", "POST", "PUT", "DELETE", "PATCH"]);
  const headers = random.chance(0.5) ? bearer(context.owner.token) : { "content-type": "application/json" };
  const body = method === "GET" ? undefined : json({ a: 1 });
  const path = random.pick(tricks);
  // A `..` that leaves /_matrix/ lands on the web app (static files, any answer but a 5xx or a file from outside it).
  const escapes = !/^\/_(matrix|synapse)\//.test(new URL(path, "http://x").pathname);
  return { kind: escapes ? "path-escape" : "path-trick", method, path, headers, body, mayAccept: escapes };
}

function oversized(random: Random, context: FuzzContext, route: RouteLike): FuzzRequest {
  const body = Buffer.alloc(context.maxJsonBytes + 1 + random.int(1000), 0x78);
  const path = fillPath(route.path, realValues(context, random));
  return { kind: "oversized", method: route.method, path, headers: bearer(context.owner.token), body, mayAccept: false };
}

/** A transaction id the owner already used, sent again with a different body: the first send's answer, nothing new. */
function replay(random: Random, context: FuzzContext): FuzzRequest {
  const { txnId, eventId } = random.pick(context.sent);
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(context.roomId)}/send/m.room.encrypted/${encodeURIComponent(txnId)}`;
  const body = json({ algorithm: "m.megolm.v1.aes-sha2", ciphertext: `replayed ${random.pick(HOSTILE_STRINGS)}` });
  return { kind: "replay", method: "PUT", path, headers: bearer(context.owner.token), body, mayAccept: true, replayOf: eventId };
}

function bodyFor(route: RouteLike, body: Buffer): Buffer | undefined {
  return route.method === "POST" || route.method === "PUT" ? body : undefined;
}
