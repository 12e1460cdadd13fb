/**
 * When the service is next expected to open, in words for the after-hours
 * message. The service is open whenever a companion is on shift; the
 * timetable only says when that usually is (DESIGN.md "Conversation flow" 5).
 */
import type { Language } from "@onsafe/schema";
import type { ServiceHours } from "../config.ts";

const LOCALES: Record<Language, string> = { ko: "ko-KR", en: "en-GB" };
const DAY_MS = 24 * 60 * 60 * 1000;

/** The next opening time after `now` (ms), formatted in `lang` in the service's time zone. */
export function nextOpening(hours: ServiceHours, now: number, lang: Language): string {
  const [openH, openM] = hours.opens.split(":").map(Number) as [number, number];
  for (let day = 0; day <= 7; day++) {
    const local = localParts(now + day * DAY_MS, hours.timeZone);
    if (!hours.days.includes(local.weekday)) continue;
    // Already past today's opening (in the usual hours, yet nobody on shift): the next usual opening is the honest answer.
    if (day === 0 && local.hour * 60 + local.minute >= openH * 60 + openM) continue;
    const zone = hours.timeZone !== "Asia/Seoul" ? hours.timeZone : lang === "ko" ? "한국 시간" : "Korea time";
    if (day === 0) return lang === "ko" ? `오늘 ${hours.opens} (${zone})` : `today at ${hours.opens} (${zone})`;
    const when = new Intl.DateTimeFormat(LOCALES[lang], { weekday: "long", timeZone: hours.timeZone }).format(now + day * DAY_MS);
    return lang === "ko" ? `${when} ${hours.opens} (${zone})` : `${when} at ${hours.opens} (${zone})`;
  }
  return lang === "ko" ? "곧" : "soon";
}

function localParts(at: number, timeZone: string): { weekday: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return { weekday, hour: Number(get("hour")), minute: Number(get("minute")) };
}
