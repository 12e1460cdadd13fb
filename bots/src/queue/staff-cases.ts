/**
 * What staff do with cases through the ops API, and what they may see:
 * claim a queued case, transfer or close their own (supervisors: any).
 * Permission checks live here, not in the handlers; failures are MatrixErrors.
 */
import type { CaseOutcome } from "@onsafe/schema";
import { badState, forbidden, invalidParam, notFound } from "../ops-api/errors.ts";
import type { BotsTables, CaseRow, StaffMember } from "../storage/index.ts";
import { isQueued } from "./case-service.ts";
import type { Clock } from "./clock.ts";
import { attempt, type Dispatcher } from "./dispatcher.ts";
import type { CaseRoomActions } from "./room-actions.ts";
import { assign, close } from "./transitions.ts";

const NOT_THEIRS = "Only the case's companion or a supervisor may do this";

export interface QueueEntry {
  c: CaseRow;
  /** 1 = next. */
  position: number;
  waitingMs: number;
  offeredTo: string | null;
  /** When the pending offer expires, if any. */
  offerExpiresAt: number | null;
}

export class StaffCases {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly actions: CaseRoomActions,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Waiting and offered cases in queue order. */
  queue(): QueueEntry[] {
    const now = this.clock.now();
    const offers = new Map(this.t.offers.pending().map((o) => [o.caseId, o]));
    return this.t.cases.queued().map((c, i) => ({
      c,
      position: i + 1,
      waitingMs: now - (c.queuedAt ?? now),
      offeredTo: offers.get(c.id)?.companionId ?? null,
      offerExpiresAt: offers.get(c.id)?.expiresAt ?? null,
    }));
  }

  /** The caller's own open cases (assigned to them and not closed), oldest assignment first. */
  mine(userId: string): CaseRow[] {
    return this.t.cases.assignedTo(userId);
  }

  /** A case as `viewer` may see it: its companion, a supervisor, or anyone on shift while it is queued. */
  view(caseId: string, viewer: StaffMember): { c: CaseRow; entry: QueueEntry | null } {
    const c = this.found(caseId);
    const mayView = viewer.kind === "supervisor"
      || c.assignedTo === viewer.userId
      || (isQueued(c) && viewer.onShift);
    if (!mayView) throw forbidden("Only the case's companion, a supervisor, or staff on shift while it waits may see this case");
    return { c, entry: this.queue().find((e) => e.c.id === caseId) ?? null };
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
   * Moves an assigned case to another companion or supervisor on shift. Before
   * the hand-off the bot is still in the room and invites them (`invited`);
   * after it, the console, whose user is in the room, invites them and passes
   * on the note. The note is never stored here.
   */
  async transfer(caseId: string, by: StaffMember, to: string): Promise<{ c: CaseRow; invited: boolean }> {
    const { before, c } = this.t.db.transaction(() => {
      const before = this.found(caseId);
      this.mayChange(before, by);
      if (before.status !== "assigned") throw badState(`The case is ${before.status}, not assigned`);
      const target = this.t.staff.get(to);
      if (!target || target.kind === "partner") throw invalidParam("'to' is not a companion or supervisor");
      if (to === before.assignedTo) throw invalidParam("The case is already with them");
      if (!target.onShift) throw invalidParam("'to' is not on shift");
      const now = this.clock.now();
      this.t.cases.update(caseId, { assignedTo: to, assignedAt: now });
      this.t.staff.setLastAssigned(to, now);
      this.t.log.add(caseId, "transferred", by.userId, now);
      return { before, c: this.t.cases.byId(caseId)! };
    });
    let invited = false;
    if (before.handedOffAt === null) {
      await attempt(`withdrawing an invite to ${caseId}`, () => this.actions.withdrawInvite(before.roomId, before.assignedTo!));
      invited = await this.actions.invite(c.roomId, to).then(() => true, () => false);
    }
    await this.dispatcher.settle();
    return { c, invited };
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
