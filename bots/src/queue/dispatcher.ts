/**
 * Moves the queue along: offers waiting cases to companions, expires offers
 * nobody took, and tells waiting victims their place when it changed. Every
 * decision is read and written in one synchronous transaction before any
 * Matrix call is awaited, so overlapping calls never offer a case twice.
 */
import type { BotsTables, CaseRow } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import type { CaseRoomActions } from "./case-room-actions.ts";
import type { CaseInvite } from "./transitions.ts";
import { type Candidate, chooseCompanion, type Refusal } from "./routing.ts";
import { expectedWaitMinutes, WAIT_SAMPLE_LIMIT, WAIT_WINDOW_MS, type WaitModel, waitModel } from "./wait-estimate.ts";

export class Dispatcher {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly actions: CaseRoomActions,
    /** How long an offer stands, from the queue or a colleague's transfer. */
    readonly offerTimeoutMs: number,
  ) {}

  /** After any change: route, then tell victims whose place or wait changed. */
  async settle(): Promise<void> {
    await this.route();
    await this.publishQueue();
  }

  /** Offers each waiting case, in queue order, to the best eligible companion. */
  async route(): Promise<void> {
    await this.inviteAll(this.t.db.transaction(() => this.decideOffers()));
  }

  /**
   * Expires offers past their time and routes the cases on. An invite is
   * withdrawn unless the case goes straight back to the same person (the only
   * one left to ask): then their invite stands and only the offer is renewed.
   */
  async expireOffers(): Promise<void> {
    const now = this.clock.now();
    const { expired, transfers, made } = this.t.db.transaction(() => {
      const lapsed = this.t.offers.pendingExpiredBy(now);
      const expired = lapsed.filter((offer) => offer.transferFrom === null).map((offer) => {
        this.t.offers.resolve(offer.id, "expired", now);
        this.t.cases.update(offer.caseId, { status: "waiting" });
        this.t.log.add(offer.caseId, "offer_expired", offer.companionId, now);
        return { c: this.t.cases.byId(offer.caseId)!, companionId: offer.companionId };
      });
      // A transfer nobody accepted: the case simply stays with the colleague who holds it.
      const transfers = lapsed.filter((offer) => offer.transferFrom !== null).map((offer) => {
        this.t.offers.resolve(offer.id, "expired", now);
        this.t.log.add(offer.caseId, "transfer_expired", offer.companionId, now);
        return { c: this.t.cases.byId(offer.caseId)!, companionId: offer.companionId };
      });
      return { expired, transfers, made: expired.length > 0 ? this.decideOffers() : [] };
    });
    // Before the hand-off the bot invited the colleague; after it the transferring console withdraws its own invite.
    await this.withdrawAll(transfers.filter(({ c }) => c.handedOffAt === null));
    if (expired.length === 0) return;
    const same = (a: CaseInvite, b: CaseInvite) => a.c.id === b.c.id && a.companionId === b.companionId;
    await this.withdrawAll(expired.filter((e) => !made.some((m) => same(e, m))));
    await this.inviteAll(made.filter((m) => !expired.some((e) => same(e, m))));
    await this.publishQueue();
  }

  async withdrawAll(invites: CaseInvite[]): Promise<void> {
    await Promise.all(invites.map(({ c, companionId }) =>
      attempt(`withdrawing an invite to ${c.id}`, () => this.actions.withdrawInvite(c.roomId, companionId))));
  }

  private async inviteAll(offers: CaseInvite[]): Promise<void> {
    await Promise.all(offers.map(({ c, companionId }) =>
      attempt(`inviting a companion to ${c.id}`, () => this.actions.invite(c.roomId, companionId))));
  }

  /** Where each queued case stands now: position (1 = next) and expected wait. */
  positions(): { c: CaseRow; position: number; expectedWaitMinutes: number | null }[] {
    const model = this.waitModel();
    return this.t.cases.queued().map((c, i) => ({ c, position: i + 1, expectedWaitMinutes: expectedWaitMinutes(i + 1, model) }));
  }

  /**
   * Sends a queue update to each waiting victim whose position or expected
   * wait changed since the last one. Not while nobody is on shift: a place in
   * a line nobody serves would contradict the after-hours message; coming on
   * shift settles the queue, which sends them then.
   */
  async publishQueue(): Promise<void> {
    const changed = this.t.db.transaction(() => this.t.staff.onShift().length === 0 ? [] : this.positions().filter(({ c, position, expectedWaitMinutes }) => {
      if (c.lastPosition === position && c.lastWaitMinutes === expectedWaitMinutes) return false;
      this.t.cases.update(c.id, { lastPosition: position, lastWaitMinutes: expectedWaitMinutes });
      c.lastPosition = position;
      c.lastWaitMinutes = expectedWaitMinutes;
      return true;
    }));
    await Promise.all(changed.map(({ c, position, expectedWaitMinutes }) =>
      attempt(`a queue update for ${c.id}`, () => this.actions.queueUpdate(c, position, expectedWaitMinutes))));
  }

  private waitModel(): WaitModel {
    const waits = this.t.cases.recentWaits(this.clock.now() - WAIT_WINDOW_MS, WAIT_SAMPLE_LIMIT);
    return waitModel(waits, this.t.staff.onShift().length);
  }

  private decideOffers(): CaseInvite[] {
    const onShift = this.t.staff.onShift();
    if (onShift.length === 0) return [];
    const now = this.clock.now();
    const assigned = this.t.cases.assignedCounts();
    const pending = this.t.offers.pendingCounts();
    const candidates: Candidate[] = onShift.map((member) => ({
      member,
      load: (assigned.get(member.userId) ?? 0) + (pending.get(member.userId) ?? 0),
    }));
    const made: CaseInvite[] = [];
    for (const c of this.t.cases.queued()) {
      if (c.status !== "waiting") continue;
      const companionId = chooseCompanion(c.language, candidates, this.refusals(c));
      if (companionId === null) continue;
      this.t.offers.insert({ caseId: c.id, companionId, offeredAt: now, expiresAt: now + this.offerTimeoutMs });
      this.t.cases.update(c.id, { status: "offered" });
      this.t.log.add(c.id, "offered", null, now);
      candidates.find((x) => x.member.userId === companionId)!.load += 1;
      made.push({ c: { ...c, status: "offered" }, companionId });
    }
    return made;
  }

  /** Who declined or let lapse an offer of `c` since it was queued: a reopened case starts afresh (docs/QUEUE.md "After closing"). */
  private refusals(c: CaseRow): Map<string, Refusal> {
    const refusals = new Map<string, Refusal>();
    for (const offer of this.t.offers.pastFor(c.id)) {
      if (c.queuedAt !== null && offer.offeredAt < c.queuedAt) continue;
      if (offer.status === "declined") refusals.set(offer.companionId, "declined");
      else if (offer.status === "expired" && !refusals.has(offer.companionId)) refusals.set(offer.companionId, "expired");
    }
    return refusals;
  }
}

/** Runs a Matrix call for the queue; a failure is logged by case id only and the recorded decision stands. */
export async function attempt(what: string, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    console.error(`queue: ${what} failed: ${error instanceof Error ? error.message.slice(0, 200) : typeof error}`);
  }
}
