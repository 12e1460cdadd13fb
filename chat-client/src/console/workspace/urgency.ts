/**
 * The order of "my conversations" (docs/CONSOLE.md "Workspace"): the most urgent first, so
 * the case that must not wait is at the top. Tiers: crisis, a threat due within 24 hours,
 * a minor, a victim waiting for a reply, the rest; an ended conversation last. Within a
 * tier, whoever has waited longest for a reply first, then the order the cases were taken.
 */
import type { ThreatDeadline } from "@onsafe/schema/triage";

export interface ListFacts {
  roomId: string;
  crisis: boolean;
  deadline: ThreatDeadline | null;
  minor: boolean | null;
  /** When the victim's oldest message not yet answered was sent (ms), or null when nothing waits for a reply. */
  waitingSince: number | null;
  ended: boolean;
}

export type Tier = "crisis" | "deadline" | "minor" | "waiting" | "rest" | "ended";
const TIERS: readonly Tier[] = ["crisis", "deadline", "minor", "waiting", "rest", "ended"];

export function tierOf(f: ListFacts): Tier {
  if (f.ended) return "ended";
  if (f.crisis) return "crisis";
  if (f.deadline === "within_24h") return "deadline";
  if (f.minor === true) return "minor";
  if (f.waitingSince !== null) return "waiting";
  return "rest";
}

/** `facts` in the order they were taken; returns their room ids, most urgent first. */
export function byUrgency(facts: readonly ListFacts[]): string[] {
  return facts
    .map((f, index) => ({ f, index, tier: TIERS.indexOf(tierOf(f)) }))
    .sort((a, b) => a.tier - b.tier || waited(a.f) - waited(b.f) || a.index - b.index)
    .map(({ f }) => f.roomId);
}

const waited = (f: ListFacts) => f.waitingSince ?? Number.POSITIVE_INFINITY;

/** When the victim started waiting: their first message after the last one from anyone else but a bot (ms), or null. */
export function waitingSince(messages: readonly { fromVictim: boolean; fromBot: boolean; ts: number }[]): number | null {
  let since: number | null = null;
  for (const m of messages) {
    if (m.fromBot) continue;
    if (!m.fromVictim) since = null;
    else since ??= m.ts;
  }
  return since;
}
