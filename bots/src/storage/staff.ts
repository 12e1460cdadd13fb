/** The staff directory's rows: who may take cases, in which languages, how many at once, and who is on shift. */
import type { Selectable } from "kysely";
import type { StaffKind, StaffTable } from "@onsafe/schema";
import type { AlertChanges } from "./alert-changes.ts";
import type { BotsStore } from "./store.ts";

export interface StaffMember {
  userId: string;
  kind: StaffKind;
  displayName: string | null;
  languages: string[];
  capacity: number;
  onShift: boolean;
  shiftChangedAt: number | null;
  lastAssignedAt: number | null;
  /** Appointments a day at most (docs/SCHEDULING.md); null: the service's default. */
  visitsPerDay: number | null;
  /** On the on-call list: paged at a crisis alert's level 2 while off shift (docs/CRISIS.md). */
  onCall: boolean;
}

export type StaffProfile = Pick<StaffMember, "userId" | "kind" | "displayName" | "languages" | "capacity">;

export class StaffStore {
  /** `changes`: fired on shift and on-call changes, which change what crisis alerts someone sees. */
  constructor(private readonly db: BotsStore, private readonly changes: AlertChanges) {}

  get(userId: string): StaffMember | undefined {
    const row = this.db.first(this.db.q.selectFrom("staff").selectAll().where("user_id", "=", userId));
    return row && decode(row);
  }

  all(): StaffMember[] {
    return this.db.all(this.db.q.selectFrom("staff").selectAll().orderBy("user_id")).map(decode);
  }

  /** Companions and supervisors on shift: the people cases are routed to. */
  onShift(): StaffMember[] {
    return this.db.all(this.db.q.selectFrom("staff").selectAll()
      .where("on_shift", "=", 1).where("kind", "in", ["companion", "supervisor"]).orderBy("user_id"))
      .map(decode);
  }

  /** Companions and supervisors on the on-call list and off shift: paged at a crisis alert's level 2. */
  onCallOffShift(): StaffMember[] {
    return this.db.all(this.db.q.selectFrom("staff").selectAll()
      .where("on_call", "=", 1).where("on_shift", "=", 0).where("kind", "in", ["companion", "supervisor"]).orderBy("user_id"))
      .map(decode);
  }

  /** Adds a member or updates their profile; shift and assignment history stay. */
  upsert(p: StaffProfile): void {
    const profile = { kind: p.kind, display_name: p.displayName, languages: JSON.stringify(p.languages), capacity: p.capacity };
    this.db.run(this.db.q.insertInto("staff").values({ user_id: p.userId, ...profile, on_shift: 0 })
      .onConflict((oc) => oc.column("user_id").doUpdateSet(profile)));
  }

  setShift(userId: string, onShift: boolean, at: number): void {
    this.db.run(this.db.q.updateTable("staff").set({ on_shift: onShift ? 1 : 0, shift_changed_at: at }).where("user_id", "=", userId));
    this.changes.fire();
  }

  setOnCall(userId: string, onCall: boolean): void {
    this.db.run(this.db.q.updateTable("staff").set({ on_call: onCall ? 1 : 0 }).where("user_id", "=", userId));
    this.changes.fire();
  }

  setVisitsPerDay(userId: string, visitsPerDay: number): void {
    this.db.run(this.db.q.updateTable("staff").set({ visits_per_day: visitsPerDay }).where("user_id", "=", userId));
  }

  setLastAssigned(userId: string, at: number): void {
    this.db.run(this.db.q.updateTable("staff").set({ last_assigned_at: at }).where("user_id", "=", userId));
  }
}

function decode(r: Selectable<StaffTable>): StaffMember {
  return {
    userId: r.user_id,
    kind: r.kind,
    displayName: r.display_name,
    languages: JSON.parse(r.languages) as string[],
    capacity: r.capacity,
    onShift: r.on_shift === 1,
    shiftChangedAt: r.shift_changed_at,
    lastAssignedAt: r.last_assigned_at,
    visitsPerDay: r.visits_per_day,
    onCall: r.on_call === 1,
  };
}
