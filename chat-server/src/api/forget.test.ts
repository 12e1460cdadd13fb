import { describe, expect, it } from "vitest";
import { ENCRYPTION, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/**
 * `/forget` (client-server spec: once forgotten, the room's history can no
 * longer be retrieved): a partner removed from a hand-off room, for instance
 * after the victim withdrew consent, can page back through what they could
 * read until they forget the room; from then on, nothing.
 */
describe("forgetting a room", () => {
  const env = serverWithAccounts({ companion: ["companion", "forget-mina"], partner: ["partner", "forget-pat"], other: ["companion", "forget-jun"] });

  it("closes the history a former member could still read; a new invite opens the room again", async () => {
    const { server, companion, partner } = env;
    const roomId = (await server.call(companion, "POST", "/createRoom", { invite: [partner.userId], initial_state: [ENCRYPTION] })).body.room_id;
    expect((await server.call(partner, "POST", `/join/${roomId}`, {})).status).toBe(200);
    const sent = await server.call(companion, "PUT", `/rooms/${roomId}/send/m.room.encrypted/handoff`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "hand-off" });
    const eventId = sent.body.event_id as string;
    expectError(await server.call(partner, "POST", `/rooms/${roomId}/forget`, {}), 400, "M_BAD_JSON");
    expect((await server.call(companion, "POST", `/rooms/${roomId}/kick`, { user_id: partner.userId })).status).toBe(200);

    // Removed, as the spec allows they still read what they could.
    const ids = async () => ((await server.call(partner, "GET", `/rooms/${roomId}/messages?dir=b&limit=50`)).body.chunk ?? []).map((e: { event_id: string }) => e.event_id);
    expect(await ids()).toContain(eventId);
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${eventId}`)).status).toBe(200);

    expect((await server.call(partner, "POST", `/rooms/${roomId}/forget`, {})).status).toBe(200);
    expect(await ids()).toEqual([]);
    expectError(await server.call(partner, "GET", `/rooms/${roomId}/event/${eventId}`), 404, "M_NOT_FOUND");
    expectError(await server.call(partner, "GET", `/rooms/${roomId}/context/${eventId}`), 404, "M_NOT_FOUND");
    // The companion still has it all.
    expect((await server.call(companion, "GET", `/rooms/${roomId}/event/${eventId}`)).status).toBe(200);

    // Invited back, they are in the room again and read what comes next.
    expect((await server.call(companion, "POST", `/rooms/${roomId}/invite`, { user_id: partner.userId })).status).toBe(200);
    expect((await server.call(partner, "POST", `/join/${roomId}`, {})).status).toBe(200);
    const next = await server.call(companion, "PUT", `/rooms/${roomId}/send/m.room.encrypted/next`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "next" });
    expect((await server.call(partner, "GET", `/rooms/${roomId}/event/${next.body.event_id}`)).status).toBe(200);
  });

  it("changes nothing for a room one was never in", async () => {
    const { server, companion, other } = env;
    const roomId = (await server.call(companion, "POST", "/createRoom", {})).body.room_id;
    const before = server.count("memberships");
    expect((await server.call(other, "POST", `/rooms/${roomId}/forget`, {})).status).toBe(200);
    expect(server.count("memberships")).toBe(before);
  });
});
