import { describe, expect, it } from "vitest";
import { ENCRYPTION, type Account, type TestServer } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/**
 * Someone who left a room reads its history up to their leave, never past it:
 * a ban or unban of the former member, even after they `/forget` the room,
 * must not move the end of what they may read to the ban (issue 21, finding 4).
 */
describe("history of a member who left", () => {
  const env = serverWithAccounts({ companion: ["companion", "left-ana"], partner: ["partner", "left-pia"] });

  const secret = { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "after-leave" };

  async function leftRoom(server: TestServer, companion: Account, partner: Account) {
    const roomId = (await server.call(companion, "POST", "/createRoom", { invite: [partner.userId], initial_state: [ENCRYPTION] })).body.room_id as string;
    expect((await server.call(partner, "POST", `/join/${roomId}`, {})).status).toBe(200);
    const before = (await server.call(companion, "PUT", `/rooms/${roomId}/send/m.room.encrypted/before`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "before" })).body.event_id as string;
    expect((await server.call(partner, "POST", `/rooms/${roomId}/leave`, {})).status).toBe(200);
    const since = (await server.call(partner, "GET", "/sync?timeout=0")).body.next_batch as string;
    const after = (await server.call(companion, "PUT", `/rooms/${roomId}/send/m.room.encrypted/after`, secret)).body.event_id as string;
    return { roomId, before, after, since };
  }

  async function seen(server: TestServer, partner: Account, roomId: string, since: string): Promise<string[]> {
    const messages = (await server.call(partner, "GET", `/rooms/${roomId}/messages?dir=b&limit=50`)).body.chunk ?? [];
    const filter = encodeURIComponent(JSON.stringify({ room: { include_leave: true } }));
    const initial = (await server.call(partner, "GET", `/sync?timeout=0&filter=${filter}`)).body.rooms.leave[roomId]?.timeline.events ?? [];
    const incremental = (await server.call(partner, "GET", `/sync?timeout=0&since=${since}`)).body.rooms.leave[roomId]?.timeline.events ?? [];
    return [...messages, ...initial, ...incremental].map((e: { event_id: string }) => e.event_id);
  }

  it("a ban and an unban after the leave show nothing sent after it", async () => {
    const { server, companion, partner } = env;
    const { roomId, before, after, since } = await leftRoom(server, companion, partner);
    expect(await seen(server, partner, roomId, since)).not.toContain(after);

    expect((await server.call(companion, "POST", `/rooms/${roomId}/ban`, { user_id: partner.userId })).status).toBe(200);
    const banned = await seen(server, partner, roomId, since);
    expect(banned).toContain(before);
    expect(banned).not.toContain(after);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${after}`)).status).toBe(404);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/context/${before}`)).body.after?.map((e: { event_id: string }) => e.event_id) ?? []).not.toContain(after);

    expect((await server.call(companion, "POST", `/rooms/${roomId}/unban`, { user_id: partner.userId })).status).toBe(200);
    const unbanned = await seen(server, partner, roomId, since);
    expect(unbanned).toContain(before);
    expect(unbanned).not.toContain(after);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${after}`)).status).toBe(404);
  });

  it("after /forget, a ban and an unban open nothing again", async () => {
    const { server, companion, partner } = env;
    const { roomId, before, after, since } = await leftRoom(server, companion, partner);
    expect((await server.call(partner, "POST", `/rooms/${roomId}/forget`, {})).status).toBe(200);

    expect((await server.call(companion, "POST", `/rooms/${roomId}/ban`, { user_id: partner.userId })).status).toBe(200);
    const banned = await seen(server, partner, roomId, since);
    expect(banned).not.toContain(before);
    expect(banned).not.toContain(after);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${after}`)).status).toBe(404);

    expect((await server.call(companion, "POST", `/rooms/${roomId}/unban`, { user_id: partner.userId })).status).toBe(200);
    const unbanned = await seen(server, partner, roomId, since);
    expect(unbanned).not.toContain(before);
    expect(unbanned).not.toContain(after);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${after}`)).status).toBe(404);
  });
});
