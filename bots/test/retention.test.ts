/**
 * Closed cases expire, end to end (docs/QUEUE.md "Retention"): our homeserver,
 * the bots service and real matrix-js-sdk clients. A case is triaged, taken,
 * given an appointments room, a referral room and a referral desk, and closed;
 * the service's clock is moved past the period and the sweep runs. The case is
 * gone from the ops API and from every table of the bots database, every bot
 * is out of its rooms, and an open case of the same run is untouched. The
 * victim coming back to the room finds nobody, and starts afresh by inviting
 * the triage bot.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import type { Clock } from "../src/queue/index.ts";
import { tracesOf } from "../../test-support/database-rows.ts";
import { eventually, messages, nextPrompt, waitForInvite } from "./conversation.ts";
import { addPartner, caseTakenBy } from "./referral-steps.ts";
import { Stack } from "./stack.ts";

const DAY = 86_400_000;

/** The service's clock, moved on by hand; the homeserver keeps real time. */
class MovedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

const clock = new MovedClock();
let stack: Stack;
let mina: SdkClient;
let boss: SdkClient;
let expiring: { victim: SdkClient; roomId: string; caseId: string };
let open: { victim: SdkClient; roomId: string; caseId: string };
/** The expiring case's appointments room, referral room and referral desk. */
let appointments: string;
let referralRoom: string;
let desk: string;
let ids: string[];

const caseReply = (caseId: string) => stack.ops(boss.account, "GET", `/cases/${caseId}`);
const membershipIn = (client: MatrixClient, roomId: string) => client.getRoom(roomId)?.getMyMembership();

beforeAll(async () => {
  stack = await Stack.start({ clock });
  mina = await stack.staff("mina", { capacity: 5 });
  boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  const partner = await addPartner(stack, boss, { kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, contact: "132" });
  expiring = await caseTakenBy(stack, mina);
  open = await caseTakenBy(stack, mina);

  // The referral desk: mina invites the referral bot into the case's room from her Matrix client.
  await mina.client.invite(expiring.roomId, stack.referralBot);
  desk = await waitForInvite(mina, stack.referralBot);
  await mina.client.joinRoom(desk);
  await nextPrompt(mina, desk, stack.referralBot);
  // The appointments room and a referral room, through the ops API as the console makes them.
  const visit = await stack.ops(mina.account, "POST", `/cases/${expiring.caseId}/appointments`, { kind: "counselling_visit" });
  expect(visit.status).toBe(200);
  appointments = await waitForInvite(expiring.victim, stack.schedulingBot);
  await expiring.victim.client.joinRoom(appointments);
  const referral = await stack.ops(mina.account, "POST", `/cases/${expiring.caseId}/referrals`, { partner_id: partner, items: ["category"] });
  expect(referral.status).toBe(200);
  referralRoom = await waitForInvite(expiring.victim, stack.referralBot);
  await expiring.victim.client.joinRoom(referralRoom);
  await nextPrompt(expiring.victim, referralRoom, stack.referralBot);

  // Closed from the console, which then leaves the room.
  expect((await stack.ops(mina.account, "POST", `/cases/${expiring.caseId}/close`, { outcome: "supported" })).status).toBe(200);
  await mina.client.leave(expiring.roomId);
  ids = [expiring.caseId, expiring.roomId, expiring.victim.userId, appointments, referralRoom, desk, visit.body.appointment.id, referral.body.referral.id];
}, 120_000);
afterAll(async () => { await stack?.close(); });

describe("a closed case past the retention period", () => {
  it("stays while the period runs: a sweep now erases nothing", async () => {
    clock.offsetMs = 89 * DAY;
    expect(await stack.bots.retention.sweep()).toMatchObject({ erased: 0, roomsLeft: 0 });
    expect((await caseReply(expiring.caseId)).body.case).toMatchObject({ status: "closed" });
    expect(membershipIn(stack.bots.scheduling.client, appointments)).toBe("join");
    expect(membershipIn(stack.bots.referral.client, referralRoom)).toBe("join");
    expect(membershipIn(stack.bots.referral.client, desk)).toBe("join");
  });

  it("is erased by the sweep: 404 in the ops API, no trace in any table of the bots database", async () => {
    clock.offsetMs = 91 * DAY;
    expect(await stack.bots.retention.sweep()).toEqual({ erased: 1, stillActive: 0, failed: 0, roomsLeft: 4, roomsPending: 0 });

    for (const who of [boss, mina]) {
      expect(await stack.ops(who.account, "GET", `/cases/${expiring.caseId}`)).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    }
    // Not in the files' bytes either: deleted rows are overwritten and the write-ahead log emptied.
    for (const file of ["bots.sqlite", "bots.sqlite-wal"]) {
      const bytes = readFileSync(join(stack.config.dataDir, file));
      for (const id of ids) expect(bytes.includes(Buffer.from(id)), `${id} in ${file}`).toBe(false);
    }
    const db = new Database(join(stack.config.dataDir, "bots.sqlite"), { readonly: true });
    try {
      expect(tracesOf(db, ids)).toEqual([]);
      // The scan sees what is there: the open case is in its tables.
      expect(tracesOf(db, [open.caseId]).map((t) => t.table)).toEqual(expect.arrayContaining(["cases", "case_log", "offers"]));
    } finally {
      db.close();
    }
  });

  it("every bot has left and forgotten the case's rooms; the people in them were not removed", async () => {
    const bots = [stack.bots.triage.client, stack.bots.scheduling.client, stack.bots.referral.client];
    for (const bot of bots) {
      const joined = (await bot.getJoinedRooms()).joined_rooms;
      for (const room of [expiring.roomId, appointments, referralRoom, desk]) {
        expect(joined).not.toContain(room);
        expect(bot.getRoom(room)).toBeNull();
      }
    }
    await expiring.victim.waitFor(() => expiring.victim.client.getRoom(appointments)?.getMember(stack.schedulingBot)?.membership === "leave"
      && expiring.victim.client.getRoom(referralRoom)?.getMember(stack.referralBot)?.membership === "leave", "the bots leaving the victim's rooms");
    await mina.waitFor(() => mina.client.getRoom(desk)?.getMember(stack.referralBot)?.membership === "leave", "the referral bot leaving the desk");
    expect(membershipIn(expiring.victim.client, appointments)).toBe("join");
    expect(membershipIn(expiring.victim.client, referralRoom)).toBe("join");
    expect(membershipIn(mina.client, desk)).toBe("join");
  });

  it("leaves an open case of the same run as it was", async () => {
    expect((await caseReply(open.caseId)).body.case).toMatchObject({ id: open.caseId, status: "assigned", assigned_to: mina.userId });
    expect(stack.bots.queue.cases.getByRoom(open.roomId)).toMatchObject({ id: open.caseId, status: "assigned" });
  });

  it("a victim coming back finds nobody in the room; inviting the triage bot starts a new case", async () => {
    const { victim, roomId } = expiring;
    expect(victim.client.getRoom(roomId)!.getJoinedMembers().map((m) => m.userId)).toEqual([victim.userId]);
    const lastBefore = messages(victim, roomId).at(-1)!.event.getId();
    await victim.client.invite(roomId, stack.triageBot);
    const first = await nextPrompt(victim, roomId, stack.triageBot, lastBefore);
    expect(first.id).toBe("language");
    const fresh = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId), (c) => c !== undefined, "a new case for the room");
    expect(fresh).toMatchObject({ status: "triage", visitorId: victim.userId });
    expect(fresh!.id).not.toBe(expiring.caseId);
  });
});
