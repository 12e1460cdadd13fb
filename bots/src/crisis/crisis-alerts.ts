/**
 * Crisis alerts as staff meet them (docs/CRISIS.md "The alert"): who sees
 * which open alert, "I'm on it", and escalation by pages when nobody answers.
 * Raising and ending alerts are queue transitions (alert-transitions.ts).
 */
import type { BotsTables, CrisisAlert, StaffMember } from "../storage/index.ts";
import type { Clock } from "../queue/clock.ts";
import { AlertFeed } from "./alert-feed.ts";
import { pageOf, type Page, type Pager } from "./page.ts";
import { badState, notFound } from "@onsafe/matrix-basics";

export interface EscalationTimes {
  /** Unacknowledged this long after raising: level 1, a page to everyone on shift. */
  escalateMs: number;
  /** Unacknowledged this long after raising (at least `escalateMs`): level 2, a page to the on-call list. */
  onCallMs: number;
}

/**
 * How long an answered alert stays listed, with who answered, so that every
 * console can say "Mina is on it" instead of the banner just vanishing.
 */
export const ANSWERED_LISTED_MS = 15_000;

export class CrisisAlerts {
  readonly feed: AlertFeed;
  private escalating: Promise<void> | null = null;

  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly pager: Pager,
    private readonly times: EscalationTimes,
  ) {
    this.feed = new AlertFeed(t.alertChanges);
  }

  /** On shift: every open alert; off shift and on call: those at level 2; anyone else: none. */
  maySee(a: CrisisAlert, m: StaffMember): boolean {
    if (m.kind !== "companion" && m.kind !== "supervisor") return false;
    return m.onShift || (m.onCall && a.level >= 2);
  }

  /**
   * The alerts `userId` should see, oldest first, read fresh (their shift may
   * have changed): the open ones, and those answered in the last `ANSWERED_LISTED_MS`.
   */
  listedFor(userId: string): CrisisAlert[] {
    const m = this.t.staff.get(userId);
    return m ? this.t.crisisAlerts.openOrAnsweredSince(this.clock.now() - ANSWERED_LISTED_MS).filter((a) => this.maySee(a, m)) : [];
  }

  /** "I'm on it": the alert ends for every console and escalation stops. It does not assign the case. */
  acknowledge(alertId: string, userId: string): CrisisAlert {
    return this.t.db.transaction(() => {
      const a = this.t.crisisAlerts.byId(alertId);
      const m = this.t.staff.get(userId);
      if (!a || !m || !this.maySee(a, m)) throw notFound("No such alert");
      // Names nobody: who answered is in the consoles' banner, not in a refusal.
      if (a.resolvedAt !== null) throw badState("The alert has been answered already");
      const now = this.clock.now();
      this.t.crisisAlerts.resolve(a.id, "acknowledged", userId, now);
      this.t.log.add(a.caseId, "alert_acknowledged", userId, now);
      return this.t.crisisAlerts.byId(a.id)!;
    });
  }

  /**
   * Raises the level of every open alert that fell due and pages the people
   * of each new level. Runs from the timer and once at start (alerts that fell
   * due while the service was down); overlapping calls share one run.
   */
  escalateDue(): Promise<void> {
    this.escalating ??= this.escalate().finally(() => { this.escalating = null; });
    return this.escalating;
  }

  /** Waits for a run under way, if any (before the database closes). */
  async idle(): Promise<void> {
    await this.escalating?.catch(() => {});
  }

  private async escalate(): Promise<void> {
    const pages = this.t.db.transaction(() => {
      const now = this.clock.now();
      const onShift = this.t.staff.onShift();
      const due: { userIds: string[]; page: Page }[] = [];
      for (const a of this.t.crisisAlerts.open()) {
        const level = this.levelAt(a, now, onShift.length > 0);
        if (level <= a.level) continue;
        this.t.crisisAlerts.setLevel(a.id, level, now);
        this.t.log.add(a.caseId, "alert_escalated", null, now);
        // Down past both times, an alert goes straight to level 2: both lists are paged.
        const userIds = new Set<string>();
        if (a.level < 1) for (const m of onShift) userIds.add(m.userId);
        if (level >= 2) for (const m of this.t.staff.onCallOffShift()) userIds.add(m.userId);
        if (userIds.size > 0) due.push({ userIds: [...userIds], page: pageOf(a, level) });
      }
      return due;
    });
    for (const { userIds, page } of pages) {
      await this.pager.page(userIds, page).catch((error: Error) => console.error(`crisis: pages for ${page.caseId} failed: ${error.message.slice(0, 200)}`));
    }
  }

  /**
   * With nobody on shift there is nobody for the first times to wait on: the
   * alert goes to the on-call list at once (after hours, or when the last person
   * left their shift), rather than a person in crisis waiting minutes for no one.
   */
  private levelAt(a: CrisisAlert, now: number, anyoneOnShift: boolean): number {
    if (!anyoneOnShift) return 2;
    const waited = now - a.raisedAt;
    if (waited >= Math.max(this.times.onCallMs, this.times.escalateMs)) return 2;
    if (waited >= this.times.escalateMs) return 1;
    return 0;
  }
}

/** Escalates due alerts every `everyMs`; returns a function that stops it and waits for a run under way. */
export function startAlertTimer(alerts: CrisisAlerts, everyMs: number): () => Promise<void> {
  const timer = setInterval(() => {
    alerts.escalateDue().catch((error: Error) => console.error(`crisis: escalating alerts failed: ${error.message.slice(0, 200)}`));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await alerts.idle();
  };
}
