/**
 * Turns the room's events into what the chat screen shows: messages, triage
 * prompts with their options, the queue notice (with its latest `m.replace`
 * edit applied), the triage summary, appointment cards, the referral
 * letter and hand-off, and a bot's call buttons. Pure: a function of the events.
 */
import { BOT_LOCALPARTS } from "@onsafe/schema/account-kinds";
import { CALL_FIELD, type CallLine, CHAT_CLOSED_FIELD, isCallLines, isChatClosedContent, isPromptContent, isQueueContent, PROMPT_FIELD, QUEUE_FIELD, TRIAGE_SUMMARY_FIELD } from "@onsafe/schema/events";
import { isVisitContent, VISIT_FIELD, type VisitContent } from "@onsafe/schema/scheduling";
import { isHandoff, referralOf } from "./referrals.ts";
import { linkVisits } from "./visits.ts";

/** Me, a bot, or another person (the companion in the victim app; the victim or a colleague in the console). */
export type Sender = "me" | "other" | "bot";
export type Delivery = "sent" | "sending" | "failed";

export interface TimelineEvent {
  id: string;
  sender: string;
  ts: number;
  type: string;
  /** Decrypted content (null when this device cannot decrypt it, e.g. before joining). */
  content: Record<string, unknown> | null;
  /** Without content: its keys may still arrive (being decrypted, or not waited for long enough). */
  opening?: boolean;
  delivery: Delivery;
}

/** An encrypted attachment's `file` (Client-Server API "Sending encrypted attachments"). */
export interface EncryptedFile {
  url: string;
  key: JsonWebKey;
  iv: string;
  hashes: { sha256: string };
}

export interface Attachment {
  kind: "image" | "video" | "file";
  mimetype: string | null;
  file: EncryptedFile;
}

export type ChatItem =
  | { kind: "message"; id: string; sender: Sender; senderId: string; body: string; ts: number; delivery: Delivery; read: boolean; answers?: string; attachment?: Attachment; calls?: CallLine[] }
  | { kind: "prompt"; id: string; body: string; promptId: string; options: { id: string; label: string }[]; active: boolean }
  | { kind: "queue"; id: string; position: number; waitMinutes: number | null }
  | { kind: "summary"; id: string; body: string }
  /** The triage bot's word that a counsellor closed the chat and writing here brings one back (docs/SHIFT.md "Closing"), with the lines to call. */
  | { kind: "closed"; id: string; calls?: CallLine[] }
  /** The referral bot's hand-off: the items the victim agreed to share, for the partner's staff (the console pins it). */
  | { kind: "handoff"; id: string; body: string }
  | VisitItem
  | LetterItem
  /** `opening`: its keys may still come ("still opening"), else it can't be read here. */
  | { kind: "unreadable"; id: string; sender: Sender; opening: boolean };

export interface ChatItemOptions {
  /**
   * The victim's view: once a counsellor is in the room (joined or wrote), the
   * questions asked before are over and so is the place in line (issue 18).
   */
  counsellorEndsTriage?: boolean;
}

/**
 * A scheduling bot's confirmation, reminder or cancellation (docs/SCHEDULING.md),
 * drawn as a card. A confirmation also asks "change or cancel?" (`prompt`) and
 * is followed by its `.ics` file (`calendar`); `status` says whether a later
 * message changed or cancelled it.
 */
export interface VisitItem {
  kind: "visit";
  id: string;
  body: string;
  visit: VisitContent;
  prompt?: { promptId: string; options: { id: string; label: string }[] };
  active: boolean;
  calendar?: Attachment;
  status: "current" | "changed" | "cancelled";
}

/**
 * The referral bot's letter (docs/REFERRALS.md), for a partner the victim
 * contacts themselves; it also offers "Withdraw my consent" (`prompt`). The
 * same letter as a PDF follows it (`pdf`).
 */
export interface LetterItem {
  kind: "letter";
  id: string;
  body: string;
  prompt?: { promptId: string; options: { id: string; label: string }[] };
  active: boolean;
  withdrawn: boolean;
  pdf?: Attachment;
}

/** Stages drawn as cards; a proposal is an ordinary question with its times as buttons. */
const CARD_STAGES = new Set<string>(["confirmed", "reminder", "cancelled"]);

const BOTS = new Set<string>(Object.values(BOT_LOCALPARTS));

export function senderKind(userId: string, me: string): Sender {
  if (userId === me) return "me";
  const localpart = userId.slice(1, userId.indexOf(":"));
  return BOTS.has(localpart) ? "bot" : "other";
}

/** `readUpTo` is the id of the newest own event another person has read, if any. */
export function chatItems(events: TimelineEvent[], me: string, readUpTo: string | null, options: ChatItemOptions = {}): ChatItem[] {
  const edits = latestEdits(events);
  const items: ChatItem[] = [];
  let lastBotIndex = -1;
  let lastPromptIndex = -1;
  const readIndex = readUpTo ? events.findIndex((e) => e.id === readUpTo) : -1;
  let withdrawn = false;
  /** Where a counsellor came in (items before it are the triage's), when that ends the triage; a closing starts the count again. */
  let counsellorFrom = -1;
  /** Places in line told before the chat was last closed: over, whoever comes next. */
  const staleQueue = new Set<string>();

  events.forEach((event, index) => {
    const sender = senderKind(event.sender, me);
    if (options.counsellorEndsTriage && counsellorFrom === -1 && sender === "other" && isArrival(event)) counsellorFrom = items.length;
    if (event.type !== "m.room.message" && event.type !== "m.room.encrypted") return;
    const content = event.content;
    if (!content) {
      items.push({ kind: "unreadable", id: event.id, sender, opening: event.opening === true });
      return;
    }
    if (isEdit(content)) return;
    const shown = edits.get(event.id) ?? content;
    const body = typeof shown.body === "string" ? shown.body : "";
    if (sender === "me") {
      const answer = content["org.onsafe.answer"] as { prompt_id?: unknown } | undefined;
      const answers = typeof answer?.prompt_id === "string" ? answer.prompt_id : undefined;
      items.push({ kind: "message", id: event.id, sender, senderId: event.sender, body, ts: event.ts, delivery: event.delivery, read: event.delivery === "sent" && index <= readIndex, answers });
      return;
    }
    const attachment = attachmentOf(shown);
    const visit = sender === "bot" && !attachment && isVisitContent(shown[VISIT_FIELD]) && CARD_STAGES.has(shown[VISIT_FIELD].stage) ? shown[VISIT_FIELD] : undefined;
    const referral = sender === "bot" ? referralOf(shown) : undefined;
    if (referral?.stage === "status" && referral.status === "withdrawn") withdrawn = true;
    // A file, a reminder, a place in line or a referral's hand-off adds to what the bot asked last; the question's buttons stay.
    const aside = attachment || visit?.stage === "reminder" || isHandoff(referral) || isQueueContent(shown[QUEUE_FIELD]);
    if (sender === "bot" && !aside) lastBotIndex = items.length;
    const prompt = isPromptContent(shown[PROMPT_FIELD]) ? shown[PROMPT_FIELD] : undefined;
    const letterIndex = attachment && referral?.stage === "letter" ? items.findLastIndex((item) => item.kind === "letter") : -1;
    if (letterIndex !== -1) {
      // The letter as a PDF, sent right after it: a button on the letter's card, not a message of its own.
      items[letterIndex] = { ...(items[letterIndex] as LetterItem), pdf: attachment };
    } else if (referral?.stage === "letter" && !attachment) {
      if (prompt) lastPromptIndex = items.length;
      items.push({ kind: "letter", id: event.id, body: withoutOptionList(body), prompt: prompt && { promptId: prompt.id, options: prompt.options }, active: false, withdrawn: false });
    } else if (visit) {
      if (prompt) lastPromptIndex = items.length;
      items.push({ kind: "visit", id: event.id, body: withoutOptionList(body), visit, prompt: prompt && { promptId: prompt.id, options: prompt.options }, active: false, status: "current" });
    } else if (prompt) {
      lastPromptIndex = items.length;
      items.push({ kind: "prompt", id: event.id, body: withoutOptionList(body), promptId: prompt.id, options: prompt.options, active: false });
    } else if (isQueueContent(shown[QUEUE_FIELD])) {
      const queue = shown[QUEUE_FIELD];
      items.push({ kind: "queue", id: event.id, position: queue.position, waitMinutes: queue.expected_wait_minutes });
    } else if (isHandoff(referral)) {
      // Posted again when partner staff join (for devices the first could not reach): shown once.
      if (!items.some((item) => item.kind === "handoff")) items.push({ kind: "handoff", id: event.id, body });
    } else if (shown[TRIAGE_SUMMARY_FIELD] !== undefined) {
      items.push({ kind: "summary", id: event.id, body });
    } else if (sender === "bot" && isChatClosedContent(shown[CHAT_CLOSED_FIELD])) {
      // After a closing the victim may write again and wait for a counsellor anew: a new place in line shows, until one comes.
      for (const item of items) if (item.kind === "queue") staleQueue.add(item.id);
      counsellorFrom = -1;
      items.push({ kind: "closed", id: event.id, ...(isCallLines(shown[CALL_FIELD]) ? { calls: shown[CALL_FIELD] } : {}) });
    } else {
      const calls = sender === "bot" && isCallLines(shown[CALL_FIELD]) ? shown[CALL_FIELD] : undefined;
      items.push({ kind: "message", id: event.id, sender, senderId: event.sender, body, ts: event.ts, delivery: event.delivery, read: false, attachment, ...(calls ? { calls } : {}) });
    }
  });

  // Buttons only for the bot's latest message, if it is a prompt not yet answered by a button.
  const last = items[lastPromptIndex];
  const lastPromptId = last?.kind === "prompt" ? last.promptId : last?.kind === "visit" || last?.kind === "letter" ? last.prompt?.promptId : undefined;
  const askedBeforeCounsellor = counsellorFrom !== -1 && lastPromptIndex < counsellorFrom;
  if (last && lastPromptId !== undefined && lastPromptIndex === lastBotIndex && !askedBeforeCounsellor && !answeredAfter(items, lastPromptIndex, lastPromptId)) {
    items[lastPromptIndex] = { ...last, active: true } as ChatItem;
    // The place in line posted after the question goes above it: the buttons stay next to the message box.
    const queued = items.slice(lastPromptIndex + 1).filter((item) => item.kind === "queue");
    if (queued.length > 0) {
      const rest = items.splice(lastPromptIndex).filter((item) => item.kind !== "queue");
      items.push(...queued, ...rest);
    }
  }
  // A place in line posted as the counsellor came (a fast accept) is as stale as the ones before.
  const shown = items.filter((item) => item.kind !== "queue" || (counsellorFrom === -1 && !staleQueue.has(item.id)));
  const linked = linkVisits(shown);
  return withdrawn ? linked.map((item) => (item.kind === "letter" ? { ...item, withdrawn } : item)) : linked;
}

const ATTACHMENT_KINDS = { "m.image": "image", "m.video": "video", "m.file": "file" } as const;

/** The encrypted file of an `m.image`, `m.video` or `m.file` message, if it is well formed. */
export function attachmentOf(content: Record<string, unknown>): Attachment | undefined {
  const kind = ATTACHMENT_KINDS[content.msgtype as keyof typeof ATTACHMENT_KINDS];
  const file = content.file as Partial<EncryptedFile> | undefined;
  if (!kind || !file || typeof file.url !== "string" || !file.url.startsWith("mxc://") || typeof file.iv !== "string"
    || typeof file.hashes?.sha256 !== "string" || typeof file.key !== "object" || file.key === null) return undefined;
  const info = content.info as { mimetype?: unknown } | undefined;
  return { kind, mimetype: typeof info?.mimetype === "string" ? info.mimetype : null, file: file as EncryptedFile };
}

/** A button answer sent after this asking (the bot may ask the same prompt again). */
function answeredAfter(items: ChatItem[], from: number, promptId: string): boolean {
  return items.slice(from + 1).some((item) => item.kind === "message" && item.answers === promptId);
}

/** Someone joining the room, or writing in it. */
function isArrival(event: TimelineEvent): boolean {
  if (event.type === "m.room.member") return event.content?.membership === "join";
  return event.type === "m.room.message" || event.type === "m.room.encrypted";
}

function isEdit(content: Record<string, unknown>): boolean {
  const relation = content["m.relates_to"] as { rel_type?: unknown } | undefined;
  return relation?.rel_type === "m.replace";
}

/** For each edited event, the newest replacement content by the same sender. */
function latestEdits(events: TimelineEvent[]): Map<string, Record<string, unknown>> {
  const senders = new Map(events.map((e) => [e.id, e.sender]));
  const edits = new Map<string, Record<string, unknown>>();
  for (const event of events) {
    const content = event.content;
    if (!content || !isEdit(content)) continue;
    const target = (content["m.relates_to"] as { event_id?: unknown }).event_id;
    const replacement = content["m.new_content"];
    if (typeof target !== "string" || senders.get(target) !== event.sender) continue;
    if (replacement && typeof replacement === "object") edits.set(target, replacement as Record<string, unknown>);
  }
  return edits;
}

/** Prompts end with their numbered options; the buttons show those instead. */
export function withoutOptionList(body: string): string {
  const blocks = body.split("\n\n");
  const lastBlock = blocks[blocks.length - 1] ?? "";
  const isList = blocks.length > 1 && lastBlock.split("\n").every((line) => /^\d+\.\s/.test(line));
  return (isList ? blocks.slice(0, -1) : blocks).join("\n\n");
}
