import { beforeEach, describe, expect, it } from "vitest";
import { type Fixture, OFFER_TIMEOUT_MS, queueFixture } from "./test-fixture.ts";

let q: Fixture;
beforeEach(async () => { q = await queueFixture(); });

const invitesOf = (q: Fixture) => q.actions.of("invite").map((i) => [i.roomId, i.userId]);

describe("routing", () => {
  it("offers a case to the companion who speaks its language and invites them", async () => {
    await q.staffMember("mina", { languages: ["ko"] });
    await q.staffMember("sam", { languages: ["en"] });
    const c = await q.queuedCase("v1", { language: "en" });
    expect(q.cases.get(c.id)!.status).toBe("offered");
    expect(invitesOf(q)).toEqual([["!v1:test", "@sam:test"]]);
  });

  it("gives two cases arriving together to two companions", async () => {
    await q.staffMember("mina");
    await q.staffMember("jun");
    await q.queuedCase("v1");
    await q.queuedCase("v2");
    expect(new Set(q.actions.of("invite").map((i) => i.userId))).toEqual(new Set(["@mina:test", "@jun:test"]));
  });

  it("respects capacity: a full companion gets no more offers, and the case waits", async () => {
    await q.staffMember("mina", { capacity: 1 });
    const first = await q.queuedCase("v1");
    const second = await q.queuedCase("v2");
    expect(q.cases.get(first.id)!.status).toBe("offered");
    expect(q.cases.get(second.id)!.status).toBe("waiting");
    expect(q.actions.of("invite")).toHaveLength(1);
  });

  it("moves an unaccepted offer on to the next companion after the timeout", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    const first = q.actions.take("invite")[0]!.userId;
    await q.staffMember("jun");
    q.clock.advance(OFFER_TIMEOUT_MS - 1);
    await q.cases.expireOffers();
    expect(q.actions.calls.filter((x) => x.kind !== "queueUpdate")).toEqual([]);
    q.clock.advance(1);
    await q.cases.expireOffers();
    expect(q.actions.of("withdrawInvite")).toEqual([{ kind: "withdrawInvite", roomId: "!v1:test", userId: first }]);
    expect(q.actions.of("invite")).toEqual([{ kind: "invite", roomId: "!v1:test", userId: "@jun:test" }]);
    expect(q.tables.log.forCase(c.id).map((e) => e.kind)).toEqual(["created", "queued", "offered", "offer_expired", "offered"]);
  });

  it("after a decline, offers the case to the next companion and never back to who declined", async () => {
    await q.staffMember("mina");
    await q.staffMember("jun");
    const c = await q.queuedCase("v1");
    const first = q.actions.take("invite")[0]!.userId;
    await q.cases.memberLeft(c.roomId, first);
    const second = q.actions.take("invite")[0]!.userId;
    expect(second).not.toBe(first);
    await q.cases.memberLeft(c.roomId, second);
    expect(q.actions.of("invite")).toEqual([]);
    expect(q.cases.get(c.id)!.status).toBe("waiting");
  });

  it("offers the case again to a companion who only let it lapse when nobody else is on shift; their invite stands", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    q.actions.take("invite");
    q.clock.advance(OFFER_TIMEOUT_MS);
    await q.cases.expireOffers();
    expect(q.actions.calls.filter((x) => x.kind !== "queueUpdate")).toEqual([]);
    expect(q.tables.offers.pendingFor(c.id)).toMatchObject({ companionId: "@mina:test", expiresAt: q.clock.now() + OFFER_TIMEOUT_MS });
    expect((await q.cases.memberJoined(c.roomId, "@mina:test"))!.status).toBe("assigned");
  });

  it("takes a higher priority before an earlier arrival", async () => {
    await q.staffMember("mina", { capacity: 1, onShift: false });
    const early = await q.queuedCase("early");
    const urgent = await q.queuedCase("urgent", { priority: 8 });
    await q.staff.setShift("@mina:test", true);
    expect(q.cases.get(urgent.id)!.status).toBe("offered");
    expect(q.cases.get(early.id)!.status).toBe("waiting");
  });

  it("offers nothing to staff off shift, and routes cases left after hours when someone comes on shift", async () => {
    await q.staffMember("mina", { onShift: false });
    const c = await q.queuedCase("night");
    expect(q.actions.of("invite")).toEqual([]);
    expect(q.cases.isOpen()).toBe(false);
    await q.staff.setShift("@mina:test", true);
    expect(q.cases.isOpen()).toBe(true);
    expect(invitesOf(q)).toEqual([[c.roomId, "@mina:test"]]);
  });

  it("going off shift withdraws pending offers and routes them to someone else", async () => {
    await q.staffMember("mina");
    const c = await q.queuedCase("v1");
    await q.staffMember("jun");
    q.actions.take("invite");
    await q.staff.setShift("@mina:test", false);
    expect(q.actions.of("withdrawInvite").map((w) => w.userId)).toEqual(["@mina:test"]);
    expect(q.actions.of("invite").map((w) => w.userId)).toEqual(["@jun:test"]);
    expect(q.cases.get(c.id)!.status).toBe("offered");
  });
});

describe("queue updates", () => {
  it("say nothing of a place in line while nobody is on shift, and tell it when someone comes on shift", async () => {
    const mina = await q.staffMember("mina", { onShift: false, capacity: 0 });
    const a = await q.queuedCase("a");
    await q.queuedCase("b");
    await q.cases.route();
    expect(q.actions.of("queueUpdate")).toEqual([]);
    await q.staff.setShift(mina, true);
    expect(q.actions.take("queueUpdate")).toEqual([
      { kind: "queueUpdate", caseId: a.id, position: 1, expectedWaitMinutes: null },
      expect.objectContaining({ position: 2 }),
    ]);
  });

  it("tell a waiting victim their place only when it changes", async () => {
    // On shift, but with no room for a case: the cases wait.
    await q.staffMember("mina", { capacity: 0 });
    const a = await q.queuedCase("a");
    expect(q.actions.take("queueUpdate")).toEqual([{ kind: "queueUpdate", caseId: a.id, position: 1, expectedWaitMinutes: null }]);
    const b = await q.queuedCase("b");
    expect(q.actions.take("queueUpdate")).toEqual([{ kind: "queueUpdate", caseId: b.id, position: 2, expectedWaitMinutes: null }]);
    await q.cases.route();
    await q.cases.expireOffers();
    expect(q.actions.of("queueUpdate")).toEqual([]);
    const urgent = await q.queuedCase("urgent", { priority: 8 });
    expect(q.actions.take("queueUpdate")).toEqual([
      { kind: "queueUpdate", caseId: urgent.id, position: 1, expectedWaitMinutes: null },
      { kind: "queueUpdate", caseId: a.id, position: 2, expectedWaitMinutes: null },
      { kind: "queueUpdate", caseId: b.id, position: 3, expectedWaitMinutes: null },
    ]);
  });

  it("tell the victim an expected wait once there is history and staff on shift", async () => {
    await q.staffMember("mina", { capacity: 10 });
    for (const name of ["h1", "h2", "h3", "h4", "h5"]) {
      const c = await q.queuedCase(name);
      q.clock.advance(10 * 60_000);
      await q.cases.memberJoined(c.roomId, "@mina:test");
    }
    await q.staff.addOrUpdateStaff({ userId: "@mina:test", kind: "companion", capacity: 0 });
    q.actions.take("queueUpdate");
    const c = await q.queuedCase("now");
    expect(q.actions.of("queueUpdate")).toEqual([{ kind: "queueUpdate", caseId: c.id, position: 1, expectedWaitMinutes: 10 }]);
  });
});
