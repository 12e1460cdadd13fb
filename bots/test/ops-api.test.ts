/**
 * The ops API against a real homeserver: tokens are checked by its whoami.
 * The queue runs on an in-memory database with a recording Matrix side.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS, WEB_PUSH_APP_ID } from "@onsafe/schema";
import { type Account, TestServer } from "../../chat-server/test/harness.ts";
import { botsConfigFromEnv } from "../src/config.ts";
import { loadCrisisLines } from "../src/content/crisis-lines.ts";
import { CrisisAlerts } from "../src/crisis/crisis-alerts.ts";
import { KeepAliveClient } from "../../test-support/keep-alive-client.ts";
import { createOpsApi, startOpsApi, WhoamiResolver } from "../src/ops-api/index.ts";
import { MyReferrals } from "../src/referrals/my-referrals.ts";
import { type ReferralRooms, Referrals } from "../src/referrals/referral-flow.ts";
import { PartnerDirectory } from "../src/partners/directory.ts";
import { type SchedulingFixture as Fixture, schedulingFixture } from "../src/scheduling/test-fixture.ts";

let server: TestServer;
const who: Record<"mina" | "jun" | "boss" | "pat" | "ghost" | "visitor" | "bot", Account> = {} as never;

beforeAll(async () => {
  server = await TestServer.start();
  who.mina = await server.createAccount("companion", "mina");
  who.jun = await server.createAccount("companion", "jun");
  who.boss = await server.createAccount("supervisor", "boss");
  who.pat = await server.createAccount("partner", "pat");
  who.ghost = await server.createAccount("companion", "ghost");
  who.visitor = await server.registerVisitor();
  who.bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
});
afterAll(async () => { await server.close(); });

/** The referral routes are tested end to end (referrals.test.ts); here nothing may reach Matrix. */
const NO_ROOMS: ReferralRooms = new Proxy({} as ReferralRooms, { get: () => () => { throw new Error("no Matrix side in the ops API unit tests"); } });

/** The ops API's routes here never push (the push gateway's own tests do, bots/test/push-gateway.test.ts). */
const NO_PUSH = {
  gateway: { notify: async (): Promise<never> => { throw new Error("no push gateway in these tests"); } },
  config: { gateway_url: "http://127.0.0.1:8009/_matrix/push/v1/notify", app_id: WEB_PUSH_APP_ID, vapid_public_key: "" },
};

let q: Fixture;
let app: ReturnType<typeof createOpsApi>;
beforeEach(async () => {
  q = await schedulingFixture();
  const config = { ...botsConfigFromEnv({}), serverName: server.config.serverName, homeserverUrl: server.url };
  app = createOpsApi({ config, queue: q, scheduler: q.scheduler, partners: new PartnerDirectory(q.tables, q.clock), referrals: new Referrals(q.tables, q.clock, NO_ROOMS, (id) => q.tables.partners.byId(id)), myReferrals: new MyReferrals(q.tables), crisisLines: loadCrisisLines(), alerts: new CrisisAlerts(q.tables, q.clock, { page: async () => {} }, { escalateMs: 120_000, onCallMs: 300_000 }), tokens: new WhoamiResolver(server.url), push: NO_PUSH });
  await q.staff.addOrUpdateStaff({ userId: who.mina.userId, kind: "companion", displayName: "Mina", languages: ["ko", "en"] });
  await q.staff.addOrUpdateStaff({ userId: who.jun.userId, kind: "companion", displayName: "Jun", languages: ["ko"] });
  await q.staff.addOrUpdateStaff({ userId: who.boss.userId, kind: "supervisor", displayName: "Boss", languages: ["ko"] });
  await q.staff.addOrUpdateStaff({ userId: who.pat.userId, kind: "partner", displayName: "Legal aid" });
});

interface Reply { status: number; body: any }

async function call(method: string, path: string, o: { as?: Account; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.as) headers.authorization = `Bearer ${o.as.token}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const response = await app.request(`/_onsafe/v1${path}`, { method, headers, body });
  return { status: response.status, body: await response.json() };
}

function expectError(reply: Reply, status: number, errcode: string): void {
  expect({ status: reply.status, errcode: reply.body.errcode }).toEqual({ status, errcode });
  expect(typeof reply.body.error).toBe("string");
}

/** Every row of the bots database, to show a refused request changed nothing. */
function snapshot(): string {
  const db = q.tables.db.sqlite;
  return JSON.stringify(["staff", "cases", "offers", "case_log", "availability_slots", "appointments", "scheduling_rooms", "partners"].map((t) => db.prepare(`select * from ${t} order by 1`).all()));
}

async function expectRefused(method: string, path: string, o: Parameters<typeof call>[2], status: number, errcode: string) {
  const before = snapshot();
  const calls = q.actions.calls.length;
  expectError(await call(method, path, o), status, errcode);
  expect(snapshot()).toBe(before);
  expect(q.actions.calls.length).toBe(calls);
}

async function onShift(...accounts: Account[]) {
  for (const a of accounts) await q.staff.setShift(a.userId, true);
}

describe("GET public/config", () => {
  it("needs no token and says who to invite, languages, hours, crisis lines and whether anyone is on shift", async () => {
    const closed = await call("GET", "/public/config");
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      triage_bot: `@onsafe-triage:${server.config.serverName}`,
      languages: ["ko", "en"],
      hours: { time_zone: "Asia/Seoul", days: [1, 2, 3, 4, 5], opens: "09:00", closes: "18:00" },
      open: false,
    });
    expect(closed.body.crisis_lines.checked_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(closed.body.crisis_lines.lines.map((l: { number: string }) => l.number)).toContain("109");
    await onShift(who.jun);
    expect((await call("GET", "/public/config")).body.open).toBe(true);
  });

  it("gives the app its opening: a short greeting and the first question after the language, in both languages, skip last", async () => {
    const { opening } = (await call("GET", "/public/config")).body;
    expect(opening.greeting.en).toMatch(/counsellor/);
    expect(opening.greeting.ko).toMatch(/상담사/);
    expect(`${opening.greeting.en} ${opening.greeting.ko}`).not.toMatch(/end-to-end|종단간|companion/);
    expect(opening.prompt).toMatchObject({ id: "category", text: { en: expect.stringMatching(/^Which of these is closest/), ko: expect.any(String) } });
    expect(opening.prompt.options[0]).toEqual({ id: "illegal_filming", label: { ko: "누군가 동의 없이 나를 촬영했어요", en: "Someone filmed or photographed me without consent" } });
    expect(opening.prompt.options.at(-1)).toEqual({ id: "skip", label: { ko: "그냥 상담사와 이야기하고 싶어요", en: "I just want to talk to a counsellor" } });
  });
});

describe("authentication", () => {
  it("refuses a missing token, a token the homeserver does not know, visitors, unknown staff, and partners on staff routes", async () => {
    expectError(await call("GET", "/me"), 401, "M_MISSING_TOKEN");
    expectError(await call("GET", "/me", { headers: { authorization: "Basic bWluYQ==" } }), 401, "M_MISSING_TOKEN");
    expectError(await call("GET", "/me", { headers: { authorization: "Bearer not-a-token" } }), 401, "M_UNKNOWN_TOKEN");
    expectError(await call("GET", "/me", { as: who.visitor }), 403, "M_FORBIDDEN");
    expectError(await call("GET", "/me", { as: who.ghost }), 403, "M_FORBIDDEN");
    for (const [method, path] of [["GET", "/queue"], ["GET", "/metrics"], ["GET", "/cases/c-000000"], ["POST", "/cases/c-000000/claim"], ["GET", "/partners"]]) {
      expectError(await call(method!, path!, { as: who.pat }), 403, "M_FORBIDDEN");
    }
    await expectRefused("PUT", "/me/shift", { as: who.pat, body: { onShift: true } }, 403, "M_FORBIDDEN");
    await expectRefused("POST", "/partners", { as: who.pat, body: legalAid }, 403, "M_FORBIDDEN");
  });

  it("lets companions and supervisors in", async () => {
    const me = await call("GET", "/me", { as: who.mina });
    expect(me).toEqual({ status: 200, body: {
      user_id: who.mina.userId, kind: "companion", display_name: "Mina", languages: ["ko", "en"], capacity: 3, on_shift: false, shift_changed_at: null, on_call: false, load: 0,
    } });
    expect((await call("GET", "/me", { as: who.boss })).body.kind).toBe("supervisor");
  });

  it("lets partners' staff read who they are (every other route: partner-access.test.ts)", async () => {
    expect((await call("GET", "/me", { as: who.pat })).body).toMatchObject({ user_id: who.pat.userId, kind: "partner", display_name: "Legal aid" });
  });

  it("refuses a token from the very next request after it is logged out (no whoami cache across requests)", async () => {
    const leaver = await server.createAccount("companion", `leaver${Date.now()}`);
    await q.staff.addOrUpdateStaff({ userId: leaver.userId, kind: "companion", displayName: "Leaver", languages: ["ko"] });
    expect((await call("GET", "/me", { as: leaver })).status).toBe(200);
    expect((await server.request("POST", "/_matrix/client/v3/logout", { token: leaver.token, body: {} })).status).toBe(200);
    expectError(await call("GET", "/me", { as: leaver }), 401, "M_UNKNOWN_TOKEN");
    await expectRefused("PUT", "/me/shift", { as: leaver, body: { onShift: true } }, 401, "M_UNKNOWN_TOKEN");
  });

  it("answers unknown routes with M_UNRECOGNIZED before looking at the token", async () => {
    expectError(await call("GET", "/nonsense"), 404, "M_UNRECOGNIZED");
    expectError(await call("POST", "/public/config"), 404, "M_UNRECOGNIZED");
    expectError(await call("DELETE", "/me", { as: who.mina }), 404, "M_UNRECOGNIZED");
  });
});

describe("PUT me/shift", () => {
  it("starts and ends a shift, and coming on shift routes the waiting cases", async () => {
    const c = await q.queuedCase("night");
    const on = await call("PUT", "/me/shift", { as: who.mina, body: { onShift: true } });
    expect(on.body).toMatchObject({ on_shift: true, shift_changed_at: q.clock.now(), load: 1 });
    expect(q.actions.of("invite")).toEqual([{ kind: "invite", roomId: c.roomId, userId: who.mina.userId }]);
    expect((await call("PUT", "/me/shift", { as: who.mina, body: { onShift: false } })).body).toMatchObject({ on_shift: false, load: 0 });
  });

  it("refuses bad bodies and changes nothing", async () => {
    await expectRefused("PUT", "/me/shift", { as: who.mina, raw: "{not json" }, 400, "M_NOT_JSON");
    await expectRefused("PUT", "/me/shift", { as: who.mina, body: [true] }, 400, "M_BAD_JSON");
    await expectRefused("PUT", "/me/shift", { as: who.mina, body: {} }, 400, "M_MISSING_PARAM");
    await expectRefused("PUT", "/me/shift", { as: who.mina, body: { onShift: "yes" } }, 400, "M_BAD_JSON");
    await expectRefused("PUT", "/me/shift", { as: who.mina, raw: JSON.stringify({ onShift: true, pad: "x".repeat(20_000) }) }, 413, "M_TOO_LARGE");
  });
});

describe("GET queue and GET cases/{id}", () => {
  it("lists waiting and offered cases in order, with ids and enums only", async () => {
    const calm = await q.queuedCase("calm");
    const urgent = await q.queuedCase("urgent", { priority: 4, minor: true });
    await onShift(who.jun);
    q.clock.advance(30_000);
    const reply = await call("GET", "/queue", { as: who.mina });
    expect(reply.status).toBe(200);
    expect(reply.body.open).toBe(true);
    expect(reply.body.cases.map((e: { id: string }) => e.id)).toEqual([urgent.id, calm.id]);
    expect(reply.body.cases[0]).toEqual({
      id: urgent.id, status: "offered", priority: 4, crisis: false, category: null, language: "ko",
      minor: true, risk: null, waiting_ms: 30_000, position: 1, offered_to: who.jun.userId,
      offer_expires_at: expect.any(Number), transfer_from: null, reopened_at: null,
    });
    expect((await call("GET", "/queue", { as: who.boss })).status).toBe(200);
  });

  it("shows a waiting case to staff on shift, its companion and supervisors only", async () => {
    const c = await q.queuedCase("v1");
    expectError(await call("GET", `/cases/${c.id}`, { as: who.mina }), 403, "M_FORBIDDEN");
    await onShift(who.mina);
    const seen = await call("GET", `/cases/${c.id}`, { as: who.mina });
    expect(seen.body.case).toMatchObject({ id: c.id, room_id: c.roomId, status: "offered", position: 1, offered_to: who.mina.userId });
    expect(seen.body.case).not.toHaveProperty("visitor_id");
    expect(seen.body.case).not.toHaveProperty("triage_state");
    expect((await call("GET", `/cases/${c.id}`, { as: who.boss })).status).toBe(200);
    expectError(await call("GET", "/cases/c-zzzzzz", { as: who.mina }), 404, "M_NOT_FOUND");
    expectError(await call("GET", "/cases/not-an-id", { as: who.mina }), 404, "M_NOT_FOUND");
  });
});

describe("POST cases/{id}/claim", () => {
  it("gives a waiting case to the claimer; the bot invites them", async () => {
    const c = await q.queuedCase("v1");
    await onShift(who.jun);
    const reply = await call("POST", `/cases/${c.id}/claim`, { as: who.jun });
    expect(reply.status).toBe(200);
    expect(reply.body.case).toMatchObject({ id: c.id, status: "assigned", assigned_to: who.jun.userId });
    expect(q.actions.of("invite").at(-1)).toEqual({ kind: "invite", roomId: c.roomId, userId: who.jun.userId });
  });

  it("is refused off shift, for a case already taken, an unknown case and a bad body, changing nothing", async () => {
    const c = await q.queuedCase("v1");
    await expectRefused("POST", `/cases/${c.id}/claim`, { as: who.mina }, 403, "M_FORBIDDEN");
    await onShift(who.mina, who.jun);
    await expectRefused("POST", `/cases/${c.id}/claim`, { as: who.mina, raw: "nope" }, 400, "M_NOT_JSON");
    await expectRefused("POST", "/cases/c-000000/claim", { as: who.mina }, 404, "M_NOT_FOUND");
    expect((await call("POST", `/cases/${c.id}/claim`, { as: who.mina })).status).toBe(200);
    await expectRefused("POST", `/cases/${c.id}/claim`, { as: who.jun }, 409, "M_BAD_STATE");
  });
});

describe("GET staff/on-shift", () => {
  it("lists the companions and supervisors on shift, with their load", async () => {
    await onShift(who.jun);
    const reply = await call("GET", "/staff/on-shift", { as: who.mina });
    expect(reply.status).toBe(200);
    expect(reply.body.staff.map((m: { user_id: string }) => m.user_id)).toEqual([who.jun.userId]);
    expect(reply.body.staff[0]).toMatchObject({ on_shift: true, load: 0 });
    expectError(await call("GET", "/staff/on-shift", {}), 401, "M_MISSING_TOKEN");
  });
});

describe("GET me/cases", () => {
  it("lists the caller's own open cases with their rooms, and nobody else's", async () => {
    await onShift(who.mina, who.jun);
    const mine = await q.queuedCase("v1");
    const juns = await q.queuedCase("v2");
    await call("POST", `/cases/${mine.id}/claim`, { as: who.mina });
    await call("POST", `/cases/${juns.id}/claim`, { as: who.jun });
    const reply = await call("GET", "/me/cases", { as: who.mina });
    expect(reply.status).toBe(200);
    expect(reply.body.cases).toEqual([expect.objectContaining({ id: mine.id, room_id: mine.roomId, status: "assigned", assigned_to: who.mina.userId })]);
    await call("POST", `/cases/${mine.id}/close`, { as: who.mina, body: { outcome: "supported" } });
    expect((await call("GET", "/me/cases", { as: who.mina })).body.cases).toEqual([]);
    expectError(await call("GET", "/me/cases", {}), 401, "M_MISSING_TOKEN");
  });
});

describe("POST cases/{id}/transfer", () => {
  async function assignedToMina() {
    await onShift(who.mina, who.jun);
    const c = await q.queuedCase("v1");
    await call("POST", `/cases/${c.id}/claim`, { as: who.mina });
    q.cases.markHandedOff(c.id);
    return c;
  }

  it("offers the case; it stays with its companion until the colleague accepts, then moves", async () => {
    const c = await assignedToMina();
    const reply = await call("POST", `/cases/${c.id}/transfer`, { as: who.mina, body: { to: who.jun.userId } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ case: { id: c.id, assigned_to: who.mina.userId, offered_to: who.jun.userId }, invited: false });
    expect(typeof reply.body.offer_expires_at).toBe("number");
    const entry = (await call("GET", "/queue", { as: who.jun })).body.cases.find((e: { id: string }) => e.id === c.id);
    expect(entry).toMatchObject({ offered_to: who.jun.userId, transfer_from: who.mina.userId, offer_expires_at: reply.body.offer_expires_at });
    expect((await call("GET", `/cases/${c.id}/transfer`, { as: who.mina })).body.transfer).toMatchObject({ from: who.mina.userId, to: who.jun.userId, status: "pending" });
    const accepted = await call("POST", `/cases/${c.id}/transfer/accept`, { as: who.jun });
    expect(accepted.body.case).toMatchObject({ id: c.id, assigned_to: who.jun.userId, room_id: c.roomId });
    expect(q.tables.log.forCase(c.id).at(-1)).toMatchObject({ kind: "transferred", actor: who.jun.userId });
    expectError(await call("GET", `/cases/${c.id}`, { as: who.mina }), 403, "M_FORBIDDEN");
    // The transferring console learns that it was accepted, and may then hand the room over (also after a reload).
    expect((await call("GET", `/cases/${c.id}/transfer`, { as: who.mina })).body.transfer.status).toBe("accepted");
    expect((await call("GET", "/me/transfers", { as: who.mina })).body.transfers).toEqual([{ case_id: c.id, room_id: c.roomId, to: who.jun.userId, accepted_at: expect.any(Number) }]);
    expect((await call("GET", "/me/transfers", { as: who.jun })).body.transfers).toEqual([]);
  });

  it("a note is refused: it goes to the colleague's console, encrypted, never here", async () => {
    const c = await assignedToMina();
    await expectRefused("POST", `/cases/${c.id}/transfer`, { as: who.mina, body: { to: who.jun.userId, note: "She prefers to talk in the evening" } }, 400, "M_INVALID_PARAM");
    expect(snapshot()).not.toContain("evening");
  });

  it("decline and undo leave the case with its companion; only the colleague offered may accept or decline", async () => {
    const c = await assignedToMina();
    await call("POST", `/cases/${c.id}/transfer`, { as: who.mina, body: { to: who.jun.userId } });
    await expectRefused("POST", `/cases/${c.id}/transfer`, { as: who.mina, body: { to: who.jun.userId } }, 409, "M_BAD_STATE");
    await expectRefused("POST", `/cases/${c.id}/transfer/accept`, { as: who.mina }, 409, "M_BAD_STATE");
    await expectRefused("POST", `/cases/${c.id}/transfer/undo`, { as: who.jun }, 403, "M_FORBIDDEN");
    expect((await call("POST", `/cases/${c.id}/transfer/decline`, { as: who.jun })).status).toBe(200);
    expect((await call("GET", `/cases/${c.id}/transfer`, { as: who.mina })).body.transfer.status).toBe("declined");
    await call("POST", `/cases/${c.id}/transfer`, { as: who.mina, body: { to: who.jun.userId } });
    expect((await call("POST", `/cases/${c.id}/transfer/undo`, { as: who.mina })).body.case).toMatchObject({ assigned_to: who.mina.userId, offered_to: null });
    await expectRefused("POST", `/cases/${c.id}/transfer/accept`, { as: who.jun }, 409, "M_BAD_STATE");
    expect((await call("GET", "/me/cases", { as: who.mina })).body.cases.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });

  it("a supervisor may transfer any assigned case", async () => {
    const c = await assignedToMina();
    await onShift(who.boss);
    expect((await call("POST", `/cases/${c.id}/transfer`, { as: who.boss, body: { to: who.boss.userId } })).body.case.offered_to).toBe(who.boss.userId);
    expect((await call("POST", `/cases/${c.id}/transfer/accept`, { as: who.boss })).body.case.assigned_to).toBe(who.boss.userId);
  });

  it("refuses others, bad bodies and bad targets, changing nothing", async () => {
    const c = await assignedToMina();
    const path = `/cases/${c.id}/transfer`;
    await expectRefused("POST", path, { as: who.jun, body: { to: who.jun.userId } }, 403, "M_FORBIDDEN");
    await expectRefused("POST", path, { as: who.mina, body: {} }, 400, "M_MISSING_PARAM");
    await expectRefused("POST", path, { as: who.mina, body: { to: 7 } }, 400, "M_BAD_JSON");
    await expectRefused("POST", path, { as: who.mina, body: { to: "jun" } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", path, { as: who.mina, body: { to: who.jun.userId, note: 5 } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", path, { as: who.mina, body: { to: who.pat.userId } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", path, { as: who.mina, body: { to: who.boss.userId } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", path, { as: who.mina, raw: "{" }, 400, "M_NOT_JSON");
  });
});

describe("POST cases/{id}/close", () => {
  it("the companion closes with an outcome; closing again is refused", async () => {
    await onShift(who.mina);
    const c = await q.queuedCase("v1");
    await call("POST", `/cases/${c.id}/claim`, { as: who.mina });
    await expectRefused("POST", `/cases/${c.id}/close`, { as: who.mina, body: {} }, 400, "M_MISSING_PARAM");
    await expectRefused("POST", `/cases/${c.id}/close`, { as: who.mina, body: { outcome: "fine" } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", `/cases/${c.id}/close`, { as: who.mina, body: { outcome: ["supported"] } }, 400, "M_BAD_JSON");
    await expectRefused("POST", `/cases/${c.id}/close`, { as: who.jun, body: { outcome: "supported" } }, 403, "M_FORBIDDEN");
    const reply = await call("POST", `/cases/${c.id}/close`, { as: who.mina, body: { outcome: "referred" } });
    expect(reply.body.case).toMatchObject({ status: "closed", outcome: "referred", closed_at: q.clock.now() });
    await expectRefused("POST", `/cases/${c.id}/close`, { as: who.boss, body: { outcome: "supported" } }, 409, "M_BAD_STATE");
  });

  it("a supervisor may close a case still waiting", async () => {
    const c = await q.queuedCase("v1");
    expect((await call("POST", `/cases/${c.id}/close`, { as: who.boss, body: { outcome: "no_response" } })).body.case.status).toBe("closed");
  });
});

describe("POST cases/{id}/victim-left", () => {
  /** A case of a real room on the homeserver: a new visitor, the bot, and Mina, who claimed it and joined. */
  async function minasCaseInARoom() {
    const victim = await server.registerVisitor();
    const roomId = await server.visitorRoomWithBot(victim, who.bot);
    await onShift(who.mina);
    const c = q.cases.createCase({ roomId, visitorId: victim.userId });
    await q.cases.saveTriage(c.id, { language: "ko" });
    q.cases.enqueue(c.id);
    await call("POST", `/cases/${c.id}/claim`, { as: who.mina });
    await server.call(who.bot, "POST", `/rooms/${roomId}/invite`, { user_id: who.mina.userId });
    expect((await server.call(who.mina, "POST", `/join/${roomId}`, {})).status).toBe(200);
    q.cases.markHandedOff(c.id);
    await server.call(who.bot, "POST", `/rooms/${roomId}/leave`, {});
    return { c, victim, roomId };
  }

  it("closes the case (victim_left) once the homeserver shows the victim gone from the room, and frees the companion", async () => {
    const { c, victim, roomId } = await minasCaseInARoom();
    const path = `/cases/${c.id}/victim-left`;
    // Still there: refused, whoever asks. Jun is not the case's companion; Boss cannot see the room.
    await expectRefused("POST", path, { as: who.mina, body: {} }, 409, "M_BAD_STATE");
    await expectRefused("POST", path, { as: who.boss, body: {} }, 409, "M_BAD_STATE");
    await expectRefused("POST", path, { as: who.jun, body: {} }, 403, "M_FORBIDDEN");
    expect((await call("GET", "/me", { as: who.mina })).body.load).toBe(1);

    // The victim deletes their conversation as the app does: leave, then deactivate with erasure.
    await server.call(victim, "POST", `/rooms/${roomId}/leave`, {});
    const ask = await server.call(victim, "POST", "/account/deactivate", { erase: true });
    expect((await server.call(victim, "POST", "/account/deactivate", { erase: true, auth: { type: "m.login.dummy", session: ask.body.session } })).status).toBe(200);
    await expectRefused("POST", path, { as: who.jun, body: {} }, 403, "M_FORBIDDEN");
    const reply = await call("POST", path, { as: who.mina, body: {} });
    expect(reply.status).toBe(200);
    expect(reply.body.case).toMatchObject({ status: "closed", outcome: "victim_left", closed_at: q.clock.now() });
    expect(q.tables.log.forCase(c.id).at(-1)).toMatchObject({ kind: "closed", actor: null });
    expect((await call("GET", "/me", { as: who.mina })).body.load).toBe(0);
    // Reported again (the bot, or the same console a moment earlier): the case as it is.
    expect((await call("POST", path, { as: who.mina, body: {} })).body.case).toMatchObject({ status: "closed", outcome: "victim_left" });
  });

  it("a victim who only leaves closes the case too", async () => {
    const { c, victim, roomId } = await minasCaseInARoom();
    await server.call(victim, "POST", `/rooms/${roomId}/leave`, {});
    expect((await call("POST", `/cases/${c.id}/victim-left`, { as: who.mina, body: {} })).body.case.outcome).toBe("victim_left");
  });
});

describe("GET metrics", () => {
  it("is for supervisors only and holds counts, no content", async () => {
    await onShift(who.mina);
    const c = await q.queuedCase("v1");
    await q.cases.markCrisis(c.id);
    expectError(await call("GET", "/metrics", { as: who.mina }), 403, "M_FORBIDDEN");
    const reply = await call("GET", "/metrics", { as: who.boss });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ queue_length: 1, open_crisis_cases: 1, offers_expired_7d: 0, offers_declined_7d: 0 });
    expect(reply.body.current_wait_ms).toEqual({ p50: 0, max: 0 });
    expect(reply.body.closed_per_day).toHaveLength(7);
    expect(reply.body.active_cases.find((a: { user_id: string }) => a.user_id === who.mina.userId)).toMatchObject({ on_shift: true, active: 0, capacity: 3 });
    expect(JSON.stringify(reply.body)).not.toContain(c.roomId);
  });
});

const legalAid = {
  kind: "legal_aid",
  name: { ko: "법률구조센터", en: "Legal aid centre" },
  about: { ko: "무료 법률 상담", en: "Free legal advice" },
  region: "Seoul",
  languages: ["ko", "en"],
  hours: "Mon-Fri 09:00-18:00",
  contact: "02-000-0000",
};

describe("partners", () => {
  it("a supervisor adds, changes and deactivates a partner; all staff read the active ones", async () => {
    const created = await call("POST", "/partners", { as: who.boss, body: { ...legalAid, staff_ids: [who.pat.userId] } });
    expect(created.status).toBe(200);
    const id = created.body.partner.id;
    expect(id).toMatch(/^p-[0-9a-z]{6}$/);
    expect(created.body.partner).toEqual({ id, ...legalAid, staff_ids: [who.pat.userId], active: true });
    expect(await call("GET", "/partners", { as: who.mina })).toEqual({ status: 200, body: { partners: [created.body.partner] } });

    const changed = await call("PUT", `/partners/${id}`, { as: who.boss, body: { hours: "24/7", staff_ids: [], name: { ko: "법률센터", en: "Law centre" } } });
    expect(changed).toEqual({ status: 200, body: { partner: { ...created.body.partner, hours: "24/7", staff_ids: [], name: { ko: "법률센터", en: "Law centre" } } } });

    const gone = await call("DELETE", `/partners/${id}`, { as: who.boss });
    expect(gone).toEqual({ status: 200, body: { partner: { ...changed.body.partner, active: false } } });
    expect((await call("GET", "/partners", { as: who.boss })).body).toEqual({ partners: [] });
    // Kept for past referrals, and can be brought back.
    expect((await call("PUT", `/partners/${id}`, { as: who.boss, body: { active: true } })).body.partner.active).toBe(true);
    expect((await call("GET", "/partners", { as: who.jun })).body.partners.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it("companions may read but not change the directory", async () => {
    const { id } = (await call("POST", "/partners", { as: who.boss, body: legalAid })).body.partner;
    await expectRefused("POST", "/partners", { as: who.mina, body: legalAid }, 403, "M_FORBIDDEN");
    await expectRefused("PUT", `/partners/${id}`, { as: who.mina, body: { hours: "24/7" } }, 403, "M_FORBIDDEN");
    await expectRefused("DELETE", `/partners/${id}`, { as: who.mina }, 403, "M_FORBIDDEN");
    await expectRefused("DELETE", `/partners/${id}`, {}, 401, "M_MISSING_TOKEN");
    await expectRefused("PUT", `/partners/${id}`, { as: who.pat, body: { hours: "24/7" } }, 403, "M_FORBIDDEN");
    await expectRefused("DELETE", `/partners/${id}`, { as: who.pat }, 403, "M_FORBIDDEN");
  });

  it("refuses bad input with the right errcode and changes nothing", async () => {
    const { id } = (await call("POST", "/partners", { as: who.boss, body: legalAid })).body.partner;
    const as = who.boss;
    const { region: _, ...noRegion } = legalAid;
    await expectRefused("POST", "/partners", { as, body: noRegion }, 400, "M_MISSING_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, name: { ko: "센터" } } }, 400, "M_MISSING_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, name: "Legal aid" } }, 400, "M_BAD_JSON");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, languages: "ko" } }, 400, "M_BAD_JSON");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, staff_ids: [7] } }, 400, "M_BAD_JSON");
    await expectRefused("POST", "/partners", { as, raw: "{" }, 400, "M_NOT_JSON");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, kind: "bakery" } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, about: { ko: "x".repeat(501), en: "x" } } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, contact: " " } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, languages: ["korean"] } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, staff_ids: [who.mina.userId] } }, 400, "M_INVALID_PARAM");
    await expectRefused("POST", "/partners", { as, body: { ...legalAid, staff_ids: ["@nobody:localhost"] } }, 400, "M_INVALID_PARAM");
    await expectRefused("PUT", `/partners/${id}`, { as, body: { hours: "x".repeat(201) } }, 400, "M_INVALID_PARAM");
    await expectRefused("PUT", `/partners/${id}`, { as, body: { hours: "24/7", staff_ids: [who.boss.userId] } }, 400, "M_INVALID_PARAM");
    await expectRefused("PUT", `/partners/${id}`, { as, body: { active: "no" } }, 400, "M_BAD_JSON");
    for (const path of ["/partners/p-000000", "/partners/c-000000", "/partners/P-ABCDEF"]) {
      await expectRefused("PUT", path, { as, body: { hours: "24/7" } }, 404, "M_NOT_FOUND");
      await expectRefused("DELETE", path, { as }, 404, "M_NOT_FOUND");
    }
  });
});

describe("over HTTP", () => {
  it("serves on a port with no-store replies", async () => {
    const running = await startOpsApi(app, { host: "127.0.0.1", port: 0 });
    try {
      const response = await fetch(`${running.url}/_onsafe/v1/me`, { headers: { authorization: `Bearer ${who.boss.token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect((await response.json()).user_id).toBe(who.boss.userId);
    } finally {
      await running.close();
    }
  });
});

describe("a JSON body nested 5,000 levels deep", () => {
  /** An object whose one field holds 5,000 arrays inside each other: 10 KB, under the 16 KB limit. */
  const deep = '{"a":' + "[".repeat(5_000) + "]".repeat(5_000) + "}";
  const routes: [string, string][] = [["PUT", "/me/shift"], ["POST", "/partners"], ["POST", "/me/availability"], ["PUT", "/me/visits-per-day"]];

  it("is 400 M_BAD_JSON on every route that reads a body, changing nothing", async () => {
    for (const [method, path] of routes) await expectRefused(method, path, { as: who.boss, raw: deep }, 400, "M_BAD_JSON");
  });

  it("is 400 M_BAD_JSON on the ops API's port and through the homeserver's /_onsafe/ proxy", async () => {
    const running = await startOpsApi(app, { host: "127.0.0.1", port: 0 });
    // A second homeserver whose /_onsafe/ goes to this ops API; tokens are still checked by the first.
    const front = await TestServer.start({ botsUrl: running.url });
    try {
      for (const base of [running.url, front.url]) {
        for (const [method, path] of routes) {
          const before = snapshot();
          const reply = await fetch(`${base}/_onsafe/v1${path}`, { method, headers: { authorization: `Bearer ${who.boss.token}`, "content-type": "application/json" }, body: deep });
          expect({ at: base, path, status: reply.status, errcode: (await reply.json()).errcode }).toEqual({ at: base, path, status: 400, errcode: "M_BAD_JSON" });
          expect(snapshot()).toBe(before);
        }
      }
    } finally {
      await front.close();
      await running.close();
    }
  });
});

describe("the next request on a keep-alive connection after an early refusal", () => {
  it("a 2 MB body (413 before reading it) says Connection: close, and the next request succeeds; so after a 401", async () => {
    const running = await startOpsApi(app, { host: "127.0.0.1", port: 0 });
    const client = new KeepAliveClient(running.url);
    try {
      const json = { "content-type": "application/json" };
      const mina = { ...json, authorization: `Bearer ${who.mina.token}` };
      const shift = (onShift: boolean) => client.send("PUT", "/_onsafe/v1/me/shift", JSON.stringify({ onShift }), mina);
      const tooLarge = await client.send("PUT", "/_onsafe/v1/me/shift", Buffer.alloc(2 * 1024 * 1024, 0x20), mina);
      expect(tooLarge.status).toBe(413);
      expect((await shift(true)).body.on_shift).toBe(true);
      expect(tooLarge.connection).toBe("close");
      // Under the size limit the token is checked first: 401 before the body is read.
      const noToken = await client.send("PUT", "/_onsafe/v1/me/shift", Buffer.alloc(12 * 1024, 0x20), json);
      expect(noToken.status).toBe(401);
      expect((await shift(false)).body.on_shift).toBe(false);
    } finally {
      client.close();
      await running.close();
    }
  });
});
