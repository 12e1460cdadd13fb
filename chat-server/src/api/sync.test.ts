import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";


describe("sync", () => {
  const env = serverWithAccounts({
    triage: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "sora"],
  });

  const send = (account: Account, roomId: string, txn: string, body: string) =>
    env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/${txn}`, { token: account.token, body: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: body } });

  it("gives an initial sync with state, timeline and the key counts the SDK needs", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    await send(visitor, roomId, "a", "hello");
    const reply = await env.server.sync(visitor);
    expect(reply.status).toBe(200);
    expect(reply.body.next_batch).toMatch(/^s\d+_\d+$/);
    expect(reply.body.device_one_time_keys_count).toEqual({ signed_curve25519: 0 });
    expect(reply.body.device_unused_fallback_key_types).toEqual([]);
    const room = reply.body.rooms.join[roomId];
    const types = [...room.state.events, ...room.timeline.events].map((e: any) => e.type);
    for (const type of ["m.room.create", "m.room.power_levels", "m.room.encryption", "m.room.member"]) expect(types).toContain(type);
    expect(room.timeline.events.at(-1).content.ciphertext).toBe("hello");
    expect(room.timeline.events.at(-1).unsigned.transaction_id).toBe("a");
    expect(room.summary["m.joined_member_count"]).toBe(2);
  });

  it("returns only what is new after `since`, and marks a long gap as limited", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const first = await env.server.sync(visitor);
    for (let i = 0; i < 15; i++) await send(env.triage, roomId, `m${i}`, `msg ${i}`);
    const next = await env.server.sync(visitor, `?since=${first.body.next_batch}&filter=${encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 5 } } }))}`);
    const timeline = next.body.rooms.join[roomId].timeline;
    expect(timeline.events.map((e: any) => e.content.ciphertext)).toEqual(["msg 10", "msg 11", "msg 12", "msg 13", "msg 14"]);
    expect(timeline.limited).toBe(true);
    expect(timeline.events[0].unsigned.transaction_id).toBeUndefined();
    const page = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&from=${timeline.prev_batch}&limit=3`, { token: visitor.token });
    expect(page.body.chunk.map((e: any) => e.content.ciphertext)).toEqual(["msg 9", "msg 8", "msg 7"]);
    const quiet = await env.server.sync(visitor, `?since=${next.body.next_batch}&timeout=0`);
    expect(quiet.body.rooms.join[roomId]).toBeUndefined();
  });

  it("wakes a waiting long-poll as soon as a message is sent, and not for strangers", async () => {
    const visitor = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const since = (await env.server.sync(visitor)).body.next_batch;
    const strangerSince = (await env.server.sync(stranger)).body.next_batch;
    const started = Date.now();
    const waiting = env.server.sync(visitor, `?since=${since}&timeout=20000`);
    const strangerWaiting = env.server.sync(stranger, `?since=${strangerSince}&timeout=1500`);
    await new Promise((r) => setTimeout(r, 100));
    const sentAt = Date.now();
    await send(env.triage, roomId, "wake", "are you there?");
    const woke = await waiting;
    const latency = Date.now() - sentAt;
    expect(woke.body.rooms.join[roomId].timeline.events.map((e: any) => e.content.ciphertext)).toEqual(["are you there?"]);
    expect(latency).toBeLessThan(1000);
    const strangerReply = await strangerWaiting;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(strangerReply.body.rooms.join).toEqual({});
  });

  it("shows invites with stripped state, then the leave", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const since = (await env.server.sync(env.companion)).body.next_batch;
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } });
    const invited = await env.server.sync(env.companion, `?since=${since}&timeout=5000`);
    const inviteState = invited.body.rooms.invite[roomId].invite_state.events;
    expect(inviteState.find((e: any) => e.type === "m.room.member" && e.state_key === env.companion.userId).content.membership).toBe("invite");
    expect(inviteState.some((e: any) => e.type === "m.room.encryption")).toBe(true);
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/leave`, { token: env.companion.token, body: {} });
    const left = await env.server.sync(env.companion, `?since=${invited.body.next_batch}&timeout=5000`);
    expect(left.body.rooms.leave[roomId].timeline.events.at(-1).content.membership).toBe("leave");
  });

  it("carries typing and read receipts as ephemeral events", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.triage);
    const sent = await send(visitor, roomId, "r", "read me");
    const since = (await env.server.sync(env.triage)).body.next_batch;
    await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/typing/${visitor.userId}`, { token: visitor.token, body: { typing: true, timeout: 10000 } });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/receipt/m.read/${sent.body.event_id}`, { token: visitor.token, body: {} });
    const reply = await env.server.sync(env.triage, `?since=${since}&timeout=5000`);
    const ephemeral = reply.body.rooms.join[roomId].ephemeral.events;
    expect(ephemeral.find((e: any) => e.type === "m.typing").content.user_ids).toEqual([visitor.userId]);
    expect(ephemeral.find((e: any) => e.type === "m.receipt").content[sent.body.event_id]["m.read"][visitor.userId].ts).toBeGreaterThan(0);
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/typing/${env.triage.userId}`, { token: visitor.token, body: { typing: true } }), 403, "M_FORBIDDEN");
    // Someone who leaves stops typing at once, not when the timeout runs out.
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/invite`, { token: env.triage.token, body: { user_id: env.companion.userId } });
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/join`, { token: env.companion.token, body: {} });
    await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/typing/${env.companion.userId}`, { token: env.companion.token, body: { typing: true, timeout: 60000 } });
    const typingSince = (await env.server.sync(env.triage)).body.next_batch;
    await env.server.request("POST", `/_matrix/client/v3/rooms/${roomId}/leave`, { token: env.companion.token, body: {} });
    const afterLeave = await env.server.sync(env.triage, `?since=${typingSince}&timeout=5000`);
    expect(afterLeave.body.rooms.join[roomId].ephemeral.events.find((e: any) => e.type === "m.typing").content.user_ids).toEqual([visitor.userId]);
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/typing/${visitor.userId}`, { token: visitor.token, body: { typing: "yes" } }), 400, "M_BAD_JSON");
  });

  it("rejects malformed tokens and parameters", async () => {
    const visitor = await env.server.registerVisitor();
    expectError(await env.server.sync(visitor, "?since=garbage"), 400, "M_INVALID_PARAM");
    expectError(await env.server.sync(visitor, "?timeout=-5"), 400, "M_INVALID_PARAM");
    expectError(await env.server.sync(visitor, "?filter=%7Bnot-json"), 400, "M_INVALID_PARAM");
  });
});
