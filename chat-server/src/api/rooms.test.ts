import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, expectError, TestServer } from "../../test/harness.ts";

const JOINED_ONLY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } };

describe("rooms, membership and visitor policy", () => {
  let server: TestServer;
  let triage: Account;
  let companion: Account;
  let supervisor: Account;
  let partner: Account;

  beforeAll(async () => {
    server = await TestServer.start();
    triage = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    companion = await server.createAccount("companion", "mina");
    supervisor = await server.createAccount("supervisor", "jiwoo");
    partner = await server.createAccount("partner", "clinic");
  });
  afterAll(async () => { await server.close(); });

  async function visitorRoom(visitor: Account) {
    const reply = await server.request("POST", "/_matrix/client/v3/createRoom", {
      token: visitor.token,
      body: { preset: "private_chat", invite: [triage.userId], initial_state: [ENCRYPTION, JOINED_ONLY], is_direct: true },
    });
    expect(reply.status).toBe(200);
    return reply.body.room_id as string;
  }

  it("lets a visitor create an encrypted room inviting the triage bot, which joins and chats", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    expect(roomId).toMatch(/^![A-Za-z0-9_-]+:localhost$/);
    expect((await server.request("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: triage.token, body: {} })).status).toBe(200);
    const sent = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/t1`, {
      token: triage.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "abc" },
    });
    expect(sent.status).toBe(200);
    const again = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/t1`, {
      token: triage.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "abc" },
    });
    expect(again.body.event_id).toBe(sent.body.event_id);
    const messages = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=50`, { token: visitor.token });
    expect(messages.body.chunk.filter((e: any) => e.type === "m.room.encrypted")).toHaveLength(1);
    const members = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/joined_members`, { token: visitor.token });
    expect(Object.keys(members.body.joined).sort()).toEqual([triage.userId, visitor.userId].sort());
    const encryption = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/state/m.room.encryption/`, { token: visitor.token });
    expect(encryption.body).toEqual({ algorithm: "m.megolm.v1.aes-sha2" });
  });

  it("applies power levels to kick and ban", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const post = (a: Account, action: string, body: unknown) => server.request("POST", `/_matrix/client/v3/rooms/${roomId}/${action}`, { token: a.token, body });
    await post(triage, "join", {});
    expectError(await post(triage, "kick", { user_id: visitor.userId }), 403, "M_FORBIDDEN");
    expect((await post(visitor, "ban", { user_id: triage.userId })).status).toBe(200);
    expectError(await post(triage, "join", {}), 403, "M_FORBIDDEN");
    expect((await post(visitor, "unban", { user_id: triage.userId })).status).toBe(200);
    expect((await post(visitor, "invite", { user_id: triage.userId })).status).toBe(200);
    expect((await post(triage, "join", {})).status).toBe(200);
    // A reason would be stored in the clear in the member event.
    expectError(await post(visitor, "kick", { user_id: triage.userId, reason: "he knows my name" }), 403, "M_FORBIDDEN");
    expect((await post(visitor, "kick", { user_id: triage.userId })).status).toBe(200);
    expect(server.hs.memberships.membershipOf(roomId, triage.userId)).toBe("leave");
    expectError(await post(visitor, "kick", { user_id: triage.userId }), 403, "M_FORBIDDEN");
  });

  it("refuses plaintext messages in an encrypted room", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = server.count("events");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/plain`, {
      token: visitor.token, body: { msgtype: "m.text", body: "this would sit in the database in the clear" },
    }), 403, "M_FORBIDDEN");
    expect(server.count("events")).toBe(before);
    const plain = await server.request("POST", "/_matrix/client/v3/createRoom", { token: companion.token, body: {} });
    expect((await server.request("PUT", `/_matrix/client/v3/rooms/${plain.body.room_id}/send/m.room.message/ok`, { token: companion.token, body: { msgtype: "m.text", body: "staff room" } })).status).toBe(200);
  });

  it("shows someone whose invite was withdrawn nothing of the room but the withdrawal", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: triage.token, body: {} });
    await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: triage.token, body: { user_id: companion.userId } });
    await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/while-invited`, { token: visitor.token, body: { ciphertext: "while invited" } });
    await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/kick`, { token: visitor.token, body: { user_id: companion.userId } });
    const page = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=100`, { token: companion.token });
    expect(page.body.chunk.map((e: any) => [e.type, e.content.membership])).toEqual([["m.room.member", "leave"]]);
  });

  it("makes concurrent retries of one send a single event", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = server.count("events");
    const replies = await Promise.all(Array.from({ length: 5 }, () =>
      server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/same-txn`, { token: visitor.token, body: { ciphertext: "once" } })));
    expect(new Set(replies.map((r) => r.body.event_id)).size).toBe(1);
    expect(server.count("events")).toBe(before + 1);
  });

  it("refuses a visitor's invites to anyone but the triage bot, unencrypted or public rooms", async () => {
    const visitor = await server.registerVisitor();
    const before = server.count("events");
    for (const body of [
      { invite: [companion.userId], initial_state: [ENCRYPTION] },
      { invite: [triage.userId] },
      { preset: "public_chat", invite: [triage.userId], initial_state: [ENCRYPTION] },
    ]) {
      expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body }), 403, "M_FORBIDDEN");
    }
    expect(server.count("events")).toBe(before);
    const roomId = await visitorRoom(visitor);
    const afterRoom = server.count("events");
    for (const target of [companion.userId, supervisor.userId, partner.userId]) {
      expectError(await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: visitor.token, body: { user_id: target } }), 403, "M_FORBIDDEN");
    }
    expect(server.count("events")).toBe(afterRoom);
  });

  it("keeps visitors out of rooms they were not invited to", async () => {
    const owner = await server.registerVisitor();
    const stranger = await server.registerVisitor();
    const roomId = await visitorRoom(owner);
    // A public room made by staff is still closed to visitors.
    const open = await server.request("POST", "/_matrix/client/v3/createRoom", { token: companion.token, body: { preset: "public_chat" } });
    const before = server.count("events");
    expectError(await server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expectError(await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages`, { token: stranger.token }), 403, "M_FORBIDDEN");
    expectError(await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/members`, { token: stranger.token }), 403, "M_FORBIDDEN");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/x`, { token: stranger.token, body: { msgtype: "m.text", body: "hi" } }), 403, "M_FORBIDDEN");
    expectError(await server.request("POST", `/_matrix/client/v3/join/${open.body.room_id}`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expect(server.count("events")).toBe(before);
  });

  it("lets the bot invite a companion, the companion invite a colleague, and refuses what policy forbids", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: triage.token, body: {} });
    expect((await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: triage.token, body: { user_id: companion.userId } })).status).toBe(200);
    expect((await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/join`, { token: companion.token, body: {} })).status).toBe(200);
    expect((await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: companion.token, body: { user_id: supervisor.userId } })).status).toBe(200);
    const other = await server.registerVisitor();
    expectError(await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: companion.token, body: { user_id: other.userId } }), 403, "M_FORBIDDEN");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { token: partner.token, body: {} }), 403, "M_FORBIDDEN");
    expect((await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/leave`, { token: triage.token, body: {} })).status).toBe(200);
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/y`, { token: triage.token, body: { msgtype: "m.text", body: "x" } }), 403, "M_FORBIDDEN");
  });

  it("answers bad input with Matrix errors and changes nothing", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = server.count("events");
    const t = { token: visitor.token };
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { invite: "nope" } }), 400, "M_BAD_JSON");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { invite: ["@ghost:localhost"], initial_state: [ENCRYPTION] } }), 404, "M_NOT_FOUND");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { room_version: "1" } }), 400, "M_UNSUPPORTED_ROOM_VERSION");
    expectError(await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { ...t, body: {} }), 400, "M_MISSING_PARAM");
    expectError(await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { ...t, body: { user_id: 5 } }), 400, "M_BAD_JSON");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/!nope:localhost/send/m.room.message/1`, { ...t, body: { body: "x" } }), 404, "M_NOT_FOUND");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/not-a-room/send/m.room.message/1`, { ...t, body: { body: "x" } }), 404, "M_NOT_FOUND");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/1`, { ...t, body: { ciphertext: "x".repeat(70_000) } }), 413, "M_TOO_LARGE");
    expectError(await server.requestOversized("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/2`, 2_000_000, visitor.token), 413, "M_TOO_LARGE");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.create/`, { ...t, body: {} }), 403, "M_FORBIDDEN");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.join_rules/`, { ...t, body: { join_rule: "public" } }), 403, "M_FORBIDDEN");
    // Room state is not encrypted: visitors may not put words in it.
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.name/`, { ...t, body: { name: "Help, it's Jisoo" } }), 403, "M_FORBIDDEN");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.topic/`, { ...t, body: { topic: "x" } }), 403, "M_FORBIDDEN");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { name: "Jisoo", initial_state: [ENCRYPTION] } }), 403, "M_FORBIDDEN");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { initial_state: [ENCRYPTION, { type: "m.room.topic", content: { topic: "x" } }] } }), 403, "M_FORBIDDEN");
    expectError(await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=sideways`, t), 400, "M_INVALID_PARAM");
    expectError(await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?from=garbage`, t), 400, "M_INVALID_PARAM");
    expect(server.count("events")).toBe(before);
  });

  it("shows a late joiner only what was sent after they joined when history is 'joined'", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: triage.token, body: {} });
    await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/early`, { token: visitor.token, body: { ciphertext: "before" } });
    await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: triage.token, body: { user_id: companion.userId } });
    await server.request("POST", `/_matrix/client/v3/rooms/${roomId}/join`, { token: companion.token, body: {} });
    await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/late`, { token: visitor.token, body: { ciphertext: "after" } });
    const page = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=100`, { token: companion.token });
    const bodies = page.body.chunk.filter((e: any) => e.type === "m.room.encrypted").map((e: any) => e.content.ciphertext);
    expect(bodies).toEqual(["after"]);
  });
});
