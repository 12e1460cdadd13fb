/**
 * Figures for supervisors: the queue now, who carries how many cases, crisis
 * cases open, cases closed per day and offers that lapsed. Counts and
 * durations only; no content and no victim identifiers.
 */
import type { ReferralStatus } from "@onsafe/schema";
import type { BotsTables } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import { median } from "./wait-estimate.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
export const METRICS_DAYS = 7;

export interface MetricsSnapshot {
  queueLength: number;
  /** Waits of the cases queued now, in ms; null when the queue is empty. */
  currentWaitMs: { p50: number | null; max: number | null };
  activeCases: { userId: string; displayName: string | null; kind: string; onShift: boolean; active: number; capacity: number }[];
  openCrisisCases: number;
  /** Cases closed per local day (service time zone), oldest first, today last. */
  closedPerDay: { date: string; count: number }[];
  /** Offers that lapsed or were declined in the last seven days. */
  offersExpired: number;
  offersDeclined: number;
  /** Referrals by partner and status, all time (docs/REFERRALS.md). */
  referrals: { partnerId: string; partnerName: string; status: ReferralStatus; count: number }[];
}

export class Metrics {
  constructor(private readonly t: BotsTables, private readonly clock: Clock, private readonly timeZone: string) {}

  snapshot(): MetricsSnapshot {
    const now = this.clock.now();
    const waits = this.t.cases.queued().map((c) => now - (c.queuedAt ?? now));
    const assigned = this.t.cases.assignedCounts();
    const since = now - METRICS_DAYS * DAY_MS;
    return {
      queueLength: waits.length,
      currentWaitMs: { p50: median(waits), max: waits.length ? Math.max(...waits) : null },
      activeCases: this.t.staff.all().filter((m) => m.kind !== "partner").map((m) => ({
        userId: m.userId,
        displayName: m.displayName,
        kind: m.kind,
        onShift: m.onShift,
        active: assigned.get(m.userId) ?? 0,
        capacity: m.capacity,
      })),
      openCrisisCases: this.t.cases.openCrisisCount(),
      closedPerDay: this.closedPerDay(now),
      offersExpired: this.t.log.countSince("offer_expired", since),
      offersDeclined: this.t.log.countSince("offer_declined", since),
      referrals: this.t.referrals.countsByPartnerAndStatus().map((r) => ({
        ...r,
        partnerName: this.t.partners.byId(r.partnerId)?.name.en ?? r.partnerId,
      })),
    };
  }

  private closedPerDay(now: number): { date: string; count: number }[] {
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: this.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    const today = day.format(now);
    // Calendar arithmetic on the local date, so a daylight-saving day is still one day.
    const dates = Array.from({ length: METRICS_DAYS }, (_, i) =>
      new Date(Date.parse(`${today}T00:00:00Z`) - (METRICS_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10));
    const counts = new Map(dates.map((d) => [d, 0]));
    for (const closedAt of this.t.cases.closedSince(now - (METRICS_DAYS + 1) * DAY_MS)) {
      const date = day.format(closedAt);
      if (counts.has(date)) counts.set(date, counts.get(date)! + 1);
    }
    return dates.map((date) => ({ date, count: counts.get(date)! }));
  }
}
