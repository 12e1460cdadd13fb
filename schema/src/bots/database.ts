/**
 * Kysely table types of the bots database (`bots.sqlite`): the staff directory,
 * cases, offers and the case log. Ids, enums and timestamps only: nothing a
 * victim wrote is ever stored here. SQLite keeps booleans as 0/1 and lists as
 * JSON text; times are milliseconds since the epoch.
 */
import type { Generated } from "kysely";
import type { StaffKind } from "../account-kinds.ts";
import type { AppointmentKind, AppointmentParty, AppointmentStatus, AppointmentStep, PlaceKind } from "../scheduling.ts";
import type { PartnerKind, ReferralStatus } from "../referrals.ts";
import type { CaseOutcome, CaseStatus, HarmCategory, ImageState, Language, RiskLevel, ThreatDeadline } from "../triage.ts";

export const OFFER_STATUSES = ["pending", "accepted", "declined", "expired", "withdrawn"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** What the case log records, for metrics. */
export const CASE_LOG_KINDS = [
  "created",
  "queued",
  "crisis",
  "offered",
  "offer_expired",
  "offer_declined",
  "assigned",
  "handed_off",
  "transferred",
  "transfer_offered",
  "transfer_declined",
  "transfer_expired",
  "transfer_withdrawn",
  "closed",
  /** A closed case back in the queue: its victim wrote after the closing (docs/QUEUE.md "After closing"). */
  "reopened",
  /** A crisis alert raised, escalated a level (actor null: the service) or acknowledged (docs/CRISIS.md "The alert"). */
  "alert_raised",
  "alert_escalated",
  "alert_acknowledged",
] as const;
export type CaseLogKind = (typeof CASE_LOG_KINDS)[number];

export interface StaffTable {
  user_id: string;
  kind: StaffKind;
  display_name: string | null;
  /** JSON array of language codes, e.g. `["ko","en"]`. */
  languages: string;
  /** How many cases (assigned plus pending offers) the companion takes at once. */
  capacity: number;
  on_shift: number;
  shift_changed_at: number | null;
  last_assigned_at: number | null;
  /** Confirmed appointments a day at most; null: the service's default. */
  visits_per_day: number | null;
  /** 1: on the on-call list, paged at a crisis alert's level 2 while off shift (docs/CRISIS.md). */
  on_call: Generated<number>;
}

export interface CasesTable {
  /** Short random public id, e.g. `c-7k2q9x`. */
  id: string;
  room_id: string;
  visitor_id: string;
  status: CaseStatus;
  language: Language | null;
  category: HarmCategory | null;
  images: ImageState | null;
  deadline: ThreatDeadline | null;
  minor: number | null;
  risk: RiskLevel | null;
  crisis: number;
  priority: number;
  /** The triage bot's own state machine position, JSON of ids only. */
  triage_state: string | null;
  /** JSON array of event ids of the victim's messages for the hand-off summary. */
  noted_event_ids: string;
  created_at: number;
  queued_at: number | null;
  assigned_to: string | null;
  assigned_at: number | null;
  handed_off_at: number | null;
  closed_at: number | null;
  outcome: CaseOutcome | null;
  /** The bot's queue message in the room, so it can be edited rather than repeated. */
  queue_notice_event_id: string | null;
  /** Position and expected wait last told to the victim: updates go out only on change. */
  last_position: number | null;
  last_wait_minutes: number | null;
  /** The victim's earlier, closed case, when they agreed the new counsellor may know of it (docs/CRISIS.md "Returning victims"). */
  previous_case_id: string | null;
}

export interface OffersTable {
  id: Generated<number>;
  case_id: string;
  companion_id: string;
  offered_at: number;
  expires_at: number;
  status: OfferStatus;
  resolved_at: number | null;
  /** A transfer: the colleague who holds the case and offers it (docs/SHIFT.md); null for an offer from the queue. */
  transfer_from: string | null;
}

export interface CaseLogTable {
  id: Generated<number>;
  case_id: string;
  kind: CaseLogKind;
  /** Who did it (staff user id), or null for the service itself. */
  actor: string | null;
  at: number;
}

/** Small facts of the service itself, e.g. the duty room's id. */
export interface BotsMetaTable {
  key: string;
  value: string;
}

/** A companion's published time for appointments (docs/SCHEDULING.md). */
export interface AvailabilitySlotsTable {
  /** `s-xxxxxx`. */
  id: string;
  companion_id: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
  /** The appointment booked in it; null while free. Unique: one appointment per slot. */
  appointment_id: string | null;
}

/** An appointment: ids, kinds and times. Never an address or anything typed in the chat. */
export interface AppointmentsTable {
  /** `a-xxxxxx`. */
  id: string;
  case_id: string;
  companion_id: string;
  kind: AppointmentKind | null;
  status: AppointmentStatus;
  step: AppointmentStep;
  slot_id: string | null;
  starts_at: number | null;
  ends_at: number | null;
  place: PlaceKind | null;
  /** JSON array of the slot ids in the latest time prompt. */
  offered_slot_ids: string;
  /** The bot's latest question about this appointment. */
  prompt_event_id: string | null;
  confirmation_event_id: string | null;
  reminded_24h_at: number | null;
  reminded_1h_at: number | null;
  cancelled_by: AppointmentParty | null;
  created_at: number;
  confirmed_at: number | null;
  cancelled_at: number | null;
}

/** The scheduling bot's one appointments room per case, and how far it has read there. */
export interface SchedulingRoomsTable {
  case_id: string;
  room_id: string;
  created_at: number;
  /** JSON `{ ts, ids }`: the newest handled event's timestamp and the ids handled at it. */
  read_state: string;
}

/** A partner organisation: public facts about it, and its staff accounts (partner kind) if any. */
export interface PartnersTable {
  /** `p-xxxxxx`. */
  id: string;
  kind: PartnerKind;
  name_ko: string;
  name_en: string;
  /** What they do, told to the victim before consent. */
  about_ko: string;
  about_en: string;
  region: string;
  /** JSON array of language codes. */
  languages: string;
  hours: string;
  /** How to reach them (phone, web), for the referral letter. */
  contact: string;
  /** JSON array of the partner's staff user ids (accounts of kind partner); empty: the victim gets a letter. */
  staff_ids: string;
  active: number;
  created_at: number;
  updated_at: number;
}

/** A referral: statuses, ids and times. The shared items' text lives only in the encrypted rooms. */
export interface ReferralsTable {
  /** `r-xxxxxx`. */
  id: string;
  case_id: string;
  partner_id: string;
  companion_id: string;
  status: ReferralStatus;
  /** JSON arrays of item ids. */
  items_offered: string;
  items_consented: string;
  /** Which item the bot asks about next (an item id), or `done`. */
  step: string;
  /** The referral room: consent with the victim and the companion, then the hand-off with the partner. */
  room_id: string | null;
  /** The bot's offer, which holds the companion's summary (read back from the room at hand-off). */
  offer_event_id: string | null;
  handoff_event_id: string | null;
  /** JSON `{ ts, ids }`: the bot's read mark in the room. */
  read_state: string;
  created_at: number;
  consented_at: number | null;
  accepted_at: number | null;
  first_contact_at: number | null;
  completed_at: number | null;
  declined_at: number | null;
  withdrawn_at: number | null;
  /** When the companion was reminded of a referral the partner has not accepted. */
  reminded_at: number | null;
}

/**
 * A companion's referral desk for a case: the private room where the referral
 * bot asks which partner and items to offer (started by inviting the bot into
 * the case's room from any Matrix client). Ids and steps only.
 */
export interface ReferralDesksTable {
  room_id: string;
  case_id: string;
  staff_id: string;
  /** Counts the conversations held in this room, so a button of an earlier one is told apart. */
  round: number;
  /** `partner`, an item id (whether to offer it), `summary_text`, `confirm`, or `idle` between conversations. */
  step: string;
  partner_id: string | null;
  /** JSON array of the item ids chosen so far. */
  items: string;
  /** The companion's message holding the summary, read back from the room when the offer is sent. */
  summary_event_id: string | null;
  /** JSON `{ ts, ids }`: the bot's read mark in the room. */
  read_state: string;
  created_at: number;
  updated_at: number;
}

/** How a crisis alert ended: someone answered for it, took the case, or the case closed. */
export const ALERT_RESOLUTIONS = ["acknowledged", "taken", "closed"] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];

/** A crisis alert (docs/CRISIS.md "The alert"): ids and times only. Open while `resolved_at` is null. */
export interface CrisisAlertsTable {
  /** `a_` + 16 base32 characters. */
  id: string;
  case_id: string;
  raised_at: number;
  /** 0: consoles; 1: paged to on-shift staff; 2: paged to the on-call list too. */
  level: number;
  /** When the level was last raised. */
  level_at: number;
  /** Who answered for it ("I'm on it"), or who took the case. */
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  resolution: AlertResolution | null;
}

/** Each staff member's one-to-one encrypted room with the triage bot, where pages go. */
export interface PagerRoomsTable {
  user_id: string;
  room_id: string;
  created_at: number;
}

export interface BotsDatabase {
  staff: StaffTable;
  cases: CasesTable;
  offers: OffersTable;
  case_log: CaseLogTable;
  meta: BotsMetaTable;
  availability_slots: AvailabilitySlotsTable;
  appointments: AppointmentsTable;
  scheduling_rooms: SchedulingRoomsTable;
  partners: PartnersTable;
  referrals: ReferralsTable;
  referral_desks: ReferralDesksTable;
  crisis_alerts: CrisisAlertsTable;
  pager_rooms: PagerRoomsTable;
}
