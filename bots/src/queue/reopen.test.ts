/** A closed case back in the queue when its victim writes again (docs/QUEUE.md "After closing"). */
import { beforeEach, describe, expect, it } from "vitest";
import { type Fixture, queueFixture } from "./test-fixture.ts";

let q: Fixture;
beforeEach(async () => { q = await queueFixture(); });

/** A case Mina took and closed; returns it and her user id. */
async function closedCase(o: { crisis?: boolean } = {}) {
  const mina = await q.staffMember("mina");
  const queued = await q.queuedCase("a");
  if (o.crisis) await q.cases.markCrisis(queued.id);
  await q.cases.memberJoined(queued.roomId, mina);
  q.cases.markHandedOff(queued.id);
  q.cases.noteEvent(queued.id, "$before:test");
  const member = q.staff.get(mina)!;
  await q.staffCases.close(queued.id, member, "supported");
  q.clock.advance(60_000);
  q.actions.calls = [];
  return { c: q.cases.get(queued.id)!, mina };
}

describe("reopening a closed case", () => {
  it("puts the same case back in the queue as new to it, routes it and tells the victim their place", async () => {
    const { c, mina } = await closedCase();
    const back = await q.cases.reopen(c.id);
    expect(back).toMatchObject({ id: c.id, status: "offered", queuedAt: q.clock.now(), assignedTo: null, handedOffAt: null, closedAt: null, outcome: null, notedEventIds: [] });
    // Triage's results stay: routing and the next summary need them.
    expect(back).toMatchObject({ language: c.language, priority: c.priority });
    expect(q.actions.of("invite")).toEqual([{ kind: "invite", roomId: c.roomId, userId: mina }]);
    expect(q.actions.of("queueUpdate")).toEqual([{ kind: "queueUpdate", caseId: c.id, position: 1, expectedWaitMinutes: null }]);
    expect(q.tables.log.forCase(c.id).map((e) => e.kind).slice(-3)).toEqual(["closed", "reopened", "offered"]);
  });

  it("marks its queue entry with when it came back, and a case never closed with null", async () => {
    const { c } = await closedCase();
    const fresh = await q.queuedCase("fresh");
    await q.cases.reopen(c.id);
    const reopenedAt = q.clock.now();
    q.clock.advance(30_000);
    const entries = new Map(q.staffCases.queue().map((e) => [e.c.id, e]));
    expect(entries.get(c.id)?.reopenedAt).toBe(reopenedAt);
    expect(entries.get(fresh.id)?.reopenedAt).toBeNull();
  });

  it("happens once per closing: a second call changes nothing", async () => {
    const { c } = await closedCase();
    await q.cases.reopen(c.id);
    q.actions.calls = [];
    expect(await q.cases.reopen(c.id)).toBeNull();
    expect(q.actions.calls).toEqual([]);
    expect(q.tables.log.forCase(c.id).filter((e) => e.kind === "reopened")).toHaveLength(1);
  });

  it("never for a case its victim left, nor for an open one", async () => {
    const mina = await q.staffMember("mina");
    const left = await q.queuedCase("left");
    await q.cases.memberLeft(left.roomId, left.visitorId);
    expect(q.cases.get(left.id)).toMatchObject({ status: "closed", outcome: "victim_left" });
    expect(await q.cases.reopen(left.id)).toBeNull();
    const open = await q.queuedCase("open");
    await q.cases.memberJoined(open.roomId, mina);
    expect(await q.cases.reopen(open.id)).toBeNull();
    expect(q.cases.get(open.id)).toMatchObject({ status: "assigned", assignedTo: mina });
  });

  it("offers it to whoever declined it before the closing, if they are the one on shift now", async () => {
    const jun = await q.staffMember("jun", { onShift: false });
    const { c, mina } = await closedCase();
    await q.staff.setShift(mina, false);
    await q.staff.setShift(jun, true);
    // Jun declined this case once, before Mina took it.
    q.tables.offers.insert({ caseId: c.id, companionId: jun, offeredAt: c.createdAt, expiresAt: c.createdAt + 1 });
    q.tables.offers.resolve(q.tables.offers.pendingFor(c.id)!.id, "declined", c.createdAt);
    const back = await q.cases.reopen(c.id);
    expect(back?.status).toBe("offered");
    expect(q.tables.offers.pendingFor(c.id)?.companionId).toBe(jun);
  });

  it("a crisis case comes back first in line and alerts the staff on shift again", async () => {
    const { c, mina } = await closedCase({ crisis: true });
    await q.cases.reopen(c.id);
    expect(q.actions.of("crisisAlert")).toEqual([{ kind: "crisisAlert", caseId: c.id, staff: [mina] }]);
    expect(q.cases.get(c.id)?.crisis).toBe(true);
  });
});
