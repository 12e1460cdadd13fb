import { createEffect, createSignal, Show } from "solid-js";
import { Composer } from "../../chat/Composer.tsx";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { createCaseReferrals } from "../referrals/case-referrals.ts";
import { CaseActions } from "../case/CaseActions.tsx";
import { ConversationLog, createConsoleRoom } from "./ConversationLog.tsx";
import { ct } from "../shell/ct.ts";
import { ReferralList } from "../referrals/ReferralList.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import { createVisitRequest } from "../agenda/visit-request.ts";

/**
 * One conversation: the triage summary pinned on top, the decrypted history since joining, typing, receipts.
 * Once the victim has left (`ended`), the case is closed: no composer or actions, only a way to put it away.
 */
export function ConversationView(props: {
  session: StaffSession;
  roomId: string;
  caseInfo: CaseJson | null;
  ended: boolean;
  /** A case just taken: its composer gets the focus, so what is typed next goes to this victim. */
  focusComposer: boolean;
  onFocused: () => void;
  onLeft: () => void;
}) {
  const client = props.session.client;
  const room = createConsoleRoom(props.session, props.roomId, "summary");
  const [draftText, setDraftText] = createSignal("");
  const draft = { text: draftText, set: setDraftText };
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
  let composerBox: HTMLDivElement | undefined;
  createEffect(() => {
    if (!props.focusComposer || props.ended) return;
    composerBox?.querySelector("textarea")?.focus();
    props.onFocused();
  });
  /** Out of the room, and the room forgotten: after a deletion nothing of it stays with this account. */
  const dismiss = async () => {
    await client.leave(props.roomId).catch(() => undefined);
    await client.forget(props.roomId).catch(() => undefined);
    props.onLeft();
  };

  return (
    <section class="conversation" aria-label={ct("conversation.log")}>
      <ConversationLog session={props.session} roomId={props.roomId} room={room} pinnedTitle={ct("conversation.summary")}
        victimName={ct("conversation.victim")} typingText={ct("conversation.typing")} />
      <Show when={props.ended}>
        <div class="ended">
          <p>{ct("conversation.ended")}</p>
          <button type="button" onClick={() => void dismiss()}>{ct("conversation.dismiss")}</button>
        </div>
      </Show>
      <Show when={!props.ended}>
        <CaseActions session={props.session} roomId={props.roomId} caseInfo={props.caseInfo} summary={room.summary()} draft={draft} visit={visit} referrals={referrals} onLeft={props.onLeft} />
      </Show>
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
      <Show when={!props.ended}>
        <div ref={composerBox}>
          <Composer draft={draft} rows={3} onSend={send} onTyping={room.live.sendTyping} />
        </div>
      </Show>
      <Show when={referrals.state.referrals.length > 0}>
        <ReferralList referrals={referrals} />
      </Show>
    </section>
  );
}
