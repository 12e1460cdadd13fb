/**
 * Rows of the matrix for user-scoped routes: keys, to-device, profiles,
 * directories, account data and filters. DESIGN.md: visitors see only
 * themselves and the people they share a room with; nobody reads or writes
 * another user's account data, devices or profile.
 */
import type { Reply } from "./harness.ts";
import { type Caller, crossKey, type World } from "./authz-matrix-world.ts";
import { SigningKey } from "./signing-key.ts";
import { actor, anyAccount, authed, C, type Cell, notVisitors, ownOnly, type Row, target } from "./authz-matrix-policy.ts";

/** Visitors may reach the keys (and devices) only of people they share a room with; for anyone else the server acts as if the user were unknown. */
const visitorsSeeRoomPeers = authed((kind, shares): Cell => kind === "visitor" && !shares ? "hidden" : 200);
/** DESIGN.md: visitors stay anonymous and may not look others up; nobody changes someone else's profile. */
const ownProfileNotVisitors = authed((kind, own) => kind === "visitor" || !own ? 403 : 200);

const mentions = (reply: Reply, w: World, field: string) => reply.body?.[field]?.[w.loner.userId] !== undefined;
const selfOrPeer = (w: World, caller: Caller, own: boolean) => own ? actor(w, caller) : w.peer;

export const userRows: Row[] = [
  {
    method: "POST", route: `${C}/keys/query`, scope: "peer", expect: visitorsSeeRoomPeers,
    build: async (w, _, shares) => ({ method: "POST", path: `${C}/keys/query`, body: { device_keys: { [target(w, shares).userId]: [] } } }),
    reveals: (reply, w) => ["device_keys", "master_keys", "self_signing_keys", "user_signing_keys"].some((field) => mentions(reply, w, field)),
  },
  {
    method: "POST", route: `${C}/keys/claim`, scope: "peer", expect: visitorsSeeRoomPeers,
    build: async (w, _, shares) => {
      const user = target(w, shares);
      return { method: "POST", path: `${C}/keys/claim`, body: { one_time_keys: { [user.userId]: { [user.deviceId]: "signed_curve25519" } } } };
    },
    reveals: (reply, w) => mentions(reply, w, "one_time_keys"),
  },
  {
    method: "POST", route: `${C}/keys/signatures/upload`, scope: "peer", expect: visitorsSeeRoomPeers,
    build: async (w, caller, shares) => {
      const user = target(w, shares);
      const theirs = await w.crossSigningOf(user);
      const signer = caller.account ? await w.crossSigningOf(caller.account) : { user: new SigningKey() };
      const signed = signer.user.sign(crossKey(user, "master", theirs.master), actor(w, caller).userId);
      return { method: "POST", path: `${C}/keys/signatures/upload`, body: { [user.userId]: { [theirs.master.publicKey]: signed } } };
    },
    // The failure names the key the caller sent, nothing the server knows: what counts is that nothing was stored.
    reveals: () => false,
  },
  {
    method: "PUT", route: `${C}/sendToDevice/:eventType/:txnId`, scope: "peer", expect: visitorsSeeRoomPeers,
    build: async (w, _, shares) => {
      const user = target(w, shares);
      return { method: "PUT", path: `${C}/sendToDevice/m.room.encrypted/${w.unique()}`, body: { messages: { [user.userId]: { [user.deviceId]: { algorithm: "m.olm.v1.curve25519-aes-sha2", ciphertext: {} } } } } };
    },
    reveals: () => false,
    // The sender's own transaction id is remembered, so a retry is not sent twice.
    ownTables: ["to_device_txns"],
  },
  {
    method: "POST", route: `${C}/keys/upload`, scope: "—", expect: anyAccount(),
    build: async (w) => ({ method: "POST", path: `${C}/keys/upload`, body: { one_time_keys: { [`signed_curve25519:${w.unique()}`]: { key: "k", signatures: {} } } } }),
  },
  {
    method: "GET", route: `${C}/keys/changes`, scope: "—", expect: anyAccount(),
    build: async (w, caller) => {
      const to = await w.server.nextBatch(actor(w, caller));
      return { method: "GET", path: `${C}/keys/changes?from=s0_0&to=${to}` };
    },
  },
  {
    method: "POST", route: `${C}/keys/device_signing/upload`, scope: "—", expect: anyAccount(),
    build: async (w, caller) => {
      const account = actor(w, caller);
      const [master, self, user] = [new SigningKey(), new SigningKey(), new SigningKey()];
      const body = {
        master_key: crossKey(account, "master", master),
        self_signing_key: master.sign(crossKey(account, "self_signing", self), account.userId),
        user_signing_key: master.sign(crossKey(account, "user_signing", user), account.userId),
        auth: w.passwordAuth(account),
      };
      if (caller.account) w.rememberCrossSigning(caller.account, { master, self, user });
      return { method: "POST", path: `${C}/keys/device_signing/upload`, body };
    },
  },
  { method: "GET", route: `${C}/profile/:userId`, scope: "peer", expect: notVisitors, build: async (w, _, shares) => ({ method: "GET", path: `${C}/profile/${target(w, shares).userId}` }) },
  { method: "GET", route: `${C}/profile/:userId/displayname`, scope: "peer", expect: notVisitors, build: async (w, _, shares) => ({ method: "GET", path: `${C}/profile/${target(w, shares).userId}/displayname` }) },
  { method: "GET", route: `${C}/profile/:userId/avatar_url`, scope: "peer", expect: notVisitors, build: async (w, _, shares) => ({ method: "GET", path: `${C}/profile/${target(w, shares).userId}/avatar_url` }) },
  // Visitors have no profile to read, but may read their own (empty) one, as clients do at start.
  { method: "GET", route: `${C}/profile/:userId`, variant: "own", scope: "—", expect: anyAccount(), build: async (w, caller) => ({ method: "GET", path: `${C}/profile/${actor(w, caller).userId}` }) },
  {
    method: "PUT", route: `${C}/profile/:userId/displayname`, scope: "self", expect: ownProfileNotVisitors,
    build: async (w, caller, own) => ({ method: "PUT", path: `${C}/profile/${selfOrPeer(w, caller, own).userId}/displayname`, body: { displayname: "New name" } }),
  },
  {
    method: "PUT", route: `${C}/profile/:userId/avatar_url`, scope: "self", expect: ownProfileNotVisitors,
    build: async (w, caller, own) => ({ method: "PUT", path: `${C}/profile/${selfOrPeer(w, caller, own).userId}/avatar_url`, body: { avatar_url: "mxc://localhost/new" } }),
  },
  { method: "POST", route: `${C}/user_directory/search`, scope: "—", expect: notVisitors, build: async () => ({ method: "POST", path: `${C}/user_directory/search`, body: { search_term: "peer" } }) },
  { method: "GET", route: `${C}/publicRooms`, scope: "—", expect: notVisitors, build: async () => ({ method: "GET", path: `${C}/publicRooms` }) },
  { method: "POST", route: `${C}/publicRooms`, scope: "—", expect: notVisitors, build: async () => ({ method: "POST", path: `${C}/publicRooms`, body: {} }) },
  // Room aliases do not exist on this server: 404 for everyone.
  { method: "GET", route: `${C}/directory/room/:alias`, scope: "—", expect: anyAccount(404), build: async () => ({ method: "GET", path: `${C}/directory/room/%23help:localhost` }) },
  {
    method: "PUT", route: `${C}/user/:userId/account_data/:type`, scope: "self", expect: ownOnly(),
    build: async (w, caller, own) => ({ method: "PUT", path: `${C}/user/${selfOrPeer(w, caller, own).userId}/account_data/org.onsafe.example`, body: { a: 1 } }),
  },
  {
    method: "GET", route: `${C}/user/:userId/account_data/:type`, scope: "self", expect: ownOnly(),
    build: async (w, caller, own) => {
      const account = selfOrPeer(w, caller, own);
      await w.must(account, "PUT", `/user/${account.userId}/account_data/org.onsafe.example`, { a: 1 });
      return { method: "GET", path: `${C}/user/${account.userId}/account_data/org.onsafe.example` };
    },
  },
  {
    method: "POST", route: `${C}/user/:userId/filter`, scope: "self", expect: ownOnly(),
    build: async (w, caller, own) => ({ method: "POST", path: `${C}/user/${selfOrPeer(w, caller, own).userId}/filter`, body: { room: { timeline: { limit: 10 } } } }),
  },
  {
    method: "GET", route: `${C}/user/:userId/filter/:filterId`, scope: "self", expect: ownOnly(),
    build: async (w, caller, own) => {
      const account = selfOrPeer(w, caller, own);
      const { filter_id: filterId } = await w.must(account, "POST", `/user/${account.userId}/filter`, { room: { timeline: { limit: 10 } } });
      return { method: "GET", path: `${C}/user/${account.userId}/filter/${filterId}` };
    },
  },
];
