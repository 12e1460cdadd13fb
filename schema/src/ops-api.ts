/**
 * The JSON the ops API answers with (docs/OPS-API.md): written by the bots
 * service (`bots/src/ops-api/shapes.ts`), read by the console. Ids, enums,
 * counts and times (ms since the epoch) only; never anything a victim wrote.
 */
import type { StaffKind } from "./account-kinds.ts";
import type { HandedOffStatus, PartnerKind, ReferralItem, ReferralStatus } from "./referrals.ts";
import type { AppointmentKind, AppointmentParty, AppointmentStatus, AppointmentStep, PlaceKind } from "./scheduling.ts";
import type { CaseOutcome, CaseStatus, HarmCategory, ImageState, Language, RiskLevel, ThreatDeadline } from "./triage.ts";

/** `GET public/config`'s `opening` (docs/FIRST-MINUTES.md): the greeting and first question the victim app shows by itself when Start is pressed. */
export interface AppOpeningJson {
  greeting: Record<Language, string>;
  /** The app sends `first_prompt: prompt.id` in the room's creation content; the skip option is last. */
  prompt: { id: string; text: Record<Language, string>; options: { id: string; label: Record<Language, string> }[] };
}

export interface StaffJson {
  user_id: string;
  kind: StaffKind;
  display_name: string | null;
  /** Language codes such as `ko` (the staff directory accepts any two-letter code). */
  languages: string[];
  capacity: number;
  on_shift: boolean;
  shift_changed_at: number | null;
  /** On the on-call list: paged at a crisis alert's level 2 while off shift (docs/CRISIS.md). */
  on_call: boolean;
  /** Open assigned cases plus pending offers. */
  load: number;
}

/** A crisis alert (docs/CRISIS.md "Ops API"); an open one has the last two null. */
export interface AlertJson {
  id: string;
  case_id: string;
  raised_at: number;
  /** 0: consoles only; 1: paged to on-shift staff; 2: paged to the on-call list too. */
  level: number;
  level_at: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}

/** `GET alerts`: the open alerts the caller should see, and the version to pass as `after` next. */
export interface AlertsJson {
  version: number;
  alerts: AlertJson[];
}

/** What every view of a case shows first. */
export interface CaseFieldsJson {
  id: string;
  status: CaseStatus;
  priority: number;
  crisis: boolean;
  category: HarmCategory | null;
  language: Language | null;
  minor: boolean | null;
  risk: RiskLevel | null;
}

export interface QueueEntryJson extends CaseFieldsJson {
  waiting_ms: number;
  /** 1 is next. */
  position: number;
  /** The user holding the pending offer, if any. */
  offered_to: string | null;
  /** When that offer expires (ms since the epoch), for the console's countdown; null without an offer. */
  offer_expires_at: number | null;
  /** A transfer offered by this colleague (docs/SHIFT.md); null for an offer from the queue. */
  transfer_from: string | null;
  /** When the case last came back after a close because its victim wrote again (docs/QUEUE.md "After closing"); null if it never did. */
  reopened_at: number | null;
}

export interface CaseJson extends CaseFieldsJson {
  room_id: string;
  images: ImageState | null;
  deadline: ThreatDeadline | null;
  created_at: number;
  queued_at: number | null;
  assigned_to: string | null;
  assigned_at: number | null;
  handed_off_at: number | null;
  closed_at: number | null;
  outcome: CaseOutcome | null;
  position: number | null;
  waiting_ms: number | null;
  offered_to: string | null;
  /** The victim's earlier case, when they agreed the new counsellor may know of it (docs/CRISIS.md "Returning victims"); nothing more of it. */
  previous_case: PreviousCaseJson | null;
}

/** What staff of a returning victim's new case see of the earlier one: when and how it ended, and with whom. */
export interface PreviousCaseJson {
  id: string;
  category: HarmCategory | null;
  outcome: CaseOutcome | null;
  closed_at: number | null;
  assigned_to: string | null;
}

/** `GET cases/{id}/transfer`: the case's newest transfer offer (docs/SHIFT.md "Transfer"). */
export interface TransferJson {
  from: string;
  to: string;
  status: "pending" | "accepted" | "declined" | "expired" | "withdrawn";
  offered_at: number;
  expires_at: number;
  resolved_at: number | null;
}

/** `GET me/transfers`: a case I transferred that the colleague accepted and holds; my console finishes the hand-over. */
export interface HandOverJson {
  case_id: string;
  room_id: string;
  to: string;
  accepted_at: number;
}

export interface QueueJson {
  open: boolean;
  cases: QueueEntryJson[];
}

export interface MetricsJson {
  queue_length: number;
  current_wait_ms: { p50: number | null; max: number | null };
  active_cases: { user_id: string; display_name: string | null; kind: string; on_shift: boolean; active: number; capacity: number }[];
  open_crisis_cases: number;
  closed_per_day: { date: string; count: number }[];
  offers_expired_7d: number;
  offers_declined_7d: number;
  /** Referrals by partner and status, all time. */
  referrals: { partner_id: string; partner_name: string; status: ReferralStatus; count: number }[];
  /** The cases behind the figures: queued in queue order, then with a companion (oldest first), then crisis cases in triage. */
  cases: MetricsCaseJson[];
}

/**
 * A case behind the supervisor's figures (issue 19): the queue's, the companions', and open crisis cases
 * (in triage too). Ids, kinds and durations (ms, as of the answer) only: no room, no victim, nothing
 * written, and no reply times, which the ops API cannot know (the bots leave the room at hand-off).
 */
export interface MetricsCaseJson {
  case_id: string;
  status: CaseStatus;
  category: HarmCategory | null;
  crisis: boolean;
  minor: boolean | null;
  language: Language | null;
  /** The companion it is with (`assigned`) or offered to (`offered`); null otherwise. */
  companion_id: string | null;
  /** Since the victim opened it. */
  opened_ms: number;
  /** In the queue: how long it has waited; null otherwise. */
  waiting_ms: number | null;
  /** With a companion: since they took it; null otherwise. */
  with_companion_ms: number | null;
  /** With a companion: the colleague a transfer is offered to, waiting for their answer; null otherwise. */
  transfer_to: string | null;
}

/** A companion's published time slot (docs/SCHEDULING.md). */
export interface SlotJson {
  id: string;
  starts_at: number;
  ends_at: number;
  /** The appointment booked in it, or null while free. */
  appointment_id: string | null;
}

export interface AvailabilityJson {
  time_zone: string;
  /** Confirmed appointments a day the companion takes at most. */
  visits_per_day: number;
  slots: SlotJson[];
}

/** An appointment as staff see it: ids, kinds and times, never an address or anything a victim wrote. */
export interface AppointmentJson {
  id: string;
  case_id: string;
  companion_id: string;
  kind: AppointmentKind | null;
  status: AppointmentStatus;
  step: AppointmentStep;
  starts_at: number | null;
  ends_at: number | null;
  place: PlaceKind | null;
  cancelled_by: AppointmentParty | null;
  created_at: number;
  confirmed_at: number | null;
  cancelled_at: number | null;
}

/** A partner organisation (docs/REFERRALS.md): public facts, no victim data. */
export interface PartnerJson {
  id: string;
  kind: PartnerKind;
  name: { ko: string; en: string };
  about: { ko: string; en: string };
  region: string;
  languages: string[];
  hours: string;
  contact: string;
  /** Its staff accounts (kind partner); empty when the victim gets a letter instead. */
  staff_ids: string[];
  active: boolean;
}

/** A referral as staff see it: ids, items and statuses only. */
export interface ReferralJson {
  id: string;
  case_id: string;
  partner_id: string;
  companion_id: string;
  status: ReferralStatus;
  items_offered: ReferralItem[];
  items_consented: ReferralItem[];
  created_at: number;
  consented_at: number | null;
  accepted_at: number | null;
  first_contact_at: number | null;
  completed_at: number | null;
  declined_at: number | null;
  withdrawn_at: number | null;
}

/**
 * A referral as its partner's staff see it (`GET me/referrals`): only once it
 * was handed off to them, and without the case or anything about the person.
 * A withdrawn one keeps no room id: the room is no longer theirs.
 */
export interface PartnerReferralJson {
  id: string;
  partner_id: string;
  status: HandedOffStatus;
  room_id: string | null;
  consented_at: number;
  accepted_at: number | null;
  first_contact_at: number | null;
  completed_at: number | null;
  withdrawn_at: number | null;
}

/** The `app_id` of the console's Web Push pushers (docs/CRISIS.md "Push"): the homeserver accepts no other, the gateway pushes no other. */
export const WEB_PUSH_APP_ID = "org.onsafe.console.webpush";

/** `GET push/config`: what the console needs to subscribe (`vapid_public_key`, base64url) and to set its pusher. */
export interface PushConfigJson {
  gateway_url: string;
  app_id: string;
  vapid_public_key: string;
}
