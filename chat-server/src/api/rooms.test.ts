import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const JOINED_ONLY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } };

describe("rooms, membership and visitor policy", () => {
  const env = serverWithAccounts({
    triage: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "mina"],
    supervisor: ["supervisor", "jiwoo"],
    partner: ["partner", "clinic"],
  });

  async function visitorRoom(visitor: Account) {
    const reply = await env.server.request("POST", "/_matrix/client/v3/createRoom", {
      token: visitor.token,
      body: { preset: "private_chat", invite: [env.triage.userId], initial_state: [ENCRYPTION, JOINED_ONLY], is_direct: true },
    });
    expect(reply.status).toBe(200);
    return reply.body.room_id as string;
  }

  it("lets a visitor create an encrypted room inviting the env.triage bot, which joins and chats", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    expect(roomId).toMatch(/^![A-Za-z0-9_-]+:localhost$/);
    expect((await env.server.request("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: env.triage.token, body: {} })).status).toBe(200);
    const sent = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/t1`, {
      token: env.triage.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "abc" },
    });
    expect(sent.status).toBe(200);
    const again = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/t1`, {
      token: env.triage.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "abc" },
    });
    expect(again.body.event_id).toBe(sent.body.event_id);
    const messages = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=50`, { token: visitor.token });
    expect(messages.body.chunk.filter((e: any) => e.type === "m.room.encrypted")).toHaveLength(1);
    const members = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/joined_members`, { token: visitor.token });
    expect(Object.keys(members.body.joined).sort()).toEqual([env.triage.userId, visitor.userId].sort());
    const encryption = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/state/m.room.encryption/`, { token: visitor.token });
    expect(encryption.body).toEqual({ algorithm: "m.megolm.v1.aes-sha2" });
  });

  it("applies power levels to kick and ban", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const post = (a: Account, action: string, body: unknown) => env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/${action}`, { token: a.token, body });
    await post(env.triage, "join", {});
    expectError(await post(env.triage, "kick", { user_id: visitor.userId }), 403, "M_FORBIDDEN");
    expect((await post(visitor, "ban", { user_id: env.triage.userId })).status).toBe(200);
    expectError(await post(env.triage, "join", {}), 403, "M_FORBIDDEN");
    expect((await post(visitor, "unban", { user_id: env.triage.userId })).status).toBe(200);
    expect((await post(visitor, "invite", { user_id: env.triage.userId })).status).toBe(200);
    expect((await post(env.triage, "join", {})).status).toBe(200);
    // A reason would be stored in the clear in the member event.
    expectError(await post(visitor, "kick", { user_id: env.triage.userId, reason: "he knows my name" }), 403, "M_FORBIDDEN");
    expect((await post(visitor, "kick", { user_id: env.triage.userId })).status).toBe(200);
    expect(env.server.hs.memberships.membershipOf(roomId, env.triage.userId)).toBe("leave");
    expectError(await post(visitor, "kick", { user_id: env.triage.userId }), 403, "M_FORBIDDEN");
  });

  it("refuses plaintext messages in an encrypted room", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = env.server.count("events");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/plain`, {
      token: visitor.token, body: { msgtype: "m.text", body: "this would sit in the database in the clear" },
    }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
    const plain = await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: env.companion.token, body: {} });
    expect((await env.server.request("PUT", `/_matrix/client/v3/rooms/${plain.body.room_id}/send/m.room.message/ok`, { token: env.companion.token, body: { msgtype: "m.text", body: "staff room" } })).status).toBe(200);
  });

  it("shows someone whose invite was withdrawn nothing of the room but the withdrawal", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await env.server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: env.triage.token, body: {} });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } });
    await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/while-invited`, { token: visitor.token, body: { ciphertext: "while invited" } });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/kick`, { token: visitor.token, body: { user_id: env.companion.userId } });
    const page = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=100`, { token: env.companion.token });
    expect(page.body.chunk.map((e: any) => [e.type, e.content.membership])).toEqual([["m.room.member", "leave"]]);
  });

  it("makes concurrent retries of one send a single event", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = env.server.count("events");
    const replies = await Promise.all(Array.from({ length: 5 }, () =>
      env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/same-txn`, { token: visitor.token, body: { ciphertext: "once" } })));
    expect(new Set(replies.map((r) => r.body.event_id)).size).toBe(1);
    expect(env.server.count("events")).toBe(before + 1);
  });

  it("refuses a visitor's invites to anyone but the env.triage bot, unencrypted or public rooms", async () => {
    const visitor = await env.server.registerVisitor();
    const before = env.server.count("events");
    for (const body of [
      { invite: [env.companion.userId], initial_state: [ENCRYPTION] },
      { invite: [env.triage.userId] },
      { preset: "public_chat", invite: [env.triage.userId], initial_state: [ENCRYPTION] },
    ]) {
      expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body }), 403, "M_FORBIDDEN");
    }
    expect(env.server.count("events")).toBe(before);
    const roomId = await visitorRoom(visitor);
    const afterRoom = env.server.count("events");
    for (const target of [env.companion.userId, env.supervisor.userId, env.partner.userId]) {
      expectError(await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: visitor.token, body: { user_id: target } }), 403, "M_FORBIDDEN");
    }
    expect(env.server.count("events")).toBe(afterRoom);
  });

  it("keeps visitors out of rooms they were not invited to", async () => {
    const owner = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await visitorRoom(owner);
    // A public room made by staff is still closed to visitors.
    const open = await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: env.companion.token, body: { preset: "public_chat" } });
    const before = env.server.count("events");
    expectError(await env.server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages`, { token: stranger.token }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/members`, { token: stranger.token }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/x`, { token: stranger.token, body: { msgtype: "m.text", body: "hi" } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", `/_matrix/client/v3/join/${open.body.room_id}`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
  });

  it("lets staff join a public room uninvited, but a partner only rooms they are invited to", async () => {
    const open = await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: env.companion.token, body: { preset: "public_chat" } });
    const join = (a: Account) => env.server.request("POST", `/_matrix/client/v3/join/${open.body.room_id}`, { token: a.token, body: {} });
    const before = env.server.count("events");
    expectError(await join(env.partner), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
    expect((await join(env.supervisor)).status).toBe(200);
    await env.server.request("POST", `/_matrix/client/v3/rooms/${open.body.room_id}/invite`, { token: env.companion.token, body: { user_id: env.partner.userId } });
    expect((await join(env.partner)).status).toBe(200);
  });

  it("lets the bot invite a env.companion, the env.companion invite a colleague, and refuses what policy forbids", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await env.server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: env.triage.token, body: {} });
    expect((await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } })).status).toBe(200);
    expect((await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/join`, { token: env.companion.token, body: {} })).status).toBe(200);
    expect((await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.companion.token, body: { user_id: env.supervisor.userId } })).status).toBe(200);
    const other = await env.server.registerVisitor();
    expectError(await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.companion.token, body: { user_id: other.userId } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: env.partner.token, body: {} }), 403, "M_FORBIDDEN");
    expect((await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/leave`, { token: env.triage.token, body: {} })).status).toBe(200);
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/y`, { token: env.triage.token, body: { msgtype: "m.text", body: "x" } }), 403, "M_FORBIDDEN");
  });

  it("answers bad input with Matrix errors and changes nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    const before = env.server.count("events");
    const t = { token: visitor.token };
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { invite: "nope" } }), 400, "M_BAD_JSON");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { invite: ["@ghost:localhost"], initial_state: [ENCRYPTION] } }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { room_version: "1" } }), 400, "M_UNSUPPORTED_ROOM_VERSION");
    expectError(await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { ...t, body: {} }), 400, "M_MISSING_PARAM");
    expectError(await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { ...t, body: { user_id: 5 } }), 400, "M_BAD_JSON");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/!nope:localhost/send/m.room.message/1`, { ...t, body: { body: "x" } }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/not-a-room/send/m.room.message/1`, { ...t, body: { body: "x" } }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/1`, { ...t, body: { ciphertext: "x".repeat(70_000) } }), 413, "M_TOO_LARGE");
    expectError(await env.server.requestOversized("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.message/2`, 2_000_000, visitor.token), 413, "M_TOO_LARGE");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.create/`, { ...t, body: {} }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.join_rules/`, { ...t, body: { join_rule: "public" } }), 403, "M_FORBIDDEN");
    // Room state is not encrypted: visitors may not put words in it.
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.name/`, { ...t, body: { name: "Help, it's Jisoo" } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/state/m.room.topic/`, { ...t, body: { topic: "x" } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { name: "Jisoo", initial_state: [ENCRYPTION] } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", "/_matrix/client/v3/createRoom", { ...t, body: { initial_state: [ENCRYPTION, { type: "m.room.topic", content: { topic: "x" } }] } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=sideways`, t), 400, "M_INVALID_PARAM");
    expectError(await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?from=garbage`, t), 400, "M_INVALID_PARAM");
    expect(env.server.count("events")).toBe(before);
  });

  it("shows a late joiner only what was sent after they joined when history is 'joined'", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await visitorRoom(visitor);
    await env.server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: env.triage.token, body: {} });
    await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/early`, { token: visitor.token, body: { ciphertext: "before" } });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/join`, { token: env.companion.token, body: {} });
    await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/late`, { token: visitor.token, body: { ciphertext: "after" } });
    const page = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=100`, { token: env.companion.token });
    const bodies = page.body.chunk.filter((e: any) => e.type === "m.room.encrypted").map((e: any) => e.content.ciphertext);
    expect(bodies).toEqual(["after"]);
  });
});
