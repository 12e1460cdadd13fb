import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { t } from "../../words/i18n.ts";
import { decryptAttachment } from "../../matrix/attachment-crypto.ts";
import { LetterCard } from "./LetterCard.tsx";
import { createLiveRoom } from "../../matrix/live-room.ts";
import { type NameOf, victimNames } from "../../ui/MessageList.tsx";
import { partnerName } from "../../matrix/referrals.ts";
import { rt } from "./referral-strings.ts";
import { onRoomChanges } from "../../matrix/room-changes.ts";
import { timelineEvents } from "../../matrix/room-view.ts";
import { RoomPane } from "./RoomPane.tsx";
import { saveFile } from "./save-file.ts";
import type { VictimSession } from "./session.ts";
import { type Attachment, senderKind } from "../../matrix/timeline.ts";

/**
 * The "Referrals" tab (docs/REFERRALS.md): the referral bot's rooms, one per
 * referral, newest first. One is shown at a time; with more than one, a list
 * at the top picks which (a new referral is picked as it arrives). All stay
 * mounted, so drafts survive a switch.
 */
export function ReferralsPanel(props: { session: VictimSession; roomIds: readonly string[]; shown: boolean }) {
  const session = props.session;
  const [selected, setSelected] = createSignal(props.roomIds[0] ?? null);
  createEffect(on(() => props.roomIds[0], (newest) => setSelected(newest ?? null), { defer: true }));

  // The partner's name is in the offer, which decrypts after the room appears.
  const names = () => new Map(props.roomIds.map((id) => {
    const room = session.client.getRoom(id);
    return [id, room ? partnerName(timelineEvents(room), (sender) => senderKind(sender, session.userId) === "bot") : null] as const;
  }));
  const [partners, setPartners] = createSignal(names());
  onCleanup(onRoomChanges(session.client, () => setPartners(names())));
  createEffect(on(() => props.roomIds, () => setPartners(names())));
  const nameOf = (id: string) => partners().get(id) ?? rt("referrals.unnamed", { n: props.roomIds.length - props.roomIds.indexOf(id) });

  return (
    <div class="pane" id="panel-referrals" role="tabpanel" aria-labelledby="tab-referrals" hidden={!props.shown}>
      <div class="referral-bar">
        <Show when={props.roomIds.length > 1} fallback={<p class="partner">{nameOf(selected() ?? "")}</p>}>
          <label for="referral-choice">{rt("referrals.choose")}</label>
          <select id="referral-choice" value={selected() ?? ""} onChange={(e) => setSelected(e.currentTarget.value)}>
            <For each={props.roomIds}>{(id) => <option value={id} selected={id === selected()}>{nameOf(id)}</option>}</For>
          </select>
        </Show>
      </div>
      <For each={props.roomIds}>
        {(id, index) => <ReferralRoom session={session} roomId={id} name={`referral-${index()}`} partner={nameOf(id)} shown={props.shown && selected() === id} />}
      </For>
    </div>
  );
}

function ReferralRoom(props: { session: VictimSession; roomId: string; name: string; partner: string; shown: boolean }) {
  const session = props.session;
  const live = createLiveRoom(session.client, () => props.roomId, session.userId, { promptButtons: true, shown: () => props.shown });
  const answer = (prompt: { promptId: string }, option: { id: string; label: string }) =>
    void session.send(props.roomId, option.label, { prompt_id: prompt.promptId, option_id: option.id });
  // The companion is in the victim's chat too; anyone else who writes here is the partner's staff.
  const nameOf: NameOf = (m) => {
    if (m.sender !== "other") return victimNames(m);
    return session.room()?.getMember(m.senderId) ? t("chat.companion") : rt("referral.staff", { partner: props.partner });
  };
  // Downloaded, hash-checked and decrypted in memory; the same name as the bot's file, which names no service.
  const savePdf = async (pdf: Attachment) => saveFile(await decryptAttachment(pdf.file, session.client.getAccessToken() ?? "", "application/pdf"), "letter.pdf");
  return (
    <RoomPane
      name={props.name}
      live={live}
      label={rt("referrals.log", { partner: props.partner })}
      shown={props.shown}
      tabbed={false}
      onSend={(body) => void session.send(props.roomId, body)}
      onAnswer={answer}
      nameOf={nameOf}
      letterCard={(item) => <LetterCard item={item} partner={props.partner} onAnswer={answer} onPdf={savePdf} />}
    >
      <p class="hint referrals-intro">{rt("referrals.intro")}</p>
    </RoomPane>
  );
}
