/**
 * An incremental sync looks only at rooms with news (rooms-with-news.ts): it
 * must still miss none, whatever kind of news, and show nothing else.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import type { Account } from "../../../test/harness.ts";
import { serverWithAccounts } from "../../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";

// Both ways of finding rooms with news (stream-range.ts): a short range is read whole, a long one room by room.
describe.each([["a short", 0], ["a long", 250]] as const)("incremental sync across many rooms over %s range", (_, unrelated) => {
  const env = serverWithAccounts({ bot: ["bot", BOT_LOCALPARTS.triage] }, { visitorRegistrationsPerWindow: 100 });
  const rooms: { visitor: Account; roomId: string }[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 8; i++) {
      const visitor = await env.server.registerVisitor();
      rooms.push({ visitor, roomId: await env.server.visitorRoomWithBot(visitor, env.bot) });
    }
  });

  /** A sync token for the bot, followed by `unrelated` events elsewhere. */
  const since = async () => {
    const token = (await env.server.sync(env.bot, "?timeout=0")).body.next_batch as string;
    await env.server.addUnrelatedEvents(unrelated);
    return token;
  };
  const syncAfter = async (token: string) => (await env.server.sync(env.bot, `?timeout=0&since=${token}`)).body;

  it("shows exactly the rooms with a message, a receipt, typing or room account data", async () => {
    const from = await since();
    const [message, receipt, typing, accountData] = rooms;
    const sent = await env.server.request("PUT", `${v3}/rooms/${message!.roomId}/send/m.room.encrypted/t1`, { token: message!.visitor.token, body: { ciphertext: "c" } });
    expect(sent.status).toBe(200);
    const created = (await env.server.request("GET", `${v3}/rooms/${receipt!.roomId}/messages?dir=b&limit=1`, { token: env.bot.token })).body.chunk[0].event_id;
    expect((await env.server.request("POST", `${v3}/rooms/${receipt!.roomId}/receipt/m.read/${created}`, { token: receipt!.visitor.token, body: {} })).status).toBe(200);
    expect((await env.server.request("PUT", `${v3}/rooms/${typing!.roomId}/typing/${typing!.visitor.userId}`, { token: typing!.visitor.token, body: { typing: true, timeout: 5000 } })).status).toBe(200);
    expect((await env.server.request("PUT", `${v3}/user/${env.bot.userId}/rooms/${accountData!.roomId}/account_data/org.onsafe.note`, { token: env.bot.token, body: { n: 1 } })).status).toBe(200);

    const body = await syncAfter(from);
    expect(Object.keys(body.rooms.join).sort()).toEqual([message, receipt, typing, accountData].map((r) => r!.roomId).sort());
    expect(body.rooms.join[message!.roomId].timeline.events.map((e: { event_id: string }) => e.event_id)).toEqual([sent.body.event_id]);
    expect(body.rooms.join[receipt!.roomId].ephemeral.events[0].type).toBe("m.receipt");
    expect(body.rooms.join[typing!.roomId].ephemeral.events[0]).toEqual({ type: "m.typing", content: { user_ids: [typing!.visitor.userId] } });
    expect(body.rooms.join[accountData!.roomId].account_data.events).toEqual([{ type: "org.onsafe.note", content: { n: 1 } }]);

    // Nothing new since: no room at all.
    expect(Object.keys((await syncAfter(body.next_batch)).rooms.join)).toEqual([]);
  });

  it("shows a room the user just left, and not afterwards", async () => {
    const { roomId } = rooms[7]!;
    const from = await since();
    await env.server.request("POST", `${v3}/rooms/${roomId}/leave`, { token: env.bot.token, body: {} });
    const body = await syncAfter(from);
    expect(Object.keys(body.rooms.leave)).toEqual([roomId]);
    expect(Object.keys(body.rooms.join)).toEqual([]);
    expect(Object.keys((await syncAfter(body.next_batch)).rooms.leave)).toEqual([]);
  });

  it("after a restart, which forgets typing, gives every joined room its typing again", async () => {
    const from = await since();
    await env.server.restart();
    const body = await syncAfter(from);
    const joined = rooms.slice(0, 7).map((r) => r.roomId).sort();
    expect(Object.keys(body.rooms.join).sort()).toEqual(joined);
    for (const roomId of joined) expect(body.rooms.join[roomId].ephemeral.events).toEqual([{ type: "m.typing", content: { user_ids: [] } }]);
  });
});
