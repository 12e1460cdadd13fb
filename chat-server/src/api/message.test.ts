import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

describe("redaction", () => {
  const env = serverWithAccounts({ bot: ["bot", BOT_LOCALPARTS.triage] });

  it("erases the ciphertext of a redacted message from the database and tells the other side", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.bot);
    const secret = `ciphertext-to-erase-${Date.now()}`;
    const sent = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/m1`, { token: visitor.token, body: { ciphertext: secret } });
    const fromBot = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/b1`, { token: env.bot.token, body: { ciphertext: "bot says" } });
    const since = await env.server.nextBatch(env.bot);

    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${sent.body.event_id}/r0`, { token: visitor.token, body: { reason: "my name was in it" } }), 403, "M_FORBIDDEN");
    const redacted = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${sent.body.event_id}/r1`, { token: visitor.token, body: {} });
    expect(redacted.status).toBe(200);

    const sync = await env.server.request("GET", `/_matrix/client/v3/sync?since=${since}&timeout=5000`, { token: env.bot.token });
    const redaction = sync.body.rooms.join[roomId].timeline.events[0];
    expect(redaction).toMatchObject({ type: "m.room.redaction", redacts: sent.body.event_id, content: { redacts: sent.body.event_id } });
    const event = await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/event/${sent.body.event_id}`, { token: env.bot.token });
    expect(event.body.content).toEqual({});
    expect(event.body.unsigned.redacted_because.event_id).toBe(redacted.body.event_id);
    // The database and its write-ahead log, as a stolen disk would hold them, without a checkpoint by the test.
    const bytes = Buffer.concat(["homeserver.sqlite", "homeserver.sqlite-wal"].map((f) => readFileSync(join(env.server.config.dataDir, f))));
    expect(bytes.includes(Buffer.from(secret))).toBe(false);

    // The bot (power level 0) may not redact the visitor's messages; the visitor (100) may redact the bot's.
    const another = await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/m2`, { token: visitor.token, body: { ciphertext: "x" } });
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${another.body.event_id}/r2`, { token: env.bot.token, body: {} }), 403, "M_FORBIDDEN");
    expect((await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${fromBot.body.event_id}/r3`, { token: visitor.token, body: {} })).status).toBe(200);
  });

  it("refuses unknown events, redactions through /send and foreign rooms", async () => {
    const visitor = await env.server.registerVisitor();
    const room = await env.server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: { initial_state: [ENCRYPTION] } });
    const roomId = room.body.room_id;
    const before = env.server.count("events");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/$nope/r`, { token: visitor.token, body: {} }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.redaction/s`, { token: visitor.token, body: { redacts: "$x" } }), 403, "M_FORBIDDEN");
    const stranger = await env.server.registerVisitor();
    const created = (await env.server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=1`, { token: visitor.token })).body.chunk[0];
    expectError(await env.server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${created.event_id}/r`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
  });
});

describe("sending and reading room events", () => {
  const v3 = "/_matrix/client/v3";
  const PASSWORD = "another horse battery";
  const env = serverWithAccounts({
    companion: ["companion", "jimin", PASSWORD],
    supervisor: ["supervisor", "sumin"],
  });

  const login = async (localpart: string): Promise<Account> => {
    const reply = await env.server.request("POST", `${v3}/login`, { body: { type: "m.login.password", identifier: { type: "m.id.user", user: localpart }, password: PASSWORD } });
    expect(reply.status).toBe(200);
    return { userId: reply.body.user_id, deviceId: reply.body.device_id, token: reply.body.access_token };
  };
  const send = (a: Account, roomId: string, txn: string, body: string) =>
    env.server.request("PUT", `${v3}/rooms/${roomId}/send/m.room.message/${txn}`, { token: a.token, body: { msgtype: "m.text", body } });
  const messages = (a: Account, roomId: string, query: string) => env.server.request("GET", `${v3}/rooms/${roomId}/messages?${query}`, { token: a.token });
  const bodies = (chunk: any[]) => chunk.filter((e) => e.type === "m.room.message").map((e) => e.content.body);
  const staffRoom = async (owner: Account, body: Record<string, unknown> = {}) => (await env.server.request("POST", `${v3}/createRoom`, { token: owner.token, body })).body.room_id as string;

  it("makes PUT send idempotent per device and transaction id", async () => {
    const roomId = await staffRoom(env.companion);
    const before = env.server.count("events");
    const first = await send(env.companion, roomId, "txn-1", "hello");
    expect(first.status).toBe(200);
    // A retry from the same device is the same request, whatever its body now says.
    const retry = await send(env.companion, roomId, "txn-1", "hello again");
    expect(retry).toMatchObject({ status: 200, body: { event_id: first.body.event_id } });
    expect(env.server.count("events")).toBe(before + 1);

    // Another device of the same user has its own transaction ids.
    const phone = await login("jimin");
    const fromPhone = await send(phone, roomId, "txn-1", "from my phone");
    expect(fromPhone.status).toBe(200);
    expect(fromPhone.body.event_id).not.toBe(first.body.event_id);
    expect(env.server.count("events")).toBe(before + 2);
    expect((await send(phone, roomId, "txn-1", "from my phone")).body.event_id).toBe(fromPhone.body.event_id);
    expect(env.server.count("events")).toBe(before + 2);

    // Each device sees its own transaction id on its own event only.
    const page = await messages(env.companion, roomId, "dir=b&limit=2");
    expect(page.body.chunk.map((e: any) => [e.content.body, e.unsigned.transaction_id])).toEqual([["from my phone", undefined], ["hello", "txn-1"]]);
    const phonePage = await messages(phone, roomId, "dir=b&limit=2");
    expect(phonePage.body.chunk.map((e: any) => e.unsigned.transaction_id)).toEqual(["txn-1", undefined]);

    // A retry answers as the original did even after its sender left the room.
    await env.server.request("POST", `${v3}/rooms/${roomId}/leave`, { token: phone.token, body: {} });
    expect((await send(phone, roomId, "txn-1", "from my phone")).body.event_id).toBe(fromPhone.body.event_id);
    expectError(await send(phone, roomId, "txn-2", "new"), 403, "M_FORBIDDEN");
  });

  it("treats the same transaction id on another request path as a new request", async () => {
    const [roomA, roomB] = [await staffRoom(env.companion), await staffRoom(env.companion)];
    const inA = await send(env.companion, roomA, "shared-txn", "to room A");
    const inB = await send(env.companion, roomB, "shared-txn", "to room B");
    expect(inB.status).toBe(200);
    expect(inB.body.event_id).not.toBe(inA.body.event_id);
    expect(bodies((await messages(env.companion, roomB, "dir=b&limit=5")).body.chunk)).toEqual(["to room B"]);
    const otherType = await env.server.request("PUT", `${v3}/rooms/${roomA}/send/org.onsafe.test/shared-txn`, { token: env.companion.token, body: { x: 1 } });
    expect(otherType.body.event_id).not.toBe(inA.body.event_id);

    // A redaction reusing the message's transaction id redacts it, rather than answering with the message's id.
    const redaction = await env.server.request("PUT", `${v3}/rooms/${roomA}/redact/${inA.body.event_id}/shared-txn`, { token: env.companion.token, body: {} });
    expect(redaction.status).toBe(200);
    expect(redaction.body.event_id).not.toBe(inA.body.event_id);
    expect((await env.server.request("GET", `${v3}/rooms/${roomA}/event/${inA.body.event_id}`, { token: env.companion.token })).body.content).toEqual({});
    const again = await env.server.request("PUT", `${v3}/rooms/${roomA}/redact/${inA.body.event_id}/shared-txn`, { token: env.companion.token, body: {} });
    expect(again.body.event_id).toBe(redaction.body.event_id);
  });

  it("paginates /messages backwards and forwards with from, to, limit and end tokens", async () => {
    const roomId = await staffRoom(env.companion);
    for (let i = 0; i < 3; i++) await send(env.companion, roomId, `early-${i}`, `m${i}`);
    const afterM2 = await env.server.nextBatch(env.companion);
    for (let i = 3; i < 7; i++) await send(env.companion, roomId, `late-${i}`, `m${i}`);
    const afterM6 = await env.server.nextBatch(env.companion);

    // Backwards from the end, three at a time, until the room's beginning.
    const first = await messages(env.companion, roomId, "dir=b&limit=3");
    expect(bodies(first.body.chunk)).toEqual(["m6", "m5", "m4"]);
    expect(first.body.end).toMatch(/^s\d+_\d+$/);
    const second = await messages(env.companion, roomId, `dir=b&limit=3&from=${first.body.end}`);
    expect(second.body.start).toBe(first.body.end);
    expect(bodies(second.body.chunk)).toEqual(["m3", "m2", "m1"]);
    const seen = [...first.body.chunk, ...second.body.chunk];
    let token = second.body.end;
    while (token) {
      const page = await messages(env.companion, roomId, `dir=b&limit=3&from=${token}`);
      seen.push(...page.body.chunk);
      token = page.body.end;
    }
    expect(bodies(seen)).toEqual(["m6", "m5", "m4", "m3", "m2", "m1", "m0"]);
    expect(seen.at(-1).type).toBe("m.room.create");
    expect(new Set(seen.map((e) => e.event_id)).size).toBe(seen.length);

    // Backwards, stopping at `to`: everything after that point, and no end token when it is all there.
    const untilM2 = await messages(env.companion, roomId, `dir=b&limit=10&to=${afterM2}`);
    expect(bodies(untilM2.body.chunk)).toEqual(["m6", "m5", "m4", "m3"]);
    expect(untilM2.body.end).toBeUndefined();
    const fromM6 = await messages(env.companion, roomId, `dir=b&limit=2&from=${afterM6}&to=${afterM2}`);
    expect(bodies(fromM6.body.chunk)).toEqual(["m6", "m5"]);

    // Forwards from a sync token, two at a time, up to the live end.
    const f1 = await messages(env.companion, roomId, `dir=f&limit=2&from=${afterM2}`);
    expect(f1.body.start).toBe(afterM2);
    expect(bodies(f1.body.chunk)).toEqual(["m3", "m4"]);
    const f2 = await messages(env.companion, roomId, `dir=f&limit=2&from=${f1.body.end}`);
    expect(bodies(f2.body.chunk)).toEqual(["m5", "m6"]);
    const f3 = await messages(env.companion, roomId, `dir=f&limit=2&from=${f2.body.end}`);
    expect(f3.body.chunk).toEqual([]);
    expect(f3.body.end).toBeUndefined();
    const between = await messages(env.companion, roomId, `dir=f&limit=10&from=${afterM2}&to=${f1.body.end}`);
    expect(bodies(between.body.chunk)).toEqual(["m3", "m4"]);
    // Going back from a forward page's end returns what that page ended with.
    expect(bodies((await messages(env.companion, roomId, `dir=b&limit=2&from=${f1.body.end}`)).body.chunk)).toEqual(["m4", "m3"]);

    // Forwards without `from` starts at the beginning of the timeline (spec, since v1.3).
    const fromStart = await messages(env.companion, roomId, "dir=f&limit=3");
    expect(fromStart.body.chunk[0].type).toBe("m.room.create");
    expect(fromStart.body.chunk).toHaveLength(3);
    const rest = await messages(env.companion, roomId, `dir=f&limit=100&from=${fromStart.body.end}`);
    expect([...fromStart.body.chunk, ...rest.body.chunk].map((e: any) => e.event_id)).toEqual(seen.map((e) => e.event_id).reverse());
  });

  it("answers GET /event for members, and 404 for unknown events and to anyone who may not see them", async () => {
    const roomId = await staffRoom(env.companion, { initial_state: [{ type: "m.room.history_visibility", content: { history_visibility: "joined" } }] });
    const otherRoom = await staffRoom(env.companion);
    const early = await send(env.companion, roomId, "e1", "before the env.supervisor joined");
    const fetched = await env.server.request("GET", `${v3}/rooms/${roomId}/event/${early.body.event_id}`, { token: env.companion.token });
    expect(fetched.body).toMatchObject({ event_id: early.body.event_id, room_id: roomId, sender: env.companion.userId, type: "m.room.message", content: { body: "before the env.supervisor joined" } });
    expect(fetched.body.unsigned.transaction_id).toBe("e1");

    const get = (a: Account, room: string, eventId: string) => env.server.request("GET", `${v3}/rooms/${room}/event/${encodeURIComponent(eventId)}`, { token: a.token });
    expectError(await get(env.companion, roomId, "$unknown"), 404, "M_NOT_FOUND");
    expectError(await get(env.companion, roomId, "not-an-event-id"), 404, "M_NOT_FOUND");
    expectError(await get(env.companion, otherRoom, early.body.event_id), 404, "M_NOT_FOUND");
    expectError(await get(env.companion, "!unknown:localhost", early.body.event_id), 404, "M_NOT_FOUND");
    // Not a member: the same answer as for an event that does not exist.
    expectError(await get(env.supervisor, roomId, early.body.event_id), 404, "M_NOT_FOUND");
    const visitor = await env.server.registerVisitor();
    expectError(await get(visitor, roomId, early.body.event_id), 404, "M_NOT_FOUND");
    // A member who joined later does not see what history visibility hides.
    await env.server.request("POST", `${v3}/rooms/${roomId}/invite`, { token: env.companion.token, body: { user_id: env.supervisor.userId } });
    await env.server.request("POST", `${v3}/rooms/${roomId}/join`, { token: env.supervisor.token, body: {} });
    expectError(await get(env.supervisor, roomId, early.body.event_id), 404, "M_NOT_FOUND");
    const late = await send(env.companion, roomId, "e2", "after");
    expect((await get(env.supervisor, roomId, late.body.event_id)).body.content.body).toBe("after");
    expect((await get(env.supervisor, roomId, late.body.event_id)).body.unsigned.transaction_id).toBeUndefined();
    // Forwards from the start, the late joiner's timeline begins at their join.
    const fromStart = await messages(env.supervisor, roomId, "dir=f&limit=10");
    expect(fromStart.body.chunk.map((e: any) => [e.type, e.content.membership ?? e.content.body])).toEqual([["m.room.member", "join"], ["m.room.message", "after"]]);
  });

  it("refuses bad /messages parameters and rooms one may not read", async () => {
    const roomId = await staffRoom(env.companion);
    const page = (query: string, a: Account = env.companion) => messages(a, roomId, query);
    for (const query of ["dir=x", "dir=B", "dir=", "dir=forwards"]) expectError(await page(query), 400, "M_INVALID_PARAM");
    for (const limit of ["-1", "abc", "1.5", "1e3", "9".repeat(20)]) expectError(await page(`dir=b&limit=${limit}`), 400, "M_INVALID_PARAM");
    for (const token of ["garbage", "s1", "t1_0", "s-1_0"]) {
      expectError(await page(`dir=b&from=${token}`), 400, "M_INVALID_PARAM");
      expectError(await page(`dir=b&to=${token}`), 400, "M_INVALID_PARAM");
    }
    expectError(await page("dir=b&filter=%7Bnot-json"), 400, "M_INVALID_PARAM");
    expectError(await page("dir=b&filter=%5B%5D"), 400, "M_INVALID_PARAM");
    expectError(await page("dir=b", env.supervisor), 403, "M_FORBIDDEN");
    expectError(await messages(env.companion, "!unknown:localhost", "dir=b"), 404, "M_NOT_FOUND");
    // A limit over the maximum is clamped, not refused.
    expect((await page("dir=b&limit=1000")).status).toBe(200);
  });
});
