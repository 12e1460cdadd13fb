/**
 * The staff directory: who may take cases, in which languages, how many at a
 * time, and who is on shift. Coming on shift routes waiting cases (this is how
 * cases left after hours reach someone); going off withdraws pending offers.
 */
import { isOneOf, type StaffKind, STAFF_KINDS } from "@onsafe/schema";
import type { BotsTables, StaffMember } from "../storage/index.ts";
import type { Clock } from "./clock.ts";
import type { Dispatcher } from "./dispatcher.ts";

export const MAX_CAPACITY = 50;

/** A language a staff member speaks, as a code such as `ko` or `en`. */
export const isLanguageCode = (code: string) => /^[a-z]{2,3}$/.test(code);
/** How many cases at once someone may take. */
export const isCapacity = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_CAPACITY;

export interface StaffInput {
  userId: string;
  kind: StaffKind;
  /** Fields left out keep their current value (for a new member: none, no languages, the default capacity). */
  displayName?: string | null;
  languages?: string[];
  capacity?: number;
}

export class StaffDirectory {
  constructor(
    private readonly t: BotsTables,
    private readonly clock: Clock,
    private readonly dispatcher: Dispatcher,
    private readonly defaultCapacity: number,
  ) {}

  async addOrUpdateStaff(input: StaffInput): Promise<StaffMember> {
    if (!/^@[^:\s]+:\S+$/.test(input.userId)) throw new TypeError("not a user id");
    if (!isOneOf(STAFF_KINDS, input.kind)) throw new TypeError("not a staff kind");
    const current = this.t.staff.get(input.userId);
    const languages = input.languages ?? current?.languages ?? [];
    if (!languages.every(isLanguageCode)) throw new TypeError("languages must be codes such as ko, en");
    const capacity = input.capacity ?? current?.capacity ?? this.defaultCapacity;
    if (!isCapacity(capacity)) throw new TypeError(`capacity must be 0-${MAX_CAPACITY}`);
    const displayName = input.displayName !== undefined ? input.displayName : current?.displayName ?? null;
    this.t.staff.upsert({ userId: input.userId, kind: input.kind, displayName, languages: [...new Set(languages)], capacity });
    const member = this.t.staff.get(input.userId)!;
    if (member.onShift) await this.dispatcher.settle();
    return member;
  }

  get(userId: string): StaffMember | undefined {
    return this.t.staff.get(userId);
  }

  list(): StaffMember[] {
    return this.t.staff.all();
  }

  /** Open cases assigned to the member plus their pending offers. */
  load(userId: string): number {
    return (this.t.cases.assignedCounts().get(userId) ?? 0) + this.t.offers.pendingTo(userId).length;
  }

  /** Starts or ends a shift. Setting the current state again changes nothing. */
  async setShift(userId: string, onShift: boolean): Promise<StaffMember> {
    const withdrawn = this.t.db.transaction(() => {
      const member = this.t.staff.get(userId);
      if (!member) throw new RangeError("not a staff member");
      if (member.onShift === onShift) return null;
      const now = this.clock.now();
      this.t.staff.setShift(userId, onShift, now);
      if (onShift) return [];
      // Someone going home should not hold a victim's offer until it times out.
      return this.t.offers.pendingTo(userId).map((offer) => {
        this.t.offers.resolve(offer.id, "withdrawn", now);
        this.t.cases.update(offer.caseId, { status: "waiting" });
        return { c: this.t.cases.byId(offer.caseId)!, companionId: userId };
      });
    });
    if (withdrawn) {
      await this.dispatcher.withdrawAll(withdrawn);
      await this.dispatcher.settle();
    }
    return this.t.staff.get(userId)!;
  }

  /** Joins or leaves the on-call list: paged off shift when a crisis alert reaches level 2 (docs/CRISIS.md). */
  setOnCall(userId: string, onCall: boolean): StaffMember {
    if (!this.t.staff.get(userId)) throw new RangeError("not a staff member");
    this.t.staff.setOnCall(userId, onCall);
    return this.t.staff.get(userId)!;
  }
}
