/**
 * `device_lists` in sync: who must re-fetch whose keys after device and
 * membership changes (device-lists.ts), over HTTP.
 */
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import type { Account } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

// Both ways of reading a range (stream-range.ts): a short one is read whole, a long one room by room.
describe.each([["a short", 0], ["a long", 250]] as const)("device-list changes in sync over %s range", (_, unrelated) => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "dahye"],
  }, { visitorRegistrationsPerWindow: 200 });

  const post = (a: Account, path: string, body: unknown) => env.server.call(a, "POST", path, body);
  /** A sync token for `a`, followed by `unrelated` events elsewhere. */
  const since = async (a: Account) => {
    const token = (await env.server.sync(a, "?timeout=0")).body.next_batch as string;
    await env.server.addUnrelatedEvents(unrelated);
    return token;
  };
  const deviceLists = async (a: Account, from: string) =>
    (await env.server.sync(a, `?timeout=0&since=${from}`)).body.device_lists as { changed: string[]; left: string[] };
  /** A visitor's encrypted room with the bot joined; the bot is invited, or joins too when `join`. */
  const visitorRoom = async (join = true) => {
    const visitor = await env.server.registerVisitor();
    const roomId = join ? await env.server.visitorRoomWithBot(visitor, env.bot) : await env.server.createVisitorRoom(visitor, env.bot);
    return { visitor, roomId };
  };

  it("tells members about a newcomer, and about someone who no longer shares a room", async () => {
    const { visitor, roomId } = await visitorRoom();
    let from = await since(visitor);
    await post(env.bot, `/rooms/${roomId}/invite`, { user_id: env.companion.userId });
    await post(env.companion, `/join/${roomId}`, {});
    expect(await deviceLists(visitor, from)).toEqual({ changed: [env.companion.userId], left: [] });

    from = await since(visitor);
    await post(env.companion, `/rooms/${roomId}/leave`, {});
    expect(await deviceLists(visitor, from)).toEqual({ changed: [], left: [env.companion.userId] });
  });

  it("tells someone who joins a room about everyone already in it", async () => {
    const { visitor, roomId } = await visitorRoom(false);
    const from = await since(env.bot);
    await post(env.bot, `/join/${roomId}`, {});
    expect((await deviceLists(env.bot, from)).changed).toEqual([visitor.userId]);
  });

  it("reports device changes of people sharing a room, more than 20 at once, and of nobody else", async () => {
    const from = await since(env.bot);
    const visitors: Account[] = [];
    for (let i = 0; i < 25; i++) visitors.push((await visitorRoom()).visitor);
    const stranger = await env.server.registerVisitor();
    // Logging out deletes a device: a device-list change.
    for (const a of [...visitors, stranger]) expect((await post(a, "/logout", {})).status).toBe(200);
    const lists = await deviceLists(env.bot, from);
    expect(lists.changed.sort()).toEqual(visitors.map((v) => v.userId).sort());
    expect(lists.left).toEqual([]);
  });
});
