/** The case log: what happened to which case and when, for metrics. No content. */
import type { CaseLogKind } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export class CaseLogStore {
  constructor(private readonly db: BotsStore) {}

  add(caseId: string, kind: CaseLogKind, actor: string | null, at: number): void {
    this.db.run(this.db.q.insertInto("case_log").values({ case_id: caseId, kind, actor, at }));
  }

  countSince(kind: CaseLogKind, since: number): number {
    const row = this.db.first(this.db.q.selectFrom("case_log").select((e) => e.fn.countAll<number>().as("n"))
      .where("kind", "=", kind).where("at", ">=", since));
    return row?.n ?? 0;
  }

  /** The newest time each of `caseIds` was logged as `kind`, in one query (index `case_log_case`); cases never logged so are absent. */
  lastAt(kind: CaseLogKind, caseIds: string[]): Map<string, number> {
    if (caseIds.length === 0) return new Map();
    const rows = this.db.all(this.db.q.selectFrom("case_log").select((e) => ["case_id", e.fn.max<number>("at").as("at")])
      .where("kind", "=", kind).where("case_id", "in", caseIds).groupBy("case_id"));
    return new Map(rows.map((r) => [r.case_id, r.at]));
  }

  /** Entries of one case, oldest first (for tests and audits). */
  forCase(caseId: string): { kind: CaseLogKind; actor: string | null; at: number }[] {
    return this.db.all(this.db.q.selectFrom("case_log").select(["kind", "actor", "at"]).where("case_id", "=", caseId).orderBy("id"));
  }
}
