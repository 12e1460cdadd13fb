/** Crisis alerts over the queue (docs/CRISIS.md "The alert"): raised, escalated by pages, answered, ended. */
import { beforeEach, describe, expect, it } from "vitest";
import { type Fixture, queueFixture } from "../queue/test-fixture.ts";
import { CrisisAlerts } from "./crisis-alerts.ts";
import type { Page } from "./page.ts";

const SECOND = 1000;
let q: Fixture;
let pages: { userIds: string[]; page: Page }[];
let alerts: CrisisAlerts;

beforeEach(async () => {
  q = await queueFixture();
  pages = [];
  alerts = new CrisisAlerts(q.tables, q.clock, { page: async (userIds, page) => { pages.push({ userIds, page }); } }, { escalateMs: 120 * SECOND, onCallMs: 300 * SECOND });
});

async function crisis(name: string) {
  const c = await q.queuedCase(name);
  await q.cases.markCrisis(c.id);
  return { c, alert: q.tables.crisisAlerts.openFor(c.id)! };
}

describe("crisis alerts", () => {
  it("are raised once per case, and listed for staff on shift only (on call: from level 2)", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    const jun = await q.staffMember("jun", { onShift: false });
    q.staff.setOnCall(jun, true);
    const { c, alert } = await crisis("a");
    await q.cases.markCrisis(c.id);
    expect(q.tables.crisisAlerts.forCase(c.id)).toHaveLength(1);
    expect(alerts.listedFor(mina).map((a) => a.id)).toEqual([alert.id]);
    expect(alerts.listedFor(jun)).toEqual([]);
    expect(() => alerts.acknowledge(alert.id, jun)).toThrow(expect.objectContaining({ errcode: "M_NOT_FOUND" }));
  });

  it("escalate at 120 s to everyone on shift and at 300 s to the on-call list only", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    const boss = await q.staffMember("boss", { kind: "supervisor", capacity: 0 });
    const jun = await q.staffMember("jun", { onShift: false });
    await q.staffMember("kai", { onShift: false });
    q.staff.setOnCall(jun, true);
    const { alert } = await crisis("a");
    q.clock.advance(119 * SECOND);
    await alerts.escalateDue();
    expect(pages).toEqual([]);
    q.clock.advance(SECOND);
    await alerts.escalateDue();
    expect(pages).toEqual([{ userIds: [boss, mina], page: { caseId: alert.caseId, alertId: alert.id, level: 1 } }]);
    await alerts.escalateDue();
    expect(pages).toHaveLength(1);
    q.clock.advance(180 * SECOND);
    await alerts.escalateDue();
    expect(pages[1]).toEqual({ userIds: [jun], page: { caseId: alert.caseId, alertId: alert.id, level: 2 } });
    expect(alerts.listedFor(jun).map((a) => a.id)).toEqual([alert.id]);
    expect(q.tables.log.forCase(alert.caseId).filter((e) => e.kind.startsWith("alert_")).map((e) => e.kind)).toEqual(["alert_raised", "alert_escalated", "alert_escalated"]);
  });

  it("that fell due past both times at once page both lists", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    const jun = await q.staffMember("jun", { onShift: false });
    q.staff.setOnCall(jun, true);
    await crisis("a");
    q.clock.advance(3_600 * SECOND);
    await alerts.escalateDue();
    expect(pages.map((p) => [p.userIds.sort(), p.page.level])).toEqual([[[jun, mina].sort(), 2]]);
  });

  it("with nobody on shift, go to the on-call list at once (after hours, or when the last person goes off shift)", async () => {
    const jun = await q.staffMember("jun", { onShift: false });
    q.staff.setOnCall(jun, true);
    const night = await crisis("a");
    await alerts.escalateDue();
    expect(pages).toEqual([{ userIds: [jun], page: { caseId: night.c.id, alertId: night.alert.id, level: 2 } }]);
    expect(alerts.listedFor(jun).map((a) => a.id)).toEqual([night.alert.id]);

    const mina = await q.staffMember("mina", { capacity: 0 });
    const day = await crisis("b");
    await alerts.escalateDue();
    expect(pages).toHaveLength(1);
    await q.staff.setShift(mina, false);
    await alerts.escalateDue();
    expect(pages[1]).toEqual({ userIds: [jun], page: { caseId: day.c.id, alertId: day.alert.id, level: 2 } });
  });

  it("acknowledged, stop escalating; a second answer is 409", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    const boss = await q.staffMember("boss", { kind: "supervisor", capacity: 0 });
    const { alert } = await crisis("a");
    const answered = alerts.acknowledge(alert.id, mina);
    expect(answered).toMatchObject({ acknowledgedBy: mina, acknowledgedAt: q.clock.now(), resolution: "acknowledged" });
    expect(() => alerts.acknowledge(alert.id, boss)).toThrow(expect.objectContaining({ errcode: "M_BAD_STATE" }));
    q.clock.advance(3_600 * SECOND);
    await alerts.escalateDue();
    expect(pages).toEqual([]);
    expect(alerts.listedFor(boss)).toEqual([]);
  });

  it("end when the case is taken or closed, and a crisis case reopened raises a new one", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    const member = q.staff.get(mina)!;
    const { c, alert } = await crisis("a");
    await q.staffCases.claim(c.id, member);
    expect(q.tables.crisisAlerts.byId(alert.id)).toMatchObject({ resolution: "taken", acknowledgedBy: mina });
    await q.staffCases.close(c.id, member, "supported");
    await q.cases.reopen(c.id);
    const again = q.tables.crisisAlerts.openFor(c.id)!;
    expect(again.id).not.toBe(alert.id);
    const other = await crisis("b");
    await q.cases.memberLeft(other.c.roomId, other.c.visitorId);
    expect(q.tables.crisisAlerts.byId(other.alert.id)).toMatchObject({ resolution: "closed", acknowledgedBy: null });
  });

  it("are erased with their case", async () => {
    const { c } = await crisis("a");
    await q.cases.memberLeft(c.roomId, c.visitorId);
    q.tables.db.transaction(() => q.tables.erasure.erase(c.id));
    expect(q.tables.crisisAlerts.forCase(c.id)).toEqual([]);
  });

  it("move the version on alerts, shifts and on-call changes", async () => {
    const mina = await q.staffMember("mina", { capacity: 0 });
    let v = alerts.feed.version;
    const moved = () => { const changed = alerts.feed.version !== v; v = alerts.feed.version; return changed; };
    await crisis("a");
    expect(moved()).toBe(true);
    await q.staff.setShift(mina, false);
    expect(moved()).toBe(true);
    q.staff.setOnCall(mina, true);
    expect(moved()).toBe(true);
    expect(moved()).toBe(false);
  });
});
