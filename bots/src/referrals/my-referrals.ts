/**
 * `GET me/referrals` (docs/REFERRALS.md): the referrals one person may follow
 * across cases. A partner's staff member sees what was handed off to their
 * organisation, and nothing before the hand-off (a decline never reaches
 * them); a companion or supervisor sees the referrals they made.
 */
import type { BotsTables, Referral, StaffMember } from "../storage/index.ts";

export type MyReferralsView =
  /** Handed off to an organisation whose `staff_ids` list the viewer, newest hand-off first. */
  | { kind: "partner"; referrals: Referral[] }
  /** Made by the viewer, newest first, in every status. */
  | { kind: "own"; referrals: Referral[] };

export class MyReferrals {
  constructor(private readonly t: BotsTables) {}

  of(viewer: StaffMember): MyReferralsView {
    if (viewer.kind === "partner") {
      const partnerIds = this.t.partners.withStaff(viewer.userId).map((p) => p.id);
      return { kind: "partner", referrals: this.t.referrals.handedOffTo(partnerIds) };
    }
    return { kind: "own", referrals: this.t.referrals.madeBy(viewer.userId) };
  }
}
