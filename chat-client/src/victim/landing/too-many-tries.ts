import { t } from "../../words/i18n.ts";

/**
 * The server refused for too many tries from this connection (429, others
 * behind the same address counting too) and asks to wait `waitMs`: said as
 * that, with the wait in whole minutes, never as "check your code" or "try
 * again in a moment".
 */
export function tooManyTriesText(waitMs: number): string {
  return t("tries.tooMany", { minutes: Math.max(1, Math.ceil(waitMs / 60_000)) });
}
