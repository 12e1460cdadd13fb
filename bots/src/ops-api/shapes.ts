/** The JSON shapes of the ops API (docs/OPS-API.md): snake_case, ids and enums only. */
import { type AlertJson, type AppointmentJson, type CaseFieldsJson, type CaseJson, HANDED_OFF_STATUSES, isOneOf, type MetricsJson, type PartnerJson, type PartnerReferralJson, type PreviousCaseJson, type QueueEntryJson, type ReferralJson, type SlotJson, type StaffJson, type TransferJson, type HandOverJson } from "@onsafe/schema";
import type { MetricsSnapshot, QueueEntry } from "../queue/index.ts";
import type { Appointment, CaseRow, CrisisAlert, Offer, Partner, Referral, Slot, StaffMember } from "../storage/index.ts";

export function staffJson(m: StaffMember, load: number): StaffJson {
  return {
    user_id: m.userId,
    kind: m.kind,
    display_name: m.displayName,
    languages: m.languages,
    capacity: m.capacity,
    on_shift: m.onShift,
    shift_changed_at: m.shiftChangedAt,
    on_call: m.onCall,
    load,
  };
}

/** What every view of a case shows first: ids, enums and flags. */
function caseFields(c: CaseRow): CaseFieldsJson {
  return {
    id: c.id,
    status: c.status,
    priority: c.priority,
    crisis: c.crisis,
    category: c.category,
    language: c.language,
    minor: c.minor,
    risk: c.risk,
  };
}

export function queueEntryJson(e: QueueEntry): QueueEntryJson {
  return {
    ...caseFields(e.c),
    waiting_ms: e.waitingMs,
    position: e.position,
    offered_to: e.offeredTo,
    offer_expires_at: e.offerExpiresAt,
    transfer_from: e.transferFrom,
    reopened_at: e.reopenedAt,
  };
}

/** A transfer offer (docs/SHIFT.md "Transfer"): who, to whom, its state and times. */
export function transferJson(o: Offer): TransferJson {
  return {
    from: o.transferFrom!,
    to: o.companionId,
    status: o.status,
    offered_at: o.offeredAt,
    expires_at: o.expiresAt,
    resolved_at: o.resolvedAt,
  };
}

/** A transfer accepted, for the console that offered it: which room to hand over, to whom. */
export function handOverJson(c: CaseRow, o: Offer): HandOverJson {
  return { case_id: c.id, room_id: c.roomId, to: o.companionId, accepted_at: o.resolvedAt! };
}

/** `previous`: the victim's earlier case the case links to (docs/CRISIS.md "Returning victims"), of which only a summary goes out. */
export function caseJson(c: CaseRow, entry: QueueEntry | null, previous: CaseRow | null): CaseJson {
  return {
    ...caseFields(c),
    room_id: c.roomId,
    images: c.images,
    deadline: c.deadline,
    created_at: c.createdAt,
    queued_at: c.queuedAt,
    assigned_to: c.assignedTo,
    assigned_at: c.assignedAt,
    handed_off_at: c.handedOffAt,
    closed_at: c.closedAt,
    outcome: c.outcome,
    position: entry?.position ?? null,
    waiting_ms: entry?.waitingMs ?? null,
    offered_to: entry?.offeredTo ?? null,
    previous_case: previous && previousCaseJson(previous),
  };
}

function previousCaseJson(p: CaseRow): PreviousCaseJson {
  return { id: p.id, category: p.category, outcome: p.outcome, closed_at: p.closedAt, assigned_to: p.assignedTo };
}

export function metricsJson(m: MetricsSnapshot): MetricsJson {
  return {
    queue_length: m.queueLength,
    current_wait_ms: m.currentWaitMs,
    active_cases: m.activeCases.map((a) => ({
      user_id: a.userId,
      display_name: a.displayName,
      kind: a.kind,
      on_shift: a.onShift,
      active: a.active,
      capacity: a.capacity,
    })),
    open_crisis_cases: m.openCrisisCases,
    closed_per_day: m.closedPerDay,
    offers_expired_7d: m.offersExpired,
    offers_declined_7d: m.offersDeclined,
    referrals: m.referrals.map((r) => ({ partner_id: r.partnerId, partner_name: r.partnerName, status: r.status, count: r.count })),
    cases: m.cases.map((c) => ({
      case_id: c.caseId,
      status: c.status,
      category: c.category,
      crisis: c.crisis,
      minor: c.minor,
      language: c.language,
      companion_id: c.companionId,
      opened_ms: c.openedMs,
      waiting_ms: c.waitingMs,
      with_companion_ms: c.withCompanionMs,
      transfer_to: c.transferTo,
    })),
  };
}

export function slotJson(s: Slot): SlotJson {
  return { id: s.id, starts_at: s.startsAt, ends_at: s.endsAt, appointment_id: s.appointmentId };
}

/** An appointment for staff: never the address (which the database does not have) or anything typed. */
export function appointmentJson(a: Appointment): AppointmentJson {
  return {
    id: a.id,
    case_id: a.caseId,
    companion_id: a.companionId,
    kind: a.kind,
    status: a.status,
    step: a.step,
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    place: a.place,
    cancelled_by: a.cancelledBy,
    created_at: a.createdAt,
    confirmed_at: a.confirmedAt,
    cancelled_at: a.cancelledAt,
  };
}

/** A partner organisation: public facts only. */
export function partnerJson(p: Partner): PartnerJson {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    about: p.about,
    region: p.region,
    languages: p.languages,
    hours: p.hours,
    contact: p.contact,
    staff_ids: p.staffIds,
    active: p.active,
  };
}

/** A referral for staff: ids, item ids and statuses; never the summary or anything written. */
export function referralJson(r: Referral): ReferralJson {
  return {
    id: r.id,
    case_id: r.caseId,
    partner_id: r.partnerId,
    companion_id: r.companionId,
    status: r.status,
    items_offered: r.itemsOffered,
    items_consented: r.itemsConsented,
    created_at: r.createdAt,
    consented_at: r.consentedAt,
    accepted_at: r.acceptedAt,
    first_contact_at: r.firstContactAt,
    completed_at: r.completedAt,
    declined_at: r.declinedAt,
    withdrawn_at: r.withdrawnAt,
  };
}

/**
 * A referral for its partner's staff: no case id, companion or items, and once
 * withdrawn no room id (the person took their consent back; the staff were removed).
 * Only for referrals handed off to them (`ReferralStore.handedOffTo`).
 */
export function partnerReferralJson(r: Referral): PartnerReferralJson {
  if (!isOneOf(HANDED_OFF_STATUSES, r.status) || r.consentedAt === null) throw new Error(`referral ${r.id} was not handed off`);
  return {
    id: r.id,
    partner_id: r.partnerId,
    status: r.status,
    room_id: r.status === "withdrawn" ? null : r.roomId,
    consented_at: r.consentedAt,
    accepted_at: r.acceptedAt,
    first_contact_at: r.firstContactAt,
    completed_at: r.completedAt,
    withdrawn_at: r.withdrawnAt,
  };
}

export function alertJson(a: CrisisAlert): AlertJson {
  return {
    id: a.id,
    case_id: a.caseId,
    raised_at: a.raisedAt,
    level: a.level,
    level_at: a.levelAt,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt,
  };
}
