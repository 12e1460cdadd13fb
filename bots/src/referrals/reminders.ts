/**
 * A referral the victim agreed to but the partner has not accepted within
 * `acceptMs` (`ONSAFE_REFERRAL_ACCEPT_HOURS`, default 48): its companion is
 * told once, in the duty room, with ids only (docs/REFERRALS.md).
 */
import type { Clock } from "../queue/clock.ts";
import type { BotsTables } from "../storage/index.ts";

/** Posts a staff notice (the duty room's `notify`). */
export type StaffNotice = (userIds: string[], body: string, alert: Record<string, string>) => Promise<void>;

export class ReferralReminders {
  constructor(private readonly t: BotsTables, private readonly clock: Clock, private readonly acceptMs: number, private readonly notify: StaffNotice) {}

  /** Sends the reminders due now; returns how many went out. */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const r of this.t.referrals.unacceptedSince(now - this.acceptMs)) {
      const hours = Math.round(this.acceptMs / 3_600_000);
      const body = `Referral ${r.id} (case ${r.caseId}, partner ${r.partnerId}) has not been accepted by the partner for ${hours} h or more: please follow up. `
        + `의뢰 ${r.id}(사례 ${r.caseId})를 협력 기관이 아직 받지 않았어요. 확인해 주세요.`;
      await this.notify([r.companionId], body, { kind: "referral_not_accepted", referral_id: r.id, case_id: r.caseId });
      this.t.referrals.update(r.id, { remindedAt: now });
      sent++;
    }
    return sent;
  }
}
