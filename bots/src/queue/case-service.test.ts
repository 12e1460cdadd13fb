import { beforeEach, describe, expect, it } from "vitest";
import { CASE_ID_PATTERN } from "./case-id.ts";
import { type Fixture, OFFER_TIMEOUT_MS, queueFixture } from "./test-fixture.ts";

let q: Fixture;
beforeEach(async () => { q = await queueFixture(); });

describe("a case through triage", () => {
  it("is created once per room, in triage, with a short public id", () => {
    const c = q.cases.createCase({ roomId: "!r:test", visitorId: "@v-1:test", language: "ko" });
    expect(c.id).toMatch(CASE_ID_PATTERN);
    expect(c).toMatchObject({ status: "triage", language: "ko", crisis: false, notedEventIds: [], triageState: null });
    expect(q.cases.createCase({ roomId: "!r:test", visitorId: "@v-1:test" }).id).toBe(c.id);
    expect(q.cases.getByRoom("!r:test")!.id).toBe(c.id);
  });

  it("stores triage results, the priority triage gave and the bot's state; fields left out stay", async () => {
    const c = q.cases.createCase({ roomId: "!r:test", visitorId: "@v-1:test" });
    const state = { step: "deadline", answers: { category: "sextortion" } };
    await q.cases.saveTriage(c.id, { triageState: state, category: "sextortion", deadline: "within_24h", minor: true, priority: 12 });
    const saved = await q.cases.saveTriage(c.id, { risk: "low" });
    expect(saved).toMatchObject({ category: "sextortion", deadline: "within_24h", minor: true, risk: "low", priority: 12, triageState: state, crisis: false });
    for (const bad of [{ category: "nonsense" }, { minor: "yes" }, { priority: -1 }, { priority: 1.5 }]) {
      await expect(q.cases.saveTriage(c.id, bad as never)).rejects.toThrow(TypeError);
    }
    expect(q.cases.get(c.id)).toEqual(saved);
  });

  it("a waiting case whose priority rises moves up, and both victims hear their new place", async () => {
    await q.staffMember("mina", { capacity: 0 });
    const a = await q.queuedCase("a");
    const b = await q.queuedCase("b");
    q.actions.take("queueUpdate");
    await q.cases.saveTriage(b.id, { triageState: { read: "mark" } });
    expect(q.actions.take("queueUpdate")).toEqual([]);
    await q.cases.saveTriage(b.id, { priority: 8 });
    expect(q.staffCases.queue().map((e) => e.c.id)).toEqual([b.id, a.id]);
    expect(new Map(q.actions.take("queueUpdate").map((u) => [u.caseId, u.position]))).toEqual(new Map([[a.id, 2], [b.id, 1]]));
  });

  it("keeps the ids of the victim's messages for the summary, once each", () => {
    const c = q.cases.createCase({ roomId: "!r:test", visitorId: "@v-1:test" });
    q.cases.noteEvent(c.id, "$a");
    q.cases.noteEvent(c.id, "$b");
    expect(q.cases.noteEvent(c.id, "$a").notedEventIds).toEqual(["$a", "$b"]);
    expect(() => q.cases.noteEvent(c.id, "some words")).toThrow();
  });

  it("enqueue is idempotent and records the queue time", async () => {
    const c = q.cases.createCase({ roomId: "!r:test", visitorId: "@v-1:test" });
    const queued = await q.cases.enqueue(c.id);
    expect(queued).toMatchObject({ status: "waiting", queuedAt: q.clock.now() });
    q.clock.advance(5000);
    expect((await q.cases.enqueue(c.id)).queuedAt).toBe(queued.queuedAt);
  });
});

describe("crisis", () => {
  it("puts the case before any case not in crisis and alerts every companion and supervisor on shift, once", async () => {
    await q.staffMember("mina", { capacity: 0 });
    await q.staffMember("boss", { kind: "supervisor", capacity: 0 });
    await q.staffMember("off", { onShift: false });
    await q.staffMember("partner", { kind: "partner" });
    const before = await q.queuedCase("urgent", { priority: 15 });
    const c = q.cases.createCase({ roomId: "!crisis:test", visitorId: "@v-c:test" });
    const marked = await q.cases.markCrisis(c.id);
    expect(marked).toMatchObject({ crisis: true, priority: 0 });
    expect(q.actions.of("crisisAlert")).toEqual([{ kind: "crisisAlert", caseId: c.id, staff: ["@boss:test", "@mina:test"] }]);
    await q.cases.markCrisis(c.id);
    expect(q.actions.of("crisisAlert")).toHaveLength(1);
    await q.cases.enqueue(c.id);
    expect(q.staffCases.queue().map((e) => e.c.id)).toEqual([c.id, before.id]);
    expect(q.tables.log.forCase(c.id).map((e) => e.kind)).toEqual(["created", "crisis", "alert_raised", "queued"]);
  });
});

describe("hand-off", () => {
  it("the offered companion joining is the assignment; the bot then hands off", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    expect(await q.cases.memberJoined(c.roomId, "@stranger:test")).toBeNull();
    const joined = await q.cases.memberJoined(c.roomId, "@mina:test");
    expect(joined).toMatchObject({ id: c.id, status: "assigned", assignedTo: "@mina:test", assignedAt: q.clock.now(), handedOffAt: null });
    expect(q.staff.get("@mina:test")!.lastAssignedAt).toBe(q.clock.now());
    expect(q.cases.markHandedOff(c.id).handedOffAt).toBe(q.clock.now());
    expect(await q.cases.memberJoined(c.roomId, "@mina:test")).toBeNull();
  });

  it("a companion who joins just after their offer lapsed still gets the case", async () => {
    await q.staffMember("mina");
    await q.staffMember("jun");
    const c = await q.queuedCase("v1");
    const late = q.actions.take("invite")[0]!.userId;
    q.clock.advance(OFFER_TIMEOUT_MS);
    await q.cases.expireOffers();
    const next = q.actions.take("invite")[0]!.userId;
    expect((await q.cases.memberJoined(c.roomId, late))!.assignedTo).toBe(late);
    expect(q.actions.of("withdrawInvite").map((w) => w.userId)).toEqual([next]);
  });

  it("the victim leaving closes the case and withdraws a pending offer", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    await q.cases.memberLeft(c.roomId, c.visitorId);
    expect(q.cases.get(c.id)).toMatchObject({ status: "closed", outcome: "victim_left", closedAt: q.clock.now() });
    expect(q.actions.of("withdrawInvite").map((w) => w.userId)).toEqual(["@mina:test"]);
  });

  it("a bystander leaving changes nothing", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    await q.cases.memberLeft(c.roomId, "@someone:test");
    expect(q.cases.get(c.id)!.status).toBe("offered");
  });
});
