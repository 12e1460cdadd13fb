/**
 * How an appointment card's time reads (docs/SCHEDULING.md): in the
 * service's time zone, whatever zone the phone is in. Pure, so both languages
 * are unit-tested.
 */
import type { VisitContent } from "@onsafe/schema/scheduling";
import type { Lang } from "../../words/strings.ts";

// As the scheduling bot writes times (bots/src/scheduling/calendar.ts): 오전/오후 in Korean, 24 hours in English.
const LOCALES: Record<Lang, string> = { ko: "ko-KR", en: "en-GB" };

/**
 * "11월 27일 (금) 오후 2:00~3:00" / "Fri 27 November, 14:00–15:00"; the
 * zone is named when the phone is set to another one.
 */
export function visitTimes(visit: VisitContent, lang: Lang, deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone): string | null {
  if (visit.starts_at === undefined) return null;
  const timeZone = visit.time_zone ?? deviceZone;
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone,
    weekday: "short",
    month: "long",
    day: "numeric",
    hour: lang === "ko" ? "numeric" : "2-digit",
    minute: "2-digit",
    hourCycle: lang === "ko" ? "h12" : "h23",
    ...(timeZone === deviceZone ? {} : { timeZoneName: "short" as const }),
  });
  const parts = visit.ends_at === undefined ? format.formatToParts(visit.starts_at) : format.formatRangeToParts(visit.starts_at, visit.ends_at);
  return parts.map((part) => (part.type === "dayPeriod" && lang === "ko" ? (KO_DAY_PERIODS[part.value] ?? part.value) : part.value)).join("");
}

/** Newer ICU data (78) writes "PM" in Korean times; people read 오전/오후, as the bot writes them. */
const KO_DAY_PERIODS: Record<string, string> = { AM: "오전", PM: "오후" };
