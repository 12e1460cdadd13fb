/** Companions' published time slots; a slot holds at most one appointment (docs/SCHEDULING.md). */
import type { Selectable } from "kysely";
import type { AvailabilitySlotsTable } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export interface Slot {
  id: string;
  companionId: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  appointmentId: string | null;
}

export class SlotStore {
  constructor(private readonly db: BotsStore) {}

  insert(s: Omit<Slot, "appointmentId">): void {
    this.db.run(this.db.q.insertInto("availability_slots").values({
      id: s.id, companion_id: s.companionId, starts_at: s.startsAt, ends_at: s.endsAt, created_at: s.createdAt, appointment_id: null,
    }));
  }

  byId(id: string): Slot | undefined {
    const row = this.db.first(this.db.q.selectFrom("availability_slots").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  /** A companion's slots ending after `from`, soonest first. */
  ofCompanion(companionId: string, from: number): Slot[] {
    return this.db.all(this.db.q.selectFrom("availability_slots").selectAll()
      .where("companion_id", "=", companionId).where("ends_at", ">", from).orderBy("starts_at").orderBy("id"))
      .map(decode);
  }

  /** A companion's slots overlapping [startsAt, endsAt). */
  overlapping(companionId: string, startsAt: number, endsAt: number): Slot[] {
    return this.db.all(this.db.q.selectFrom("availability_slots").selectAll()
      .where("companion_id", "=", companionId).where("starts_at", "<", endsAt).where("ends_at", ">", startsAt))
      .map(decode);
  }

  /** Books a free slot; false when it was taken meanwhile (the check and the write are one statement). */
  book(id: string, appointmentId: string): boolean {
    return this.db.run(this.db.q.updateTable("availability_slots").set({ appointment_id: appointmentId })
      .where("id", "=", id).where("appointment_id", "is", null)).changes === 1;
  }

  release(id: string, appointmentId: string): void {
    this.db.run(this.db.q.updateTable("availability_slots").set({ appointment_id: null })
      .where("id", "=", id).where("appointment_id", "=", appointmentId));
  }

  /** Removes a free slot; false when it is booked (or not there). */
  removeFree(id: string): boolean {
    return this.db.run(this.db.q.deleteFrom("availability_slots").where("id", "=", id).where("appointment_id", "is", null)).changes === 1;
  }
}

function decode(r: Selectable<AvailabilitySlotsTable>): Slot {
  return { id: r.id, companionId: r.companion_id, startsAt: r.starts_at, endsAt: r.ends_at, createdAt: r.created_at, appointmentId: r.appointment_id };
}
