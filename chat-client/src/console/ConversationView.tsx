import { createSignal, onCleanup, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { Composer } from "../chat/Composer.tsx";
import { MessageList, type NameOf } from "../chat/MessageList.tsx";
import { onRoomChanges } from "../chat/room-changes.ts";
import { findPending, newestFromOthers, othersTyping, readByOthers, timelineEvents } from "../chat/room-view.ts";
import { chatItems, type ChatItem } from "../chat/timeline.ts";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { AttachmentView } from "./AttachmentView.tsx";
import { CaseActions } from "./CaseActions.tsx";
import { ct } from "./ct.ts";
import type { StaffSession } from "./staff-session.ts";

/** One conversation: the triage summary pinned on top, the decrypted history since joining, typing, receipts. */
export function ConversationView(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; onLeft: () => void }) {
  const client = props.session.client;
  const me = props.session.login.userId;
  const [view, setView] = createStore<{ items: ChatItem[] }>({ items: [] });
  const [typing, setTyping] = createSignal(false);
  const [draftText, setDraftText] = createSignal("");
  const draft = { text: draftText, set: setDraftText };
  let lastReceipt: string | null = null;

  const refresh = () => {
    const room = client.getRoom(props.roomId);
    if (!room) return;
    // The bot's questions are the victim's to answer: no buttons here.
    const items = chatItems(timelineEvents(room), me, readByOthers(room, me)).map((item) => (item.kind === "prompt" ? { ...item, active: false } : item));
    setView("items", reconcile(items, { key: "id" }));
    setTyping(othersTyping(room, me));
    const newest = newestFromOthers(room, me);
    if (newest && newest.getId() !== lastReceipt && document.visibilityState === "visible") {
      lastReceipt = newest.getId() ?? null;
      void client.sendReadReceipt(newest).catch(() => undefined);
    }
  };
  onCleanup(onRoomChanges(client, refresh));
  refresh();
  // With lazy-loaded members the victim's membership may not have come with the join
  // (they spoke before the companion could see): load the members, so typing and names work.
  void client.getRoom(props.roomId)?.loadMembersIfNeeded().then(refresh).catch(() => undefined);

  const summary = () => {
    const card = view.items.find((item) => item.kind === "summary");
    return card?.kind === "summary" ? card.body : null;
  };
  const rest = () => view.items.filter((item) => item.kind !== "summary");
  const nameOf: NameOf = (m) => {
    if (m.sender === "me") return ct("conversation.you");
    if (m.sender === "bot") return ct("conversation.bot");
    if (m.senderId.startsWith("@v-")) return ct("conversation.victim");
    return client.getRoom(props.roomId)?.getMember(m.senderId)?.name ?? m.senderId;
  };
  const send = (body: string) => void client.sendMessage(props.roomId, { msgtype: "m.text", body } as never).catch(() => undefined);

  return (
    <section class="conversation" aria-label={ct("conversation.log")}>
      <Show when={summary()}>
        {(body) => (
          <div class="summary pinned">
            <h3>{ct("conversation.summary")}</h3>
            <p>{body()}</p>
          </div>
        )}
      </Show>
      <div class="conversation-log">
        <MessageList
          items={rest()}
          nameOf={nameOf}
          label={ct("conversation.log")}
          attachment={(m) => (m.attachment ? <AttachmentView attachment={m.attachment} accessToken={props.session.login.accessToken} /> : null)}
          actions={{
            answer: () => undefined,
            retry: (id) => {
              const room = client.getRoom(props.roomId);
              const event = room && findPending(room, id);
              if (room && event) void client.resendEvent(event, room).catch(() => undefined);
            },
          }}
        />
      </div>
      <p class="typing" role="status" aria-live="polite">{typing() ? ct("conversation.typing") : ""}</p>
      <CaseActions session={props.session} roomId={props.roomId} caseInfo={props.caseInfo} summary={summary()} draft={draft} onLeft={props.onLeft} />
      <Composer draft={draft} onSend={send} onTyping={(on) => void client.sendTyping(props.roomId, on, 6000).catch(() => undefined)} />
    </section>
  );
}
