/**
 * Everything the bots database keeps of one case, found and erased together
 * (docs/QUEUE.md "Retention"): the case row, its log, offers, crisis alerts, appointments (and
 * the slots they hold), appointments room, referrals and referral desks, and
 * a later case's link to it (docs/CRISIS.md "Returning victims"). The
 * caller runs `erase` inside one transaction, so a stop midway leaves the whole
 * case or none of it.
 */
import type { BotsStore } from "./store.ts";

export class CaseErasureStore {
  constructor(private readonly db: BotsStore) {}

  /** Closed cases closed before `before` (index `cases_closed_at`), longest closed first. */
  closedBefore(before: number): string[] {
    return this.db.all(this.db.q.selectFrom("cases").select("id")
      .where("status", "=", "closed").where("closed_at", "<", before).orderBy("closed_at").orderBy("id"))
      .map((r) => r.id);
  }

  /**
   * The newest time anything happened to the case: its closing, an appointment
   * made, confirmed, cancelled or ending (a court date can lie after the
   * closing), a step of a referral, a companion's referral desk. Null for an
   * unknown case.
   */
  lastActivity(caseId: string): number | null {
    const q = this.db.q;
    const c = this.db.first(q.selectFrom("cases").select("closed_at").where("id", "=", caseId));
    if (!c) return null;
    const appointments = this.db.first(q.selectFrom("appointments").where("case_id", "=", caseId).select((e) => [
      e.fn.max("created_at").as("a"), e.fn.max("confirmed_at").as("b"), e.fn.max("cancelled_at").as("c"), e.fn.max("ends_at").as("d"),
    ]));
    const referrals = this.db.first(q.selectFrom("referrals").where("case_id", "=", caseId).select((e) => [
      e.fn.max("created_at").as("a"), e.fn.max("consented_at").as("b"), e.fn.max("accepted_at").as("c"), e.fn.max("first_contact_at").as("d"),
      e.fn.max("completed_at").as("e"), e.fn.max("declined_at").as("f"), e.fn.max("withdrawn_at").as("g"),
    ]));
    const desks = this.db.first(q.selectFrom("referral_desks").where("case_id", "=", caseId).select((e) => e.fn.max("updated_at").as("a")));
    const times = [c.closed_at, ...Object.values(appointments ?? {}), ...Object.values(referrals ?? {}), ...Object.values(desks ?? {})];
    return Math.max(...times.map((t) => (typeof t === "number" ? t : 0)));
  }

  /** The Matrix rooms of the case: its counselling room, appointments room, referral rooms and referral desks. */
  roomsOf(caseId: string): string[] {
    const q = this.db.q;
    const rooms = [
      ...this.db.all(q.selectFrom("cases").select("room_id").where("id", "=", caseId)),
      ...this.db.all(q.selectFrom("scheduling_rooms").select("room_id").where("case_id", "=", caseId)),
      ...this.db.all(q.selectFrom("referrals").select("room_id").where("case_id", "=", caseId).where("room_id", "is not", null)),
      ...this.db.all(q.selectFrom("referral_desks").select("room_id").where("case_id", "=", caseId)),
    ].map((r) => r.room_id!);
    return [...new Set(rooms)];
  }

  /**
   * Deletes every row keyed to the case, children before the case. Slots its
   * appointments hold are freed, not deleted: they are the companion's time, not
   * the case's. Call inside a transaction.
   */
  erase(caseId: string): void {
    const q = this.db.q;
    const appointmentIds = q.selectFrom("appointments").select("id").where("case_id", "=", caseId);
    this.db.run(q.updateTable("availability_slots").set({ appointment_id: null }).where("appointment_id", "in", appointmentIds));
    this.db.run(q.deleteFrom("referral_desks").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("referrals").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("scheduling_rooms").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("appointments").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("offers").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("case_log").where("case_id", "=", caseId));
    this.db.run(q.deleteFrom("crisis_alerts").where("case_id", "=", caseId));
    // A later case of the same victim no longer says they came back (index `cases_previous`).
    this.db.run(q.updateTable("cases").set({ previous_case_id: null }).where("previous_case_id", "=", caseId));
    this.db.run(q.deleteFrom("cases").where("id", "=", caseId));
  }
}
