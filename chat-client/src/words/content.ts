/**
 * Crisis lines, bundled from the data file the triage bot also uses
 * (`bots/content/crisis-lines.json`, checked facts from CONTENT.md), so they show
 * on the landing page at once, even when the bots service is down.
 * `npm start` rebuilds the app when that file changes.
 */
import data from "../../../bots/content/crisis-lines.json";
import type { Lang } from "./strings.ts";

export interface CrisisLine {
  id: string;
  number: string;
  hours: string;
  name: Record<Lang, string>;
}

export const CRISIS_LINES: { checkedOn: string; lines: CrisisLine[] } = data;

/** `tel:` link for a number as printed (`02-735-8994`). */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^0-9+]/g, "")}`;
}
