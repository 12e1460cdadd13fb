import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";
const JOINED_ONLY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } };

describe("receipts, read markers and typing", () => {
  const env = serverWithAccounts({
    triage: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "eunbi"],
  });

  /** The room's part of an incremental sync, or undefined when nothing changed in it. */
  const roomAfter = async (a: Account, token: string, roomId: string, timeout = 5000) =>
    (await env.server.sync(a, `?since=${token}&timeout=${timeout}`)).body.rooms.join[roomId];
  const send = async (a: Account, roomId: string, txn: string) =>
    (await env.server.request("PUT", `${v3}/rooms/${roomId}/send/m.room.encrypted/${txn}`, { token: a.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: txn } })).body.event_id as string;
  const receipt = (a: Account, roomId: string, type: string, eventId: string, body: unknown = {}) =>
    env.server.request("POST", `${v3}/rooms/${roomId}/receipt/${type}/${encodeURIComponent(eventId)}`, { token: a.token, body });
  const readMarkers = (a: Account, roomId: string, body: unknown) => env.server.request("POST", `${v3}/rooms/${roomId}/read_markers`, { token: a.token, body });
  const typing = (a: Account, roomId: string, userId: string, body: unknown) =>
    env.server.request("PUT", `${v3}/rooms/${roomId}/typing/${encodeURIComponent(userId)}`, { token: a.token, body });

  const ephemeralOf = (room: any, type: string) => room?.ephemeral.events.find((e: any) => e.type === type);

  it("shows a read receipt to the other member, threaded ones with their thread", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const first = await send(env.triage, roomId, "one");
    const second = await send(env.triage, roomId, "two");
    const token = await env.server.nextBatch(env.triage);
    expect(await receipt(visitor, roomId, "m.read", first)).toMatchObject({ status: 200, body: {} });
    const room = await roomAfter(env.triage, token, roomId);
    expect(ephemeralOf(room, "m.receipt").content).toEqual({ [first]: { "m.read": { [visitor.userId]: { ts: expect.any(Number) } } } });

    // "main" is the unthreaded receipt; a thread root is carried along.
    const token2 = await env.server.nextBatch(env.triage);
    expect((await receipt(visitor, roomId, "m.read", second, { thread_id: "main" })).status).toBe(200);
    expect((await receipt(visitor, roomId, "m.read", second, { thread_id: first })).status).toBe(200);
    const later = ephemeralOf(await roomAfter(env.triage, token2, roomId), "m.receipt").content;
    expect(later[second]["m.read"][visitor.userId]).toEqual({ ts: expect.any(Number), thread_id: first });
    expect(env.server.hs.store.sqlite.prepare("select thread_id from receipts where room_id = ? and user_id = ? order by thread_id").all(roomId, visitor.userId))
      .toEqual([{ thread_id: "" }, { thread_id: first }]);
  });

  it("keeps a private read receipt from the other member", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const eventId = await send(env.triage, roomId, "private");
    const botToken = await env.server.nextBatch(env.triage);
    const ownToken = await env.server.nextBatch(visitor);
    expect((await receipt(visitor, roomId, "m.read.private", eventId)).status).toBe(200);
    expect(ephemeralOf(await roomAfter(visitor, ownToken, roomId), "m.receipt").content).toEqual({ [eventId]: { "m.read.private": { [visitor.userId]: { ts: expect.any(Number) } } } });
    expect(await roomAfter(env.triage, botToken, roomId, 300)).toBeUndefined();
  });

  it("sets the fully-read marker and receipts through /read_markers and through /receipt", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const first = await send(env.triage, roomId, "a");
    const second = await send(env.triage, roomId, "b");
    const botToken = await env.server.nextBatch(env.triage);
    const ownToken = await env.server.nextBatch(visitor);
    expect(await readMarkers(visitor, roomId, { "m.fully_read": first, "m.read": second })).toMatchObject({ status: 200, body: {} });
    const own = await roomAfter(visitor, ownToken, roomId);
    expect(own.account_data.events).toEqual([{ type: "m.fully_read", content: { event_id: first } }]);
    const seen = ephemeralOf(await roomAfter(env.triage, botToken, roomId), "m.receipt").content;
    expect(Object.keys(seen)).toEqual([second]);
    expect(seen[second]["m.read"][visitor.userId].ts).toBeGreaterThan(0);
    // The marker is room account data, never a receipt others see.
    const receipts = env.server.count("receipts");
    const markerToken = await env.server.nextBatch(visitor);
    expect((await receipt(visitor, roomId, "m.fully_read", second)).status).toBe(200);
    expect(env.server.count("receipts")).toBe(receipts);
    expect((await roomAfter(visitor, markerToken, roomId)).account_data.events).toEqual([{ type: "m.fully_read", content: { event_id: second } }]);
    expect((await env.server.request("GET", `${v3}/user/${visitor.userId}/rooms/${roomId}/account_data/m.fully_read`, { token: visitor.token })).body).toEqual({ event_id: second });
  });

  it("shows typing to the other member until it stops", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const token = await env.server.nextBatch(env.triage);
    expect(await typing(visitor, roomId, visitor.userId, { typing: true, timeout: 20_000 })).toMatchObject({ status: 200, body: {} });
    const started = await env.server.sync(env.triage, `?since=${token}&timeout=5000`);
    expect(ephemeralOf(started.body.rooms.join[roomId], "m.typing").content).toEqual({ user_ids: [visitor.userId] });
    expect((await typing(visitor, roomId, visitor.userId, { typing: false })).status).toBe(200);
    expect(ephemeralOf(await roomAfter(env.triage, started.body.next_batch, roomId), "m.typing").content).toEqual({ user_ids: [] });
  });

  it("refuses bad receipts and read markers with Matrix errors, and changes nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const eventId = await send(env.triage, roomId, "here");
    const elsewhere = await send(visitor, await env.server.visitorRoomWithBot(visitor, env.triage), "elsewhere");
    const strangerRoom = await env.server.visitorRoomWithBot(stranger, env.triage);
    const botToken = await env.server.nextBatch(env.triage);
    const ownToken = await env.server.nextBatch(visitor);
    const before = { receipts: env.server.count("receipts"), accountData: env.server.count("account_data") };

    expectError(await receipt(visitor, roomId, "m.unread", eventId), 400, "M_INVALID_PARAM");
    expectError(await receipt(visitor, roomId, "m.receipt", eventId), 400, "M_INVALID_PARAM");
    expectError(await receipt(visitor, roomId, "m.read", "not-an-event-id"), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.read", "$unknown"), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.read", elsewhere), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.fully_read", elsewhere), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, "!unknown:localhost", "m.read", eventId), 404, "M_NOT_FOUND");
    expectError(await receipt(stranger, roomId, "m.read", eventId), 403, "M_FORBIDDEN");
    expectError(await receipt(stranger, strangerRoom, "m.read", eventId), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: 7 }), 400, "M_BAD_JSON");
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: "" }), 400, "M_INVALID_PARAM");
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: `$${"t".repeat(300)}` }), 400, "M_BAD_JSON");
    expectError(await receipt(visitor, roomId, "m.fully_read", eventId, { thread_id: "main" }), 400, "M_INVALID_PARAM");
    // A thread is named by its root, an event of this room the reader can see: free text would add a row each time.
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: "any text at all" }), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: "$unknown" }), 404, "M_NOT_FOUND");
    expectError(await receipt(visitor, roomId, "m.read", eventId, { thread_id: elsewhere }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("POST", `${v3}/rooms/${roomId}/receipt/m.read/${eventId}`, { token: visitor.token, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");

    expectError(await readMarkers(visitor, roomId, { "m.read": 5 }), 400, "M_BAD_JSON");
    expectError(await readMarkers(visitor, roomId, { "m.fully_read": elsewhere }), 404, "M_NOT_FOUND");
    expectError(await readMarkers(visitor, roomId, { "m.fully_read": "nope" }), 404, "M_NOT_FOUND");
    // All or nothing: one bad mark refuses the good ones beside it.
    expectError(await readMarkers(visitor, roomId, { "m.fully_read": eventId, "m.read": elsewhere }), 404, "M_NOT_FOUND");
    expectError(await readMarkers(visitor, roomId, { "m.read": eventId, "m.read.private": "$unknown" }), 404, "M_NOT_FOUND");
    expectError(await readMarkers(stranger, roomId, { "m.fully_read": eventId }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", `${v3}/rooms/${roomId}/read_markers`, { token: visitor.token, raw: "[]", headers: { "content-type": "application/json" } }), 400, "M_BAD_JSON");

    expect({ receipts: env.server.count("receipts"), accountData: env.server.count("account_data") }).toEqual(before);
    expect(await roomAfter(env.triage, botToken, roomId, 0)).toBeUndefined();
    expect(await roomAfter(visitor, ownToken, roomId, 0)).toBeUndefined();
  });

  it("refuses receipts for events from before one could see the room", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage, [ENCRYPTION, JOINED_ONLY]);
    const early = await send(visitor, roomId, "before the companion");
    await env.server.request("POST", `${v3}/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } });
    await env.server.request("POST", `${v3}/rooms/${roomId}/join`, { token: env.companion.token, body: {} });
    const late = await send(visitor, roomId, "after");
    const before = env.server.count("receipts");
    expectError(await receipt(env.companion, roomId, "m.read", early), 404, "M_NOT_FOUND");
    expectError(await readMarkers(env.companion, roomId, { "m.fully_read": early }), 404, "M_NOT_FOUND");
    expect(env.server.count("receipts")).toBe(before);
    expect((await receipt(env.companion, roomId, "m.read", late)).status).toBe(200);
  });

  it("refuses typing for someone else, bad values and rooms one is not in, and changes nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const token = await env.server.nextBatch(env.triage);
    expectError(await typing(visitor, roomId, env.triage.userId, { typing: true }), 403, "M_FORBIDDEN");
    expectError(await typing(visitor, roomId, visitor.userId, { typing: "yes" }), 400, "M_BAD_JSON");
    expectError(await typing(visitor, roomId, visitor.userId, {}), 400, "M_BAD_JSON");
    expectError(await typing(visitor, roomId, visitor.userId, { typing: true, timeout: "30000" }), 400, "M_BAD_JSON");
    expectError(await typing(visitor, roomId, visitor.userId, { typing: true, timeout: -1 }), 400, "M_BAD_JSON");
    expectError(await env.server.request("PUT", `${v3}/rooms/${roomId}/typing/${visitor.userId}`, { token: visitor.token, raw: "{typing", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expectError(await typing(stranger, roomId, stranger.userId, { typing: true }), 403, "M_FORBIDDEN");
    expectError(await typing(visitor, "!unknown:localhost", visitor.userId, { typing: true }), 404, "M_NOT_FOUND");
    expect(await roomAfter(env.triage, token, roomId, 300)).toBeUndefined();
    expect(ephemeralOf((await env.server.sync(env.triage)).body.rooms.join[roomId], "m.typing")).toBeUndefined();
  });

  it("never moves a receipt backwards", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const older = await send(env.triage, roomId, "older");
    const newer = await send(env.triage, roomId, "newer");
    expect((await receipt(visitor, roomId, "m.read", newer)).status).toBe(200);
    const token = await env.server.nextBatch(env.triage);
    const before = env.server.count("receipts");
    expect((await receipt(visitor, roomId, "m.read", older)).status).toBe(200);
    expect(env.server.count("receipts")).toBe(before);
    expect(await roomAfter(env.triage, token, roomId, 200)).toBeUndefined();
    const stored = env.server.hs.store.sqlite.prepare("select event_id from receipts where user_id = ? and receipt_type = 'm.read'").get(visitor.userId) as { event_id: string };
    expect(stored.event_id).toBe(newer);
  });
});
