/**
 * Appointments (docs/SCHEDULING.md): in-person visits and accompaniment to the
 * police or court, arranged by the scheduling bot. The bots database keeps
 * these ids and times only; an exact address stays inside the encrypted chat.
 */
import { isOneOf } from "./triage.ts";

/** What the appointment is for. */
export const APPOINTMENT_KINDS = ["counselling_visit", "police_interview", "court_hearing", "statement_prep"] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

/** Where it can be: kinds of safe places, never an address. */
export const PLACE_KINDS = ["centre", "police_station", "court", "public_place"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/**
 * `requested`: being arranged (kind, time or place still open);
 * `confirmed`: booked in a slot; `cancelled`: by either side.
 */
export const APPOINTMENT_STATUSES = ["requested", "confirmed", "cancelled"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Where the conversation about an appointment stands (what the bot asked last). */
export const APPOINTMENT_STEPS = [
  "kind", // which kind of appointment
  "time", // which of the offered times
  "waiting_for_times", // the victim asked for other times, or none were free: the companion adds slots
  "place", // which kind of place
  "address", // the exact place, typed (kept only in the chat)
  "settled", // nothing open
  "cancel", // "cancel this appointment?" asked
] as const;
export type AppointmentStep = (typeof APPOINTMENT_STEPS)[number];

/** Who cancelled or asked for a new time. */
export const APPOINTMENT_PARTIES = ["victim", "companion"] as const;
export type AppointmentParty = (typeof APPOINTMENT_PARTIES)[number];

export interface AppointmentKindInfo {
  /** How long it usually takes; a slot must be at least this long. */
  minutes: number;
  /** The places offered, first is the usual one. */
  places: readonly PlaceKind[];
}

export const APPOINTMENT_KIND_INFO: Record<AppointmentKind, AppointmentKindInfo> = {
  counselling_visit: { minutes: 60, places: ["centre", "public_place"] },
  police_interview: { minutes: 120, places: ["police_station"] },
  court_hearing: { minutes: 120, places: ["court"] },
  statement_prep: { minutes: 90, places: ["centre", "public_place"] },
};

/** The field of `org.onsafe.visit` inside a bot's `m.room.message` (DESIGN.md "Custom events"). */
export const VISIT_FIELD = "org.onsafe.visit";

export const VISIT_STAGES = ["proposal", "confirmed", "reminder", "cancelled"] as const;
export type VisitStage = (typeof VISIT_STAGES)[number];

/**
 * What a scheduling bot message is about, for apps that draw it as a card.
 * `address` is what was typed in the chat; it exists only in this encrypted event.
 */
export interface VisitContent {
  stage: VisitStage;
  appointment_id: string;
  kind: AppointmentKind | null;
  /** Proposal: the times offered (ms since the epoch). */
  slots?: { id: string; starts_at: number; ends_at: number }[];
  starts_at?: number;
  ends_at?: number;
  time_zone?: string;
  place?: PlaceKind | null;
  address?: string | null;
  /** Confirmed: what to bring, in the conversation's language. */
  bring?: string;
  /** Cancelled: by whom. */
  cancelled_by?: AppointmentParty;
}

export function isVisitContent(value: unknown): value is VisitContent {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const time = (t: unknown) => t === undefined || (Number.isSafeInteger(t) && (t as number) >= 0);
  return (
    isOneOf(VISIT_STAGES, v.stage) &&
    typeof v.appointment_id === "string" && /^a-[0-9a-z]{6}$/.test(v.appointment_id) &&
    (v.kind === null || isOneOf(APPOINTMENT_KINDS, v.kind)) &&
    time(v.starts_at) && time(v.ends_at) &&
    (v.place === undefined || v.place === null || isOneOf(PLACE_KINDS, v.place)) &&
    (v.address === undefined || v.address === null || typeof v.address === "string") &&
    (v.bring === undefined || typeof v.bring === "string") &&
    (v.cancelled_by === undefined || isOneOf(APPOINTMENT_PARTIES, v.cancelled_by)) &&
    (v.slots === undefined || (Array.isArray(v.slots) && v.slots.every((s) =>
      typeof s === "object" && s !== null && typeof (s as { id?: unknown }).id === "string" &&
      time((s as { starts_at?: unknown }).starts_at) && time((s as { ends_at?: unknown }).ends_at))))
  );
}
