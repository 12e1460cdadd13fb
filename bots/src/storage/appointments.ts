/** Appointment rows: ids, kinds and times only (never an address or anything typed), decoded into `Appointment`. */
import type { Selectable, Updateable } from "kysely";
import type { AppointmentKind, AppointmentParty, AppointmentsTable, AppointmentStatus, AppointmentStep, PlaceKind } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export interface Appointment {
  id: string;
  caseId: string;
  companionId: string;
  kind: AppointmentKind | null;
  status: AppointmentStatus;
  step: AppointmentStep;
  slotId: string | null;
  startsAt: number | null;
  endsAt: number | null;
  place: PlaceKind | null;
  /** Slot ids of the latest time prompt, in the order shown. */
  offeredSlotIds: string[];
  promptEventId: string | null;
  confirmationEventId: string | null;
  reminded24hAt: number | null;
  reminded1hAt: number | null;
  cancelledBy: AppointmentParty | null;
  createdAt: number;
  confirmedAt: number | null;
  cancelledAt: number | null;
}

export type AppointmentPatch = Partial<Omit<Appointment, "id" | "caseId" | "companionId" | "createdAt">>;

export class AppointmentStore {
  constructor(private readonly db: BotsStore) {}

  insert(a: Pick<Appointment, "id" | "caseId" | "companionId" | "kind" | "step" | "createdAt">): void {
    this.db.run(this.db.q.insertInto("appointments").values({
      id: a.id, case_id: a.caseId, companion_id: a.companionId, kind: a.kind, status: "requested", step: a.step,
      offered_slot_ids: "[]", created_at: a.createdAt,
    }));
  }

  byId(id: string): Appointment | undefined {
    const row = this.db.first(this.db.q.selectFrom("appointments").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  update(id: string, patch: AppointmentPatch): void {
    this.db.run(this.db.q.updateTable("appointments").set(encode(patch)).where("id", "=", id));
  }

  /** A transfer accepted: the case's appointments held by `from` go to `to` (the slot booked stays the time `from` published). */
  moveCase(caseId: string, from: string, to: string): void {
    this.db.run(this.db.q.updateTable("appointments").set({ companion_id: to }).where("case_id", "=", caseId).where("companion_id", "=", from));
  }

  ofCase(caseId: string): Appointment[] {
    return this.db.all(this.db.q.selectFrom("appointments").selectAll().where("case_id", "=", caseId).orderBy("created_at").orderBy("id")).map(decode);
  }

  /** The case's appointments that are not cancelled, newest first. */
  openOfCase(caseId: string): Appointment[] {
    return this.db.all(this.db.q.selectFrom("appointments").selectAll()
      .where("case_id", "=", caseId).where("status", "!=", "cancelled").orderBy("created_at", "desc").orderBy("id", "desc")).map(decode);
  }

  /**
   * A companion's agenda: appointments not over by `now` (unbooked ones
   * included), and those cancelled since `cancelledSince` (so a cancellation by
   * the victim is seen), soonest first.
   */
  agenda(companionId: string, now: number, cancelledSince: number): Appointment[] {
    return this.db.all(this.db.q.selectFrom("appointments").selectAll()
      .where("companion_id", "=", companionId)
      .where((eb) => eb.or([eb("status", "!=", "cancelled"), eb("cancelled_at", ">=", cancelledSince)]))
      .where((eb) => eb.or([eb("ends_at", "is", null), eb("ends_at", ">", now)]))
      .orderBy("starts_at").orderBy("created_at"))
      .map(decode);
  }

  /** Appointments of a companion holding a slot that starts in [from, to). */
  heldBetween(companionId: string, from: number, to: number): Appointment[] {
    return this.db.all(this.db.q.selectFrom("appointments").selectAll()
      .where("companion_id", "=", companionId).where("status", "!=", "cancelled")
      .where("slot_id", "is not", null).where("starts_at", ">=", from).where("starts_at", "<", to))
      .map(decode);
  }

  /** Confirmed appointments starting in (now, until]: the candidates for a reminder. */
  confirmedStartingBy(now: number, until: number): Appointment[] {
    return this.db.all(this.db.q.selectFrom("appointments").selectAll()
      .where("status", "=", "confirmed").where("starts_at", ">", now).where("starts_at", "<=", until).orderBy("starts_at"))
      .map(decode);
  }
}

function decode(r: Selectable<AppointmentsTable>): Appointment {
  return {
    id: r.id,
    caseId: r.case_id,
    companionId: r.companion_id,
    kind: r.kind,
    status: r.status,
    step: r.step,
    slotId: r.slot_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    offeredSlotIds: JSON.parse(r.offered_slot_ids) as string[],
    promptEventId: r.prompt_event_id,
    confirmationEventId: r.confirmation_event_id,
    reminded24hAt: r.reminded_24h_at,
    reminded1hAt: r.reminded_1h_at,
    cancelledBy: r.cancelled_by,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    cancelledAt: r.cancelled_at,
  };
}

const COLUMNS = {
  kind: "kind",
  status: "status",
  step: "step",
  slotId: "slot_id",
  startsAt: "starts_at",
  endsAt: "ends_at",
  place: "place",
  offeredSlotIds: "offered_slot_ids",
  promptEventId: "prompt_event_id",
  confirmationEventId: "confirmation_event_id",
  reminded24hAt: "reminded_24h_at",
  reminded1hAt: "reminded_1h_at",
  cancelledBy: "cancelled_by",
  confirmedAt: "confirmed_at",
  cancelledAt: "cancelled_at",
} as const satisfies Record<keyof AppointmentPatch, keyof AppointmentsTable>;

function encode(patch: AppointmentPatch): Updateable<AppointmentsTable> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch) as [keyof AppointmentPatch, unknown][]) {
    if (value === undefined) continue;
    out[COLUMNS[key]] = key === "offeredSlotIds" ? JSON.stringify(value) : value;
  }
  return out as Updateable<AppointmentsTable>;
}
