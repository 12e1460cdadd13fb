/**
 * A case's place in the queue comes from its priority (higher first), then its
 * arrival. Crisis outranks every triage answer; below it, the points add up so
 * that the most time-critical harm comes first (docs/QUEUE.md).
 */
import type { CaseRow } from "../storage/index.ts";

export const CRISIS_PRIORITY = 1000;

export function triagePriority(c: Pick<CaseRow, "crisis" | "deadline" | "risk" | "minor" | "images">): number {
  if (c.crisis) return CRISIS_PRIORITY;
  let points = 0;
  if (c.deadline === "within_24h") points += 40;
  else if (c.deadline === "within_week") points += 15;
  if (c.risk === "high" || c.risk === "moderate") points += 30;
  else if (c.risk === "low") points += 10;
  if (c.minor === true) points += 20;
  if (c.images === "spread") points += 10;
  return points;
}
