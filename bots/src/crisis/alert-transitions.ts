/**
 * A crisis alert raised and ended, as the queue's own transitions do it:
 * synchronous, inside the caller's transaction (docs/CRISIS.md "The alert").
 */
import { randomInt } from "node:crypto";
import type { AlertResolution } from "@onsafe/schema";
import type { BotsTables, CrisisAlert } from "../storage/index.ts";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
export const ALERT_ID_PATTERN = /^a_[a-z2-7]{16}$/;

export function newAlertId(): string {
  let id = "a_";
  for (let i = 0; i < 16; i++) id += BASE32[randomInt(BASE32.length)];
  return id;
}

/** Raises an alert for the case at level 0, unless one is open already (then null). */
export function raiseAlert(t: BotsTables, caseId: string, now: number): CrisisAlert | null {
  if (t.crisisAlerts.openFor(caseId)) return null;
  const id = newAlertId();
  t.crisisAlerts.insert({ id, caseId, raisedAt: now });
  t.log.add(caseId, "alert_raised", null, now);
  return t.crisisAlerts.byId(id)!;
}

/**
 * The case was taken (`by` took it) or closed: its open alert, if any, ends
 * without an acknowledgement; the case log already says who took or closed it.
 */
export function resolveAlert(t: BotsTables, caseId: string, resolution: Exclude<AlertResolution, "acknowledged">, by: string | null, now: number): void {
  const open = t.crisisAlerts.openFor(caseId);
  if (open) t.crisisAlerts.resolve(open.id, resolution, resolution === "taken" ? by : null, now);
}
