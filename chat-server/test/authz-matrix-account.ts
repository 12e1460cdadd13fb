/**
 * Rows of the matrix for routes without a room or another user in them:
 * discovery, registration and login (the only ones open without a token),
 * the caller's own account, devices, sync, key backup, push rules, pushers and media.
 * Each acts on the caller's own data, so only the kind (and a token) matters,
 * except device routes, which are tried on an own device and on someone else's.
 */
import { createECDH, randomBytes } from "node:crypto";
import { registrationMac, registrationMacParts } from "@onsafe/schema";
import { loadSecrets } from "../src/services/secrets.ts";
import { type Caller, type MemberKind, PASSWORD, type World } from "./authz-matrix-world.ts";
import { actor, anyAccount, authed, C, open, ownOnly, type Probe, type Row } from "./authz-matrix-policy.ts";
import { backupKey, DEHYDRATED_DEVICE } from "./authz-matrix-world.ts";

const get = (path: string) => async (): Promise<Probe> => ({ method: "GET", path });
/** A row for a route every account may use on its own data. */
const own = (method: string, route: string, build: Row["build"], variant?: string): Row => ({ method, route, variant, scope: "—", expect: anyAccount(), build });
/** Someone else's device: another user's device id, which must look unknown (404), not forbidden. */
const deviceOf = (w: World, caller: Caller, ownDevice: boolean) => ownDevice ? actor(w, caller).deviceId : w.peer.deviceId;
/** A throwaway account of the caller's kind, for requests that end the account or all its sessions. */
const throwaway = (w: World, caller: Caller) => caller.kind === "none" ? Promise.resolve(undefined) : w.throwaway(caller.kind as MemberKind);

async function adminRegistration(w: World): Promise<Probe> {
  const { body: { nonce } } = await w.server.request("GET", "/_synapse/admin/v1/register");
  const username = `made-${w.unique()}`;
  const mac = registrationMac(loadSecrets(w.server.config.dataDir).registrationSharedSecret, registrationMacParts(nonce, username, PASSWORD, false, "companion"));
  return { method: "POST", path: "/_synapse/admin/v1/register", body: { nonce, username, password: PASSWORD, admin: false, user_type: "companion", mac } };
}

/** Companions' and supervisors' consoles set pushers; every other kind is refused. */
const consolesOnly = authed((kind) => kind === "companion" || kind === "supervisor" ? 200 : 403);
/** A valid pusher: a fresh Web Push subscription to a public push service, through the configured gateway. */
const pusherBody = (w: World) => ({
  kind: "http", app_id: "org.onsafe.console.webpush", pushkey: createECDH("prime256v1").generateKeys().toString("base64url"),
  app_display_name: "onsafe console", device_display_name: "Chrome", lang: "en",
  data: { url: w.server.config.pushGatewayUrl, endpoint: "https://fcm.googleapis.com/fcm/send/x", auth: randomBytes(16).toString("base64url") },
});

const B = `${C}/room_keys`;
/** Key backup: each request on a fresh current version of the caller's own backup. */
const backupRow = (method: string, route: string, path: (v: { version: string; roomId: string; sessionId: string }) => string, body?: unknown): Row =>
  own(method, route, async (w, caller) => {
    const backup = caller.account ? await w.backup(caller.account) : { version: "1", roomId: "!r:localhost", sessionId: "s" };
    return { method, path: B + path(backup), body };
  });
const sessions = (v: { sessionId: string }) => ({ sessions: { [v.sessionId]: backupKey() } });

const D = DEHYDRATED_DEVICE;
/** A dehydrated device made first for the caller, where it may have one (visitors may not: they ask with none). */
const dehydratedOf = async (w: World, caller: Caller) => caller.account && caller.kind !== "visitor" ? w.dehydrate(caller.account) : undefined;
/**
 * `dehydrated_device/{deviceId}/events`: only the caller's own dehydrated
 * device. Any other id (someone else's dehydrated device, the caller's own
 * ordinary device, a visitor's, who has none) gets the same 403 (as Synapse
 * answers), so the answer tells nothing of whether it exists.
 */
const dehydratedEventsRow = (method: "GET" | "POST"): Row => ({
  method, route: `${D}/:deviceId/events`, scope: "self",
  expect: authed((kind, own) => own && kind !== "visitor" ? 200 : 403),
  build: async (w, caller, own) => {
    const deviceId = own ? await dehydratedOf(w, caller) ?? actor(w, caller).deviceId : await w.peerDehydratedDevice();
    return method === "GET" ? { method, path: `${D}/${deviceId}/events` } : { method, path: `${D}/${deviceId}/events`, body: {} };
  },
});

export const accountRows: Row[] = [
  { method: "GET", route: "/_matrix/client/versions", scope: "—", expect: open(200), build: get("/_matrix/client/versions") },
  { method: "GET", route: "/.well-known/matrix/client", scope: "—", expect: open(200), build: get("/.well-known/matrix/client") },
  { method: "GET", route: `${C}/login`, scope: "—", expect: open(200), build: get(`${C}/login`) },
  {
    method: "POST", route: `${C}/login`, scope: "—", expect: open(200),
    build: async (w) => ({ method: "POST", path: `${C}/login`, body: { type: "m.login.password", identifier: { type: "m.id.user", user: w.invitee.userId }, password: PASSWORD } }),
  },
  // Open to anyone who solves the proof-of-work challenge (docs/PROOF-OF-WORK.md).
  { method: "POST", route: `${C}/register`, scope: "—", expect: open(200), build: async (w) => ({ method: "POST", path: `${C}/register`, body: { auth: await w.server.registrationProof() } }) },
  // Localparts are chosen by the server (DESIGN.md): the question has no answer for anyone.
  { method: "GET", route: `${C}/register/available`, scope: "—", expect: open(403), build: get(`${C}/register/available?username=someone`) },
  // The shared secret's HMAC, not a token, is the credential (DESIGN.md: staff come from the admin CLI).
  { method: "GET", route: "/_synapse/admin/v1/register", scope: "—", expect: open(200), build: get("/_synapse/admin/v1/register") },
  { method: "POST", route: "/_synapse/admin/v1/register", scope: "—", expect: open(200), build: adminRegistration },

  own("GET", `${C}/capabilities`, get(`${C}/capabilities`)),
  own("GET", `${C}/voip/turnServer`, get(`${C}/voip/turnServer`)),
  own("GET", `${C}/thirdparty/protocols`, get(`${C}/thirdparty/protocols`)),
  own("GET", `${C}/account/whoami`, get(`${C}/account/whoami`)),
  own("GET", `${C}/account/3pid`, get(`${C}/account/3pid`)),
  own("POST", `${C}/account/password`, async (w, caller) => ({ method: "POST", path: `${C}/account/password`, body: { new_password: PASSWORD, logout_devices: false, auth: w.passwordAuth(actor(w, caller)) } })),
  own("POST", `${C}/account/deactivate`, async (w, caller) => {
    const spare = await throwaway(w, caller);
    return { method: "POST", path: `${C}/account/deactivate`, body: { auth: w.passwordAuth(spare ?? w.peer) }, as: spare };
  }),
  own("POST", `${C}/logout`, async (w, caller) => ({ method: "POST", path: `${C}/logout`, body: {}, as: caller.account && await w.secondDevice(caller.account) })),
  own("POST", `${C}/logout/all`, async (w, caller) => ({ method: "POST", path: `${C}/logout/all`, body: {}, as: await throwaway(w, caller) })),
  own("GET", `${C}/devices`, get(`${C}/devices`)),
  { method: "GET", route: `${C}/devices/:deviceId`, scope: "self", expect: ownOnly(404), build: async (w, caller, mine) => ({ method: "GET", path: `${C}/devices/${deviceOf(w, caller, mine)}` }) },
  // A device's name is shown to everyone who fetches its keys and stored in the clear: visitors stay anonymous (as with profiles).
  { method: "PUT", route: `${C}/devices/:deviceId`, scope: "self", expect: authed((kind, mine) => kind === "visitor" ? 403 : mine ? 200 : 404), build: async (w, caller, mine) => ({ method: "PUT", path: `${C}/devices/${deviceOf(w, caller, mine)}`, body: { display_name: "Laptop" } }) },
  {
    method: "DELETE", route: `${C}/devices/:deviceId`, scope: "self", expect: ownOnly(404),
    build: async (w, caller, mine) => {
      const second = caller.account && mine ? await w.secondDevice(caller.account) : undefined;
      return { method: "DELETE", path: `${C}/devices/${second?.deviceId ?? w.peer.deviceId}`, body: { auth: w.passwordAuth(actor(w, caller)) } };
    },
  },
  own("POST", `${C}/delete_devices`, async (w, caller) => {
    const second = caller.account ? await w.secondDevice(caller.account) : w.peer;
    return { method: "POST", path: `${C}/delete_devices`, body: { devices: [second.deviceId], auth: w.passwordAuth(actor(w, caller)) } };
  }),
  own("GET", `${C}/joined_rooms`, get(`${C}/joined_rooms`)),
  own("GET", `${C}/sync`, get(`${C}/sync?timeout=0`)),

  backupRow("GET", `${B}/version`, () => "/version"),
  backupRow("GET", `${B}/version/:version`, (v) => `/version/${v.version}`),
  backupRow("POST", `${B}/version`, () => "/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "abc" } }),
  backupRow("PUT", `${B}/version/:version`, (v) => `/version/${v.version}`, { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "def" } }),
  backupRow("DELETE", `${B}/version/:version`, (v) => `/version/${v.version}`),
  {
    ...backupRow("PUT", `${B}/keys`, () => ""),
    build: async (w, caller) => {
      const v = caller.account ? await w.backup(caller.account) : { version: "1", roomId: "!r:localhost", sessionId: "s" };
      return { method: "PUT", path: `${B}/keys?version=${v.version}`, body: { rooms: { [v.roomId]: sessions({ sessionId: `${v.sessionId}-more` }) } } };
    },
  },
  {
    ...backupRow("PUT", `${B}/keys/:roomId`, () => ""),
    build: async (w, caller) => {
      const v = caller.account ? await w.backup(caller.account) : { version: "1", roomId: "!r:localhost", sessionId: "s" };
      return { method: "PUT", path: `${B}/keys/${v.roomId}?version=${v.version}`, body: sessions({ sessionId: `${v.sessionId}-more` }) };
    },
  },
  backupRow("PUT", `${B}/keys/:roomId/:sessionId`, (v) => `/keys/${v.roomId}/${v.sessionId}-more?version=${v.version}`, backupKey()),
  backupRow("GET", `${B}/keys`, (v) => `/keys?version=${v.version}`),
  backupRow("GET", `${B}/keys/:roomId`, (v) => `/keys/${v.roomId}?version=${v.version}`),
  backupRow("GET", `${B}/keys/:roomId/:sessionId`, (v) => `/keys/${v.roomId}/${v.sessionId}?version=${v.version}`),
  backupRow("DELETE", `${B}/keys`, (v) => `/keys?version=${v.version}`),
  backupRow("DELETE", `${B}/keys/:roomId`, (v) => `/keys/${v.roomId}?version=${v.version}`),
  backupRow("DELETE", `${B}/keys/:roomId/:sessionId`, (v) => `/keys/${v.roomId}/${v.sessionId}?version=${v.version}`),

  // Dehydrated devices (MSC3814), one per user and only one's own. Visitors may not make one (403, nothing written),
  // so for them there is none to read or delete: 404, as for anyone before their first.
  { method: "GET", route: D, scope: "—", expect: authed((kind) => kind === "visitor" ? 404 : 200), build: async (w, caller) => { await dehydratedOf(w, caller); return { method: "GET", path: D }; } },
  { method: "PUT", route: D, scope: "—", expect: authed((kind) => kind === "visitor" ? 403 : 200), build: async (w, caller) => ({ method: "PUT", path: D, body: w.dehydratedDeviceBody(actor(w, caller)).body }) },
  { method: "DELETE", route: D, scope: "—", expect: authed((kind) => kind === "visitor" ? 404 : 200), build: async (w, caller) => { await dehydratedOf(w, caller); return { method: "DELETE", path: D }; } },
  dehydratedEventsRow("GET"),
  dehydratedEventsRow("POST"),

  own("GET", `${C}/pushrules`, get(`${C}/pushrules/`)),
  own("GET", `${C}/pushrules/global`, get(`${C}/pushrules/global/`)),
  own("GET", `${C}/pushrules/global/:kind/:ruleId/:attribute?`, get(`${C}/pushrules/global/override/.m.rule.master`)),
  // Pushers only for the staff who answer crisis pages (a lock-screen notification could give a victim away).
  { method: "GET", route: `${C}/pushers`, scope: "—", expect: consolesOnly, build: get(`${C}/pushers`) },
  { method: "POST", route: `${C}/pushers/set`, scope: "—", expect: consolesOnly, build: async (w) => ({ method: "POST", path: `${C}/pushers/set`, body: pusherBody(w) }) },
  // Push rules are fixed for everyone: a crisis page must not be silenced by a rule set once and forgotten.
  { method: "PUT", route: `${C}/pushrules/global/:kind/:ruleId/:attribute?`, scope: "—", expect: anyAccount(403), build: async () => ({ method: "PUT", path: `${C}/pushrules/global/content/mine`, body: { pattern: "help", actions: ["notify"] } }) },
  { method: "DELETE", route: `${C}/pushrules/global/:kind/:ruleId`, scope: "—", expect: anyAccount(403), build: async () => ({ method: "DELETE", path: `${C}/pushrules/global/override/.m.rule.master` }) },

  own("GET", "/_matrix/media/v3/config", get("/_matrix/media/v3/config")),
  own("GET", "/_matrix/client/v1/media/config", get("/_matrix/client/v1/media/config")),
  own("POST", "/_matrix/media/v3/upload", async () => ({ method: "POST", path: "/_matrix/media/v3/upload?filename=a.bin", raw: new Uint8Array([1, 2, 3]), headers: { "content-type": "application/octet-stream" } })),
  // Media ids are unguessable and, in encrypted rooms, the files are ciphertext: any account may fetch what it was sent.
  own("GET", "/_matrix/client/v1/media/download/:serverName/:mediaId/:fileName?", async (w) => ({ method: "GET", path: `/_matrix/client/v1/media/download/${(await w.mediaId()).slice("mxc://".length)}` })),
  own("GET", "/_matrix/client/v1/media/thumbnail/:serverName/:mediaId", async (w) => ({ method: "GET", path: `/_matrix/client/v1/media/thumbnail/${(await w.mediaId()).slice("mxc://".length)}?width=32&height=32` })),
  // Unauthenticated media is frozen (spec v1.11): 404 for every account.
  { method: "GET", route: "/_matrix/media/v3/download/*", scope: "—", expect: anyAccount(404), build: async (w) => ({ method: "GET", path: `/_matrix/media/v3/download/${(await w.mediaId()).slice("mxc://".length)}` }) },
  { method: "GET", route: "/_matrix/media/v3/thumbnail/*", scope: "—", expect: anyAccount(404), build: async (w) => ({ method: "GET", path: `/_matrix/media/v3/thumbnail/${(await w.mediaId()).slice("mxc://".length)}?width=32&height=32` }) },
];
