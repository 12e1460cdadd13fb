/** What the bot tells the victim around triage: crisis lines, urgent steps, the queue, after hours, the hand-off. */
import { CALL_FIELD, CHAT_CLOSED_FIELD, type ChatClosedContent, QUEUE_FIELD, type Language, type QueueContent } from "@onsafe/schema";
import { callLines, type CallKind, text } from "./messages.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";

/** When the service is expected to open again, in words, per language (the caller formats it). */
export type NextOpening = (lang: Language) => string;

/**
 * Crisis lines as text and as call buttons, "you are not alone". While someone
 * is on shift, a counsellor is being called. After hours (`closed`) nothing
 * promises a person; `closed.nextOpening` adds when it opens, unless the victim
 * was told already (null).
 */
export function crisisMessage(lang: Language | null, closed?: { nextOpening: NextOpening | null }): Outgoing {
  if (!closed) return withCalls("crisis", lang, text(lang, "crisis"));
  const opening = closed.nextOpening;
  return withCalls("crisis", lang, inLanguage(lang, (l) => [text(l, "crisisClosed"), ...(opening ? [text(l, "closedNote", { nextOpening: opening(l) })] : [])].join("\n\n")));
}

/** Three steps for a threat due within 24 hours: don't pay or reply, keep the evidence, help is coming (or: call 1366 now). */
export function threatSteps(lang: Language | null, closed?: { nextOpening: NextOpening }): Outgoing {
  if (!closed) return withCalls("threat", lang, text(lang, "threatSteps"));
  return withCalls("threat", lang, inLanguage(lang, (l) => text(l, "threatStepsClosed", { nextOpening: closed.nextOpening(l) })));
}

/** Nobody is on shift: says so once, when it is expected to open, that a message can be left, and the crisis lines. */
export function afterHours(lang: Language | null, nextOpening: NextOpening): Outgoing {
  return withCalls("crisis", lang, inLanguage(lang, (l) => `${text(l, "closedNote", { nextOpening: nextOpening(l) })}\n${text(l, "dangerLines")}`));
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

/**
 * The counsellor closed the case: the chat has ended, writing here brings a
 * counsellor back, and the crisis lines as call buttons (docs/SHIFT.md "Closing").
 * `org.onsafe.chat_closed` lets the app draw it as the chat's end.
 */
export function chatClosedNotice(lang: Language): Outgoing {
  const closed: ChatClosedContent = {};
  return notice(text(lang, "chatClosed"), { [CALL_FIELD]: callLines("crisis", lang), [CHAT_CLOSED_FIELD]: closed });
}

/** When a victim's message could not be decrypted (its key never reached the bot). */
export function unreadableMessage(lang: Language): Outgoing {
  return notice(text(lang, "unreadable"));
}

export function handoffIntro(lang: Language): Outgoing {
  return notice(text(lang, "handoff"));
}

/** The body keeps its numbers as plain digits (the app links them); the buttons come from `org.onsafe.call`. */
function withCalls(kind: CallKind, lang: Language | null, body: string): Outgoing {
  return notice(body, { [CALL_FIELD]: callLines(kind, lang) });
}

/** A text in `lang`, or in both (Korean first) before a language is known. */
function inLanguage(lang: Language | null, write: (lang: Language) => string): string {
  return lang === null ? `${write("ko")}\n\n${write("en")}` : write(lang);
}

function duration(lang: Language, minutes: number): string {
  if (minutes < 60) {
    const n = Math.max(1, Math.round(minutes));
    return n === 1 ? text(lang, "wait.minute") : text(lang, "wait.minutes", { n });
  }
  const n = Math.round(minutes / 60);
  return n === 1 ? text(lang, "wait.hour") : text(lang, "wait.hours", { n });
}
