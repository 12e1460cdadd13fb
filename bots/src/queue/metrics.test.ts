import { describe, expect, it } from "vitest";
import { OFFER_TIMEOUT_MS, queueFixture } from "./test-fixture.ts";

describe("metrics", () => {
  it("count the queue, loads, crisis cases, closures per day and lapsed offers, without content", async () => {
    const q = await queueFixture();
    const mina = await q.staffMember("mina", { capacity: 1 });
    const a = await q.queuedCase("a");
    await q.cases.memberJoined(a.roomId, mina);
    const b = await q.queuedCase("b");
    q.clock.advance(60_000);
    await q.cases.markCrisis(b.id);
    const oldClosed = await q.queuedCase("old");
    await q.staffCases.close(oldClosed.id, { ...q.staff.get(mina)!, kind: "supervisor" }, "no_response");
    q.clock.advance(24 * 60 * 60_000);
    const closed = await q.staffCases.close(a.id, q.staff.get(mina)!, "supported");
    expect(closed.status).toBe("closed");
    q.clock.advance(OFFER_TIMEOUT_MS);
    await q.cases.expireOffers();

    const m = q.metrics.snapshot();
    expect(m.queueLength).toBe(1);
    expect(m.currentWaitMs.max).toBe(q.clock.now() - q.cases.get(b.id)!.queuedAt!);
    expect(m.openCrisisCases).toBe(1);
    expect(m.activeCases).toEqual([{ userId: mina, displayName: "mina", kind: "companion", onShift: true, active: 0, capacity: 1 }]);
    expect(m.closedPerDay).toHaveLength(7);
    expect(m.closedPerDay.slice(-2).map((d) => d.count)).toEqual([1, 1]);
    expect(m.closedPerDay.at(-1)!.date).toBe("2026-11-27");
    expect(m.offersExpired).toBe(1);
    expect(JSON.stringify(m)).not.toContain("!");
  });
});

describe("the cases behind the figures (issue 19)", () => {
  it("list the queue, each companion's cases and open crisis cases (in triage too) with ids, kinds and times, never a room or a victim", async () => {
    const q = await queueFixture();
    const mina = await q.staffMember("mina", { capacity: 1 });
    const taken = await q.queuedCase("taken", { minor: true });
    await q.cases.memberJoined(taken.roomId, mina);
    q.clock.advance(5 * 60_000);
    // Mina is full: the next case waits, with an offer to nobody.
    const waiting = await q.queuedCase("waiting");
    await q.cases.markCrisis(waiting.id);
    const triage = q.cases.createCase({ roomId: "!triage:test", visitorId: "@v-triage:test" });
    await q.cases.markCrisis(triage.id);
    const quiet = q.cases.createCase({ roomId: "!quiet:test", visitorId: "@v-quiet:test" });
    q.clock.advance(3 * 60_000);

    const m = q.metrics.snapshot();
    const byId = new Map(m.cases.map((c) => [c.caseId, c]));
    expect(byId.get(taken.id)).toEqual({
      caseId: taken.id, status: "assigned", category: null, crisis: false, minor: true, language: "ko", companionId: mina,
      openedMs: q.clock.now() - taken.createdAt, waitingMs: null, withCompanionMs: q.clock.now() - q.cases.get(taken.id)!.assignedAt!, transferTo: null,
    });
    expect(byId.get(waiting.id)).toMatchObject({ status: "waiting", crisis: true, companionId: null, waitingMs: 3 * 60_000, withCompanionMs: null });
    expect(byId.get(triage.id)).toMatchObject({ status: "triage", crisis: true, companionId: null, waitingMs: null, withCompanionMs: null });
    // A case still in triage without a crisis is behind no figure.
    expect(byId.has(quiet.id)).toBe(false);
    expect(m.cases.filter((c) => c.crisis)).toHaveLength(m.openCrisisCases);
    expect(m.cases.filter((c) => c.status === "waiting" || c.status === "offered")).toHaveLength(m.queueLength);
    expect(m.cases.filter((c) => c.companionId === mina && c.status === "assigned")).toHaveLength(m.activeCases.find((s) => s.userId === mina)!.active);
    expect(JSON.stringify(m)).not.toMatch(/!|@v-/);
  });
});
