/**
 * A page: the fixed words and ids the triage bot sends to a staff member's
 * pager room (docs/CRISIS.md "The alert"). Never the victim's words, category
 * or anything else about the case; the console opens the case by its id.
 */
import type { CrisisAlert } from "../storage/index.ts";

export interface Page {
  caseId: string;
  alertId: string;
  level: number;
}

/** Carries pages to people (triage-bot/pager-rooms.ts). One person's failure must not cost the others their page. */
export interface Pager {
  page(userIds: string[], page: Page): Promise<void>;
}

export function pageOf(a: CrisisAlert, level: number): Page {
  return { caseId: a.caseId, alertId: a.id, level };
}

// review: unreviewed wording (issue 22)
export function pageBody(p: Page): string {
  return `위기 알림: 사례 ${p.caseId} 응답이 필요해요. / Crisis alert: case ${p.caseId} needs someone now.`;
}

/** The page's machine-readable part, `org.onsafe.alert`. */
export function pageAlert(p: Page): { kind: "crisis"; case_id: string; alert_id: string; level: number } {
  return { kind: "crisis", case_id: p.caseId, alert_id: p.alertId, level: p.level };
}
