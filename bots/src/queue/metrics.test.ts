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
