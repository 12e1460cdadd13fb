import { describe, expect, it } from "vitest";
import type { StaffMember } from "../storage/index.ts";
import { type Candidate, chooseCompanion, type Refusal } from "./routing.ts";

function member(name: string, o: Partial<StaffMember> = {}): StaffMember {
  return { userId: `@${name}:t`, kind: "companion", displayName: name, languages: ["ko"], capacity: 3, onShift: true, shiftChangedAt: 0, lastAssignedAt: null, visitsPerDay: null, onCall: false, ...o };
}
const c = (m: StaffMember, load = 0): Candidate => ({ member: m, load });
const none = new Map<string, Refusal>();

describe("chooseCompanion", () => {
  it("prefers a companion who speaks the case's language", () => {
    expect(chooseCompanion("en", [c(member("ko")), c(member("en", { languages: ["ko", "en"] }), 2)], none)).toBe("@en:t");
  });

  it("waits for a busy speaker rather than give the case to someone who does not speak the language", () => {
    expect(chooseCompanion("en", [c(member("ko")), c(member("en", { languages: ["en"], capacity: 1 }), 1)], none)).toBeNull();
  });

  it("gives the case to anyone eligible when nobody on shift speaks its language", () => {
    expect(chooseCompanion("en", [c(member("a"), 1), c(member("b"))], none)).toBe("@b:t");
  });

  it("never exceeds capacity, and a capacity of 0 takes nothing", () => {
    expect(chooseCompanion("ko", [c(member("full", { capacity: 2 }), 2), c(member("zero", { capacity: 0 }))], none)).toBeNull();
  });

  it("picks the lowest load for the capacity, then whoever waited longest since their last case", () => {
    const busy = member("busy", { capacity: 4 });
    const idle = member("idle", { capacity: 2 });
    expect(chooseCompanion("ko", [c(busy, 2), c(idle, 0)], none)).toBe("@idle:t");
    const recent = member("recent", { lastAssignedAt: 2000 });
    const earlier = member("earlier", { lastAssignedAt: 1000 });
    expect(chooseCompanion("ko", [c(recent), c(earlier)], none)).toBe("@earlier:t");
  });

  it("skips off-shift staff and partners", () => {
    expect(chooseCompanion("ko", [c(member("off", { onShift: false })), c(member("p", { kind: "partner" }))], none)).toBeNull();
  });

  it("skips who declined or let the offer lapse; rings those who only let it lapse again when nobody else is left", () => {
    const a = member("a");
    const b = member("b");
    expect(chooseCompanion("ko", [c(a), c(b)], new Map([["@a:t", "declined"]]))).toBe("@b:t");
    expect(chooseCompanion("ko", [c(a), c(b)], new Map<string, Refusal>([["@a:t", "declined"], ["@b:t", "expired"]]))).toBe("@b:t");
    expect(chooseCompanion("ko", [c(a), c(b)], new Map<string, Refusal>([["@a:t", "declined"], ["@b:t", "declined"]]))).toBeNull();
  });
});
