import { describe, expect, it } from "vitest";
import { ExpiringSet } from "./expiring-set.ts";

function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

describe("ExpiringSet", () => {
  it("keeps a key for its time to live, then forgets it; take uses a key up", () => {
    const clock = fakeClock();
    const set = new ExpiringSet(1_000, 100, clock.now);
    set.add("a");
    clock.t = 1_000;
    expect(set.has("a")).toBe(true);
    clock.t = 1_001;
    expect(set.has("a")).toBe(false);
    set.add("b");
    expect(set.size).toBe(1); // "a" dropped by the insert
    expect(set.take("b")).toBe(true);
    expect(set.take("b")).toBe(false);
    expect(set.take("never")).toBe(false);
  });

  it("looks at O(1) entries per insert, however many are kept (250,000 then one more)", () => {
    const clock = fakeClock();
    const set = new ExpiringSet(60_000, 1_000_000, clock.now);
    for (let i = 0; i < 250_000; i++) set.add(`k${i}`);
    const before = set.visited;
    set.add("one-more");
    expect(set.visited - before).toBeLessThanOrEqual(2);
    expect(set.size).toBe(250_001);
  });

  it("drops expired keys from the front as time passes, each visited about once (amortised O(1))", () => {
    const clock = fakeClock();
    const set = new ExpiringSet(1_000, 1_000_000, clock.now);
    for (let i = 0; i < 100_000; i++) {
      clock.t = i; // one insert a millisecond: about 1,000 alive at any time
      set.add(`k${i}`);
    }
    expect(set.size).toBeLessThanOrEqual(1_002);
    expect(set.visited).toBeLessThanOrEqual(2 * 100_000);
    expect(set.has("k0")).toBe(false);
    expect(set.has("k99999")).toBe(true);
  });

  it("holds at most maxSize keys: when full, the oldest goes", () => {
    const set = new ExpiringSet(60_000, 3, fakeClock().now);
    for (const k of ["a", "b", "c", "d"]) set.add(k);
    expect(set.size).toBe(3);
    expect(set.has("a")).toBe(false);
    expect(set.has("d")).toBe(true);
  });
});
