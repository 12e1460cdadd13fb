import { describe, expect, it } from "vitest";
import type { ReferralJson } from "@onsafe/schema/ops-api";
import { victimReferralChanges } from "./referral-changes.ts";

const offered: ReferralJson = {
  id: "r-abc123", case_id: "c-abc123", partner_id: "p-abc123", companion_id: "@mina:test", status: "offered",
  items_offered: ["category", "contact"], items_consented: [], created_at: 1, consented_at: null, accepted_at: null,
  first_contact_at: null, completed_at: null, declined_at: null, withdrawn_at: null,
};
const consented: ReferralJson = { ...offered, status: "consented", items_consented: ["contact"], consented_at: 2 };
const accepted: ReferralJson = { ...consented, status: "accepted", accepted_at: 3 };

describe("victimReferralChanges", () => {
  it("tells consent, a decline and a withdrawal", () => {
    expect(victimReferralChanges([offered], [consented])).toEqual([{ id: offered.id, caseId: offered.case_id, partnerId: offered.partner_id, change: "consented" }]);
    expect(victimReferralChanges([offered], [{ ...offered, status: "declined", declined_at: 2 }])[0].change).toBe("declined");
    expect(victimReferralChanges([accepted], [{ ...accepted, status: "withdrawn", withdrawn_at: 4 }])[0].change).toBe("withdrawn");
  });

  it("tells consent passed between two refreshes, and for a referral not seen before", () => {
    expect(victimReferralChanges([offered], [accepted]).map((n) => n.change)).toEqual(["consented"]);
    expect(victimReferralChanges([], [accepted]).map((n) => n.change)).toEqual(["consented"]);
    expect(victimReferralChanges([offered], [{ ...accepted, status: "withdrawn", withdrawn_at: 4 }]).map((n) => n.change)).toEqual(["consented", "withdrawn"]);
  });

  it("stays quiet about the partner's steps, the companion's completion, a new offer and nothing new", () => {
    expect(victimReferralChanges([consented], [accepted])).toEqual([]);
    expect(victimReferralChanges([accepted], [{ ...accepted, status: "first_contact", first_contact_at: 4 }])).toEqual([]);
    expect(victimReferralChanges([accepted], [{ ...accepted, status: "completed", completed_at: 5 }])).toEqual([]);
    expect(victimReferralChanges([], [offered])).toEqual([]);
    expect(victimReferralChanges([consented], [consented])).toEqual([]);
  });
});
