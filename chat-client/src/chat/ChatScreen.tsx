import { createSignal, onCleanup, Show } from "solid-js";
import { lang, t } from "../i18n.ts";
import { CrisisStrip } from "../ui/CrisisStrip.tsx";
import { TopBar } from "../ui/TopBar.tsx";
import { AppointmentsPane } from "./AppointmentsPane.tsx";
import { ChatTabs, type Tab } from "./ChatTabs.tsx";
import { DeleteDialog } from "./DeleteDialog.tsx";
import { RecoveryCard } from "./RecoveryCard.tsx";
import { ReferralsPanel } from "./ReferralsPanel.tsx";
import { RoomPane } from "./RoomPane.tsx";
import { createLiveRoom } from "./live-room.ts";
import { onRoomChanges } from "./room-changes.ts";
import { unreadCount } from "./room-view.ts";
import type { VictimSession } from "./session.ts";

/**
 * The victim's chat: triage, queue, the companion's messages, and the way out.
 * Once the scheduling bot has opened its room, "Appointments" is a tab; once
 * the referral bot has opened one, "Referrals" is another.
 */
export function ChatScreen(props: { session: VictimSession; onDeleted: () => void }) {
  const session = props.session;
  const [tab, setTab] = createSignal<Tab>("chat");
  const bots = session.botRooms;
  const [appointmentsRoom, setAppointmentsRoom] = createSignal(bots.appointments);
  const [referralRooms, setReferralRooms] = createSignal(bots.referrals);
  const chat = createLiveRoom(session.client, () => session.roomId, session.userId, { promptButtons: true, shown: () => tab() === "chat" });
  const [connection, setConnection] = createSignal(session.connection);
  const [recoveryCode, setRecoveryCode] = createSignal(session.recoveryCode);
  const [deleting, setDeleting] = createSignal(false);
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

  return (
    <div class="chat">
      <TopBar onLangChange={() => session.setLang(lang())}>
        <details class="menu">
          <summary>{t("menu.title")}</summary>
          <div class="menu-items">
            <button type="button" class="danger-text" onClick={() => setDeleting(true)}>{t("menu.delete")}</button>
          </div>
        </details>
      </TopBar>
      <CrisisStrip />
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
          onSend={(body) => void session.send(session.roomId, body)}
          onAnswer={answer}
        >
          <Show when={recoveryCode()}>
            {(code) => (
              <RecoveryCard
                code={code()}
                onDone={() => {
                  session.recoveryCodeSaved();
                  setRecoveryCode(null);
                }}
              />
            )}
          </Show>
        </RoomPane>
        <Show when={appointmentsRoom()} keyed>
          {(roomId) => <AppointmentsPane session={session} roomId={roomId} shown={tab() === "appointments"} tabbed />}
        </Show>
        <Show when={referralRooms().length > 0}>
          <ReferralsPanel session={session} roomIds={referralRooms()} shown={tab() === "referrals"} />
        </Show>
      </main>
      <Show when={deleting()}>
        <DeleteDialog
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await session.deleteEverything();
            props.onDeleted();
          }}
        />
      </Show>
    </div>
  );
}
