/**
 * Times in the service's time zone (`time_zone` of `GET me/availability`), not
 * the browser's: a companion travelling, or a laptop set to UTC, must still
 * see and enter the times the victim sees.
 */
import type { Lang } from "../../words/strings.ts";

// As the scheduling bot and the victim app write them (English on a 24-hour clock), so both sides read the same time.
const LOCALES: Record<Lang, string> = { ko: "ko-KR", en: "en-GB" };

function formatter(lang: Lang, timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone,
    ...(withDate ? { weekday: "short", month: "short", day: "numeric" } : {}),
    hour: "numeric",
    minute: "2-digit",
    hourCycle: lang === "ko" ? "h12" : "h23",
  } as const);
}

/** "Thu 3 Dec, 14:00–15:00" / "12월 3일 (목) 오후 2:00~3:00". */
export function formatSpan(startsAt: number, endsAt: number | null, timeZone: string, lang: Lang): string {
  const format = formatter(lang, timeZone, true);
  return endsAt === null ? format.format(startsAt) : format.formatRange(startsAt, endsAt);
}

/** Today's date in `timeZone` as `YYYY-MM-DD` (what a date input holds). */
export function todayIn(timeZone: string, now = Date.now()): string {
  const { year, month, day } = wallClock(now, timeZone);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The instant a wall clock in `timeZone` shows `date` (`YYYY-MM-DD`) at `time` (`HH:MM`); NaN for bad input. */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return Number.NaN;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  // The zone's offset at a first guess, then at the corrected instant (which differs only across a DST change).
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const c = wallClock(instant, timeZone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(instant / 1000) * 1000;
}

function wallClock(instant: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute"), second: part("second") };
}

const pad = (n: number) => String(n).padStart(2, "0");
