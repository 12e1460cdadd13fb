import { beforeEach, describe, expect, it } from "vitest";
import { type Fixture, queueFixture } from "../queue/test-fixture.ts";
import { WAIT_SAMPLE_LIMIT, WAIT_WINDOW_MS } from "../queue/wait-estimate.ts";
import type { CaseRow } from "../storage/index.ts";
import { ClosedCaseRetention, type RoomExits, startRetentionTimer, type SweepCounts } from "./closed-cases.ts";
import { allRows, tracesOf } from "../../../test-support/database-rows.ts";

const DAY = 86_400_000;
const RETENTION = 90 * DAY;

/** A Matrix side that records the rooms the bots were taken out of, and can be made to fail. */
class RecordingExits implements RoomExits {
  left: string[] = [];
  failing = false;
  async leaveAndForget(roomId: string): Promise<boolean> {
    if (this.failing) return false;
    this.left.push(roomId);
    return true;
  }
}

let q: Fixture;
let exits: RecordingExits;
let retention: ClosedCaseRetention;
let mina: string;
let start: number;

beforeEach(async () => {
  q = await queueFixture();
  exits = new RecordingExits();
  retention = new ClosedCaseRetention(q.tables, q.clock, RETENTION, exits);
  mina = await q.staffMember("mina", { capacity: 10 });
  start = q.clock.now();
  q.tables.partners.insert({
    id: "p-legal1", kind: "legal_aid", name: { ko: "법률", en: "Legal" }, about: { ko: "상담", en: "Advice" }, region: "Seoul",
    languages: ["ko"], hours: "9-18", contact: "132", staffIds: [], active: true, createdAt: start, updatedAt: start,
  });
});

/** A case through the queue to mina: its offer, log and assignment are real. */
async function takenCase(name: string): Promise<CaseRow> {
  const c = await q.queuedCase(name);
  return q.staffCases.claim(c.id, q.staff.get(mina)!);
}

async function closeCase(c: CaseRow): Promise<void> {
  await q.staffCases.close(c.id, q.staff.get(mina)!, "supported");
}

/** An appointment holding a booked slot from `startsAt` for an hour, and the case's appointments room. */
function appointment(c: CaseRow, id: string, startsAt: number): void {
  const t = q.tables;
  t.slots.insert({ id: `s-${id}`, companionId: mina, startsAt, endsAt: startsAt + 3_600_000, createdAt: q.clock.now() });
  t.appointments.insert({ id: `a-${id}`, caseId: c.id, companionId: mina, kind: "court_hearing", step: "settled", createdAt: q.clock.now() });
  t.slots.book(`s-${id}`, `a-${id}`);
  t.appointments.update(`a-${id}`, { status: "confirmed", slotId: `s-${id}`, startsAt, endsAt: startsAt + 3_600_000, confirmedAt: q.clock.now() });
  if (!t.schedulingRooms.ofCase(c.id)) t.schedulingRooms.insert(c.id, `!appointments-${id}:test`, q.clock.now());
}

/** A referral with its room, and mina's referral desk for the case. */
function referral(c: CaseRow, id: string): void {
  const t = q.tables;
  t.referrals.insert({ id: `r-${id}`, caseId: c.id, partnerId: "p-legal1", companionId: mina, itemsOffered: ["category"], createdAt: q.clock.now() });
  t.referrals.update(`r-${id}`, { roomId: `!referral-${id}:test`, status: "accepted", consentedAt: q.clock.now(), acceptedAt: q.clock.now() });
  t.referralDesks.insert({ roomId: `!desk-${id}:test`, caseId: c.id, staffId: mina }, q.clock.now());
}

/** Every id that names the case or something of it. */
function idsOf(c: CaseRow, id: string): string[] {
  return [c.id, c.roomId, c.visitorId, `a-${id}`, `r-${id}`, `!appointments-${id}:test`, `!referral-${id}:test`, `!desk-${id}:test`];
}

const sqlite = () => q.tables.db.sqlite;
const besidesDepartures = (rows: string[]) => rows.filter((r) => !r.includes("rooms_to_leave"));

describe("the retention sweep", () => {
  it("erases a case closed longer than the period from every table, and leaves its rooms; open, recent and still active cases stay", async () => {
    const old = await takenCase("old");
    appointment(old, "old", start + 2 * DAY);
    referral(old, "old");
    q.clock.advance(3 * DAY);
    await closeCase(old);

    const court = await takenCase("court");
    await closeCase(court);
    // Accompaniment to court can outlast the counselling (docs/SCHEDULING.md): its date counts as activity.
    appointment(court, "court", start + 100 * DAY);
    const partnerWork = await takenCase("partner");
    referral(partnerWork, "partner");
    await closeCase(partnerWork);
    q.clock.advance(40 * DAY);
    q.tables.referrals.update("r-partner", { firstContactAt: q.clock.now() });

    q.clock.t = start + 80 * DAY;
    const recent = await takenCase("recent");
    await closeCase(recent);
    const open = await takenCase("open");
    expect(q.tables.log.forCase(old.id).map((e) => e.kind)).toEqual(["created", "queued", "offered", "assigned", "closed"]);
    expect(q.tables.offers.pastFor(old.id)).toHaveLength(1);
    expect(tracesOf(sqlite(), idsOf(old, "old")).map((t) => t.table).sort()).toEqual(expect.arrayContaining(
      ["appointments", "availability_slots", "case_log", "cases", "offers", "referral_desks", "referrals", "scheduling_rooms"]));
    const others = allRows(sqlite()).filter((row) => !idsOf(old, "old").some((id) => row.includes(id)));

    q.clock.t = start + 94 * DAY;
    expect(await retention.sweep()).toEqual<SweepCounts>({ erased: 1, stillActive: 2, failed: 0, roomsLeft: 4, roomsPending: 0 });

    expect(tracesOf(sqlite(), idsOf(old, "old"))).toEqual([]);
    expect(exits.left.sort()).toEqual([old.roomId, "!appointments-old:test", "!desk-old:test", "!referral-old:test"].sort());
    // The slot is the companion's time: freed, not deleted.
    expect(q.tables.slots.byId("s-old")).toMatchObject({ appointmentId: null });
    expect(besidesDepartures(allRows(sqlite())).filter((row) => !row.includes("s-old"))).toEqual(others);
    expect(q.cases.get(open.id)).toMatchObject({ status: "assigned" });

    q.clock.t = start + 200 * DAY;
    expect(await retention.sweep()).toMatchObject({ erased: 3, stillActive: 0, failed: 0 });
    expect(tracesOf(sqlite(), [...idsOf(court, "court"), ...idsOf(partnerWork, "partner"), recent.id, recent.roomId])).toEqual([]);
    expect(q.cases.get(open.id)).toMatchObject({ status: "assigned" });
  });

  it("erases a case whole or not at all: a failure midway rolls every table back, and the next sweep finishes it", async () => {
    const c = await takenCase("v1");
    appointment(c, "v1", start + DAY);
    referral(c, "v1");
    await closeCase(c);
    q.clock.advance(RETENTION + 2 * DAY);
    const before = allRows(sqlite());
    // Fails the last delete of the erasure, after the other tables' deletes ran.
    sqlite().exec("CREATE TRIGGER stop_midway BEFORE DELETE ON cases BEGIN SELECT RAISE(ABORT, 'stopped'); END");

    expect(await retention.sweep()).toMatchObject({ erased: 0, failed: 1, roomsLeft: 0 });
    expect(allRows(sqlite())).toEqual(before);
    expect(exits.left).toEqual([]);

    sqlite().exec("DROP TRIGGER stop_midway");
    expect(await retention.sweep()).toMatchObject({ erased: 1, failed: 0, roomsLeft: 4 });
    expect(tracesOf(sqlite(), idsOf(c, "v1"))).toEqual([]);
  });

  it("keeps the rooms to leave across failures and restarts until every bot is out", async () => {
    const c = await takenCase("v1");
    referral(c, "v1");
    await closeCase(c);
    q.clock.advance(RETENTION + DAY);
    exits.failing = true;
    expect(await retention.sweep()).toMatchObject({ erased: 1, roomsLeft: 0, roomsPending: 3 });
    expect(q.cases.get(c.id)).toBeUndefined();

    // A new service on the same database (a restart) takes the bots out.
    exits.failing = false;
    const restarted = new ClosedCaseRetention(q.tables, q.clock, RETENTION, exits);
    expect(await restarted.sweep()).toMatchObject({ erased: 0, roomsLeft: 3, roomsPending: 0 });
    expect(exits.left.sort()).toEqual([c.roomId, "!desk-v1:test", "!referral-v1:test"].sort());
    expect(tracesOf(sqlite(), idsOf(c, "v1"))).toEqual([]);
  });

  it("at the shortest period the supervisor's figures and the expected wait are the same after a sweep", async () => {
    const shortest = new ClosedCaseRetention(q.tables, q.clock, 14 * DAY, exits);
    for (let day = 0; day < 20; day++) {
      const c = await takenCase(`day${day}`);
      q.clock.advance(DAY / 2);
      await closeCase(c);
      q.clock.advance(DAY / 2);
    }
    await takenCase("open");
    const figures = q.metrics.snapshot();
    const waits = q.tables.cases.recentWaits(q.clock.now() - WAIT_WINDOW_MS, WAIT_SAMPLE_LIMIT);

    expect((await shortest.sweep()).erased).toBe(6);
    expect(q.metrics.snapshot()).toEqual(figures);
    expect(q.tables.cases.recentWaits(q.clock.now() - WAIT_WINDOW_MS, WAIT_SAMPLE_LIMIT)).toEqual(waits);
  });

  it("runs at once on the timer and logs one line of counts, no ids", async () => {
    const c = await takenCase("v1");
    await closeCase(c);
    q.clock.advance(RETENTION + DAY);
    const lines: string[] = [];
    const logged = new Promise<void>((resolve) => {
      const stop = startRetentionTimer(retention, 3_600_000, (line) => { lines.push(line); void stop().then(resolve); });
    });
    await logged;
    expect(lines).toEqual(["retention: erased 1 closed cases (0 past the period kept as still active, 0 failed); bots left 1 rooms (0 to retry)"]);
  });
});
