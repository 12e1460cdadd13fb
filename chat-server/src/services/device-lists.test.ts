/**
 * `device_lists` in sync: who must re-fetch whose keys after device and
 * membership changes (device-lists.ts), over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, TestServer } from "../../test/harness.ts";

const v3 = "/_matrix/client/v3";

describe("device-list changes in sync", () => {
  let server: TestServer;
  let bot: Account;
  let companion: Account;
  beforeAll(async () => {
    server = await TestServer.start({ visitorRegistrationsPerWindow: 200 });
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    companion = await server.createAccount("companion", "dahye");
  });
  afterAll(async () => { await server.close(); });

  const post = (a: Account, path: string, body: unknown) => server.request("POST", `${v3}${path}`, { token: a.token, body });
  const since = async (a: Account) => (await server.request("GET", `${v3}/sync?timeout=0`, { token: a.token })).body.next_batch as string;
  const deviceLists = async (a: Account, from: string) =>
    (await server.request("GET", `${v3}/sync?timeout=0&since=${from}`, { token: a.token })).body.device_lists as { changed: string[]; left: string[] };
  /** A visitor's encrypted room with the bot joined; the bot is invited, or joins too when `join`. */
  const visitorRoom = async (join = true) => {
    const visitor = await server.registerVisitor();
    const roomId = (await post(visitor, "/createRoom", { invite: [bot.userId], initial_state: [ENCRYPTION] })).body.room_id as string;
    if (join) await post(bot, `/join/${roomId}`, {});
    return { visitor, roomId };
  };

  it("tells members about a newcomer, and about someone who no longer shares a room", async () => {
    const { visitor, roomId } = await visitorRoom();
    let from = await since(visitor);
    await post(bot, `/rooms/${roomId}/invite`, { user_id: companion.userId });
    await post(companion, `/join/${roomId}`, {});
    expect(await deviceLists(visitor, from)).toEqual({ changed: [companion.userId], left: [] });

    from = await since(visitor);
    await post(companion, `/rooms/${roomId}/leave`, {});
    expect(await deviceLists(visitor, from)).toEqual({ changed: [], left: [companion.userId] });
  });

  it("tells someone who joins a room about everyone already in it", async () => {
    const { visitor, roomId } = await visitorRoom(false);
    const from = await since(bot);
    await post(bot, `/join/${roomId}`, {});
    expect((await deviceLists(bot, from)).changed).toEqual([visitor.userId]);
  });

  it("reports device changes of people sharing a room, more than 20 at once, and of nobody else", async () => {
    const from = await since(bot);
    const visitors: Account[] = [];
    for (let i = 0; i < 25; i++) visitors.push((await visitorRoom()).visitor);
    const stranger = await server.registerVisitor();
    // Logging out deletes a device: a device-list change.
    for (const a of [...visitors, stranger]) expect((await post(a, "/logout", {})).status).toBe(200);
    const lists = await deviceLists(bot, from);
    expect(lists.changed.sort()).toEqual(visitors.map((v) => v.userId).sort());
    expect(lists.left).toEqual([]);
  });
});
