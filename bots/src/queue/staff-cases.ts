/**
 * What staff do with cases through the ops API, and what they may see:
 * claim a queued case, transfer or close their own (supervisors: any).
 * Permission checks live here, not in the handlers; failures are MatrixErrors.
 */
import type { CaseOutcome } from "@onsafe/schema";
import { resolveAlert } from "../crisis/alert-transitions.ts";
import type { BotsTables, CaseRow, Offer, StaffMember } from "../storage/index.ts";
import { isQueued } from "./case-service.ts";
import type { Clock } from "./clock.ts";
import { attempt, type Dispatcher } from "./dispatcher.ts";
import type { CaseRoomActions } from "./case-room-actions.ts";
import { assign, close } from "./transitions.ts";
import { badState, forbidden, invalidParam, notFound } from "@onsafe/matrix-basics";

const NOT_THEIRS = "Only the case's companion or a supervisor may do this";
/** How long after an accepted transfer its hand-over may still be finished by the console that offered it. */
const HAND_OVER_WINDOW_MS = 24 * 3_600_000;

export interface QueueEntry {
  c: CaseRow;
  /** 1 = next. */
  position: number;
  waitingMs: number;
  offeredTo: string | null;
  /** When the pending offer expires, if any. */
  offerExpiresAt: number | null;
  /** A transfer: the colleague offering the case they hold (position 0: not in the line); null for the queue's own. */
  transferFrom: string | null;
  /** When the case last came back to the queue after a close (docs/QUEUE.md "After closing"); null if it never did. */
  reopenedAt: number | null;
}

export class StaffCases {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly actions: CaseRoomActions,
    private readonly dispatcher: Dispatcher,
  ) {}

  /**
   * Waiting and offered cases in queue order, then the pending transfers
   * `viewer` may see: their own, either way, or all for a supervisor (null: all).
   */
  queue(viewer: StaffMember | null = null): QueueEntry[] {
    const now = this.clock.now();
    const pending = this.t.offers.pending();
    const offers = new Map(pending.map((o) => [o.caseId, o]));
    const queued = this.t.cases.queued().map((c, i) => ({
      c,
      position: i + 1,
      waitingMs: now - (c.queuedAt ?? now),
      offeredTo: offers.get(c.id)?.companionId ?? null,
      offerExpiresAt: offers.get(c.id)?.expiresAt ?? null,
      transferFrom: null,
    }));
    const seesTransfer = (o: Offer) => viewer === null || viewer.kind === "supervisor" || o.companionId === viewer.userId || o.transferFrom === viewer.userId;
    const transfers = pending.filter((o) => o.transferFrom !== null && seesTransfer(o)).map((o) => ({
      c: this.found(o.caseId),
      position: 0,
      waitingMs: now - o.offeredAt,
      offeredTo: o.companionId,
      offerExpiresAt: o.expiresAt,
      transferFrom: o.transferFrom,
    }));
    // One query for every entry: this runs on each console's poll.
    const reopened = this.t.log.lastAt("reopened", [...queued, ...transfers].map((e) => e.c.id));
    return [...queued, ...transfers].map((e) => ({ ...e, reopenedAt: reopened.get(e.c.id) ?? null }));
  }

  /** The caller's own open cases (assigned to them and not closed), oldest assignment first. */
  mine(userId: string): CaseRow[] {
    return this.t.cases.assignedTo(userId);
  }

  /** A case as `viewer` may see it: its companion, a supervisor, anyone on shift while it is queued, or the colleague it is being transferred to. */
  view(caseId: string, viewer: StaffMember): { c: CaseRow; entry: QueueEntry | null } {
    const c = this.found(caseId);
    const entry = this.queue().find((e) => e.c.id === caseId) ?? null;
    const mayView = viewer.kind === "supervisor"
      || c.assignedTo === viewer.userId
      || (isQueued(c) && viewer.onShift)
      || (entry !== null && entry.transferFrom !== null && entry.offeredTo === viewer.userId);
    if (!mayView) throw forbidden("Only the case's companion, a supervisor, or staff on shift while it waits may see this case");
    return { c, entry };
  }

  /** An on-shift companion or supervisor takes a queued case; the bot invites them. Capacity does not limit a claim. */
  async claim(caseId: string, by: StaffMember): Promise<CaseRow> {
    if (!by.onShift) throw forbidden("Come on shift to claim cases");
    const result = this.t.db.transaction(() => {
      const c = this.found(caseId);
      if (!isQueued(c)) throw badState(`The case is ${c.status}, not waiting`);
      return assign(this.t, c, by.userId, by.userId, this.clock.now());
    });
    await this.dispatcher.withdrawAll(result.withdraw);
    // Someone already offered it holds the bot's invite.
    if (!result.wasOffered) await attempt(`inviting the claimer of ${caseId}`, () => this.actions.invite(result.c.roomId, by.userId));
    await this.dispatcher.settle();
    return result.c;
  }

  /**
   * Offers an assigned case to a colleague on shift (docs/SHIFT.md "Transfer").
   * The case stays with its companion until the colleague accepts; the offer
   * expires like a queue offer. Before the hand-off the bot is still in the room
   * and invites them (`invited`); after it, the transferring console, whose user
   * is in the room, invites them and later forwards the room keys and the note.
   * No note ever comes here.
   */
  async transfer(caseId: string, by: StaffMember, to: string): Promise<{ c: CaseRow; invited: boolean; expiresAt: number }> {
    const { c, expiresAt } = this.t.db.transaction(() => {
      const c = this.found(caseId);
      this.mayChange(c, by);
      if (c.status !== "assigned") throw badState(`The case is ${c.status}, not assigned`);
      if (this.t.offers.pendingFor(caseId)) throw badState("A transfer of this case is already waiting for an answer");
      const target = this.t.staff.get(to);
      if (!target || target.kind === "partner") throw invalidParam("'to' is not a companion or supervisor");
      if (to === c.assignedTo) throw invalidParam("The case is already with them");
      if (!target.onShift) throw invalidParam("'to' is not on shift");
      const now = this.clock.now();
      const expiresAt = now + this.dispatcher.offerTimeoutMs;
      this.t.offers.insert({ caseId, companionId: to, offeredAt: now, expiresAt, transferFrom: c.assignedTo! });
      this.t.log.add(caseId, "transfer_offered", by.userId, now);
      return { c, expiresAt };
    });
    const invited = c.handedOffAt === null && await this.actions.invite(c.roomId, to).then(() => true, () => false);
    return { c, invited, expiresAt };
  }

  /**
   * The case's newest transfer as the colleague who offered it, the one it
   * was offered to, or a supervisor may see it: the transferring console
   * learns from it that the colleague accepted (the case is no longer its own
   * to view) or that it stays (declined, expired, taken back).
   */
  latestTransfer(caseId: string, viewer: StaffMember): Offer {
    this.found(caseId);
    const offer = this.t.offers.latestTransfer(caseId);
    const mayView = viewer.kind === "supervisor" || offer?.transferFrom === viewer.userId || offer?.companionId === viewer.userId;
    if (!offer || !mayView) throw notFound("No transfer of this case concerns you");
    return offer;
  }

  /**
   * Cases `by` transferred that a colleague accepted in the last day and still
   * holds: after a reload the transferring console finishes the hand-over
   * (invite, keys) for those whose room it is still in.
   */
  handOvers(by: StaffMember): { c: CaseRow; offer: Offer }[] {
    return this.t.offers.acceptedTransfersFrom(by.userId, this.clock.now() - HAND_OVER_WINDOW_MS)
      .map((offer) => ({ c: this.found(offer.caseId), offer }))
      .filter(({ c, offer }) => c.status === "assigned" && c.assignedTo === offer.companionId);
  }

  /** The pending transfer of a case, if any. */
  pendingTransfer(caseId: string): Offer | null {
    const offer = this.t.offers.pendingFor(caseId);
    return offer?.transferFrom ? offer : null;
  }

  /**
   * The colleague takes the case: it is theirs from now on, with its
   * appointments and referrals. The transferring console sees this, forwards
   * the room keys and leaves.
   */
  acceptTransfer(caseId: string, by: StaffMember): CaseRow {
    return this.t.db.transaction(() => {
      const offer = this.transferTo(caseId, by);
      const from = this.found(caseId).assignedTo!;
      const now = this.clock.now();
      this.t.offers.resolve(offer.id, "accepted", now);
      this.t.cases.update(caseId, { assignedTo: by.userId, assignedAt: now });
      this.t.staff.setLastAssigned(by.userId, now);
      this.t.appointments.moveCase(caseId, from, by.userId);
      this.t.referrals.moveCase(caseId, from, by.userId);
      this.t.log.add(caseId, "transferred", by.userId, now);
      resolveAlert(this.t, caseId, "taken", by.userId, now);
      return this.found(caseId);
    });
  }

  /** The colleague says no: the case stays where it is. */
  async declineTransfer(caseId: string, by: StaffMember): Promise<CaseRow> {
    const c = this.t.db.transaction(() => {
      const offer = this.transferTo(caseId, by);
      const now = this.clock.now();
      this.t.offers.resolve(offer.id, "declined", now);
      this.t.log.add(caseId, "transfer_declined", by.userId, now);
      return this.found(caseId);
    });
    await this.withdrawBotInvite(c, by.userId);
    return c;
  }

  /** Undo: the companion who offered the case (or a supervisor) takes the offer back while it waits. */
  async undoTransfer(caseId: string, by: StaffMember): Promise<CaseRow> {
    const { c, to } = this.t.db.transaction(() => {
      const c = this.found(caseId);
      this.mayChange(c, by);
      const offer = this.pendingTransfer(caseId);
      if (!offer) throw badState("No transfer of this case is waiting: it was accepted, declined or it expired");
      const now = this.clock.now();
      this.t.offers.resolve(offer.id, "withdrawn", now);
      this.t.log.add(caseId, "transfer_withdrawn", by.userId, now);
      return { c, to: offer.companionId };
    });
    await this.withdrawBotInvite(c, to);
    return c;
  }

  /** The transfer offered to `by`, or a Matrix error; call inside a transaction. */
  private transferTo(caseId: string, by: StaffMember): Offer {
    this.found(caseId);
    const offer = this.pendingTransfer(caseId);
    if (!offer || offer.companionId !== by.userId) throw badState("No transfer of this case is waiting for you: it was taken back, or it expired");
    if (offer.expiresAt <= this.clock.now()) throw badState("The transfer expired");
    return offer;
  }

  /** Before the hand-off the bot invited the colleague, so it withdraws the invite; after it, the transferring console does. */
  private async withdrawBotInvite(c: CaseRow, userId: string): Promise<void> {
    if (c.handedOffAt === null) await this.dispatcher.withdrawAll([{ c, companionId: userId }]);
  }

  /** Closes a case: its companion while assigned, or a supervisor at any time. */
  async close(caseId: string, by: StaffMember, outcome: CaseOutcome): Promise<CaseRow> {
    const result = this.t.db.transaction(() => {
      const c = this.found(caseId);
      // Whose case before its state: a 409 would tell a colleague that someone else's case was closed.
      if (by.kind !== "supervisor" && c.assignedTo !== by.userId) throw forbidden(NOT_THEIRS);
      if (c.status === "closed") throw badState("The case is already closed");
      this.mayChange(c, by);
      return close(this.t, c, outcome, by.userId, this.clock.now());
    });
    await this.dispatcher.withdrawAll(result.withdraw);
    await this.dispatcher.settle();
    return result.c;
  }

  /**
   * Closes a case whose victim has left its room (`victim_left`), as the triage
   * bot does before the hand-off; after it, the bot is out of the room and the
   * companion's console reports the leave. `victimGone` asks the homeserver, as
   * the caller, whether the visitor is still a member, so the outcome rests on
   * the room, not on the caller's word. A case closed already is answered as it
   * is: the bot, or the same console a moment earlier, may have closed it.
   */
  async victimLeft(caseId: string, by: StaffMember, victimGone: (c: CaseRow) => Promise<boolean>): Promise<CaseRow> {
    const before = this.found(caseId);
    if (by.kind !== "supervisor" && before.assignedTo !== by.userId) throw forbidden(NOT_THEIRS);
    if (before.status === "closed") return before;
    if (!(await victimGone(before))) throw badState("The victim is still in the room");
    const result = this.t.db.transaction(() => {
      const c = this.found(caseId);
      if (c.status === "closed") return { c, withdraw: [] };
      // The victim's act, as when the triage bot sees the leave: no staff actor.
      return close(this.t, c, "victim_left", null, this.clock.now());
    });
    await this.dispatcher.withdrawAll(result.withdraw);
    await this.dispatcher.settle();
    return result.c;
  }

  private mayChange(c: CaseRow, by: StaffMember): void {
    if (by.kind === "supervisor") return;
    if (c.status === "assigned" && c.assignedTo === by.userId) return;
    throw forbidden(NOT_THEIRS);
  }

  private found(caseId: string): CaseRow {
    const c = this.t.cases.byId(caseId);
    if (!c) throw notFound("No such case");
    return c;
  }
}
