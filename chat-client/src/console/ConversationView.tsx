import { createSignal, Show } from "solid-js";
import { Composer } from "../chat/Composer.tsx";
import { MessageList, type NameOf } from "../chat/MessageList.tsx";
import { createLiveRoom } from "../chat/live-room.ts";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { AttachmentView } from "./AttachmentView.tsx";
import { createCaseReferrals } from "./case-referrals.ts";
import { CaseActions } from "./CaseActions.tsx";
import { ct } from "./ct.ts";
import { ReferralList } from "./ReferralList.tsx";
import type { StaffSession } from "./staff-session.ts";
import { createVisitRequest } from "./visit-request.ts";

/** One conversation: the triage summary pinned on top, the decrypted history since joining, typing, receipts. */
export function ConversationView(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; onLeft: () => void }) {
  const client = props.session.client;
  const me = props.session.login.userId;
  const live = createLiveRoom(client, () => props.roomId, me, { promptButtons: false });
  const [draftText, setDraftText] = createSignal("");
  const draft = { text: draftText, set: setDraftText };
  // With lazy-loaded members the victim's membership may not have come with the join
  // (they spoke before the companion could see): load the members, so typing and names work.
  void client.getRoom(props.roomId)?.loadMembersIfNeeded().then(live.refresh).catch(() => undefined);

  const summary = () => {
    const card = live.items().find((item) => item.kind === "summary");
    return card?.kind === "summary" ? card.body : null;
  };
  const rest = () => live.items().filter((item) => item.kind !== "summary");
  const nameOf: NameOf = (m) => {
    if (m.sender === "me") return ct("conversation.you");
    if (m.sender === "bot") return ct("conversation.bot");
    if (m.senderId.startsWith("@v-")) return ct("conversation.victim");
    return client.getRoom(props.roomId)?.getMember(m.senderId)?.name ?? m.senderId;
  };
  const visit = createVisitRequest(props.session.ops, () => props.caseInfo);
  const referrals = createCaseReferrals(props.session.ops, () => props.caseInfo);
  const send = (body: string) => {
    if (referrals.command(body)) return;
    if (visit.command(body)) {
      // The composer empties itself after this; an unknown kind comes back to be corrected.
      if (visit.notice()?.ok === false) queueMicrotask(() => draft.set(body));
      return;
    }
    void client.sendMessage(props.roomId, { msgtype: "m.text", body } as never).catch(() => undefined);
  };

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
          actions={{ answer: () => undefined, retry: live.retry }}
        />
      </div>
      <p class="typing" role="status" aria-live="polite">{live.typing() ? ct("conversation.typing") : ""}</p>
      <CaseActions session={props.session} roomId={props.roomId} caseInfo={props.caseInfo} summary={summary()} draft={draft} visit={visit} referrals={referrals} onLeft={props.onLeft} />
      <p class="visit-notice" role="status">
        <Show when={visit.notice()?.ok}>{visit.notice()?.text}</Show>
      </p>
      <Show when={visit.notice()?.ok === false}>
        <p class="visit-notice error" role="alert">{visit.notice()?.text}</p>
      </Show>
      <p class="referral-notice" role="status">
        <Show when={referrals.notice()?.ok}>{referrals.notice()?.text}</Show>
      </p>
      <Show when={referrals.notice()?.ok === false}>
        <p class="referral-notice error" role="alert">{referrals.notice()?.text}</p>
      </Show>
      <Composer draft={draft} onSend={send} onTyping={live.sendTyping} />
      <Show when={referrals.state.referrals.length > 0 || referrals.news().length > 0}>
        <ReferralList referrals={referrals} />
      </Show>
    </section>
  );
}
