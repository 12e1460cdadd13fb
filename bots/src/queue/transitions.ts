/**
 * The transitions both the triage bot and staff cause: a case goes to a
 * companion, a case closes, a closed case reopens. Synchronous (call inside a transaction); they
 * return the invites to withdraw, which the caller does after the commit.
 */
import type { CaseOutcome } from "@onsafe/schema";
import { resolveAlert } from "../crisis/alert-transitions.ts";
import type { BotsTables, CaseRow } from "../storage/index.ts";

/** A companion's invite to a case's room: one to send, or one to withdraw. */
export interface CaseInvite {
  c: CaseRow;
  companionId: string;
}

/** Assigns `c` to `userId`: their pending offer is accepted, anyone else's withdrawn, its crisis alert ends (taken). */
export function assign(t: BotsTables, c: CaseRow, userId: string, actor: string, now: number): { c: CaseRow; withdraw: CaseInvite[]; wasOffered: boolean } {
  const withdraw: CaseInvite[] = [];
  const pending = t.offers.pendingFor(c.id);
  const wasOffered = pending?.companionId === userId;
  if (pending) {
    t.offers.resolve(pending.id, wasOffered ? "accepted" : "withdrawn", now);
    if (!wasOffered) withdraw.push({ c, companionId: pending.companionId });
  }
  t.cases.update(c.id, { status: "assigned", assignedTo: userId, assignedAt: now });
  t.staff.setLastAssigned(userId, now);
  t.log.add(c.id, "assigned", actor, now);
  resolveAlert(t, c.id, "taken", userId, now);
  return { c: t.cases.byId(c.id)!, withdraw, wasOffered };
}

/** Closes `c` with `outcome`; a pending offer is withdrawn, its crisis alert ends (closed). */
export function close(t: BotsTables, c: CaseRow, outcome: CaseOutcome, actor: string | null, now: number): { c: CaseRow; withdraw: CaseInvite[] } {
  const withdraw: CaseInvite[] = [];
  const pending = t.offers.pendingFor(c.id);
  if (pending) {
    t.offers.resolve(pending.id, "withdrawn", now);
    withdraw.push({ c, companionId: pending.companionId });
  }
  t.cases.update(c.id, { status: "closed", closedAt: now, outcome });
  t.log.add(c.id, "closed", actor, now);
  resolveAlert(t, c.id, "closed", actor, now);
  return { c: t.cases.byId(c.id)!, withdraw };
}

/**
 * A closed case's victim wrote again (docs/QUEUE.md "After closing"): the same
 * case goes back to the queue, as new to it (queued now, no companion, no
 * hand-off yet, nothing told). Its triage results and crisis flag stay; the
 * notes start again, so the next summary holds what was written since.
 * A case its victim left (`victim_left`) never comes back.
 */
export function reopen(t: BotsTables, c: CaseRow, now: number): CaseRow | null {
  if (c.status !== "closed" || c.outcome === "victim_left") return null;
  t.cases.update(c.id, {
    status: "waiting", queuedAt: now, assignedTo: null, assignedAt: null, handedOffAt: null, closedAt: null, outcome: null,
    notedEventIds: [], queueNoticeEventId: null, lastPosition: null, lastWaitMinutes: null,
  });
  t.log.add(c.id, "reopened", null, now);
  return t.cases.byId(c.id)!;
}
