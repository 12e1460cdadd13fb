/** Crisis alerts (docs/CRISIS.md "The alert"): ids and times only, at most one open per case. */
import type { Selectable } from "kysely";
import type { AlertResolution, CrisisAlertsTable } from "@onsafe/schema";
import type { AlertChanges } from "./alert-changes.ts";
import type { BotsStore } from "./store.ts";

export interface CrisisAlert {
  id: string;
  caseId: string;
  raisedAt: number;
  level: number;
  levelAt: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  resolution: AlertResolution | null;
}

export class CrisisAlertStore {
  constructor(private readonly db: BotsStore, private readonly changes: AlertChanges) {}

  insert(a: Pick<CrisisAlert, "id" | "caseId" | "raisedAt">): void {
    this.db.run(this.db.q.insertInto("crisis_alerts").values({ id: a.id, case_id: a.caseId, raised_at: a.raisedAt, level: 0, level_at: a.raisedAt }));
    this.changes.fire();
  }

  byId(id: string): CrisisAlert | undefined {
    const row = this.db.first(this.db.q.selectFrom("crisis_alerts").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  openFor(caseId: string): CrisisAlert | undefined {
    const row = this.db.first(this.db.q.selectFrom("crisis_alerts").selectAll().where("case_id", "=", caseId).where("resolved_at", "is", null));
    return row && decode(row);
  }

  /** Every open alert, oldest first. */
  open(): CrisisAlert[] {
    return this.db.all(this.db.q.selectFrom("crisis_alerts").selectAll().where("resolved_at", "is", null).orderBy("raised_at").orderBy("id")).map(decode);
  }

  /** Every open alert and those someone answered for (acknowledged or took the case) at `since` or later, oldest first. */
  openOrAnsweredSince(since: number): CrisisAlert[] {
    return this.db.all(this.db.q.selectFrom("crisis_alerts").selectAll()
      .where((w) => w.or([w("resolved_at", "is", null), w("acknowledged_at", ">=", since)]))
      .orderBy("raised_at").orderBy("id")).map(decode);
  }

  /** Every alert of a case, oldest first (for tests and audits). */
  forCase(caseId: string): CrisisAlert[] {
    return this.db.all(this.db.q.selectFrom("crisis_alerts").selectAll().where("case_id", "=", caseId).orderBy("raised_at").orderBy("id")).map(decode);
  }

  setLevel(id: string, level: number, at: number): void {
    this.db.run(this.db.q.updateTable("crisis_alerts").set({ level, level_at: at }).where("id", "=", id));
    this.changes.fire();
  }

  /** Ends an open alert; `by`: who acknowledged it or took the case (null when it closed). */
  resolve(id: string, resolution: AlertResolution, by: string | null, at: number): void {
    this.db.run(this.db.q.updateTable("crisis_alerts")
      .set({ resolution, resolved_at: at, acknowledged_by: by, acknowledged_at: by === null ? null : at })
      .where("id", "=", id).where("resolved_at", "is", null));
    this.changes.fire();
  }
}

function decode(r: Selectable<CrisisAlertsTable>): CrisisAlert {
  return {
    id: r.id,
    caseId: r.case_id,
    raisedAt: r.raised_at,
    level: r.level,
    levelAt: r.level_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  };
}
