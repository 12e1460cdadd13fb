/**
 * A room as the console shows it, for a companion's case and a partner's
 * referral alike: one bot card pinned on top (the triage summary, or the
 * referral hand-off), then the decrypted history since joining, and whether
 * someone is typing. The caller adds its own actions and the composer.
 * The list stays at the newest message and read receipts cover only what was
 * on screen (`reading.ts`).
 */
import { createEffect, on, onMount, Show } from "solid-js";
import { MessageList, type NameOf } from "../../ui/MessageList.tsx";
import { lang } from "../../words/i18n.ts";
import { createLiveRoom, type LiveRoom } from "../../matrix/live-room.ts";
import { unreadEvents } from "../../matrix/room-view.ts";
import { isTriageSummaryContent, TRIAGE_SUMMARY_FIELD, type TriageSummaryContent } from "@onsafe/schema/events";
import { AttachmentView } from "./AttachmentView.tsx";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { summaryText } from "./triage-summary.ts";
import { cvt } from "./conversation-strings.ts";
import { createReading } from "./reading.ts";
import "./conversation-log.css";

/** The bot card a view pins: the companion's triage summary, the partner's hand-off. */
export type PinnedKind = "summary" | "handoff";

export interface ConsoleRoom {
  live: LiveRoom;
  pinnedKind: PinnedKind;
  /** The pinned card's text, once it is there and readable. */
  pinned: () => string | null;
  /** The triage summary's structured field, once it is there and readable (a companion's room). */
  summary: () => TriageSummaryContent | null;
}

export function createConsoleRoom(session: StaffSession, roomId: string, pinnedKind: PinnedKind): ConsoleRoom {
  const client = session.client;
  const live = createLiveRoom(client, () => roomId, session.login.userId, { promptButtons: false, receipts: "seen" });
  // With lazy-loaded members the others' memberships may not have come with the join
  // (they spoke before this user could see): load the members, so typing and names work.
  void client.getRoom(roomId)?.loadMembersIfNeeded().then(live.refresh).catch(() => undefined);
  // The newest: a case reopened after closing is handed off again, with a new summary below the old one.
  const card = () => live.items().findLast((item) => item.kind === pinnedKind);
  // The summary's readable body is for the victim (it says their answers were passed on); the field is the companion's.
  const summary = () => {
    const found = card();
    const field: unknown = found && pinnedKind === "summary" ? client.getRoom(roomId)?.findEventById(found.id)?.getContent()[TRIAGE_SUMMARY_FIELD] : undefined;
    return isTriageSummaryContent(field) ? field : null;
  };
  const pinned = () => {
    const found = card();
    if (found?.kind !== pinnedKind) return null;
    const field = summary();
    return field ? summaryText(field) : found.body;
  };
  return { live, pinnedKind, pinned, summary };
}

export function ConversationLog(props: {
  session: StaffSession;
  roomId: string;
  room: ConsoleRoom;
  pinnedTitle: string;
  /** How the victim is named here ("Victim" to a companion, "The person" to a partner). */
  victimName: string;
  typingText: string;
}) {
  const client = props.session.client;
  const nameOf: NameOf = (m) => {
    if (m.sender === "me") return ct("conversation.you");
    if (m.sender === "bot") return ct("conversation.bot");
    if (m.senderId.startsWith("@v-")) return props.victimName;
    return client.getRoom(props.roomId)?.getMember(m.senderId)?.name ?? m.senderId;
  };
  // The room's history is shared (docs/SHIFT.md "Transfer"): what was said before I joined and never shared
  // with me (the triage, to the first companion) is left out rather than shown as unreadable.
  const joinedAt = () => client.getRoom(props.roomId)?.getMember(props.session.login.userId)?.events.member?.getTs() ?? 0;
  const beforeMe = (id: string) => (client.getRoom(props.roomId)?.findEventById(id)?.getTs() ?? Infinity) < joinedAt();
  const rest = () => props.room.live.items().filter((item) => item.kind !== props.room.pinnedKind && !(item.kind === "unreadable" && beforeMe(item.id)));
  const me = props.session.login.userId;
  const reading = createReading({
    unread: () => {
      const room = client.getRoom(props.roomId);
      return room ? unreadEvents(room, me).map((event) => event.getId() ?? "") : [];
    },
    onSeen: (id) => props.room.live.seen(id),
  });
  let scroller!: HTMLDivElement;
  let content!: HTMLDivElement;
  onMount(() => reading.attach(scroller, content));
  // What the companion sends, they see: back to the newest (not when the conversation opens).
  const newestOwn = () => {
    const last = rest().at(-1);
    return last?.kind === "message" && last.sender === "me" ? last.id : null;
  };
  createEffect(on(newestOwn, (id, before) => { if (id && id !== before) reading.toNewest(); }, { defer: true }));
  createEffect(on(rest, reading.changed, { defer: true }));

  return (
    <>
      <Show when={props.room.pinned()}>
        {(body) => (
          <div class={`${props.room.pinnedKind} pinned`}>
            <h3>{props.pinnedTitle}</h3>
            <p>{body()}</p>
          </div>
        )}
      </Show>
      {/* Focusable: a long history scrolls here, and keyboard users must be able to scroll it too. */}
      <div class="conversation-log" tabindex="0" ref={scroller}>
        <div ref={content}>
          <MessageList
            items={rest()}
            nameOf={nameOf}
            label={ct("conversation.log")}
            time={(ts) => new Date(ts).toLocaleTimeString(lang() === "ko" ? "ko-KR" : "en-GB", { hour: "2-digit", minute: "2-digit" })}
            attachment={(m) => (m.attachment ? <AttachmentView attachment={m.attachment} accessToken={props.session.login.accessToken} /> : null)}
            actions={{ answer: () => undefined, retry: props.room.live.retry }}
          />
        </div>
        <Show when={reading.newBelow()}>
          <div class="new-messages">
            <button type="button" class="primary" onClick={() => reading.showNew()}>{cvt("reading.newMessages")} <span aria-hidden="true">↓</span></button>
          </div>
        </Show>
      </div>
      <p class="typing" role="status" aria-live="polite">{props.room.live.typing() ? props.typingText : ""}</p>
    </>
  );
}
