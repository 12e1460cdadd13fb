/**
 * Figures for supervisors: the queue now, who carries how many cases, crisis
 * cases open, cases closed per day and offers that lapsed, and the cases
 * behind them (case ids, kinds and durations). No content and no victim
 * identifiers, and no reply times: after the hand-off no bot is in the room,
 * so the service never sees when the victim or the companion last wrote.
 */
import type { CaseStatus, HarmCategory, Language, ReferralStatus } from "@onsafe/schema";
import type { BotsTables, CaseRow } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import { median } from "./wait-estimate.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
export const METRICS_DAYS = 7;

/** A case behind the figures: queued, with a companion, or a crisis case still in triage. */
export interface MetricsCase {
  caseId: string;
  status: CaseStatus;
  category: HarmCategory | null;
  crisis: boolean;
  minor: boolean | null;
  language: Language | null;
  /** With (assigned) or offered to (offered). */
  companionId: string | null;
  openedMs: number;
  waitingMs: number | null;
  withCompanionMs: number | null;
  /** With a companion: a transfer offered to this colleague, not yet answered. */
  transferTo: string | null;
}

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
  /** The cases behind the figures: queued in queue order, then with a companion (oldest first), then crisis cases in triage. */
  cases: MetricsCase[];
}

export class Metrics {
  constructor(private readonly t: BotsTables, private readonly clock: Clock, private readonly timeZone: string) {}

  snapshot(): MetricsSnapshot {
    const now = this.clock.now();
    const queued = this.t.cases.queued();
    const waits = queued.map((c) => now - (c.queuedAt ?? now));
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
      cases: this.cases(now, queued),
    };
  }

  private cases(now: number, queued: CaseRow[]): MetricsCase[] {
    // A pending offer of a queued case is the queue's; of an assigned one, a transfer to a colleague.
    const offeredTo = new Map(this.t.offers.pending().map((o) => [o.caseId, o.companionId]));
    const assigned = this.t.cases.assigned().sort((a, b) => (a.assignedAt ?? 0) - (b.assignedAt ?? 0) || a.id.localeCompare(b.id));
    return [...queued, ...assigned, ...this.t.cases.crisisInTriage()].map((c) => ({
      caseId: c.id,
      status: c.status,
      category: c.category,
      crisis: c.crisis,
      minor: c.minor,
      language: c.language,
      companionId: c.status === "assigned" ? c.assignedTo : c.status === "offered" ? offeredTo.get(c.id) ?? null : null,
      openedMs: now - c.createdAt,
      waitingMs: c.status === "waiting" || c.status === "offered" ? now - (c.queuedAt ?? now) : null,
      withCompanionMs: c.status === "assigned" && c.assignedAt !== null ? now - c.assignedAt : null,
      transferTo: c.status === "assigned" ? offeredTo.get(c.id) ?? null : null,
    }));
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
