/** Times as victims and companions read them, in the service's time zone (`ONSAFE_TIME_ZONE`). */
import type { Language } from "@onsafe/schema";

const LOCALES: Record<Language, string> = { ko: "ko-KR", en: "en-GB" };
const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    formats.set(key, f);
  }
  return f;
}

/** The local date, `YYYY-MM-DD`: what "a day" means for visits per day. */
export function localDay(ts: number, timeZone: string): string {
  return format("en-CA", timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(ts);
}

/** "12월 3일 (목) 오후 2:00~4:00" / "Thu 3 Dec, 14:00–16:00". */
export function formatWhen(startsAt: number, endsAt: number, timeZone: string, lang: Language): string {
  const day = format(LOCALES[lang], timeZone, { month: lang === "ko" ? "long" : "short", day: "numeric", weekday: "short" }).format(startsAt);
  return lang === "ko"
    ? `${day} ${koreanTime(startsAt, timeZone)}~${koreanTime(endsAt, timeZone)}`
    : `${day}, ${clock(startsAt, timeZone)}–${clock(endsAt, timeZone)}`;
}

/** Hours and minutes of the local time. */
function hourMinute(ts: number, timeZone: string): { hour: number; minute: number } {
  const parts = format("en-GB", timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(ts);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get("hour"), minute: get("minute") };
}

function clock(ts: number, timeZone: string): string {
  const { hour, minute } = hourMinute(ts, timeZone);
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/** "오후 2:00": written out here, since the ICU data of a small Node build may say "PM". */
function koreanTime(ts: number, timeZone: string): string {
  const { hour, minute } = hourMinute(ts, timeZone);
  return `${hour < 12 ? "오전" : "오후"} ${hour % 12 === 0 ? 12 : hour % 12}:${String(minute).padStart(2, "0")}`;
}
