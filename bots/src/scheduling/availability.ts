/**
 * Companions' time slots and the rule that nobody is double booked: a slot
 * holds one appointment (booked with one conditional write), a companion's
 * slots never overlap, and a companion's held appointments per local day stay
 * within their visits-per-day capacity (docs/SCHEDULING.md).
 */
import { APPOINTMENT_KIND_INFO, type AppointmentKind } from "@onsafe/schema";
import { shortId } from "../queue/case-id.ts";
import type { Clock } from "../queue/clock.ts";
import type { Appointment, BotsTables, Slot, StaffMember } from "../storage/index.ts";
import { localDay } from "./calendar.ts";
import { badState, invalidParam, notFound } from "@onsafe/matrix-basics";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const SLOT_MIN_MS = 30 * MINUTE;
export const SLOT_MAX_MS = 8 * HOUR;
export const SLOT_HORIZON_MS = 90 * 24 * HOUR;
/** A time is offered only this far ahead: nobody should be asked to be somewhere in ten minutes. */
export const MIN_LEAD_MS = 2 * HOUR;
export const MAX_OFFERED = 6;
export const MAX_VISITS_PER_DAY = 10;
export const SLOT_ID_PATTERN = /^s-[0-9a-z]{6}$/;

export type BookResult = "booked" | "taken" | "over_capacity" | "gone";

export class Availability {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    readonly timeZone: string,
    private readonly defaultVisitsPerDay: number,
  ) {}

  visitsPerDay(companionId: string): number {
    return this.t.staff.get(companionId)?.visitsPerDay ?? this.defaultVisitsPerDay;
  }

  setVisitsPerDay(by: StaffMember, visitsPerDay: number): void {
    if (!Number.isSafeInteger(visitsPerDay) || visitsPerDay < 0 || visitsPerDay > MAX_VISITS_PER_DAY) {
      throw invalidParam(`'visits_per_day' must be a whole number from 0 to ${MAX_VISITS_PER_DAY}`);
    }
    this.t.staff.setVisitsPerDay(by.userId, visitsPerDay);
  }

  /** The companion's slots not yet over. */
  slots(companionId: string): Slot[] {
    return this.t.slots.ofCompanion(companionId, this.clock.now());
  }

  add(by: StaffMember, startsAt: number, endsAt: number): Slot {
    const now = this.clock.now();
    if (startsAt <= now) throw invalidParam("The slot must start in the future");
    if (startsAt > now + SLOT_HORIZON_MS) throw invalidParam("Slots can be published at most 90 days ahead");
    const length = endsAt - startsAt;
    if (length < SLOT_MIN_MS || length > SLOT_MAX_MS) throw invalidParam("A slot lasts from 30 minutes to 8 hours");
    const slot = { id: shortId("s"), companionId: by.userId, startsAt, endsAt, createdAt: now };
    this.t.db.transaction(() => {
      if (this.t.slots.overlapping(by.userId, startsAt, endsAt).length > 0) throw badState("This slot overlaps one of your slots");
      this.t.slots.insert(slot);
    });
    return { ...slot, appointmentId: null };
  }

  remove(by: StaffMember, slotId: string): void {
    this.t.db.transaction(() => {
      const slot = SLOT_ID_PATTERN.test(slotId) ? this.t.slots.byId(slotId) : undefined;
      if (!slot || slot.companionId !== by.userId) throw notFound("No such slot");
      if (!this.t.slots.removeFree(slotId)) throw badState("The slot is booked: cancel or move the appointment first");
    });
  }

  /** Free slots of the companion that fit the kind, far enough ahead, on days with room left; soonest first. */
  freeFor(companionId: string, kind: AppointmentKind): Slot[] {
    const now = this.clock.now();
    const minutes = APPOINTMENT_KIND_INFO[kind].minutes;
    return this.t.slots.ofCompanion(companionId, now)
      .filter((s) => s.appointmentId === null && s.startsAt >= now + MIN_LEAD_MS && s.endsAt - s.startsAt >= minutes * MINUTE)
      .filter((s) => this.hasRoom(companionId, s.startsAt, null))
      .slice(0, MAX_OFFERED);
  }

  /**
   * Books `slotId` for the appointment, moving it from the slot it held (if
   * any). The caller runs it inside a transaction.
   */
  book(a: Appointment, slotId: string): BookResult {
    const slot = this.t.slots.byId(slotId);
    if (a.slotId === slotId) return "booked";
    if (!slot || slot.companionId !== a.companionId || slot.startsAt < this.clock.now() + MIN_LEAD_MS) return "gone";
    if (slot.appointmentId !== null) return "taken";
    if (!this.hasRoom(a.companionId, slot.startsAt, a.id)) return "over_capacity";
    // The old slot first: a slot's appointment is unique, so one appointment never holds two.
    if (a.slotId) this.t.slots.release(a.slotId, a.id);
    // Checked free above, in the same synchronous transaction: cannot fail but by a bug, which rolls back.
    if (!this.t.slots.book(slotId, a.id)) throw new Error("a free slot could not be booked");
    this.t.appointments.update(a.id, { slotId, startsAt: slot.startsAt, endsAt: slot.startsAt + (a.kind ? APPOINTMENT_KIND_INFO[a.kind].minutes : 60) * MINUTE });
    return "booked";
  }

  release(a: Appointment): void {
    if (a.slotId) this.t.slots.release(a.slotId, a.id);
  }

  /** Whether the companion can take one more appointment on the local day of `at` (not counting `moving`, which would leave its slot). */
  private hasRoom(companionId: string, at: number, moving: string | null): boolean {
    const day = localDay(at, this.timeZone);
    const held = this.t.appointments.heldBetween(companionId, at - 36 * HOUR, at + 36 * HOUR)
      .filter((a) => a.id !== moving && localDay(a.startsAt!, this.timeZone) === day);
    return held.length < this.visitsPerDay(companionId);
  }
}
