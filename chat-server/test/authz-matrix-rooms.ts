/**
 * Rows of the matrix for room-scoped routes: creation, membership, state,
 * events, receipts and typing. "In" is a member of a fresh room (joined, or
 * invited for the join routes, or left for forget); "out" is the same kind of
 * room with the caller never in it. DESIGN.md: "Every endpoint checks the
 * caller's account kind and room membership".
 */
import { ENCRYPTION } from "./harness.ts";
import type { Caller, CellRoom, World } from "./authz-matrix-world.ts";
import { actor, authed, C, type Cell, membersOnly, type Probe, type Row, triage } from "./authz-matrix-policy.ts";
import { megolm } from "./authz-matrix-world.ts";

const roomFor = (w: World, caller: Caller, inRoom: boolean, membership: "invite" | "join" | "leave" = "join", preset?: "public_chat") =>
  w.room(caller.account, inRoom ? membership : "none", preset);

/** A row whose request acts on a fresh room the caller is (or is not) in. */
function roomRow(method: string, route: string, expect: Row["expect"], request: (w: World, caller: Caller, room: CellRoom, inRoom: boolean) => Probe | Promise<Probe>, extra: Partial<Row> & { membership?: "invite" | "leave"; preset?: "public_chat" } = {}): Row {
  const { membership = "join", preset, ...rest } = extra;
  return {
    method, route, scope: "room", expect,
    build: async (w, caller, inRoom) => request(w, caller, await roomFor(w, caller, inRoom, membership, preset), inRoom),
    ...rest,
  };
}

/** DESIGN.md: visitors "invite only the triage bot"; partners invite nobody; staff and bots invite staff; only bots invite visitors. */
const inviteStaff = authed((kind, inRoom) => kind === "visitor" || kind === "partner" ? 403 : inRoom ? 200 : 403);
/** policy.ts: "Only bots may invite visitors" — a visitor meets staff only through the bots' routing. */
const inviteVisitor = authed((kind, inRoom) => kind !== "bot" ? 403 : inRoom ? 200 : 403);
const inviteTriage = authed((kind, inRoom): Cell => kind === "bot" ? "n/a" : kind === "partner" ? 403 : inRoom ? 200 : 403);
/** State events are not encrypted: visitors may set only what keeps their room private and encrypted. */
/**
 * A public room is open to staff and bots without an invite; DESIGN.md lets a
 * visitor into rooms they are invited to (or create), and a partner only into
 * hand-off rooms they are invited to.
 */
const joinPublic = authed((kind, invited) => invited || (kind !== "visitor" && kind !== "partner") ? 200 : 403);
const staffState = authed((kind, inRoom) => kind === "visitor" ? 403 : inRoom ? 200 : 403);

const R = `${C}/rooms/:roomId`;

export const roomRows: Row[] = [
  {
    method: "POST", route: `${C}/createRoom`, variant: "inviting the triage bot", scope: "—",
    // DESIGN.md: partners only join hand-off rooms; visitors create encrypted rooms that invite the triage bot.
    expect: authed((kind): Cell => kind === "bot" ? "n/a" : kind === "partner" ? 403 : 200),
    build: async (w, caller) => caller.kind === "bot" ? undefined : { method: "POST", path: `${C}/createRoom`, body: { invite: [triage(w).userId], initial_state: [ENCRYPTION] } },
  },
  {
    method: "POST", route: `${C}/createRoom`, variant: "inviting a companion", scope: "—",
    expect: authed((kind) => kind === "visitor" || kind === "partner" ? 403 : 200),
    build: async (w) => ({ method: "POST", path: `${C}/createRoom`, body: { invite: [w.invitee.userId], initial_state: [ENCRYPTION] } }),
  },
  {
    method: "POST", route: `${C}/createRoom`, variant: "inviting the scheduling bot", scope: "—",
    expect: authed((kind) => kind === "visitor" || kind === "partner" ? 403 : 200),
    build: async (w) => ({ method: "POST", path: `${C}/createRoom`, body: { invite: [w.scheduling.userId], initial_state: [ENCRYPTION] } }),
  },
  {
    method: "POST", route: `${C}/createRoom`, variant: "inviting a visitor", scope: "—",
    expect: authed((kind) => kind === "bot" ? 200 : 403),
    build: async (w) => ({ method: "POST", path: `${C}/createRoom`, body: { invite: [w.visitor.userId], initial_state: [ENCRYPTION] } }),
  },
  roomRow("POST", `${C}/join/:roomIdOrAlias`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/join/${room.roomId}`, body: {} }), { membership: "invite" }),
  roomRow("POST", `${R}/join`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/join`, body: {} }), { membership: "invite" }),
  roomRow("POST", `${R}/join`, joinPublic, (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/join`, body: {} }), { membership: "invite", preset: "public_chat", variant: "a public room" }),
  roomRow("POST", `${R}/leave`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/leave`, body: {} })),
  roomRow("POST", `${R}/invite`, inviteStaff, (w, _, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/invite`, body: { user_id: w.invitee.userId } }), { variant: "a companion" }),
  {
    ...roomRow("POST", `${R}/invite`, inviteTriage, (w, _, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/invite`, body: { user_id: triage(w).userId } })),
    variant: "the triage bot",
    build: async (w, caller, inRoom) => caller.kind === "bot" ? undefined
      : { method: "POST", path: `${C}/rooms/${(await roomFor(w, caller, inRoom)).roomId}/invite`, body: { user_id: triage(w).userId } },
  },
  roomRow("POST", `${R}/invite`, inviteStaff, (w, _, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/invite`, body: { user_id: w.scheduling.userId } }), { variant: "the scheduling bot" }),
  roomRow("POST", `${R}/invite`, inviteVisitor, (w, _, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/invite`, body: { user_id: w.visitor.userId } }), { variant: "a visitor" }),
  roomRow("POST", `${R}/kick`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/kick`, body: { user_id: room.bystander.userId } })),
  roomRow("POST", `${R}/ban`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/ban`, body: { user_id: room.bystander.userId } })),
  roomRow("POST", `${R}/unban`, membersOnly(), async (w, _, room) => {
    await w.must(w.host, "POST", `/rooms/${room.roomId}/ban`, { user_id: room.bystander.userId });
    return { method: "POST", path: `${C}/rooms/${room.roomId}/unban`, body: { user_id: room.bystander.userId } };
  }),
  // Forgetting a room one was never in is the spec's no-op (as in Synapse): the same 200 as for a room that does not exist, and nothing changes.
  roomRow("POST", `${R}/forget`, authed((_, left) => left ? 200 : "hidden"), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/forget`, body: {} }), { membership: "leave", reveals: () => false }),
  roomRow("GET", `${R}/state`, membersOnly(), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/state` })),
  roomRow("GET", `${R}/state/:type/:stateKey?`, membersOnly(), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/state/m.room.encryption` })),
  roomRow("PUT", `${R}/state/:type/:stateKey`, staffState, (_, __, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/state/org.onsafe.example/note`, body: { note: "staff only" } })),
  { ...roomRow("PUT", `${R}/state/:type`, staffState, (_, __, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/state/m.room.name`, body: { name: "A name" } })), variant: "m.room.name" },
  { ...roomRow("PUT", `${R}/state/:type`, membersOnly(), (_, __, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/state/m.room.history_visibility`, body: { history_visibility: "joined" } })), variant: "m.room.history_visibility" },
  roomRow("GET", `${R}/members`, membersOnly(), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/members` })),
  roomRow("GET", `${R}/joined_members`, membersOnly(), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/joined_members` })),
  roomRow("PUT", `${R}/send/:eventType/:txnId`, membersOnly(), (w, _, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/send/m.room.encrypted/${w.unique()}`, body: megolm() })),
  roomRow("PUT", `${R}/redact/:eventId/:txnId`, membersOnly(), async (w, caller, room, inRoom) => {
    // One's own message where one can; a member's where one is not in the room.
    const eventId = inRoom && caller.account ? await w.sendEncrypted(caller.account, room.roomId) : room.hostEvent;
    return { method: "PUT", path: `${C}/rooms/${room.roomId}/redact/${eventId}/${w.unique()}`, body: {} };
  }),
  roomRow("GET", `${R}/messages`, membersOnly(), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/messages?dir=b&limit=5` })),
  // The spec: 404 "not found or you do not have permission to read this event".
  roomRow("GET", `${R}/event/:eventId`, membersOnly(404), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/event/${room.hostEvent}` })),
  roomRow("GET", `${R}/context/:eventId`, membersOnly(404), (_, __, room) => ({ method: "GET", path: `${C}/rooms/${room.roomId}/context/${room.hostEvent}?limit=4` })),
  roomRow("POST", `${R}/receipt/:receiptType/:eventId`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/receipt/m.read/${room.hostEvent}`, body: {} })),
  roomRow("POST", `${R}/read_markers`, membersOnly(), (_, __, room) => ({ method: "POST", path: `${C}/rooms/${room.roomId}/read_markers`, body: { "m.fully_read": room.hostEvent, "m.read": room.hostEvent } })),
  roomRow("PUT", `${R}/typing/:userId`, membersOnly(), (w, caller, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/typing/${actor(w, caller).userId}`, body: { typing: true, timeout: 1000 } })),
  // One's own typing state only, even in one's own room (policy: the path names another user).
  { ...roomRow("PUT", `${R}/typing/:userId`, authed(() => 403), (w, _, room) => ({ method: "PUT", path: `${C}/rooms/${room.roomId}/typing/${room.bystander.userId}`, body: { typing: true, timeout: 1000 } })), variant: "someone else's" },
  roomRow("PUT", `${C}/user/:userId/rooms/:roomId/account_data/:type`, membersOnly(), (w, caller, room) => ({ method: "PUT", path: `${C}/user/${actor(w, caller).userId}/rooms/${room.roomId}/account_data/org.onsafe.example`, body: { seen: true } })),
  roomRow("GET", `${C}/user/:userId/rooms/:roomId/account_data/:type`, membersOnly(), async (w, caller, room, inRoom) => {
    if (inRoom && caller.account) await w.must(caller.account, "PUT", `/user/${caller.account.userId}/rooms/${room.roomId}/account_data/org.onsafe.example`, { seen: true });
    return { method: "GET", path: `${C}/user/${actor(w, caller).userId}/rooms/${room.roomId}/account_data/org.onsafe.example` };
  }),
  { ...roomRow("PUT", `${C}/user/:userId/rooms/:roomId/account_data/:type`, authed(() => 403), (w, _, room) => ({ method: "PUT", path: `${C}/user/${room.bystander.userId}/rooms/${room.roomId}/account_data/org.onsafe.example`, body: { seen: true } })), variant: "someone else's" },
];
