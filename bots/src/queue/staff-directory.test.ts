import { beforeEach, describe, expect, it } from "vitest";
import { type Fixture, queueFixture } from "./test-fixture.ts";

let q: Fixture;
beforeEach(async () => { q = await queueFixture(); });

describe("staff directory", () => {
  it("adds a member off shift with the default capacity; an update keeps what it leaves out", async () => {
    const added = await q.staff.addOrUpdateStaff({ userId: "@mina:test", kind: "companion", displayName: "Mina", languages: ["ko", "en", "ko"] });
    expect(added).toMatchObject({ kind: "companion", displayName: "Mina", languages: ["ko", "en"], capacity: 3, onShift: false, lastAssignedAt: null });
    await q.staff.setShift("@mina:test", true);
    const updated = await q.staff.addOrUpdateStaff({ userId: "@mina:test", kind: "supervisor", capacity: 5 });
    expect(updated).toMatchObject({ kind: "supervisor", displayName: "Mina", languages: ["ko", "en"], capacity: 5, onShift: true });
  });

  it("refuses what is not a user id, a staff kind, a language code or a capacity", async () => {
    const bad = [
      { userId: "mina", kind: "companion" },
      { userId: "@mina:test", kind: "visitor" },
      { userId: "@mina:test", kind: "companion", languages: ["Korean"] },
      { userId: "@mina:test", kind: "companion", capacity: -1 },
      { userId: "@mina:test", kind: "companion", capacity: 1.5 },
    ];
    for (const input of bad) await expect(q.staff.addOrUpdateStaff(input as never)).rejects.toThrow(TypeError);
    expect(q.staff.list()).toEqual([]);
  });

  it("records when a shift changed, and setting the same state again changes nothing", async () => {
    await q.staff.addOrUpdateStaff({ userId: "@mina:test", kind: "companion" });
    const on = await q.staff.setShift("@mina:test", true);
    expect(on).toMatchObject({ onShift: true, shiftChangedAt: q.clock.now() });
    q.clock.advance(1000);
    expect((await q.staff.setShift("@mina:test", true)).shiftChangedAt).toBe(on.shiftChangedAt);
    await expect(q.staff.setShift("@nobody:test", true)).rejects.toThrow();
  });

  it("raising the capacity of someone on shift routes waiting cases to them", async () => {
    await q.staffMember("mina", { capacity: 0 });
    const c = await q.queuedCase("v1");
    expect(q.cases.get(c.id)!.status).toBe("waiting");
    await q.staff.addOrUpdateStaff({ userId: "@mina:test", kind: "companion", capacity: 1 });
    expect(q.cases.get(c.id)!.status).toBe("offered");
  });
});
