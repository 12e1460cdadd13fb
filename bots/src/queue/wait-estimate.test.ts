import { describe, expect, it } from "vitest";
import { expectedWaitMinutes, median, waitModel } from "./wait-estimate.ts";

const MIN = 60_000;

describe("expected wait", () => {
  it("is unknown with nobody on shift or too few recent cases", () => {
    expect(expectedWaitMinutes(1, waitModel([MIN, MIN, MIN, MIN, MIN], 0))).toBeNull();
    expect(expectedWaitMinutes(1, waitModel([MIN, MIN, MIN, MIN], 2))).toBeNull();
  });

  it("is the recent median per round of staff on shift, rounded up to five minutes", () => {
    const model = waitModel([4, 7, 12, 20, 30].map((m) => m * MIN), 2);
    expect(expectedWaitMinutes(1, model)).toBe(15);
    expect(expectedWaitMinutes(2, model)).toBe(15);
    expect(expectedWaitMinutes(3, model)).toBe(25);
  });

  it("never promises less than five minutes", () => {
    expect(expectedWaitMinutes(1, waitModel([1, 2, 3, 4, 5].map((s) => s * 1000), 3))).toBe(5);
  });

  it("median of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
