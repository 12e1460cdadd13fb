/**
 * What the victim did with a case's referrals between two refreshes, so the
 * companion hears of it without being in the referral room: consent given,
 * the referral declined, consent withdrawn. Read from the times the ops API
 * records, so a step passed between two refreshes (consent, then the partner
 * joining) is still told.
 */
import type { ReferralJson } from "@onsafe/schema/ops-api";

export type ReferralChange = "consented" | "declined" | "withdrawn";

export interface ReferralNews {
  id: string;
  caseId: string;
  partnerId: string;
  change: ReferralChange;
}

const STAMPS = { consented: "consented_at", declined: "declined_at", withdrawn: "withdrawn_at" } as const satisfies Record<ReferralChange, keyof ReferralJson>;

export function victimReferralChanges(before: readonly ReferralJson[], after: readonly ReferralJson[]): ReferralNews[] {
  const earlier = new Map(before.map((r) => [r.id, r]));
  const news: ReferralNews[] = [];
  for (const r of after) {
    const was = earlier.get(r.id);
    for (const change of Object.keys(STAMPS) as ReferralChange[]) {
      const stamp = STAMPS[change];
      if (r[stamp] !== null && (was === undefined || was[stamp] === null)) news.push({ id: r.id, caseId: r.case_id, partnerId: r.partner_id, change });
    }
  }
  return news;
}
