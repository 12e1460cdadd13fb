import { createSignal, onCleanup, Show } from "solid-js";
import { warnBeforeLeaving } from "../device/leave-warning.ts";
import { lang, t } from "../../words/i18n.ts";
import { OpeningMessages } from "../opening/OpeningMessages.tsx";
import { CallForHelp } from "../parts/CallForHelp.tsx";
import { TopBar } from "../parts/TopBar.tsx";
import { AppointmentsPane } from "./AppointmentsPane.tsx";
import { ChatMenu } from "./ChatMenu.tsx";
import { ChatTabs, type Tab } from "./ChatTabs.tsx";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { RecoveryDialog } from "./RecoveryDialog.tsx";
import { RecoveryOffer } from "./RecoveryOffer.tsx";
import { ReferralsPanel } from "./ReferralsPanel.tsx";
import { RoomPane } from "./RoomPane.tsx";
import { createLiveRoom } from "../../matrix/live-room.ts";
import { onRoomChanges } from "../../matrix/room-changes.ts";
import { unreadCount } from "../../matrix/room-view.ts";
import type { VictimSession } from "./session.ts";

/**
 * The victim's chat: triage, queue, the counsellor's messages, and the way out.
 * Once the scheduling bot has opened its room, "Appointments" is a tab; once
 * the referral bot has opened one, "Referrals" is another. The code to come
 * back is offered once a counsellor is here, and is in the menu.
 */
export function ChatScreen(props: { session: VictimSession; onDeleted: () => void; onKeepNothing: () => Promise<void>; onStartAgain: () => Promise<void> }) {
  const session = props.session;
  const [tab, setTab] = createSignal<Tab>("chat");
  const bots = session.botRooms;
  const [appointmentsRoom, setAppointmentsRoom] = createSignal(bots.appointments);
  const [referralRooms, setReferralRooms] = createSignal(bots.referrals);
  const chat = createLiveRoom(session.client, () => session.roomId, session.userId, { promptButtons: true, counsellorEndsTriage: true, shown: () => tab() === "chat" });
  const [connection, setConnection] = createSignal(session.connection);
  const [codeOffered, setCodeOffered] = createSignal(session.recoveryCode === null);
  const [dialog, setDialog] = createSignal<"code" | "keepNothing" | "delete" | "startAgain" | null>(null);
  const counsellorHere = () => chat.items().some((item) => item.kind === "summary" || (item.kind === "message" && item.sender === "other"));
  // The chat was just closed: the way back (write here) and the lines to call come first; the code stays in the menu.
  const justClosed = () => chat.items().at(-1)?.kind === "closed";
  // Nobody left to answer (the bots left: the case erased after retention): a dead end without a new start (docs/CRISIS.md).
  const [alone, setAlone] = createSignal(nobodyElseIn(session));
  onCleanup(onRoomChanges(session.client, () => setAlone(nobodyElseIn(session))));
  const offerDone = () => {
    session.recoveryCodeSaved();
    setCodeOffered(true);
  };
  // Seeing the code, from the offer or the menu, answers the offer.
  const showCode = () => {
    offerDone();
    setDialog("code");
  };
  if (!session.kept) onCleanup(warnBeforeLeaving());
  const tabs = (): Tab[] => ["chat", ...(appointmentsRoom() ? ["appointments" as const] : []), ...(referralRooms().length > 0 ? ["referrals" as const] : [])];
  const tabbed = () => tabs().length > 1;

  // "New" is what came after the victim's own read receipt, sent only while a tab is shown: nothing is kept on the device.
  const hasUnread = (): Record<Tab, boolean> => {
    const unreadIn = (roomId: string | null) => {
      const room = roomId ? session.client.getRoom(roomId) : null;
      return room ? unreadCount(room, session.userId) > 0 : false;
    };
    return { chat: unreadIn(session.roomId), appointments: unreadIn(bots.appointments), referrals: bots.referrals.some(unreadIn) };
  };
  const [unread, setUnread] = createSignal(hasUnread(), { equals: (a, b) => a.chat === b.chat && a.appointments === b.appointments && a.referrals === b.referrals });
  onCleanup(onRoomChanges(session.client, () => setUnread(hasUnread())));
  onCleanup(session.onConnectionChange(() => setConnection(session.connection)));
  onCleanup(bots.onChange(() => {
    setAppointmentsRoom(bots.appointments);
    setReferralRooms(bots.referrals);
    if (!tabs().includes(tab())) setTab("chat");
    setUnread(hasUnread());
  }));

  const select = (next: Tab) => {
    setTab(next);
    setUnread(hasUnread());
  };
  const answer = (prompt: { promptId: string }, option: { id: string; label: string }) =>
    void session.send(session.roomId, option.label, { prompt_id: prompt.promptId, option_id: option.id });
  // Known from the room's creation once it has arrived (a resumed chat shows before its first sync).
  const [opening, setOpening] = createSignal(session.opening);
  onCleanup(onRoomChanges(session.client, () => setOpening(session.opening)));
  // The app's own first question keeps its buttons until it is answered by a tap or the bot has said anything.
  const openingActive = () => {
    const id = opening()?.prompt.id;
    return !session.held.all().some((m) => m.answer?.prompt_id === id)
      && chat.items().every((item) => item.kind === "message" && item.sender === "me" && item.answers !== id);
  };

  return (
    <div class="chat">
      <TopBar>
        <CallForHelp />
        <ChatMenu
          kept={session.kept}
          onShowCode={showCode}
          onKeepNothing={() => setDialog("keepNothing")}
          onLangChange={() => session.setLang(lang())}
          onDelete={() => setDialog("delete")}
        />
      </TopBar>
      <Show when={connection() !== "online"}>
        <p class="connection" role="status">{connection() === "offline" ? t("conn.offline") : t("conn.connecting")}</p>
      </Show>
      <main class="chat-main">
        <h1 class="visually-hidden">{t("chat.title")}</h1>
        <Show when={tabbed()}>
          <ChatTabs tabs={tabs()} active={tab()} unread={(which) => unread()[which]} onSelect={select} />
        </Show>
        <RoomPane
          name="chat"
          live={chat}
          label={t("chat.title")}
          shown={tab() === "chat"}
          tabbed={tabbed()}
          onSend={(body) => {
            // Writing to the counsellor answers the offer with "not now" (the code stays in the menu): with the keyboard open the card would hide their words.
            if (counsellorHere()) offerDone();
            void session.send(session.roomId, body);
          }}
          onAnswer={answer}
          // Only on the newest closing: once the victim wrote again (the case reopened), an older card's button would leave a live chat.
          onStartAgain={justClosed() ? () => setDialog("startAgain") : undefined}
          opened={opening() !== null}
          draft={session.held.draft}
          after={
            <>
              <Show when={!codeOffered() && counsellorHere() && !justClosed() && !alone()}>
                <RecoveryOffer onShow={showCode} onNotNow={offerDone} />
              </Show>
              {/* After a closing the closed card has the button; a room left without one gets its own card. */}
              <Show when={alone() && !justClosed()}>
                <section class="chat-closed pane-end" aria-labelledby="chat-ended-title">
                  <h2 id="chat-ended-title">{t("startAgain.endedTitle")}</h2>
                  <p>{t("startAgain.endedBody")}</p>
                  <button type="button" class="primary start-again" onClick={() => setDialog("startAgain")}>{t("startAgain.button")}</button>
                </section>
              </Show>
            </>
          }
        >
          <Show when={!session.kept}>
            <p class="not-kept" role="note">{t("notKept.note")}</p>
          </Show>
          <Show when={opening()}>
            {(shown) => <OpeningMessages opening={shown()} active={openingActive()} held={session.held.all()} onAnswer={(option) => answer({ promptId: shown().prompt.id }, option)} />}
          </Show>
        </RoomPane>
        <Show when={appointmentsRoom()} keyed>
          {(roomId) => <AppointmentsPane session={session} roomId={roomId} shown={tab() === "appointments"} tabbed />}
        </Show>
        <Show when={referralRooms().length > 0}>
          <ReferralsPanel session={session} roomIds={referralRooms()} shown={tab() === "referrals"} />
        </Show>
      </main>
      <Show when={dialog() === "code"}>
        <RecoveryDialog code={session.code} onClose={() => setDialog(null)} />
      </Show>
      <Show when={dialog() === "keepNothing"}>
        <ConfirmDialog
          id="keep-nothing"
          text={{ title: "keepNothing.title", body: "keepNothing.body", confirm: "keepNothing.confirm", failed: "keepNothing.failed" }}
          onClose={() => setDialog(null)}
          onConfirm={props.onKeepNothing}
        />
      </Show>
      <Show when={dialog() === "startAgain"}>
        <ConfirmDialog
          id="start-again"
          text={{ title: "startAgain.title", body: "startAgain.body", confirm: "startAgain.confirm", working: "startAgain.working", failed: "startAgain.failed" }}
          onClose={() => setDialog(null)}
          onConfirm={props.onStartAgain}
        />
      </Show>
      <Show when={dialog() === "delete"}>
        <ConfirmDialog
          id="delete"
          text={{ title: "delete.title", body: "delete.body", confirm: "delete.confirm", working: "delete.working", failed: "delete.failed" }}
          danger
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await session.deleteEverything();
            props.onDeleted();
          }}
        />
      </Show>
    </div>
  );
}

/**
 * Whether the victim is alone in their chat: everyone else has left (a room
 * still being made has the bot invited). After a closing the triage bot stays,
 * so this is a room the bots left: its case erased after retention.
 */
function nobodyElseIn(session: VictimSession): boolean {
  const others = session.room()?.currentState.getMembers().filter((m) => m.userId !== session.userId) ?? [];
  // Membership events come with the timeline, so everyone who was ever in the room is known here.
  return others.length > 0 && others.every((m) => m.membership === "leave" || m.membership === "ban");
}
