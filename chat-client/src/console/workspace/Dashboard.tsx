import { ClientEvent, RoomEvent } from "matrix-js-sdk";
import type { CaseJson, QueueEntryJson, StaffJson } from "@onsafe/schema/ops-api";
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { onRoomChanges } from "../../chat/room-changes.ts";
import { unreadCount } from "../../chat/room-view.ts";
import { AgendaView } from "../agenda/AgendaView.tsx";
import { announce, askForNotifications, notificationsAllowed, setSound, setTitleCount, soundOn } from "../shell/announcer.ts";
import { createCaseEndings } from "../case/case-endings.ts";
import { ct } from "../shell/ct.ts";
import { SignOutButton } from "../shell/SignOutButton.tsx";
import { Conversations } from "./Conversations.tsx";
import { QueueItem } from "./QueueItem.tsx";
import { createReferralNews } from "../referrals/referral-news.ts";
import { SupervisorView } from "../supervisor/SupervisorView.tsx";
import type { StaffSession } from "../shell/staff-session.ts";

const REFRESH_MS = 5000;

/** Shift, the cases offered to me, the queue, my conversations, news of my referrals, and my agenda. */
export function Dashboard(props: { session: StaffSession; onSignedOut: () => void }) {
  const session = props.session;
  const [me, setMe] = createSignal<StaffJson | null>(null);
  const [queue, setQueue] = createSignal<{ open: boolean; cases: QueueEntryJson[] }>({ open: false, cases: [] });
  const [joined, setJoined] = createSignal<string[]>([]);
  // Null until `me/cases` first answered.
  const [cases, setCases] = createSignal<Map<string, CaseJson> | null>(null);
  /** The conversation shown, and the one whose composer takes the focus when it shows (a case just taken). */
  const [shown, setShown] = createSignal<string | null>(null);
  const [focusOn, setFocusOn] = createSignal<string | null>(null);
  const [error, setError] = createSignal(false);
  const referralNews = createReferralNews(session.ops);

  const refresh = async () => {
    try {
      const [staff, waiting, mine] = await Promise.all([session.ops.me(), session.ops.queue(), session.ops.myCases()]);
      setMe(staff);
      setQueue(waiting);
      setCases(new Map(mine.map((c) => [c.room_id, c])));
      setError(false);
      endings.check();
    } catch {
      setError(true);
    }
  };
  // An offer (invite) or a case just taken (join): ask the ops API at once instead of at the next poll.
  const onMembership = (_room: unknown, membership: string) => { if (membership === "invite" || membership === "join") void refresh(); };
  const refreshRooms = () => setJoined(session.client.getRooms().filter((r) => r.getMyMembership() === "join").map((r) => r.roomId));
  const endings = createCaseEndings(session, cases, () => void refresh());

  onMount(() => {
    void refresh();
    refreshRooms();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    session.client.on(ClientEvent.Room, refreshRooms);
    session.client.on(RoomEvent.MyMembership, refreshRooms);
    session.client.on(RoomEvent.MyMembership, onMembership);
    onCleanup(() => {
      clearInterval(timer);
      session.client.off(ClientEvent.Room, refreshRooms);
      session.client.off(RoomEvent.MyMembership, refreshRooms);
      session.client.off(RoomEvent.MyMembership, onMembership);
    });
  });

  const mine = () => queue().cases.filter((c) => c.offered_to === session.login.userId);

  // Announcements: the title counts offers and unread messages; a rise is announced (no content).
  const [unread, setUnread] = createSignal<Record<string, number>>({});
  const [sound, setSoundSignal] = createSignal(soundOn());
  const [notifying, setNotifying] = createSignal(notificationsAllowed());
  const countUnread = () => {
    const counts: Record<string, number> = {};
    for (const roomId of joined()) {
      const room = session.client.getRoom(roomId);
      counts[roomId] = room ? unreadCount(room, session.login.userId) : 0;
    }
    setUnread(counts);
  };
  const unreadTotal = () => Object.values(unread()).reduce((sum, n) => sum + n, 0);
  onCleanup(onRoomChanges(session.client, countUnread));
  createEffect(on(joined, countUnread));
  createEffect(() => setTitleCount(mine().length + unreadTotal(), ct("title")));
  createEffect(on(() => mine().length, (now, before) => { if (before !== undefined && now > before) announce(ct("notify.offer"), "offer"); }));
  createEffect(on(unreadTotal, (now, before) => { if (before !== undefined && now > before) announce(ct("notify.message"), "message"); }));
  const others = () => queue().cases.filter((c) => c.offered_to !== session.login.userId);

  /** Joins the case's room once the bot's invite has arrived, and opens it: what the companion types next goes to this victim. */
  const join = async (caseId: string) => {
    const { room_id: roomId } = await session.ops.caseById(caseId);
    await session.joinWhenInvited(roomId);
    setShown(roomId);
    setFocusOn(roomId);
    await refresh();
  };
  const accept = (entry: QueueEntryJson) => void join(entry.id).catch(() => setError(true));
  const decline = async (entry: QueueEntryJson) => {
    const { room_id: roomId } = await session.ops.caseById(entry.id);
    await session.client.leave(roomId).catch(() => setError(true));
    await refresh();
  };
  const claim = async (entry: QueueEntryJson) => {
    try {
      await session.ops.claim(entry.id);
      await join(entry.id);
    } catch {
      setError(true);
      await refresh();
    }
  };
  const toggleShift = async (onShift: boolean) => {
    try {
      setMe(await session.ops.setShift(onShift));
      await refresh();
    } catch {
      setError(true);
    }
  };

  return (
    <main class="console">
      <section class="me" aria-labelledby="me-title">
        <h1 id="me-title">{me()?.display_name ?? session.login.userId}</h1>
        <Show when={me()}>
          {(staff) => (
            <>
              <p>{ct("me.languages", { languages: staff().languages.join(", ") })} · {ct("me.load", { load: staff().load, capacity: staff().capacity })}</p>
              <label class="shift">
                <input type="checkbox" role="switch" checked={staff().on_shift} onChange={(e) => void toggleShift(e.currentTarget.checked)} />
                <span>{ct("shift.toggle")}</span>
              </label>
            </>
          )}
        </Show>
        <label class="shift">
          <input type="checkbox" checked={sound()} onChange={(e) => { setSound(e.currentTarget.checked); setSoundSignal(e.currentTarget.checked); }} />
          <span>{ct("notify.sound")}</span>
        </label>
        <Show when={!notifying()} fallback={<span class="hint">{ct("notify.on")}</span>}>
          <button type="button" onClick={async () => setNotifying(await askForNotifications())}>{ct("notify.enable")}</button>
        </Show>
        <SignOutButton session={session} onSignedOut={props.onSignedOut} />
      </section>
      <Show when={error()}>
        <p class="error" role="alert">{ct("error.ops")}</p>
      </Show>
      <div class="referral-news" role="status" aria-live="polite">
        <For each={referralNews()}>{(line) => <p>{line}</p>}</For>
      </div>
      <div class="case-news" role="status" aria-live="polite">
        <For each={endings.news()}>{(line) => <p>{line}</p>}</For>
      </div>

      <section aria-labelledby="offers-title">
        <h2 id="offers-title">{ct("offers.title")}</h2>
        <Show when={mine().length > 0} fallback={<p>{ct("offers.none")}</p>}>
          <ul class="cases">
            <For each={mine()}>
              {(entry) => (
                <QueueItem entry={entry}>
                  <button type="button" class="primary" onClick={() => accept(entry)}>{ct("offers.accept")}</button>
                  <button type="button" onClick={() => void decline(entry)}>{ct("offers.decline")}</button>
                </QueueItem>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <section aria-labelledby="queue-title">
        <h2 id="queue-title">{ct("queue.title")}</h2>
        <Show when={queue().open || queue().cases.length > 0} fallback={<p>{ct("queue.closed")}</p>}>
          <Show when={others().length > 0} fallback={<p>{ct("queue.none")}</p>}>
            <ul class="cases">
              <For each={others()}>
                {(entry) => (
                  <QueueItem entry={entry}>
                    <button type="button" onClick={() => void claim(entry)} disabled={!me()?.on_shift}>{ct("queue.claim")}</button>
                  </QueueItem>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </section>

      <Conversations
        session={session}
        roomIds={joined()}
        unread={unread()}
        caseOf={(roomId) => cases()?.get(roomId) ?? endings.closedCase(roomId)}
        ended={endings.ended}
        shown={shown()}
        onShow={setShown}
        focusOn={focusOn()}
        onFocused={() => setFocusOn(null)}
        onLeft={() => { refreshRooms(); void refresh(); }}
      />
      <AgendaView session={session} />
      <Show when={me()?.kind === "supervisor"}>
        <SupervisorView session={session} />
      </Show>
    </main>
  );
}
