import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { expectError, type Account, type Reply, TestServer } from "../../test/harness.ts";

/**
 * A visitor's membership changes (join, leave, invite, kick, ban, unban) spend
 * the same budget a minute as their sends (`ONSAFE_VISITOR_SENDS_PER_MINUTE`):
 * before, a script wrote 200 member events in under two seconds (issue 21, finding 8).
 */
describe("visitor membership changes", () => {
  let server: TestServer;
  let bot: Account;
  beforeAll(async () => {
    server = await TestServer.start({ visitorSendsPerMinute: 5 });
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
  });
  afterAll(async () => { await server.close(); });

  function expectLimited(reply: Reply): void {
    expectError(reply, 429, "M_LIMIT_EXCEEDED");
    expect(reply.body.retry_after_ms).toBeGreaterThan(0);
    expect(reply.body.retry_after_ms).toBeLessThanOrEqual(60_000);
  }

  it("invite, kick, ban, unban and leave spend the send budget; past it nothing changes", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await server.createVisitorRoom(visitor, bot);
    const act = (action: string) => server.call(visitor, "POST", `/rooms/${roomId}/${action}`, { user_id: bot.userId });
    for (const action of ["kick", "invite", "ban", "unban", "invite"]) expect((await act(action)).status).toBe(200);
    const events = server.count("events");
    for (const action of ["kick", "ban"]) expectLimited(await act(action));
    expectLimited(await server.call(visitor, "POST", `/rooms/${roomId}/leave`, {}));
    expect(server.count("events")).toBe(events);
    const members = (await server.call(visitor, "GET", `/rooms/${roomId}/members`)).body.chunk as { state_key: string; content: { membership: string } }[];
    expect(members.map((e) => [e.state_key, e.content.membership]).sort()).toEqual([[bot.userId, "invite"], [visitor.userId, "join"]].sort());
  });

  it("a join spends the same budget as messages: a visitor who sent their budget cannot join", async () => {
    const visitor = await server.registerVisitor();
    const own = await server.visitorRoomWithBot(visitor, bot);
    for (let i = 0; i < 5; i++) {
      expect((await server.call(visitor, "PUT", `/rooms/${own}/send/m.room.encrypted/t${i}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "AAAA" })).status).toBe(200);
    }
    const roomId = (await server.call(bot, "POST", "/createRoom", { invite: [visitor.userId] })).body.room_id as string;
    const events = server.count("events");
    expectLimited(await server.call(visitor, "POST", `/join/${roomId}`, {}));
    expectLimited(await server.call(visitor, "POST", `/rooms/${roomId}/join`, {}));
    expect(server.count("events")).toBe(events);
    expect((await server.call(bot, "GET", `/rooms/${roomId}/joined_members`)).body.joined).not.toHaveProperty(visitor.userId);
    // The bot is not limited.
    for (let i = 0; i < 8; i++) expect((await server.call(bot, "POST", `/rooms/${roomId}/${i % 2 ? "invite" : "kick"}`, { user_id: visitor.userId })).status).toBe(200);
  });
});
