import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { Composer } from "../../ui/Composer.tsx";
import { onRoomChanges } from "../../matrix/room-changes.ts";
import { ConversationLog, createConsoleRoom } from "../conversation/ConversationLog.tsx";
import { pt } from "./partner-strings.ts";
import type { StaffSession } from "../shell/staff-session.ts";

/**
 * A referral's chat for the partner's staff: the hand-off (what the person
 * agreed to share) pinned on top, then what was written since, and a
 * composer. No case actions: the partner has none.
 */
export function PartnerConversation(props: { session: StaffSession; roomId: string; referralId: string; onClose: () => void }) {
  const client = props.session.client;
  const room = createConsoleRoom(props.session, props.roomId, "handoff");
  let heading: HTMLHeadingElement | undefined;
  // Opened by "Accept" or "Open": the focus follows, so a screen reader starts at the chat.
  onMount(() => heading?.focus());
  // Encrypted before this device existed (no key backup yet): say why, rather than show an empty card.
  // Failed decryptions only, not messages still being decrypted.
  const [failed, setFailed] = createSignal(false);
  const checkFailures = () => setFailed(client.getRoom(props.roomId)?.getLiveTimeline().getEvents().some((e) => e.isDecryptionFailure()) ?? false);
  onCleanup(onRoomChanges(client, checkFailures));
  checkFailures();
  const handoffUnreadable = () => room.pinned() === null && failed();
  const send = (body: string) => {
    void client.sendMessage(props.roomId, { msgtype: "m.text", body } as never).catch(() => undefined);
  };

  return (
    <section class="conversation partner-conversation" aria-labelledby="partner-conversation-title">
      <div class="row">
        <h2 id="partner-conversation-title" tabindex="-1" ref={heading}>{pt("conversation.title", { id: props.referralId })}</h2>
        <button type="button" onClick={() => props.onClose()}>{pt("conversation.close")}</button>
      </div>
      <Show when={handoffUnreadable()}>
        <p class="hint handoff-unreadable">{pt("conversation.handoffUnreadable")}</p>
      </Show>
      <ConversationLog session={props.session} roomId={props.roomId} room={room} pinnedTitle={pt("conversation.handoff")}
        victimName={pt("conversation.person")} typingText={pt("conversation.typing")} />
      <Composer onSend={send} onTyping={room.live.sendTyping} />
    </section>
  );
}
