import { beforeEach, describe, expect, it } from "vitest";
import type { StaffMember } from "../storage/index.ts";
import { type Fixture, queueFixture } from "./test-fixture.ts";

let q: Fixture;
let mina: StaffMember;
let jun: StaffMember;
let boss: StaffMember;
beforeEach(async () => {
  q = await queueFixture();
  mina = q.staff.get(await q.staffMember("mina"))!;
  jun = q.staff.get(await q.staffMember("jun"))!;
  boss = q.staff.get(await q.staffMember("boss", { kind: "supervisor" }))!;
});

const errcode = (p: Promise<unknown>) => p.then(() => "ok", (e: { errcode?: string }) => e.errcode);

describe("claim", () => {
  it("takes an offered case from someone else: their invite is withdrawn and the claimer invited", async () => {
    const c = await q.queuedCase("v1");
    const offeredTo = q.actions.take("invite")[0]!.userId;
    const claimer = offeredTo === mina.userId ? jun : mina;
    const claimed = await q.staffCases.claim(c.id, claimer);
    expect(claimed).toMatchObject({ status: "assigned", assignedTo: claimer.userId });
    expect(q.actions.of("withdrawInvite").map((w) => w.userId)).toEqual([offeredTo]);
    expect(q.actions.of("invite").map((w) => w.userId)).toEqual([claimer.userId]);
    expect(await q.cases.memberJoined(c.roomId, claimer.userId)).toMatchObject({ id: c.id });
  });

  it("is refused off shift, for an assigned case, and for an unknown one", async () => {
    const c = await q.queuedCase("v1");
    await q.staff.setShift(jun.userId, false);
    expect(await errcode(q.staffCases.claim(c.id, q.staff.get(jun.userId)!))).toBe("M_FORBIDDEN");
    await q.staffCases.claim(c.id, mina);
    expect(await errcode(q.staffCases.claim(c.id, boss))).toBe("M_BAD_STATE");
    expect(await errcode(q.staffCases.claim("c-000000", boss))).toBe("M_NOT_FOUND");
    expect(q.cases.get(c.id)!.assignedTo).toBe(mina.userId);
  });
});

describe("transfer and close", () => {
  it("refuses others, bad targets and cases not assigned, and changes nothing", async () => {
    const c = await q.queuedCase("v1");
    expect(await errcode(q.staffCases.transfer(c.id, boss, jun.userId))).toBe("M_BAD_STATE");
    await q.staffCases.claim(c.id, mina);
    expect(await errcode(q.staffCases.transfer(c.id, jun, jun.userId))).toBe("M_FORBIDDEN");
    expect(await errcode(q.staffCases.transfer(c.id, mina, "@nobody:test"))).toBe("M_INVALID_PARAM");
    expect(await errcode(q.staffCases.transfer(c.id, mina, mina.userId))).toBe("M_INVALID_PARAM");
    await q.staffMember("partner", { kind: "partner" });
    expect(await errcode(q.staffCases.transfer(c.id, mina, "@partner:test"))).toBe("M_INVALID_PARAM");
    await q.staff.setShift(jun.userId, false);
    expect(await errcode(q.staffCases.transfer(c.id, mina, jun.userId))).toBe("M_INVALID_PARAM");
    expect(q.cases.get(c.id)!.assignedTo).toBe(mina.userId);
  });

  it("the companion or a supervisor closes; the freed capacity takes the next case", async () => {
    await q.staff.addOrUpdateStaff({ ...mina, capacity: 1 });
    await q.staff.setShift(jun.userId, false);
    await q.staff.setShift(boss.userId, false);
    const first = await q.queuedCase("v1");
    await q.cases.memberJoined(first.roomId, mina.userId);
    const second = await q.queuedCase("v2");
    expect(q.cases.get(second.id)!.status).toBe("waiting");
    expect(await errcode(q.staffCases.close(first.id, jun, "supported"))).toBe("M_FORBIDDEN");
    expect(await q.staffCases.close(first.id, mina, "referred")).toMatchObject({ status: "closed", outcome: "referred" });
    expect(q.cases.get(second.id)!.status).toBe("offered");
    expect(await errcode(q.staffCases.close(first.id, boss, "supported"))).toBe("M_BAD_STATE");
    expect(await errcode(q.staffCases.close(first.id, mina, "supported"))).toBe("M_BAD_STATE");
    // A colleague is not told that it is closed.
    expect(await errcode(q.staffCases.close(first.id, jun, "supported"))).toBe("M_FORBIDDEN");
    expect(await q.staffCases.close(second.id, boss, "no_response")).toMatchObject({ status: "closed" });
  });

  it("a victim gone from the room closes the case (victim_left) and frees the place for the next case", async () => {
    await q.staff.addOrUpdateStaff({ ...mina, capacity: 1 });
    await q.staff.setShift(jun.userId, false);
    await q.staff.setShift(boss.userId, false);
    const first = await q.queuedCase("v1");
    await q.cases.memberJoined(first.roomId, mina.userId);
    q.cases.markHandedOff(first.id);
    const second = await q.queuedCase("v2");
    const asked: string[] = [];
    const gone = (answer: boolean) => async (c: { visitorId: string }) => { asked.push(c.visitorId); return answer; };
    expect(await errcode(q.staffCases.victimLeft(first.id, mina, gone(false)))).toBe("M_BAD_STATE");
    expect(await errcode(q.staffCases.victimLeft(first.id, jun, gone(true)))).toBe("M_FORBIDDEN");
    expect(q.cases.get(first.id)!.status).toBe("assigned");
    expect(await q.staffCases.victimLeft(first.id, mina, gone(true))).toMatchObject({ status: "closed", outcome: "victim_left" });
    expect(asked).toEqual([first.visitorId, first.visitorId]);
    expect(q.tables.log.forCase(first.id).at(-1)).toMatchObject({ kind: "closed", actor: null });
    expect(q.cases.get(second.id)!.status).toBe("offered");
    // Closed already: answered as it is, without asking the homeserver again.
    expect(await q.staffCases.victimLeft(first.id, mina, gone(false))).toMatchObject({ status: "closed", outcome: "victim_left" });
    expect(asked).toHaveLength(2);
  });
});

describe("who may see a case", () => {
  it("anyone on shift while it waits; then only its companion and supervisors", async () => {
    const c = await q.queuedCase("v1");
    expect(q.staffCases.view(c.id, jun).entry).toMatchObject({ position: 1 });
    await q.staffCases.claim(c.id, mina);
    expect(q.staffCases.view(c.id, mina).c.id).toBe(c.id);
    expect(q.staffCases.view(c.id, boss).entry).toBeNull();
    expect(() => q.staffCases.view(c.id, jun)).toThrow(expect.objectContaining({ errcode: "M_FORBIDDEN" }));
  });
});
