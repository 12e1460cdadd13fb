import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

describe("profiles, directories, account data and push rules", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "dana"],
  });
  const v3 = "/_matrix/client/v3";

  it("keeps visitors from looking up other people or the user directory", async () => {
    const visitor = await env.server.registerVisitor();
    expect((await env.server.request("GET", `${v3}/profile/${visitor.userId}`, { token: visitor.token })).status).toBe(200);
    expectError(await env.server.request("GET", `${v3}/profile/${env.companion.userId}`, { token: visitor.token }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `${v3}/profile/${env.companion.userId}/displayname`, { token: visitor.token }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("POST", `${v3}/user_directory/search`, { token: visitor.token, body: { search_term: "dana" } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `${v3}/publicRooms`, { token: visitor.token }), 403, "M_FORBIDDEN");
  });

  it("lets staff find staff and bots but never visitors", async () => {
    const visitor = await env.server.registerVisitor();
    const all = await env.server.request("POST", `${v3}/user_directory/search`, { token: env.companion.token, body: { search_term: "" } });
    const ids = all.body.results.map((r: { user_id: string }) => r.user_id);
    expect(ids).toContain(env.bot.userId);
    expect(ids).not.toContain(visitor.userId);
    expect(ids.every((id: string) => !id.startsWith("@v-"))).toBe(true);
    const found = await env.server.request("POST", `${v3}/user_directory/search`, { token: env.companion.token, body: { search_term: "dan", limit: 5 } });
    expect(found.body.results.map((r: { user_id: string }) => r.user_id)).toEqual([env.companion.userId]);
    expectError(await env.server.request("POST", `${v3}/user_directory/search`, { token: env.companion.token, body: { search_term: 4 } }), 400, "M_BAD_JSON");
    expect((await env.server.request("GET", `${v3}/profile/${visitor.userId}`, { token: env.companion.token })).status).toBe(200);
    expectError(await env.server.request("GET", `${v3}/profile/@nobody:localhost`, { token: env.companion.token }), 404, "M_NOT_FOUND");
  });

  it("changes only one's own profile, carries it into joined rooms, and keeps visitors anonymous", async () => {
    const staff = await env.server.createAccount("supervisor", "hyejin");
    const room = await env.server.request("POST", `${v3}/createRoom`, { token: staff.token, body: {} });
    expect((await env.server.request("PUT", `${v3}/profile/${staff.userId}/displayname`, { token: staff.token, body: { displayname: "Hyejin" } })).status).toBe(200);
    const member = await env.server.request("GET", `${v3}/rooms/${room.body.room_id}/state/m.room.member/${staff.userId}`, { token: staff.token });
    expect(member.body).toEqual({ membership: "join", displayname: "Hyejin" });
    expectError(await env.server.request("PUT", `${v3}/profile/${env.companion.userId}/displayname`, { token: staff.token, body: { displayname: "x" } }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("PUT", `${v3}/profile/${staff.userId}/avatar_url`, { token: staff.token, body: { avatar_url: "https://tracker.example/p.png" } }), 400, "M_BAD_JSON");
    expectError(await env.server.request("PUT", `${v3}/profile/${staff.userId}/displayname`, { token: staff.token, body: { displayname: 7 } }), 400, "M_BAD_JSON");
    const visitor = await env.server.registerVisitor();
    expectError(await env.server.request("PUT", `${v3}/profile/${visitor.userId}/displayname`, { token: visitor.token, body: { displayname: "My Real Name" } }), 403, "M_FORBIDDEN");
    expect(env.server.hs.accounts.profile(visitor.userId).displayname).toBe(visitor.userId.slice(1, visitor.userId.indexOf(":")));
  });

  it("stores account data for oneself only and syncs it", async () => {
    const visitor = await env.server.registerVisitor();
    const since = await env.server.nextBatch(visitor);
    expect((await env.server.request("PUT", `${v3}/user/${visitor.userId}/account_data/org.onsafe.settings`, { token: visitor.token, body: { lang: "ko" } })).status).toBe(200);
    expect((await env.server.request("GET", `${v3}/user/${visitor.userId}/account_data/org.onsafe.settings`, { token: visitor.token })).body).toEqual({ lang: "ko" });
    const sync = await env.server.request("GET", `${v3}/sync?since=${since}&timeout=5000`, { token: visitor.token });
    expect(sync.body.account_data.events).toEqual([{ type: "org.onsafe.settings", content: { lang: "ko" } }]);
    expectError(await env.server.request("PUT", `${v3}/user/${env.companion.userId}/account_data/x`, { token: visitor.token, body: {} }), 403, "M_FORBIDDEN");
    expectError(await env.server.request("GET", `${v3}/user/${visitor.userId}/account_data/missing`, { token: visitor.token }), 404, "M_NOT_FOUND");
    expectError(await env.server.request("PUT", `${v3}/user/${visitor.userId}/account_data/m.fully_read`, { token: visitor.token, body: {} }), 405, "M_BAD_JSON");
    expectError(await env.server.request("PUT", `${v3}/user/${visitor.userId}/rooms/!nope:localhost/account_data/x`, { token: visitor.token, body: {} }), 404, "M_NOT_FOUND");
  });

  it("stores filters and applies their timeline limit", async () => {
    const visitor = await env.server.registerVisitor();
    const created = await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: visitor.token, body: { room: { timeline: { limit: 3 } } } });
    expect(created.body.filter_id).toMatch(/^\d+$/);
    expect((await env.server.request("GET", `${v3}/user/${visitor.userId}/filter/${created.body.filter_id}`, { token: visitor.token })).body).toEqual({ room: { timeline: { limit: 3 } } });
    const room = await env.server.request("POST", `${v3}/createRoom`, { token: visitor.token, body: { initial_state: [ENCRYPTION] } });
    const sync = await env.server.request("GET", `${v3}/sync?filter=${created.body.filter_id}`, { token: visitor.token });
    expect(sync.body.rooms.join[room.body.room_id].timeline.events).toHaveLength(3);
    expectError(await env.server.request("GET", `${v3}/sync?filter=999`, { token: visitor.token }), 400, "M_INVALID_PARAM");
    expectError(await env.server.request("POST", `${v3}/user/${env.companion.userId}/filter`, { token: visitor.token, body: {} }), 403, "M_FORBIDDEN");
  });

  it("serves the default push rules read-only", async () => {
    const rules = await env.server.request("GET", `${v3}/pushrules/`, { token: env.companion.token });
    expect(rules.body.global.underride.map((r: { rule_id: string }) => r.rule_id)).toContain(".m.rule.encrypted");
    expect(rules.body.global.override.find((r: { rule_id: string }) => r.rule_id === ".m.rule.invite_for_me").conditions).toContainEqual({ kind: "event_match", key: "state_key", pattern: env.companion.userId });
    expectError(await env.server.request("PUT", `${v3}/pushrules/global/override/.m.rule.master/enabled`, { token: env.companion.token, body: { enabled: true } }), 403, "M_FORBIDDEN");
  });
});
