/**
 * Crisis alerts that reach a person (docs/CRISIS.md "The alert", "Ops API"),
 * with real parts: our homeserver, the bots service on a clock moved by hand,
 * and matrix-js-sdk clients with Rust crypto for the victims and staff, who
 * read their pages decrypted in their pager rooms. Consoles are stood in for
 * by the ops API's long poll, as the console makes it.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import type { Clock } from "../src/queue/index.ts";
import { ANSWERED_LISTED_MS } from "../src/crisis/crisis-alerts.ts";
import { OPS_API_PREFIX } from "../src/ops-api/index.ts";
import { answerTriage, eventually, messages } from "./conversation.ts";
import { Stack } from "./stack.ts";

/** The service's clock, moved on by hand; the homeserver keeps real time. */
class MovedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

const SECOND = 1000;
const PAGE_BODY = (caseId: string) => `위기 알림: 사례 ${caseId} 응답이 필요해요. / Crisis alert: case ${caseId} needs someone now.`;

const clock = new MovedClock();
let stack: Stack;
let db: Database.Database;
let mina: SdkClient; // companion on shift
let sora: SdkClient; // supervisor on shift
let jun: SdkClient; // companion off shift, on call
let kai: SdkClient; // companion off shift, not on call
/** On call in the staff directory but with no account on the homeserver: every page to them fails (the invite is refused). */
const GHOST = "@ghost:localhost";

interface AlertsReply { version: number; alerts: Record<string, any>[] }

async function alerts(who: SdkClient, query = ""): Promise<AlertsReply> {
  const reply = await stack.ops(who.account, "GET", `/alerts${query}`);
  if (reply.status !== 200) throw new Error(`GET alerts: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A console's long poll: asks again (each wait at most 30 s) until `done` holds; returns the reply and when it came. */
async function pollUntil(who: SdkClient, done: (r: AlertsReply) => boolean): Promise<{ reply: AlertsReply; at: number }> {
  let reply = await alerts(who);
  const deadline = Date.now() + 120_000;
  while (!done(reply)) {
    if (Date.now() > deadline) throw new Error(`${who.userId}'s alerts never became as expected: ${JSON.stringify(reply)}`);
    reply = await alerts(who, `?after=${reply.version}&wait=30000`);
  }
  return { reply, at: Date.now() };
}

/** A victim whose crisis words in triage raise an alert; returns the case id. */
async function crisisCase(): Promise<{ victim: SdkClient; roomId: string; caseId: string }> {
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  await answerTriage(victim, roomId, stack.triageBot, [["language", "한국어"]]);
  await stack.say(victim, roomId, "그 영상 때문에 죽고 싶어요");
  const c = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId), (row) => row?.crisis === true, "the case marked crisis");
  return { victim, roomId, caseId: c!.id };
}

/** The staff member's pager room, once the triage bot has invited them; they join it. */
async function pagerRoom(who: SdkClient): Promise<string> {
  // Invites arrive as stripped state, not timeline events: poll.
  const roomId = await eventually(async () => pagerRoomOf(who), (id) => id !== undefined, `${who.userId} invited to the pager room`, 60_000);
  if (who.client.getRoom(roomId!)!.getMyMembership() === "invite") await who.client.joinRoom(roomId!);
  return roomId!;
}

function pagerRoomOf(who: SdkClient): string | undefined {
  return who.client.getRooms().find((r) => r.name === "onsafe pager" && ["invite", "join"].includes(r.getMyMembership()))?.roomId;
}

/** The pages in the room, decrypted: their contents, oldest first. */
function pages(who: SdkClient, roomId: string): Record<string, any>[] {
  return messages(who, roomId).filter((m) => m.sender === stack.triageBot && m.content["org.onsafe.alert"]).map((m) => m.content);
}

async function waitForPage(who: SdkClient, alertId: string, level: number): Promise<Record<string, any>> {
  const roomId = await pagerRoom(who);
  await who.waitFor(() => pages(who, roomId).some((p) => p["org.onsafe.alert"].alert_id === alertId && p["org.onsafe.alert"].level === level), `a level-${level} page for ${alertId}`);
  return pages(who, roomId).find((p) => p["org.onsafe.alert"].alert_id === alertId && p["org.onsafe.alert"].level === level)!;
}

function alertRow(id: string): Record<string, any> {
  return db.prepare("SELECT * FROM crisis_alerts WHERE id = ?").get(id) as Record<string, any>;
}

function logOf(caseId: string): { kind: string; actor: string | null }[] {
  return db.prepare("SELECT kind, actor FROM case_log WHERE case_id = ? AND kind LIKE 'alert_%' ORDER BY id").all(caseId) as { kind: string; actor: string | null }[];
}

beforeAll(async () => {
  // Offers must not lapse while the clock is moved: nothing here takes a case but the test that means to.
  stack = await Stack.start({ clock, offerTimeoutMs: 24 * 3_600_000 });
  db = new Database(join(stack.config.dataDir, "bots.sqlite"), { readonly: true });
  mina = await stack.staff("mina", { capacity: 10 });
  sora = await stack.staff("sora", { kind: "supervisor", capacity: 10 });
  jun = await stack.staff("jun", { onShift: false });
  kai = await stack.staff("kai", { onShift: false });
  const onCall = await stack.ops(jun.account, "PUT", "/me/on-call", { on_call: true });
  expect(onCall.status).toBe(200);
  expect(onCall.body).toMatchObject({ user_id: jun.userId, on_shift: false, on_call: true });
  await stack.bots.queue.staff.addOrUpdateStaff({ userId: GHOST, kind: "companion", displayName: "ghost", capacity: 0 });
  stack.bots.queue.staff.setOnCall(GHOST, true);
}, 120_000);
afterAll(async () => {
  db?.close();
  await stack?.close();
});

describe("a crisis alert", () => {
  let caseId: string;
  let alertId: string;

  it("is listed in every on-shift console at once (the long poll answers), and for nobody off shift", async () => {
    const before = await alerts(mina);
    expect(before.alerts).toEqual([]);
    const polls = [mina, sora].map((who) => pollUntil(who, (r) => r.alerts.length > 0));
    ({ caseId } = await crisisCase());
    const [forMina, forSora] = await Promise.all(polls);
    expect(forMina.reply.alerts).toEqual([{
      id: expect.stringMatching(/^a_[a-z2-7]{16}$/), case_id: caseId, raised_at: expect.any(Number), level: 0,
      level_at: forMina.reply.alerts[0].raised_at, acknowledged_by: null, acknowledged_at: null,
    }]);
    expect(forSora.reply.alerts).toEqual(forMina.reply.alerts);
    alertId = forMina.reply.alerts[0].id;
    const raisedAt = forMina.reply.alerts[0].raised_at;
    console.log(`crisis alert raised → long poll answered: mina ${forMina.at - raisedAt} ms, sora ${forSora.at - raisedAt} ms`);
    expect(forMina.at - raisedAt).toBeLessThan(2_000);
    expect(forSora.at - raisedAt).toBeLessThan(2_000);
    expect(forMina.reply.version).not.toBe(before.version);
    // Off shift: on call sees nothing before level 2, anyone else nothing at all.
    expect((await alerts(jun)).alerts).toEqual([]);
    expect((await alerts(kai)).alerts).toEqual([]);
    expect(logOf(caseId)).toEqual([{ kind: "alert_raised", actor: null }]);
  }, 180_000);

  it("unanswered for 120 s, is paged to everyone on shift in their pager room (encrypted, ids only)", async () => {
    clock.offsetMs = 120 * SECOND;
    const movedAt = Date.now();
    await pollUntil(mina, (r) => r.alerts[0]?.level === 1);
    for (const who of [mina, sora]) {
      const page = await waitForPage(who, alertId, 1);
      // The first page also creates the room and waits for the invite to sync; the escalation timer ticks every second.
      console.log(`clock moved past 120 s → page decrypted by ${who.userId}: ${Date.now() - movedAt} ms`);
      expect(page).toEqual({
        msgtype: "m.text", body: PAGE_BODY(caseId), "m.mentions": { user_ids: [who.userId] },
        "org.onsafe.alert": { kind: "crisis", case_id: caseId, alert_id: alertId, level: 1 },
      });
      const room = who.client.getRoom(pagerRoomOf(who)!)!;
      expect(room.hasEncryptionStateEvent()).toBe(true);
      expect(room.currentState.getStateEvents("m.room.create", "")!.getContent()["org.onsafe.room"]).toBe("pager");
      expect(room.getJoinedMemberCount()).toBe(2);
      expect(who.undecryptable.get(room.roomId) ?? 0).toBe(0);
    }
    expect(pagerRoomOf(mina)).not.toBe(pagerRoomOf(sora));
    // Off shift, nobody is paged yet, and the on-call person still sees nothing.
    expect(pagerRoomOf(jun)).toBeUndefined();
    expect(pagerRoomOf(kai)).toBeUndefined();
    expect((await alerts(jun)).alerts).toEqual([]);
  }, 120_000);

  it("unanswered for 300 s, is paged to the on-call list, whose consoles now show it (a page that fails costs nobody else theirs)", async () => {
    clock.offsetMs = 300 * SECOND;
    const { reply } = await pollUntil(jun, (r) => r.alerts.length > 0);
    expect(reply.alerts).toEqual([expect.objectContaining({ id: alertId, level: 2 })]);
    // The ghost's page, tried first (ids in order), fails; Jun's goes all the same.
    const page = await waitForPage(jun, alertId, 2);
    expect(page["org.onsafe.alert"]).toEqual({ kind: "crisis", case_id: caseId, alert_id: alertId, level: 2 });
    expect((await alerts(kai)).alerts).toEqual([]);
    expect(pagerRoomOf(kai)).toBeUndefined();
    // Level 2 goes to the on-call list only: on-shift staff were paged at level 1.
    const minaRoom = pagerRoomOf(mina)!;
    expect(pages(mina, minaRoom).filter((p) => p["org.onsafe.alert"].alert_id === alertId).map((p) => p["org.onsafe.alert"].level)).toEqual([1]);
    expect(logOf(caseId).map((e) => e.kind)).toEqual(["alert_raised", "alert_escalated", "alert_escalated"]);
  }, 120_000);

  it("refuses bad input and strangers, changing nothing", async () => {
    const cases: [string, string, unknown, number, string][] = [
      ["GET", "/alerts?after=abc", undefined, 400, "M_INVALID_PARAM"],
      ["GET", "/alerts?after=1&wait=30001", undefined, 400, "M_INVALID_PARAM"],
      ["GET", "/alerts?wait=-5", undefined, 400, "M_INVALID_PARAM"],
      ["PUT", "/me/on-call", { on_call: "yes" }, 400, "M_BAD_JSON"],
      ["PUT", "/me/on-call", {}, 400, "M_MISSING_PARAM"],
      ["POST", "/alerts/a_aaaaaaaaaaaaaaaa/acknowledge", {}, 404, "M_NOT_FOUND"],
      ["POST", "/alerts/not-an-id/acknowledge", {}, 404, "M_NOT_FOUND"],
      ["POST", `/alerts/${alertId}/acknowledge`, [], 400, "M_BAD_JSON"],
    ];
    const before = JSON.stringify([alertRow(alertId), db.prepare("SELECT user_id, on_call FROM staff ORDER BY user_id").all()]);
    for (const [method, path, body, status, errcode] of cases) {
      const reply = await stack.ops(jun.account, method, path, body);
      expect({ method, path, status: reply.status, errcode: reply.body.errcode }).toEqual({ method, path, status, errcode });
    }
    // Kai is off shift and not on call: the alert is not his to see.
    const stranger = await stack.ops(kai.account, "POST", `/alerts/${alertId}/acknowledge`, {});
    expect([stranger.status, stranger.body.errcode]).toEqual([404, "M_NOT_FOUND"]);
    expect(JSON.stringify([alertRow(alertId), db.prepare("SELECT user_id, on_call FROM staff ORDER BY user_id").all()])).toBe(before);
  });

  it("acknowledged ('I'm on it'), leaves every console, records who and when, and stops escalating", async () => {
    // Every console learns who answered: the alert stays listed a moment, acknowledged, then goes.
    const answered = (r: AlertsReply) => r.alerts.some((a) => a.id === alertId && a.acknowledged_by === jun.userId);
    const polls = [mina, sora, jun].map((who) => pollUntil(who, answered));
    const reply = await stack.ops(jun.account, "POST", `/alerts/${alertId}/acknowledge`, {});
    expect(reply.status).toBe(200);
    const ackAt = clock.now();
    expect(reply.body.alert).toMatchObject({ id: alertId, case_id: caseId, level: 2, acknowledged_by: jun.userId });
    expect(Math.abs(reply.body.alert.acknowledged_at - ackAt)).toBeLessThan(5_000);
    for (const { reply: seen } of await Promise.all(polls)) {
      expect(seen.alerts.find((a) => a.id === alertId)).toEqual({ ...reply.body.alert });
    }
    clock.offsetMs += ANSWERED_LISTED_MS + SECOND;
    for (const who of [mina, sora, jun]) expect((await alerts(who)).alerts).toEqual([]);
    expect(alertRow(alertId)).toMatchObject({ resolution: "acknowledged", acknowledged_by: jun.userId, resolved_at: reply.body.alert.acknowledged_at });
    expect(logOf(caseId).at(-1)).toEqual({ kind: "alert_acknowledged", actor: jun.userId });
    // Once answered: 409, naming nobody.
    const again = await stack.ops(mina.account, "POST", `/alerts/${alertId}/acknowledge`, {});
    expect([again.status, again.body.errcode]).toEqual([409, "M_BAD_STATE"]);
    expect(again.body.error).not.toContain("jun");
    // It does not assign the case.
    expect(stack.bots.queue.cases.get(caseId)!.assignedTo).toBeNull();

    // An hour on: no more pages (three escalation checks pass in this wait).
    const counts = () => [mina, sora, jun].map((who) => pages(who, pagerRoomOf(who)!).length);
    const paged = counts();
    clock.offsetMs += 3_600 * SECOND;
    await new Promise((r) => setTimeout(r, 3_500));
    expect(counts()).toEqual(paged);
    expect(alertRow(alertId).level).toBe(2);
  }, 180_000);

  it("ends when the case is taken: the companion offered it joins", async () => {
    const polls = [mina, sora].map((who) => pollUntil(who, (r) => r.alerts.length > 0));
    const taken = await crisisCase();
    const [{ reply }] = await Promise.all(polls);
    const id = reply.alerts[0].id;
    expect(reply.alerts[0].case_id).toBe(taken.caseId);
    const offered = await eventually(async () => (await stack.ops(sora.account, "GET", `/cases/${taken.caseId}`)).body.case, (c) => c.status === "offered", "the case offered");
    const taker = [mina, sora].find((who) => who.userId === offered.offered_to)!;
    await taker.waitForRoom(taken.roomId, "invite");
    await taker.client.joinRoom(taken.roomId);
    await pollUntil(mina, (r) => !r.alerts.some((a) => a.id === id));
    expect(alertRow(id)).toMatchObject({ resolution: "taken", acknowledged_by: taker.userId });
  }, 180_000);

  it("survives a restart of the bots service, which escalates what fell due while it was down", async () => {
    const before = await pollUntil(mina, () => true);
    const polls = pollUntil(mina, (r) => r.alerts.length > before.reply.alerts.length);
    const late = await crisisCase();
    const { reply } = await polls;
    const alert = reply.alerts.find((a) => a.case_id === late.caseId)!;
    expect(alert.level).toBe(0);

    await stack.stopBots();
    clock.offsetMs += 300 * SECOND;
    await stack.startBots();
    // Straight to level 2 at start: both lists are paged, as they would have been.
    const after = await pollUntil(jun, (r) => r.alerts.some((a) => a.id === alert.id));
    expect(after.reply.alerts.find((a) => a.id === alert.id)).toMatchObject({ level: 2, raised_at: alert.raised_at });
    expect(after.reply.version).not.toBe(reply.version);
    for (const who of [mina, sora, jun]) await waitForPage(who, alert.id, 2);
    expect(logOf(late.caseId).map((e) => e.kind)).toEqual(["alert_raised", "alert_escalated"]);
  }, 240_000);

  it.each([
    ["straight to the bots service", () => stack.bots.url],
    // The console's polls come through the homeserver's /_onsafe/ proxy, which must pass the going away on.
    ["through the homeserver", () => stack.hs.url],
  ])("a long poll ends when its client goes away (%s)", async (_how, base) => {
    const { version } = await alerts(mina);
    const waitingBefore = stack.bots.alerts.feed.waiting;
    const controller = new AbortController();
    const url = `${base()}${OPS_API_PREFIX}/alerts?after=${version}&wait=30000`;
    const request = fetch(url, { headers: { authorization: `Bearer ${mina.account.token}` }, signal: controller.signal }).catch(() => "aborted");
    await eventually(async () => stack.bots.alerts.feed.waiting, (n) => n === waitingBefore + 1, "the poll waiting");
    controller.abort();
    expect(await request).toBe("aborted");
    await eventually(async () => stack.bots.alerts.feed.waiting, (n) => n === waitingBefore, "the poll to end with its client", 10_000);
  });
});
