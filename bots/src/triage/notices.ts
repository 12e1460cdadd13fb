/** What the bot tells the victim around triage: crisis lines, the queue, after hours, the hand-off. */
import { QUEUE_FIELD, type Language, type QueueContent } from "@onsafe/schema";
import { text } from "./messages.ts";
import { notice, type Outgoing } from "./outgoing.ts";

/** Crisis lines, "you are not alone", a companion is coming. Bilingual before a language is known. */
export function crisisMessage(lang: Language | null): Outgoing {
  return notice(text(lang, "crisis"));
}

/** Position 1 is next in line; the wait is rounded to minutes, or to hours from an hour on. */
export function queueNotice(lang: Language, position: number, expectedWaitMinutes: number | null): Outgoing {
  const parts = [
    position <= 1 ? text(lang, "queue.next") : text(lang, "queue.position", { position }),
    expectedWaitMinutes === null ? text(lang, "queue.waitUnknown") : text(lang, "queue.wait", { wait: duration(lang, expectedWaitMinutes) }),
    text(lang, "queue.meanwhile"),
  ];
  const field: QueueContent = { position, expected_wait_minutes: expectedWaitMinutes };
  return notice(parts.join(" "), { [QUEUE_FIELD]: field });
}

/** Nobody is on shift: says so, when it is expected to open (formatted by the caller), and the crisis lines. */
export function afterHours(lang: Language, nextOpening: string): Outgoing {
  return notice(text(lang, "afterHours", { nextOpening }));
}

/** When a victim's message could not be decrypted (its key never reached the bot). */
export function unreadableMessage(lang: Language): Outgoing {
  return notice(text(lang, "unreadable"));
}

export function handoffIntro(lang: Language): Outgoing {
  return notice(text(lang, "handoff"));
}

function duration(lang: Language, minutes: number): string {
  if (minutes < 60) {
    const n = Math.max(1, Math.round(minutes));
    return n === 1 ? text(lang, "wait.minute") : text(lang, "wait.minutes", { n });
  }
  const n = Math.round(minutes / 60);
  return n === 1 ? text(lang, "wait.hour") : text(lang, "wait.hours", { n });
}
