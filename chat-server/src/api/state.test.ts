import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";

describe("room state", () => {
  const env = serverWithAccounts({
    triage: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "yuna"],
    supervisor: ["supervisor", "minho"],
  });

  const getState = (a: Account, roomId: string, path: string) => env.server.request("GET", `${v3}/rooms/${roomId}/state${path}`, { token: a.token });
  const putState = (a: Account, roomId: string, path: string, body: unknown) => env.server.request("PUT", `${v3}/rooms/${roomId}/state/${path}`, { token: a.token, body });
  const join = (a: Account, roomId: string) => env.server.request("POST", `${v3}/rooms/${roomId}/join`, { token: a.token, body: {} });
  const invite = (by: Account, roomId: string, who: Account) => env.server.request("POST", `${v3}/rooms/${roomId}/invite`, { token: by.token, body: { user_id: who.userId } });

  async function staffRoom(owner: Account, body: Record<string, unknown> = {}): Promise<string> {
    const reply = await env.server.request("POST", `${v3}/createRoom`, { token: owner.token, body });
    expect(reply.status).toBe(200);
    return reply.body.room_id;
  }

  /** The current power levels of a room, read through the API. */
  const powerLevels = async (a: Account, roomId: string) => (await getState(a, roomId, "/m.room.power_levels/")).body;

  it("sets state and reads it back as content, as the whole event and in the full state", async () => {
    const roomId = await staffRoom(env.companion);
    const named = await putState(env.companion, roomId, "m.room.name/", { name: "Shift handover" });
    expect(named.status).toBe(200);
    expect(named.body.event_id).toMatch(/^\$/);
    expect((await getState(env.companion, roomId, "/m.room.name/")).body).toEqual({ name: "Shift handover" });
    // Without a trailing slash the state key is the empty string too.
    expect((await getState(env.companion, roomId, "/m.room.name")).body).toEqual({ name: "Shift handover" });
    const event = await getState(env.companion, roomId, "/m.room.name/?format=event");
    expect(event.body).toMatchObject({ event_id: named.body.event_id, room_id: roomId, type: "m.room.name", state_key: "", sender: env.companion.userId, content: { name: "Shift handover" } });

    const renamed = await putState(env.companion, roomId, "m.room.name", { name: "Night shift" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.event_id).not.toBe(named.body.event_id);
    const custom = await putState(env.companion, roomId, "org.onsafe.note/shift-1", { text: "quiet night" });
    expect(custom.status).toBe(200);
    expect((await getState(env.companion, roomId, "/org.onsafe.note/shift-1")).body).toEqual({ text: "quiet night" });

    const full = await getState(env.companion, roomId, "");
    expect(full.status).toBe(200);
    const byKey = new Map(full.body.map((e: any) => [`${e.type}|${e.state_key}`, e]));
    for (const key of ["m.room.create|", `m.room.member|${env.companion.userId}`, "m.room.power_levels|", "m.room.join_rules|", "m.room.history_visibility|", "org.onsafe.note|shift-1"]) {
      expect(byKey.has(key), key).toBe(true);
    }
    // One entry per (type, state key): the latest, pointing at what it replaced.
    expect(full.body.filter((e: any) => e.type === "m.room.name")).toHaveLength(1);
    expect((byKey.get("m.room.name|") as any)).toMatchObject({ event_id: renamed.body.event_id, content: { name: "Night shift" }, unsigned: { prev_content: { name: "Shift handover" } } });
  });

  it("answers setting the same content again with the same event, and writes nothing", async () => {
    const roomId = await staffRoom(env.companion);
    const first = await putState(env.companion, roomId, "m.room.topic/", { topic: "Referrals" });
    const before = env.server.count("events");
    const again = await putState(env.companion, roomId, "m.room.topic/", { topic: "Referrals" });
    expect(again.body.event_id).toBe(first.body.event_id);
    expect(env.server.count("events")).toBe(before);
  });

  it("answers 404 M_NOT_FOUND for state that was never set and for unknown rooms", async () => {
    const roomId = await staffRoom(env.companion);
    expectError(await getState(env.companion, roomId, "/m.room.name/"), 404, "M_NOT_FOUND");
    expectError(await getState(env.companion, roomId, "/m.room.member/@nobody:localhost"), 404, "M_NOT_FOUND");
    expectError(await getState(env.companion, roomId, "/org.onsafe.note/never"), 404, "M_NOT_FOUND");
    expectError(await getState(env.companion, "!unknown:localhost", ""), 404, "M_NOT_FOUND");
    expectError(await getState(env.companion, "!unknown:localhost", "/m.room.create/"), 404, "M_NOT_FOUND");
    expectError(await getState(env.companion, "not-a-room-id", "/m.room.create/"), 404, "M_NOT_FOUND");
    const before = env.server.count("events");
    expectError(await putState(env.companion, "!unknown:localhost", "m.room.name/", { name: "x" }), 404, "M_NOT_FOUND");
    expect(env.server.count("events")).toBe(before);
  });

  it("keeps people who are not joined from reading or writing state", async () => {
    const visitor = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const before = env.server.count("events");
    for (const outsider of [stranger, env.companion, env.triage]) {
      // The triage bot is invited, not joined: it sees only the stripped state in its sync.
      expectError(await getState(outsider, roomId, ""), 403, "M_FORBIDDEN");
      expectError(await getState(outsider, roomId, "/m.room.encryption/"), 403, "M_FORBIDDEN");
      expectError(await getState(outsider, roomId, "/m.room.name/"), 403, "M_FORBIDDEN");
      expectError(await putState(outsider, roomId, "m.room.history_visibility/", { history_visibility: "joined" }), 403, "M_FORBIDDEN");
    }
    expect(env.server.count("events")).toBe(before);
    expect((await join(env.triage, roomId)).status).toBe(200);
    expect((await getState(env.triage, roomId, "/m.room.encryption/")).body).toEqual(ENCRYPTION.content);
    expect((await env.server.request("POST", `${v3}/rooms/${roomId}/leave`, { token: env.triage.token, body: {} })).status).toBe(200);
    // A former member is refused too (this server does not keep state as it was at the leave).
    expectError(await getState(env.triage, roomId, "/m.room.encryption/"), 403, "M_FORBIDDEN");
  });

  it("lets visitors set only the privacy settings of their room: no name, topic or avatar", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const before = env.server.count("events");
    for (const [path, content] of [
      ["m.room.name/", { name: "Jisoo's room" }],
      ["m.room.topic/", { topic: "my husband" }],
      ["m.room.avatar/", { url: "mxc://localhost/abc" }],
      ["m.room.pinned_events/", { pinned: [] }],
      ["org.onsafe.note/x", { text: "words" }],
      ["m.room.join_rules/", { join_rule: "public" }],
      ["m.room.join_rules/", { join_rule: "knock" }],
    ] as const) {
      expectError(await putState(visitor, roomId, path, content), 403, "M_FORBIDDEN");
    }
    expect(env.server.count("events")).toBe(before);
    expectError(await getState(visitor, roomId, "/m.room.name/"), 404, "M_NOT_FOUND");

    expect((await putState(visitor, roomId, "m.room.history_visibility/", { history_visibility: "joined" })).status).toBe(200);
    expect((await putState(visitor, roomId, "m.room.guest_access/", { guest_access: "forbidden" })).status).toBe(200);
    expect((await putState(visitor, roomId, "m.room.join_rules/", { join_rule: "invite" })).status).toBe(200);
    expect((await getState(visitor, roomId, "/m.room.history_visibility/")).body).toEqual({ history_visibility: "joined" });
  });

  it("refuses bad JSON, wrong types and oversized state, changing nothing", async () => {
    const roomId = await staffRoom(env.companion);
    const t = { token: env.companion.token };
    const json = { "content-type": "application/json" };
    const before = env.server.count("events");
    expectError(await env.server.request("PUT", `${v3}/rooms/${roomId}/state/m.room.topic/`, { ...t, raw: "{", headers: json }), 400, "M_NOT_JSON");
    expectError(await env.server.request("PUT", `${v3}/rooms/${roomId}/state/m.room.topic/`, { ...t, raw: "[1,2]", headers: json }), 400, "M_BAD_JSON");
    expectError(await env.server.request("PUT", `${v3}/rooms/${roomId}/state/m.room.topic/`, { ...t, raw: '"topic"', headers: json }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, `${"x".repeat(256)}/`, { a: 1 }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, `org.onsafe.note/${"k".repeat(256)}`, { a: 1 }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, "m.room.topic/", { topic: "x".repeat(70_000) }), 413, "M_TOO_LARGE");
    expectError(await env.server.requestOversized("PUT", `${v3}/rooms/${roomId}/state/m.room.topic/`, 2_000_000, env.companion.token), 413, "M_TOO_LARGE");
    expectError(await putState(env.companion, roomId, "m.room.power_levels/", { users: "everyone" }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, "m.room.power_levels/", { users: { [env.companion.userId]: "100" } }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, "m.room.power_levels/", { users: { [env.companion.userId]: 100 }, kick: "50" }), 400, "M_BAD_JSON");
    expectError(await putState(env.companion, roomId, "m.room.power_levels/", { users: { [env.companion.userId]: 100 }, events: { "m.room.name": 1.5 } }), 400, "M_BAD_JSON");
    // State the server or another user owns.
    expectError(await putState(env.companion, roomId, "m.room.create/", { creator: env.supervisor.userId }), 403, "M_FORBIDDEN");
    expectError(await putState(env.companion, roomId, `m.room.member/${env.supervisor.userId}`, { membership: "join" }), 403, "M_FORBIDDEN");
    expectError(await putState(env.companion, roomId, `m.room.member/${env.companion.userId}`, { membership: "leave" }), 403, "M_FORBIDDEN");
    expectError(await putState(env.companion, roomId, `org.onsafe.note/${env.supervisor.userId}`, { text: "as if from them" }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
    expectError(await getState(env.companion, roomId, "/m.room.topic/"), 404, "M_NOT_FOUND");
    // One's own state key is fine.
    expect((await putState(env.companion, roomId, `org.onsafe.note/${env.companion.userId}`, { text: "mine" })).status).toBe(200);
  });

  it("checks power levels for state, and for changes to the power levels themselves", async () => {
    const roomId = await staffRoom(env.companion);
    await invite(env.companion, roomId, env.supervisor);
    expect((await join(env.supervisor, roomId)).status).toBe(200);
    let before = env.server.count("events");
    // Level 0: state needs 50 (state_default, m.room.name), power levels 100.
    expectError(await putState(env.supervisor, roomId, "m.room.name/", { name: "x" }), 403, "M_FORBIDDEN");
    expectError(await putState(env.supervisor, roomId, "m.room.topic/", { topic: "x" }), 403, "M_FORBIDDEN");
    const levels = await powerLevels(env.supervisor, roomId);
    expectError(await putState(env.supervisor, roomId, "m.room.power_levels/", { ...levels, users: { ...levels.users, [env.supervisor.userId]: 100 } }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);

    // The owner makes the supervisor a moderator who may also edit power levels.
    const raised = { ...levels, users: { ...levels.users, [env.supervisor.userId]: 50 }, events: { ...levels.events, "m.room.power_levels": 50 } };
    expect((await putState(env.companion, roomId, "m.room.power_levels/", raised)).status).toBe(200);
    expect((await putState(env.supervisor, roomId, "m.room.topic/", { topic: "ok now" })).status).toBe(200);

    // A moderator cannot reach above their own level: not for users, not for actions or events, not by removing an entry.
    before = env.server.count("events");
    const withUsers = (users: Record<string, number>) => ({ ...raised, users });
    for (const attempt of [
      withUsers({ [env.companion.userId]: 100, [env.supervisor.userId]: 100 }),
      withUsers({ [env.companion.userId]: 0, [env.supervisor.userId]: 50 }),
      withUsers({ [env.supervisor.userId]: 50 }),
      { ...raised, kick: 100 },
      { ...raised, ban: 100 },
      { ...raised, events: { ...raised.events, "m.room.name": 100 } },
      { ...raised, events: { ...raised.events, "m.room.encryption": 0 } },
      { ...raised, users_default: 60 },
    ]) {
      expectError(await putState(env.supervisor, roomId, "m.room.power_levels/", attempt), 403, "M_FORBIDDEN");
    }
    expect(env.server.count("events")).toBe(before);
    expect((await powerLevels(env.companion, roomId)).users[env.companion.userId]).toBe(100);

    // Within their level they may change things: give someone else a level up to their own, lower kick.
    const ok = { ...raised, users: { ...raised.users, [env.triage.userId]: 50 }, kick: 40 };
    expect((await putState(env.supervisor, roomId, "m.room.power_levels/", ok)).status).toBe(200);
    expect(await powerLevels(env.companion, roomId)).toEqual(ok);
  });

  it("lets a visitor manage power levels in their room, and nobody below them", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    await join(env.triage, roomId);
    const levels = await powerLevels(visitor, roomId);
    const before = env.server.count("events");
    expectError(await putState(env.triage, roomId, "m.room.power_levels/", { ...levels, users: { ...levels.users, [env.triage.userId]: 100 } }), 403, "M_FORBIDDEN");
    expectError(await putState(env.triage, roomId, "m.room.history_visibility/", { history_visibility: "world_readable" }), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(before);
    expect((await putState(visitor, roomId, "m.room.power_levels/", { ...levels, users: { ...levels.users, [env.triage.userId]: 50 } })).status).toBe(200);
    expect((await powerLevels(env.triage, roomId)).users[env.triage.userId]).toBe(50);
  });

  it("keeps a room's encryption algorithm once set", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const events = env.server.count("events");
    expectError(await putState(visitor, roomId, "m.room.encryption/", { algorithm: "m.none" }), 403, "M_FORBIDDEN");
    expectError(await putState(visitor, roomId, "m.room.encryption/", {}), 403, "M_FORBIDDEN");
    expect(env.server.count("events")).toBe(events);
    expect((await getState(visitor, roomId, "/m.room.encryption/")).body.algorithm).toBe("m.megolm.v1.aes-sha2");
    // The same algorithm with other settings is still allowed.
    expect((await putState(visitor, roomId, "m.room.encryption/", { algorithm: "m.megolm.v1.aes-sha2", rotation_period_msgs: 50 })).status).toBe(200);
  });

  it("refuses a room whose initial power levels are not integers, creating nothing", async () => {
    const rooms = env.server.count("rooms");
    expectError(await env.server.request("POST", `${v3}/createRoom`, { token: env.companion.token, body: { power_level_content_override: { events_default: "0" } } }), 400, "M_BAD_JSON");
    expectError(await env.server.request("POST", `${v3}/createRoom`, { token: env.companion.token, body: { power_level_content_override: { users: { [env.companion.userId]: 1.5 } } } }), 400, "M_BAD_JSON");
    expectError(await env.server.request("POST", `${v3}/createRoom`, {
      token: env.companion.token, body: { initial_state: [{ type: "m.room.power_levels", state_key: "", content: { ban: [] } }] },
    }), 400, "M_BAD_JSON");
    expect(env.server.count("rooms")).toBe(rooms);
  });
});
