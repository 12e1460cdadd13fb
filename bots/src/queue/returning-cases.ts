/**
 * Returning victims (docs/CRISIS.md "Returning victims"): a visitor whose
 * earlier case was closed starts a new one in a new room. The triage bot asks
 * whether the new counsellor may know; only a yes links the new case to the
 * earlier one, and staff then see a summary of it, nothing more.
 */
import type { BotsTables, CaseRow } from "../storage/index.ts";

export class ReturningCases {
  constructor(private readonly t: BotsTables) {}

  /** The visitor's latest closed case before this one, if any: the bot asks about it only then. */
  earlierCase(c: CaseRow): CaseRow | undefined {
    return this.t.cases.latestClosedOf(c.visitorId, c.id);
  }

  /** The victim said yes: the case points at their latest earlier one (looked up again: it may have been erased meanwhile). */
  link(caseId: string): CaseRow | undefined {
    return this.t.db.transaction(() => {
      const c = this.t.cases.byId(caseId);
      const earlier = c && this.earlierCase(c);
      if (!c || !earlier) return c;
      this.t.cases.update(c.id, { previousCaseId: earlier.id });
      return this.t.cases.byId(c.id);
    });
  }

  /** The earlier case a case points at, for its staff's view; null without a link (or once it is erased). */
  previousOf(c: CaseRow): CaseRow | null {
    return c.previousCaseId === null ? null : this.t.cases.byId(c.previousCaseId) ?? null;
  }
}
