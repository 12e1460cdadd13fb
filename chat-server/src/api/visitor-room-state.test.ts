import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_OPENING_FIELD, BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, expectError, type Account, TestServer } from "../../test/harness.ts";

/**
 * A visitor's room stays private and encrypted, and its clear-text state holds
 * no free text, whichever way the state is given: `initial_state`, `preset`,
 * `visibility`, `creation_content`, `power_level_content_override`, `name` and
 * `topic`, and later state sends (issue 21, finding 7: `join_rule: public` in
 * `initial_state` let an uninvited companion join).
 */
describe("a visitor's room state", () => {
  let server: TestServer;
  let bot: Account;
  let companion: Account;
  let visitor: Account;
  beforeAll(async () => {
    server = await TestServer.start({ visitorMaxRooms: 100 });
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    companion = await server.createAccount("companion", "state-cara");
    visitor = await server.registerVisitor();
  });
  afterAll(async () => { await server.close(); });

  const HISTORY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "shared" } };
  /** What the victim app asks for (chat-client/src/victim/chat/session.ts). */
  const appRoom = () => ({
    preset: "private_chat",
    invite: [bot.userId],
    initial_state: [ENCRYPTION, HISTORY],
    power_level_content_override: { users: { [visitor.userId]: 100, [bot.userId]: 50 } },
    creation_content: { [APP_OPENING_FIELD]: { first_prompt: "language" } },
  });

  async function expectRefused(body: Record<string, unknown>): Promise<void> {
    const rooms = server.count("rooms");
    const events = server.count("events");
    expectError(await server.call(visitor, "POST", "/createRoom", { ...appRoom(), ...body }), 403, "M_FORBIDDEN");
    expect(server.count("rooms")).toBe(rooms);
    expect(server.count("events")).toBe(events);
  }

  it("the app's own request makes a private encrypted room", async () => {
    const reply = await server.call(visitor, "POST", "/createRoom", appRoom());
    expect(reply.status).toBe(200);
    expectError(await server.call(companion, "POST", `/join/${reply.body.room_id}`, {}), 403, "M_FORBIDDEN");
  });

  it("initial_state cannot make the room public, readable by all, or carry text", async () => {
    // Before: 200, and an uninvited companion joined the room.
    const publicRoom = await server.call(visitor, "POST", "/createRoom", { ...appRoom(), initial_state: [ENCRYPTION, { type: "m.room.join_rules", state_key: "", content: { join_rule: "public" } }] });
    if (publicRoom.status === 200) expectError(await server.call(companion, "POST", `/join/${publicRoom.body.room_id}`, {}), 403, "M_FORBIDDEN");
    expectError(publicRoom, 403, "M_FORBIDDEN");
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.join_rules", state_key: "", content: { join_rule: "knock" } }] });
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "world_readable" } }] });
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.guest_access", state_key: "", content: { guest_access: "can_join" } }] });
    await expectRefused({ initial_state: [{ ...ENCRYPTION, state_key: "my name is Jane Doe" }] });
    await expectRefused({ initial_state: [ENCRYPTION, { ...ENCRYPTION, state_key: "I live in Mapo" }] });
    await expectRefused({ initial_state: [{ ...ENCRYPTION, content: { algorithm: "m.megolm.v1.aes-sha2", note: "my name is Jane Doe" } }] });
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "shared", note: "Jane" } }] });
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.power_levels", state_key: "", content: { users: { "@jane_doe_mapo:localhost": 0 } } }] });
    await expectRefused({ initial_state: [ENCRYPTION, { type: "m.room.name", state_key: "", content: { name: "Jane" } }] });
  });

  it("preset, visibility, name and topic cannot open the room or carry text", async () => {
    await expectRefused({ preset: "public_chat" });
    await expectRefused({ visibility: "public" });
    await expectRefused({ name: "Jane Doe" });
    await expectRefused({ topic: "Jane Doe" });
  });

  it("creation_content holds only the app's opening, a prompt id", async () => {
    await expectRefused({ creation_content: { note: "my name is Jane Doe" } });
    await expectRefused({ creation_content: { [APP_OPENING_FIELD]: { first_prompt: "my name is Jane Doe" } } });
    await expectRefused({ creation_content: { [APP_OPENING_FIELD]: { first_prompt: "language", note: "Jane" } } });
    await expectRefused({ creation_content: { type: "m.space" } });
  });

  it("power_level_content_override names only the room's own accounts and known event types", async () => {
    await expectRefused({ power_level_content_override: { users: { [visitor.userId]: 100, "@jane_doe_mapo:localhost": 50 } } });
    await expectRefused({ power_level_content_override: { events: { "my name is Jane Doe": 50 } } });
    await expectRefused({ power_level_content_override: { note: "Jane Doe" } });
    await expectRefused({ power_level_content_override: { notifications: { "Jane Doe": 50 } } });
  });

  it("later state sends keep to the same rules", async () => {
    const roomId = await server.visitorRoomWithBot(visitor, bot);
    const put = (type: string, stateKey: string, content: unknown) => server.call(visitor, "PUT", `/rooms/${roomId}/state/${type}/${encodeURIComponent(stateKey)}`, content);
    const events = server.count("events");
    expectError(await put("m.room.join_rules", "", { join_rule: "public" }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.history_visibility", "", { history_visibility: "world_readable" }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.encryption", "Jane Doe", { algorithm: "m.megolm.v1.aes-sha2" }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.history_visibility", "", { history_visibility: "shared", note: "Jane Doe" }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.guest_access", "", { guest_access: "can_join" }), 403, "M_FORBIDDEN");
    const levels = (await server.call(visitor, "GET", `/rooms/${roomId}/state/m.room.power_levels/`)).body;
    expectError(await put("m.room.power_levels", "", { ...levels, users: { ...levels.users, "@jane_doe_mapo:localhost": 10 } }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.power_levels", "", { ...levels, note: "Jane Doe" }), 403, "M_FORBIDDEN");
    expectError(await put("m.room.topic", "", { topic: "Jane Doe" }), 403, "M_FORBIDDEN");
    expect(server.count("events")).toBe(events);
    // What a visitor may change, they still can.
    expect((await put("m.room.history_visibility", "", { history_visibility: "joined" })).status).toBe(200);
    expect((await put("m.room.power_levels", "", { ...levels, users: { ...levels.users, [bot.userId]: 50 } })).status).toBe(200);
  });
});
