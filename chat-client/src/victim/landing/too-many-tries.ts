import { t } from "../../words/i18n.ts";
import { waitMinutes } from "../../words/wait-minutes.ts";

/**
 * The server refused for too many tries from this connection (429, others
 * behind the same address counting too) and asks to wait `waitMs`: said as
 * that, with the wait in whole minutes, never as "check your code" or "try
 * again in a moment".
 */
export function tooManyTriesText(waitMs: number): string {
  return t("tries.tooMany", { minutes: waitMinutes(waitMs) });
}
