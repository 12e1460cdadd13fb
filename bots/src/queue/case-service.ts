/**
 * A case's life as the triage bot drives it: created when a victim's room
 * opens, triaged, queued, offered, assigned when the companion joins, handed
 * off once the bot has posted its summary, closed when the victim leaves.
 * Staff decisions (claim, transfer, close) are in `staff-cases.ts`.
 */
import {
  HARM_CATEGORIES,
  type HarmCategory,
  IMAGE_STATES,
  type ImageState,
  isOneOf,
  type Language,
  LANGUAGES,
  RISK_LEVELS,
  type RiskLevel,
  THREAT_DEADLINES,
  type ThreatDeadline,
} from "@onsafe/schema";
import { raiseAlert } from "../crisis/alert-transitions.ts";
import type { BotsTables, CasePatch, CaseRow } from "../storage/index.ts";
import { newCaseId } from "./case-id.ts";
import type { Clock } from "./clock.ts";
import { attempt, type Dispatcher } from "./dispatcher.ts";
import type { CaseRoomActions } from "./case-room-actions.ts";
import { assign, close, reopen } from "./transitions.ts";

/** What triage found out so far; fields left out stay as they are. */
export interface TriageUpdate {
  /** The triage bot's own state (JSON, ids only); stored and returned as it is. */
  triageState?: unknown;
  /** Higher is more urgent; the rule is the triage bot's (bots/src/triage/result.ts). A non-negative integer. */
  priority?: number;
  language?: Language | null;
  category?: HarmCategory | null;
  images?: ImageState | null;
  deadline?: ThreatDeadline | null;
  minor?: boolean | null;
  risk?: RiskLevel | null;
}

/** Event ids kept for the hand-off summary; the newest are kept past this. */
export const MAX_NOTED_EVENTS = 200;

export class CaseService {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly actions: CaseRoomActions,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** The case of a victim's room, created in triage on first call; later calls return the same case. */
  createCase(input: { roomId: string; visitorId: string; language?: Language }): CaseRow {
    if (input.language !== undefined && !isOneOf(LANGUAGES, input.language)) throw new TypeError("unknown language");
    return this.t.db.transaction(() => {
      const existing = this.t.cases.byRoom(input.roomId);
      if (existing) return existing;
      const now = this.clock.now();
      let id = newCaseId();
      while (this.t.cases.byId(id)) id = newCaseId();
      this.t.cases.insert({ id, roomId: input.roomId, visitorId: input.visitorId, language: input.language ?? null, createdAt: now });
      this.t.log.add(id, "created", null, now);
      return this.t.cases.byId(id)!;
    });
  }

  get(caseId: string): CaseRow | undefined {
    return this.t.cases.byId(caseId);
  }

  getByRoom(roomId: string): CaseRow | undefined {
    return this.t.cases.byRoom(roomId);
  }

  /**
   * Records triage results (ids only) and the priority triage gave. Crisis is
   * not set here but by `markCrisis`; other fields are ignored. A closed case
   * is left as it is.
   */
  async saveTriage(caseId: string, update: TriageUpdate): Promise<CaseRow> {
    const patch = validTriage(update);
    const { c, reroute } = this.t.db.transaction(() => {
      const before = this.must(caseId);
      if (before.status === "closed") return { c: before, reroute: false };
      this.t.cases.update(caseId, patch);
      const after = this.must(caseId);
      return { c: after, reroute: after.priority !== before.priority || after.language !== before.language };
    });
    // Only priority and language move a waiting case; the bot's own state saved on every message does not.
    if (reroute && isQueued(c)) await this.dispatcher.settle();
    return c;
  }

  /** Keeps the id of a victim's message for the hand-off summary (the id only, never the text). */
  noteEvent(caseId: string, eventId: string): CaseRow {
    if (!/^\$[!-~]{1,254}$/.test(eventId)) throw new TypeError("not an event id");
    return this.t.db.transaction(() => {
      const c = this.must(caseId);
      if (c.notedEventIds.includes(eventId)) return c;
      this.t.cases.update(caseId, { notedEventIds: [...c.notedEventIds, eventId].slice(-MAX_NOTED_EVENTS) });
      return this.must(caseId);
    });
  }

  /** Remembers the bot's queue message in the room, so later updates can edit it. */
  setQueueNotice(caseId: string, eventId: string | null): CaseRow {
    this.must(caseId);
    this.t.cases.update(caseId, { queueNoticeEventId: eventId });
    return this.must(caseId);
  }

  /**
   * The crisis path: the case goes before every case not in crisis (the queue
   * orders by crisis, then priority), and every companion and supervisor on
   * shift is alerted, once.
   */
  async markCrisis(caseId: string): Promise<CaseRow> {
    const { c, alert } = this.t.db.transaction(() => {
      const before = this.must(caseId);
      if (before.crisis || before.status === "closed") return { c: before, alert: null };
      this.t.cases.update(caseId, { crisis: true });
      this.t.log.add(caseId, "crisis", null, this.clock.now());
      // The consoles' banner and, unanswered, the pages (docs/CRISIS.md "The alert").
      raiseAlert(this.t, caseId, this.clock.now());
      return { c: this.must(caseId), alert: this.t.staff.onShift().map((m) => m.userId) };
    });
    if (alert && alert.length > 0) await attempt(`a crisis alert for ${c.id}`, () => this.actions.crisisAlert(c, alert));
    if (alert && isQueued(c)) await this.dispatcher.publishQueue();
    return c;
  }

  /** Triage is done: the case joins the queue and is routed. Later calls change nothing. */
  async enqueue(caseId: string): Promise<CaseRow> {
    const queued = this.t.db.transaction(() => {
      const c = this.must(caseId);
      if (c.status !== "triage") return false;
      const now = this.clock.now();
      this.t.cases.update(caseId, { status: "waiting", queuedAt: now });
      this.t.log.add(caseId, "queued", null, now);
      return true;
    });
    if (queued) await this.dispatcher.settle();
    return this.must(caseId);
  }

  /**
   * Someone joined a case's room. Returns the case when it is its companion
   * arriving and the bot still has to post the summary (then the bot calls
   * `markHandedOff`), otherwise null. A companion whose offer had just expired
   * counts as accepting: they got in before the invite was withdrawn.
   */
  async memberJoined(roomId: string, userId: string): Promise<CaseRow | null> {
    const result = this.t.db.transaction(() => {
      const c = this.t.cases.byRoom(roomId);
      if (!c) return null;
      if (c.status === "assigned") return c.assignedTo === userId && c.handedOffAt === null ? { c, withdraw: null } : null;
      if (!isQueued(c)) return null;
      const offered = this.t.offers.pendingFor(c.id)?.companionId === userId
        || this.t.offers.pastFor(c.id).some((o) => o.companionId === userId && o.status === "expired");
      const member = this.t.staff.get(userId);
      if (!offered || !member || member.kind === "partner") return null;
      return assign(this.t, c, userId, userId, this.clock.now());
    });
    if (!result) return null;
    if (result.withdraw) {
      await this.dispatcher.withdrawAll(result.withdraw);
      await this.dispatcher.settle();
    }
    return result.c;
  }

  /**
   * Someone left a case's room of their own accord (the leave event's sender
   * is the user: not the bot withdrawing an invite). The victim leaving closes
   * the case (`victim_left`); a companion rejecting the invite declines the
   * offer, and the case goes to the next one.
   */
  async memberLeft(roomId: string, userId: string): Promise<void> {
    const withdraw = this.t.db.transaction(() => {
      const c = this.t.cases.byRoom(roomId);
      if (!c || c.status === "closed") return null;
      const now = this.clock.now();
      if (userId === c.visitorId) return close(this.t, c, "victim_left", null, now).withdraw;
      const pending = this.t.offers.pendingFor(c.id);
      if (pending?.companionId !== userId) return null;
      this.t.offers.resolve(pending.id, "declined", now);
      // A transfer rejected: the case stays with the colleague who holds it.
      if (pending.transferFrom !== null) {
        this.t.log.add(c.id, "transfer_declined", userId, now);
        return [];
      }
      this.t.cases.update(c.id, { status: "waiting" });
      this.t.log.add(c.id, "offer_declined", userId, now);
      return [];
    });
    if (!withdraw) return;
    await this.dispatcher.withdrawAll(withdraw);
    await this.dispatcher.settle();
  }

  /** The bot has posted the summary to the assigned companion and is leaving the room. */
  markHandedOff(caseId: string): CaseRow {
    return this.t.db.transaction(() => {
      const c = this.must(caseId);
      if (c.status !== "assigned" || c.handedOffAt !== null) return c;
      const now = this.clock.now();
      this.t.cases.update(caseId, { handedOffAt: now });
      this.t.log.add(caseId, "handed_off", null, now);
      return this.must(caseId);
    });
  }

  /**
   * The victim of a closed case wrote again: the case goes back to the queue
   * and is routed (docs/QUEUE.md "After closing"). Returns it when it was
   * reopened now, null when it was not closed (already back: one reopening per
   * closing, however many messages) or its victim had left. A crisis case
   * comes back as one, and on-shift staff are alerted again.
   */
  async reopen(caseId: string): Promise<CaseRow | null> {
    const result = this.t.db.transaction(() => {
      const c = reopen(this.t, this.must(caseId), this.clock.now());
      if (c?.crisis) raiseAlert(this.t, caseId, this.clock.now());
      return c && { c, alert: c.crisis ? this.t.staff.onShift().map((m) => m.userId) : [] };
    });
    if (!result) return null;
    if (result.alert.length > 0) await attempt(`a crisis alert for ${caseId}`, () => this.actions.crisisAlert(result.c, result.alert));
    await this.dispatcher.settle();
    return this.must(caseId);
  }

  /** Open means at least one companion or supervisor is on shift. */
  isOpen(): boolean {
    return this.t.staff.onShift().length > 0;
  }

  /** For the offer timer: expired offers are withdrawn and their cases routed on. */
  expireOffers(): Promise<void> {
    return this.dispatcher.expireOffers();
  }

  /** Routes waiting cases and sends queue updates that changed. */
  route(): Promise<void> {
    return this.dispatcher.settle();
  }

  private must(caseId: string): CaseRow {
    const c = this.t.cases.byId(caseId);
    if (!c) throw new RangeError(`no case ${caseId}`);
    return c;
  }
}

export function isQueued(c: CaseRow): boolean {
  return c.status === "waiting" || c.status === "offered";
}

function validTriage(u: TriageUpdate): CasePatch {
  const patch: CasePatch = {};
  const check = <T extends string>(key: keyof TriageUpdate, list: readonly T[], value: T | null | undefined) => {
    if (value === undefined) return;
    if (value !== null && !isOneOf(list, value)) throw new TypeError(`invalid ${key}`);
    (patch as Record<string, unknown>)[key] = value;
  };
  check("language", LANGUAGES, u.language);
  check("category", HARM_CATEGORIES, u.category);
  check("images", IMAGE_STATES, u.images);
  check("deadline", THREAT_DEADLINES, u.deadline);
  check("risk", RISK_LEVELS, u.risk);
  if (u.minor !== undefined) {
    if (u.minor !== null && typeof u.minor !== "boolean") throw new TypeError("invalid minor");
    patch.minor = u.minor;
  }
  if (u.priority !== undefined) {
    if (!Number.isSafeInteger(u.priority) || u.priority < 0) throw new TypeError("invalid priority");
    patch.priority = u.priority;
  }
  if (u.triageState !== undefined) patch.triageState = u.triageState;
  return patch;
}
