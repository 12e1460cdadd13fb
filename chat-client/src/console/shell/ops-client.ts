/** The ops API (`/_onsafe/v1/`, docs/OPS-API.md) with the staff member's Matrix token: the one client the console uses. */
import type { CaseOutcome } from "@onsafe/schema/triage";
import type { AlertJson, AlertsJson, AppointmentJson, AvailabilityJson, CaseJson, MetricsJson, PartnerJson, PartnerReferralJson, QueueJson, ReferralJson, SlotJson, StaffJson, TransferJson, HandOverJson, PushConfigJson } from "@onsafe/schema/ops-api";
import type { ReferralItem } from "@onsafe/schema/referrals";
import type { AppointmentKind } from "@onsafe/schema/scheduling";

/** A partner as written by a supervisor: everything but the server's id and active flag. */
export type NewPartner = Omit<PartnerJson, "id" | "active">;

export class OpsError extends Error {
  constructor(readonly status: number, readonly errcode: string, message: string) {
    super(message);
  }
}

export class OpsClient {
  constructor(private readonly accessToken: string) {}

  me(): Promise<StaffJson> {
    return this.call("GET", "/me");
  }

  setShift(onShift: boolean): Promise<StaffJson> {
    return this.call("PUT", "/me/shift", { onShift });
  }

  /** Crisis pages reach me off shift once an alert is at its last level (docs/CRISIS.md). */
  setOnCall(onCall: boolean): Promise<StaffJson> {
    return this.call("PUT", "/me/on-call", { on_call: onCall });
  }

  /**
   * The open crisis alerts for me (docs/CRISIS.md "Ops API"): at once without `after`, otherwise once the
   * version moves away from `after` or `waitMs` passes. `signal` ends a wait (signing out).
   */
  alerts(after: number | null, waitMs: number, signal?: AbortSignal): Promise<AlertsJson> {
    const query = after === null ? "" : `?after=${after}&wait=${waitMs}`;
    return this.call("GET", `/alerts${query}`, undefined, signal);
  }

  /** "I'm on it": 409 `M_BAD_STATE` once someone else was first. */
  async acknowledgeAlert(alertId: string): Promise<AlertJson> {
    return (await this.call<{ alert: AlertJson }>("POST", `/alerts/${encodeURIComponent(alertId)}/acknowledge`, {})).alert;
  }

  /** What the console needs to subscribe to Web Push and set its pusher. */
  pushConfig(): Promise<PushConfigJson> {
    return this.call("GET", "/push/config");
  }

  queue(): Promise<QueueJson> {
    return this.call("GET", "/queue");
  }

  async caseById(caseId: string): Promise<CaseJson> {
    return (await this.call<{ case: CaseJson }>("GET", `/cases/${encodeURIComponent(caseId)}`)).case;
  }

  async staffOnShift(): Promise<StaffJson[]> {
    return (await this.call<{ staff: StaffJson[] }>("GET", "/staff/on-shift")).staff;
  }

  async myCases(): Promise<CaseJson[]> {
    return (await this.call<{ cases: CaseJson[] }>("GET", "/me/cases")).cases;
  }

  /**
   * Offers the case to a colleague (docs/SHIFT.md "Transfer"); it stays mine until they accept. `invited` false:
   * the bot has left, so the transferring console invites them once they accepted. A note never goes here.
   */
  transfer(caseId: string, to: string): Promise<{ case: CaseJson; invited: boolean; offer_expires_at: number }> {
    return this.call("POST", `/cases/${encodeURIComponent(caseId)}/transfer`, { to });
  }

  /** The case's newest transfer: pending, accepted, declined, expired or withdrawn. */
  async transferState(caseId: string): Promise<TransferJson> {
    return (await this.call<{ transfer: TransferJson }>("GET", `/cases/${encodeURIComponent(caseId)}/transfer`)).transfer;
  }

  /** Transfers I offered that were accepted in the last day: the hand-overs my console may still have to finish. */
  async myHandOvers(): Promise<HandOverJson[]> {
    return (await this.call<{ transfers: HandOverJson[] }>("GET", "/me/transfers")).transfers;
  }

  async acceptTransfer(caseId: string): Promise<CaseJson> {
    return (await this.call<{ case: CaseJson }>("POST", `/cases/${encodeURIComponent(caseId)}/transfer/accept`, {})).case;
  }

  async declineTransfer(caseId: string): Promise<void> {
    await this.call("POST", `/cases/${encodeURIComponent(caseId)}/transfer/decline`, {});
  }

  /** Takes a waiting transfer back. */
  async undoTransfer(caseId: string): Promise<void> {
    await this.call("POST", `/cases/${encodeURIComponent(caseId)}/transfer/undo`, {});
  }

  /** Supervisors only. */
  metrics(): Promise<MetricsJson> {
    return this.call("GET", "/metrics");
  }

  async close(caseId: string, outcome: CaseOutcome): Promise<CaseJson> {
    return (await this.call<{ case: CaseJson }>("POST", `/cases/${encodeURIComponent(caseId)}/close`, { outcome })).case;
  }

  /** The victim left the room: the ops API confirms it with the homeserver and closes the case (a closed one comes back as it is). */
  async victimLeft(caseId: string): Promise<CaseJson> {
    return (await this.call<{ case: CaseJson }>("POST", `/cases/${encodeURIComponent(caseId)}/victim-left`, {})).case;
  }

  async claim(caseId: string): Promise<CaseJson> {
    return (await this.call<{ case: CaseJson }>("POST", `/cases/${encodeURIComponent(caseId)}/claim`, {})).case;
  }

  /** My future slots, my visits per day and the service's time zone (docs/SCHEDULING.md). */
  availability(): Promise<AvailabilityJson> {
    return this.call("GET", "/me/availability");
  }

  async addSlot(startsAt: number, endsAt: number): Promise<SlotJson> {
    return (await this.call<{ slot: SlotJson }>("POST", "/me/availability", { starts_at: startsAt, ends_at: endsAt })).slot;
  }

  /** Free slots only: a booked one is refused (`M_BAD_STATE`). */
  async removeSlot(slotId: string): Promise<void> {
    await this.call("DELETE", `/me/availability/${encodeURIComponent(slotId)}`);
  }

  async setVisitsPerDay(visitsPerDay: number): Promise<void> {
    await this.call("PUT", "/me/visits-per-day", { visits_per_day: visitsPerDay });
  }

  /** My appointments not yet over, soonest first. */
  async agenda(): Promise<AppointmentJson[]> {
    return (await this.call<{ appointments: AppointmentJson[] }>("GET", "/me/appointments")).appointments;
  }

  async caseAppointments(caseId: string): Promise<AppointmentJson[]> {
    return (await this.call<{ appointments: AppointmentJson[] }>("GET", `/cases/${encodeURIComponent(caseId)}/appointments`)).appointments;
  }

  /** Asks the scheduling bot to arrange an appointment with the case's victim; without a kind, the victim chooses. */
  async arrangeVisit(caseId: string, kind?: AppointmentKind): Promise<AppointmentJson> {
    const path = `/cases/${encodeURIComponent(caseId)}/appointments`;
    return (await this.call<{ appointment: AppointmentJson }>("POST", path, kind === undefined ? {} : { kind })).appointment;
  }

  /** The victim is offered new times; the old one holds until they choose. */
  async reschedule(appointmentId: string): Promise<void> {
    await this.call("POST", `/appointments/${encodeURIComponent(appointmentId)}/reschedule`, {});
  }

  async cancelAppointment(appointmentId: string): Promise<void> {
    await this.call("POST", `/appointments/${encodeURIComponent(appointmentId)}/cancel`, {});
  }

  /** Active partners, by kind and English name (docs/REFERRALS.md). */
  async partners(): Promise<PartnerJson[]> {
    return (await this.call<{ partners: PartnerJson[] }>("GET", "/partners")).partners;
  }

  /** Supervisors only; every staff id must be a partner account. */
  async createPartner(partner: NewPartner): Promise<PartnerJson> {
    return (await this.call<{ partner: PartnerJson }>("POST", "/partners", partner)).partner;
  }

  /** Supervisors only; fields left out stay, `active: true` brings a partner back. */
  async updatePartner(partnerId: string, changes: Partial<NewPartner> & { active?: boolean }): Promise<PartnerJson> {
    return (await this.call<{ partner: PartnerJson }>("PUT", `/partners/${encodeURIComponent(partnerId)}`, changes)).partner;
  }

  /** Supervisors only; kept for past referrals. */
  async deactivatePartner(partnerId: string): Promise<PartnerJson> {
    return (await this.call<{ partner: PartnerJson }>("DELETE", `/partners/${encodeURIComponent(partnerId)}`)).partner;
  }

  /** The referral bot asks the victim item by item; the summary goes only into the encrypted referral room. */
  async refer(caseId: string, partnerId: string, items: ReferralItem[], summary?: string): Promise<ReferralJson> {
    const body = summary === undefined ? { partner_id: partnerId, items } : { partner_id: partnerId, items, summary };
    return (await this.call<{ referral: ReferralJson }>("POST", `/cases/${encodeURIComponent(caseId)}/referrals`, body)).referral;
  }

  async caseReferrals(caseId: string): Promise<ReferralJson[]> {
    return (await this.call<{ referrals: ReferralJson[] }>("GET", `/cases/${encodeURIComponent(caseId)}/referrals`)).referrals;
  }

  /** Accepted or first-contact referrals only (`M_BAD_STATE` otherwise). */
  async completeReferral(referralId: string): Promise<ReferralJson> {
    return (await this.call<{ referral: ReferralJson }>("POST", `/referrals/${encodeURIComponent(referralId)}/complete`, {})).referral;
  }

  /** `GET me/referrals` for a companion or supervisor: the referrals they made, every case, newest first. */
  async myReferrals(): Promise<ReferralJson[]> {
    return (await this.call<{ referrals: ReferralJson[] }>("GET", "/me/referrals")).referrals;
  }

  /** `GET me/referrals` for a partner's staff member: what was handed off to their organisation, newest first. */
  async handedOffReferrals(): Promise<PartnerReferralJson[]> {
    return (await this.call<{ referrals: PartnerReferralJson[] }>("GET", "/me/referrals")).referrals;
  }

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await fetch(`/_onsafe/v1${path}`, {
      method,
      signal,
      headers: { authorization: `Bearer ${this.accessToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as { errcode?: string; error?: string };
    if (!response.ok) throw new OpsError(response.status, json.errcode ?? "M_UNKNOWN", json.error ?? `HTTP ${response.status}`);
    return json as T;
  }
}
