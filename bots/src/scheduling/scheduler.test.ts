import { beforeEach, describe, expect, it } from "vitest";
import type { StaffMember } from "../storage/index.ts";
import { type SchedulingFixture, schedulingFixture } from "./test-fixture.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let f: SchedulingFixture;
let mina: StaffMember;

/** A case assigned to `companion`; returns its id and the visitor. */
async function assignedCase(name: string, companion: StaffMember): Promise<{ caseId: string; visitor: string; roomId: string }> {
  const c = await f.queuedCase(name);
  await f.staffCases.claim(c.id, companion);
  return { caseId: c.id, visitor: c.visitorId, roomId: `!appointments-${c.id}:test` };
}

let eventNo = 0;
/** The victim taps option `optionId` of the newest prompt. */
async function tap(visitor: string, roomId: string, optionId: string): Promise<void> {
  const prompt = f.rooms.lastPrompt();
  await f.scheduler.onMessage({ roomId, sender: visitor, eventId: `$v${++eventNo}`, ts: eventNo, body: "", answer: { prompt_id: prompt.id, option_id: optionId } });
}

async function type(sender: string, roomId: string, body: string): Promise<void> {
  await f.scheduler.onMessage({ roomId, sender, eventId: `$v${++eventNo}`, ts: eventNo, body });
}

/** Every row of every table, as one string (to look for text that must not be there). */
function everything(): string {
  const db = f.tables.db.sqlite;
  const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => db.prepare(`select * from "${name}"`).all()));
}

beforeEach(async () => {
  f = await schedulingFixture();
  await f.staffMember("mina");
  mina = f.tables.staff.get("@mina:test")!;
  // The service's "now" is 2026-11-26 10:00 UTC (19:00 in Seoul).
});

function slot(startsInHours: number, hours = 2) {
  const start = f.clock.now() + startsInHours * HOUR;
  return f.scheduler.availability.add(mina, start, start + hours * HOUR);
}

describe("arranging an appointment", () => {
  it("asks the kind, offers free times, books the chosen one, asks the place and address, and confirms with a calendar file", async () => {
    const s1 = slot(24);
    slot(48);
    const { caseId, visitor, roomId } = await assignedCase("a", mina);

    const a = await f.scheduler.request(caseId, mina, null);
    expect(f.rooms.opened).toEqual([{ caseId, companionId: mina.userId }]);
    expect(f.rooms.lastPrompt().id).toBe(`${a.id}.kind`);

    await tap(visitor, roomId, "police_interview");
    const times = f.rooms.lastPrompt();
    expect(times.options.map((o) => o.id)).toEqual([s1.id, expect.stringMatching(/^s-/), "none"]);
    expect(times.options[0].label).toBe("11월 27일 (금) 오후 7:00~오후 9:00");
    expect(f.rooms.last()["org.onsafe.visit"]).toMatchObject({ stage: "proposal", appointment_id: a.id, kind: "police_interview" });

    // Typing the number works as well as tapping.
    await type(visitor, roomId, "1");
    expect(f.tables.slots.byId(s1.id)!.appointmentId).toBe(a.id);
    // One place for a police interview: announced, then its address asked.
    expect(f.rooms.sent.at(-2)!.content.body).toContain("경찰서");
    expect(f.rooms.lastPrompt().id).toBe(`${a.id}.address`);

    await type(visitor, roomId, "서초경찰서 민원실 앞");
    const confirmed = f.rooms.last();
    expect(confirmed.body).toContain("서초경찰서 민원실 앞");
    expect(confirmed.body).toContain("신분증");
    expect(confirmed["org.onsafe.visit"]).toMatchObject({ stage: "confirmed", starts_at: s1.startsAt, ends_at: s1.startsAt + 2 * HOUR, place: "police_station", address: "서초경찰서 민원실 앞", bring: expect.stringContaining("신분증") });
    expect(f.rooms.files).toHaveLength(1);
    expect(f.rooms.files[0].text).toContain("LOCATION:서초경찰서 민원실 앞");
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ status: "confirmed", step: "settled", place: "police_station", startsAt: s1.startsAt });

    // The address lives only in the encrypted chat.
    expect(everything()).not.toContain("서초경찰서");
    expect(f.scheduler.agenda(mina.userId).map((x) => x.id)).toEqual([a.id]);
  });

  it("is arranged only by the companion the case is with: not a colleague, not a supervisor who has not taken it over", async () => {
    const { caseId } = await assignedCase("v", mina);
    const boss = { ...mina, userId: "@boss:test", kind: "supervisor" as const };
    for (const other of [{ ...mina, userId: "@jun:test" }, boss]) {
      await expect(f.scheduler.request(caseId, other, "counselling_visit")).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    }
    expect(f.tables.appointments.openOfCase(caseId)).toEqual([]);
  });

  it("gives one slot to one victim: the second is told it was taken, and a companion at capacity gets no more that day", async () => {
    const only = slot(24);
    const one = await assignedCase("one", mina);
    const two = await assignedCase("two", mina);
    await f.scheduler.request(one.caseId, mina, "counselling_visit");
    const offeredToOne = f.rooms.lastPrompt();
    const b = await f.scheduler.request(two.caseId, mina, "counselling_visit");
    const offeredToTwo = f.rooms.lastPrompt();
    expect(offeredToTwo.options[0].id).toBe(only.id);

    await f.scheduler.onMessage({ roomId: one.roomId, sender: one.visitor, eventId: "$1", ts: 1, body: "", answer: { prompt_id: offeredToOne.id, option_id: only.id } });
    await f.scheduler.onMessage({ roomId: two.roomId, sender: two.visitor, eventId: "$2", ts: 2, body: "", answer: { prompt_id: offeredToTwo.id, option_id: only.id } });
    expect(f.rooms.sent.at(-2)!.content.body).toContain("방금 다른 약속");
    expect(f.rooms.last().body).toContain("비어 있는 시간이 없어요");
    expect(f.tables.appointments.byId(b.id)).toMatchObject({ slotId: null, step: "waiting_for_times" });

    // Capacity: one visit a day. A second slot the same day is not offered; one the next day is, at once.
    f.scheduler.availability.setVisitsPerDay(mina, 1);
    slot(27);
    await f.scheduler.offerAgain(mina.userId, "test");
    expect(f.tables.appointments.byId(b.id)!.step).toBe("waiting_for_times");
    const nextDay = slot(48);
    await f.scheduler.offerAgain(mina.userId, "test 2");
    expect(f.rooms.lastPrompt().options.map((o) => o.id)).toEqual([nextDay.id, "none"]);
  });

  it("refuses to book past capacity even for a slot offered before the limit was lowered", async () => {
    const early = slot(24);
    const late = slot(27);
    const one = await assignedCase("one", mina);
    const two = await assignedCase("two", mina);
    await f.scheduler.request(one.caseId, mina, "counselling_visit");
    const p1 = f.rooms.lastPrompt();
    await f.scheduler.request(two.caseId, mina, "counselling_visit");
    const p2 = f.rooms.lastPrompt();
    f.scheduler.availability.setVisitsPerDay(mina, 1);
    await f.scheduler.onMessage({ roomId: one.roomId, sender: one.visitor, eventId: "$1", ts: 1, body: "", answer: { prompt_id: p1.id, option_id: early.id } });
    await f.scheduler.onMessage({ roomId: two.roomId, sender: two.visitor, eventId: "$2", ts: 2, body: "", answer: { prompt_id: p2.id, option_id: late.id } });
    expect(f.tables.slots.byId(late.id)!.appointmentId).toBeNull();
  });

  it("handles the same message twice as once", async () => {
    const s1 = slot(24);
    const { caseId, visitor, roomId } = await assignedCase("a", mina);
    const a = await f.scheduler.request(caseId, mina, "counselling_visit");
    const choice = { roomId, sender: visitor, eventId: "$same", ts: 1, body: "", answer: { prompt_id: `${a.id}.time`, option_id: s1.id } };
    await f.scheduler.onMessage(choice);
    const count = f.rooms.sent.length;
    await f.scheduler.onMessage(choice);
    expect(f.rooms.sent.length).toBe(count);
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ slotId: s1.id, step: "place" });
  });

  it("asks again instead of starting a second appointment while one is being arranged, taking a kind given later", async () => {
    slot(24);
    const { caseId } = await assignedCase("a", mina);
    const [first, second] = await Promise.all([f.scheduler.request(caseId, mina, null), f.scheduler.request(caseId, mina, "statement_prep")]);
    expect(second.id).toBe(first.id);
    expect(f.tables.appointments.ofCase(caseId)).toHaveLength(1);
    expect(f.tables.appointments.byId(first.id)).toMatchObject({ kind: "statement_prep", step: "time" });
    expect(f.rooms.lastPrompt().id).toBe(`${first.id}.time`);
  });

  it("reads typed words once: a '1' for the times, seen again after a restart, does not also pick a place", async () => {
    const s1 = slot(24);
    const { caseId, visitor, roomId } = await assignedCase("a", mina);
    const a = await f.scheduler.request(caseId, mina, "counselling_visit");
    const typed = { roomId, sender: visitor, eventId: "$typed", ts: 5, body: "1" };
    await f.scheduler.onMessage(typed);
    await f.scheduler.onMessage(typed);
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ slotId: s1.id, step: "place", place: null });
  });

  it("ignores people other than the victim and the companion", async () => {
    slot(24);
    const { caseId, roomId } = await assignedCase("a", mina);
    const a = await f.scheduler.request(caseId, mina, "counselling_visit");
    const count = f.rooms.sent.length;
    await type("@stranger:test", roomId, "1");
    expect(f.rooms.sent.length).toBe(count);
    expect(f.tables.appointments.byId(a.id)!.slotId).toBeNull();
  });
});

describe("after confirming", () => {
  async function confirmed(startsInHours = 72) {
    const s = slot(startsInHours);
    const c = await assignedCase("a", mina);
    const a = await f.scheduler.request(c.caseId, mina, "counselling_visit");
    await tap(c.visitor, c.roomId, s.id);
    await tap(c.visitor, c.roomId, "centre");
    return { ...c, a: f.tables.appointments.byId(a.id)!, s };
  }

  it("at the centre: its public address in the card, none in the calendar file", async () => {
    await confirmed();
    const visit = f.rooms.sent.filter((s) => s.content["org.onsafe.visit"]?.stage === "confirmed").at(-1)!.content["org.onsafe.visit"];
    expect(visit).toMatchObject({ place: "centre", address: "센터 주소는 상담사가 알려 드려요." });
    expect(f.rooms.files.at(-1)!.text).not.toContain("LOCATION");
  });

  it("reminds 24 h and 1 h before, each once, as replies to the confirmation", async () => {
    const { a } = await confirmed(72);
    expect(await f.reminders.sendDue()).toBe(0);
    f.clock.advance(48 * HOUR + 1);
    expect(await f.reminders.sendDue()).toBe(1);
    expect(f.rooms.last()["org.onsafe.visit"].stage).toBe("reminder");
    expect(f.rooms.last().body).toContain("내일");
    expect(f.rooms.last()["m.relates_to"]["m.in_reply_to"].event_id).toBe(a.confirmationEventId);
    expect(await f.reminders.sendDue()).toBe(0);
    f.clock.advance(23 * HOUR);
    expect(await f.reminders.sendDue()).toBe(1);
    expect(f.rooms.last().body).toContain("한 시간 뒤");
    f.clock.advance(HOUR / 2);
    expect(await f.reminders.sendDue()).toBe(0);
  });

  it("lets the victim change the time (the old slot is freed only when the new one is booked) or keep it", async () => {
    const { visitor, roomId, a, s } = await confirmed();
    const later = slot(96);
    await tap(visitor, roomId, "change");
    expect(f.rooms.lastPrompt().options.map((o) => o.id)).toEqual([later.id, "keep", "none"]);
    expect(f.tables.slots.byId(s.id)!.appointmentId).toBe(a.id);
    await tap(visitor, roomId, later.id);
    expect(f.tables.slots.byId(s.id)!.appointmentId).toBeNull();
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ status: "confirmed", slotId: later.id, startsAt: later.startsAt, reminded24hAt: null });
    expect(f.rooms.files).toHaveLength(2);

    await tap(visitor, roomId, "change");
    await tap(visitor, roomId, "keep");
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ slotId: later.id, step: "settled" });
  });

  it("lets the victim cancel after asking once more; the slot is free again", async () => {
    // Ten days ahead: still ahead when the week a cancellation shows is over.
    const { visitor, roomId, a, s } = await confirmed(240);
    await tap(visitor, roomId, "cancel");
    expect(f.rooms.lastPrompt().id).toBe(`${a.id}.cancel`);
    await tap(visitor, roomId, "no");
    expect(f.tables.appointments.byId(a.id)!.status).toBe("confirmed");
    await type(visitor, roomId, "2");
    await type(visitor, roomId, "네");
    expect(f.tables.appointments.byId(a.id)).toMatchObject({ status: "cancelled", cancelledBy: "victim" });
    expect(f.tables.slots.byId(s.id)!.appointmentId).toBeNull();
    expect(f.rooms.last()["org.onsafe.visit"]).toMatchObject({ stage: "cancelled", cancelled_by: "victim" });
    // The companion sees it on their agenda for a week.
    expect(f.scheduler.agenda(mina.userId)).toMatchObject([{ id: a.id, status: "cancelled", cancelledBy: "victim" }]);
    f.clock.advance(7 * DAY + 1);
    expect(f.scheduler.agenda(mina.userId)).toEqual([]);
  });

  it("lets the companion cancel or reschedule their own appointment only", async () => {
    const { a, s } = await confirmed();
    await f.staffMember("jun");
    const jun = f.tables.staff.get("@jun:test")!;
    await expect(f.scheduler.cancelByCompanion(a.id, jun)).rejects.toMatchObject({ errcode: "M_NOT_FOUND" });
    await expect(f.scheduler.cancelByCompanion("a-zzzzzz", mina)).rejects.toMatchObject({ errcode: "M_NOT_FOUND" });
    expect(f.tables.appointments.byId(a.id)!.status).toBe("confirmed");

    const later = slot(120);
    await f.scheduler.rescheduleByCompanion(a.id, mina);
    expect(f.tables.slots.byId(s.id)!.appointmentId).toBeNull();
    expect(f.rooms.sent.at(-2)!.content.body).toContain("상담사가 약속 시간");
    expect(f.rooms.lastPrompt().options.map((o) => o.id)).toEqual([s.id, later.id, "none"]);

    await f.scheduler.cancelByCompanion(a.id, mina);
    expect(f.rooms.last()["org.onsafe.visit"]).toMatchObject({ stage: "cancelled", cancelled_by: "companion" });
    await expect(f.scheduler.cancelByCompanion(a.id, mina)).rejects.toMatchObject({ errcode: "M_BAD_STATE" });
    await expect(f.scheduler.rescheduleByCompanion(a.id, mina)).rejects.toMatchObject({ errcode: "M_BAD_STATE" });
  });
});

describe("slots", () => {
  it("refuses past, too short, too long, too far and overlapping slots, and removing a booked or someone else's slot", async () => {
    const now = f.clock.now();
    const add = (start: number, end: number) => () => f.scheduler.availability.add(mina, start, end);
    expect(add(now - HOUR, now + HOUR)).toThrow(expect.objectContaining({ errcode: "M_INVALID_PARAM" }));
    expect(add(now + HOUR, now + HOUR + 10 * 60_000)).toThrow(expect.objectContaining({ errcode: "M_INVALID_PARAM" }));
    expect(add(now + HOUR, now + 10 * HOUR)).toThrow(expect.objectContaining({ errcode: "M_INVALID_PARAM" }));
    expect(add(now + 100 * DAY, now + 100 * DAY + HOUR)).toThrow(expect.objectContaining({ errcode: "M_INVALID_PARAM" }));
    const s = slot(24);
    expect(add(s.startsAt + HOUR, s.endsAt + HOUR)).toThrow(expect.objectContaining({ errcode: "M_BAD_STATE" }));
    await f.staffMember("jun");
    expect(() => f.scheduler.availability.remove(f.tables.staff.get("@jun:test")!, s.id)).toThrow(expect.objectContaining({ errcode: "M_NOT_FOUND" }));
    expect(f.scheduler.availability.slots(mina.userId)).toHaveLength(1);
    f.scheduler.availability.remove(mina, s.id);
    expect(f.scheduler.availability.slots(mina.userId)).toHaveLength(0);
  });
});
