import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { AgendaView } from "../agenda/AgendaView.tsx";
import { ConversationView } from "../conversation/ConversationView.tsx";
import { soundTheAlarm } from "../crisis/alarm.ts";
import { createAlertPoll } from "../crisis/alert-poll.ts";
import { CrisisBanner } from "../crisis/CrisisBanner.tsx";
import { crt } from "../crisis/crisis-strings.ts";
import { joinPagerRooms } from "../crisis/pager-rooms.ts";
import { PartnerDirectory } from "../partner/PartnerDirectory.tsx";
import { createReferralNews } from "../referrals/referral-news.ts";
import { announce, setTitleCount } from "../shell/announcer.ts";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { SupervisorView } from "../supervisor/SupervisorView.tsx";
import { CaseName, ConversationList, tabId } from "./ConversationList.tsx";
import { keyAction, stepFrom } from "./keys.ts";
import { OfferBanner } from "./OfferBanner.tsx";
import { QueueItem } from "./QueueItem.tsx";
import { byUrgency } from "./urgency.ts";
import { createWorkspace } from "./workspace-data.ts";
import { WorkspaceBar, type View } from "./WorkspaceBar.tsx";
import { wt } from "./workspace-strings.ts";
import "./workspace.css";

/**
 * The companion's workspace (docs/CONSOLE.md "Workspace"): a bar (me, shift, the views), the
 * offers banner over every view, and the views: Conversations (my conversations and the queue
 * on the left, the open conversation in the middle, its case on the right), Agenda, and for
 * supervisors the overview and the partners. Views stay mounted while hidden: each keeps polling, announcing
 * and its half-filled forms. The open conversation changes only when the companion asks
 * (a click, a key, Accept or Claim); a conversation that goes away leaves an empty middle.
 */
export function Workspace(props: { session: StaffSession; onSignedOut: () => void }) {
  const session = props.session;
  const [view, setView] = createSignal<View>("conversations");
  /** The open conversation, and the one whose composer takes the focus once it shows. */
  const [shown, setShown] = createSignal<string | null>(null);
  const [focusOn, setFocusOn] = createSignal<string | null>(null);
  /** The case of an open conversation that went away (closed, transferred), for the empty middle. */
  const [gone, setGone] = createSignal<string | null>(null);
  const open = (roomId: string, o: { compose?: boolean } = {}) => {
    setView("conversations");
    setGone(null);
    setShown(roomId);
    if (o.compose) setFocusOn(roomId);
  };
  const ws = createWorkspace(session, { onOpened: (roomId) => open(roomId, { compose: true }) });
  const referralNews = createReferralNews(session.ops);
  // Crisis alerts for as long as this workspace is up, that is while signed in (crisis/, docs/CRISIS.md "The console").
  const alerts = createAlertPoll(session.ops, session.login.userId);
  soundTheAlarm(alerts.open);
  onCleanup(joinPagerRooms(session));

  // One draft per conversation, in memory only, each bound to its room.
  const [drafts, setDrafts] = createStore<Record<string, string>>({});
  const draftOf = (roomId: string) => ({ text: () => drafts[roomId] ?? "", set: (text: string) => setDrafts(roomId, text) });

  const [now, setNow] = createSignal(Date.now());
  onMount(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => clearInterval(timer));
  });

  const order = createMemo(() => {
    const taken = [...ws.joined()].sort((a, b) => (ws.caseOf(a)?.assigned_at ?? 0) - (ws.caseOf(b)?.assigned_at ?? 0));
    return byUrgency(taken.map((roomId) => {
      const info = ws.caseOf(roomId);
      return { roomId, crisis: info?.crisis === true, deadline: info?.deadline ?? null, minor: info?.minor ?? null, waitingSince: ws.facts()[roomId]?.waitingSince ?? null, ended: ws.endings.ended(roomId) };
    }));
  });
  const titleOf = (roomId: string) => <CaseName info={ws.caseOf(roomId)} index={order().indexOf(roomId)} />;

  // Never another victim by itself: a conversation that went away leaves the middle empty.
  // The shown conversation's case id, kept: after a close, `me/cases` may drop the case before the room leaves `joined`.
  const caseIds = new Map<string, string>();
  createEffect(() => { const roomId = shown(); const id = roomId === null ? undefined : ws.caseOf(roomId)?.id; if (roomId && id) caseIds.set(roomId, id); });
  createEffect(on(ws.joined, (joined) => {
    const current = shown();
    if (current === null || joined.includes(current)) return;
    setGone(ws.caseOf(current)?.id ?? caseIds.get(current) ?? "");
    setShown(null);
    setDrafts(current, undefined!);
  }));

  // The title counts offers and unread messages; a rise is announced (no content).
  createEffect(() => setTitleCount(ws.offers().length + ws.unreadTotal(), ct("title")));
  createEffect(on(() => ws.offers().length, (count, before) => { if (before !== undefined && count > before) announce(ct("notify.offer"), "offer"); }));
  createEffect(on(ws.unreadTotal, (count, before) => { if (before !== undefined && count > before) announce(ct("notify.message"), "message"); }));

  const onKey = (event: KeyboardEvent) => {
    const action = keyAction({ key: event.key, code: event.code, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey, isComposing: event.isComposing, targetTag: (event.target as Element | null)?.tagName ?? "" });
    // Not behind a dialog (signing out asks in one): the keys act on the workspace only.
    if (!action || document.querySelector("dialog[open]")) return;
    event.preventDefault();
    if (action === "compose") {
      const current = shown();
      if (current) open(current, { compose: true });
      return;
    }
    const next = stepFrom(order(), view() === "conversations" ? shown() : null, action === "next" ? 1 : -1);
    if (!next) return;
    open(next);
    // The focus goes to the conversation's tab, which says whose it is; Alt+C then writes there.
    queueMicrotask(() => document.getElementById(tabId(next))?.focus());
  };
  onMount(() => {
    window.addEventListener("keydown", onKey);
    onCleanup(() => window.removeEventListener("keydown", onKey));
  });

  // A colleague transferring a case is named as the staff list names them (they may share no room with me yet).
  const [names, setNames] = createSignal<ReadonlyMap<string, string>>(new Map());
  createEffect(on(ws.offers, (offers) => {
    if (!offers.some((o) => o.transfer_from && !names().has(o.transfer_from))) return;
    const fallback = (userId: string) => session.client.getUser(userId)?.displayName ?? userId;
    void session.ops.staffOnShift().catch(() => []).then((staff) => {
      const known = new Map(staff.map((m) => [m.user_id, m.display_name ?? fallback(m.user_id)]));
      // Asked once: someone no longer on shift keeps the name the client knows.
      for (const o of offers) if (o.transfer_from && !known.has(o.transfer_from)) known.set(o.transfer_from, fallback(o.transfer_from));
      setNames(known);
    });
  }));
  const nameOf = (userId: string) => names().get(userId) ?? session.client.getUser(userId)?.displayName ?? userId;
  // Whoever answered a crisis alert is named as the staff list names them, asked once per name not yet known.
  createEffect(on(alerts.answered, (answered) => {
    const unknown = answered.map((a) => a.by).filter((by): by is string => by !== null && by !== session.login.userId && !names().has(by));
    if (unknown.length === 0) return;
    void session.ops.staffOnShift().catch(() => []).then((staff) => {
      const known = new Map(names());
      for (const m of staff) if (m.display_name) known.set(m.user_id, m.display_name);
      setNames(known);
    });
  }));
  /** From the crisis banner to the case: my conversation if it is mine, the offer if it is offered to me. */
  const myRoomOf = (caseId: string) => ws.joined().find((r) => ws.caseOf(r)?.id === caseId);
  const crisisCase = (caseId: string) => {
    const roomId = myRoomOf(caseId);
    if (roomId) return <button type="button" class="crisis-case" onClick={() => open(roomId, { compose: true })}>{crt("banner.open")}</button>;
    const offered = ws.offers().find((o) => o.id === caseId);
    if (offered) return <button type="button" class="crisis-case" onClick={() => void ws.accept(offered)}>{crt("banner.accept")}</button>;
    return null;
  };

  return (
    <main class="workspace">
      <WorkspaceBar session={session} staff={ws.staff()} view={view()} onView={setView} unread={ws.unreadTotal()}
        onShift={(on) => void ws.setShift(on)} onOnCall={(on) => void ws.setOnCall(on)} onSignedOut={props.onSignedOut} />
      <CrisisBanner poll={alerts} now={now()} me={session.login.userId} nameOf={nameOf} mine={(caseId) => myRoomOf(caseId) !== undefined} caseAction={crisisCase} />
      <OfferBanner offers={ws.offers()} now={now()} nameOf={nameOf} onAccept={(entry) => void ws.accept(entry)} onDecline={(entry) => void ws.decline(entry)} />
      <Show when={ws.error()}>
        <p class="error" role="alert">{ct("error.ops")}</p>
      </Show>
      <div class="news">
        <div class="referral-news" role="status" aria-live="polite">
          <For each={referralNews()}>{(line) => <p>{line}</p>}</For>
        </div>
        <div class="case-news" role="status" aria-live="polite">
          <For each={ws.endings.news()}>{(line) => <p>{line}</p>}</For>
        </div>
      </div>

      <div class="view conversations-view" hidden={view() !== "conversations"}>
        <div class="workspace-left">
          <ConversationList order={order()} caseOf={ws.caseOf} facts={ws.facts()} ended={ws.endings.ended} shown={shown()} now={now()} onShow={(roomId) => open(roomId)} />
          <section aria-labelledby="queue-title" class="queue-section">
            <h2 id="queue-title">{ct("queue.title")}</h2>
            <Show when={ws.queue().open || ws.queue().cases.length > 0} fallback={<p class="hint">{ct("queue.closed")}</p>}>
              <Show when={ws.waiting().length > 0} fallback={<p class="hint">{ct("queue.none")}</p>}>
                <ul class="cases">
                  <For each={ws.waiting().map((c) => c.id)}>
                    {(id) => (
                      <Show when={ws.waiting().find((c) => c.id === id)}>
                        {(entry) => (
                          <QueueItem entry={entry()}>
                            <button type="button" onClick={() => void ws.claim(entry())} disabled={!ws.staff()?.on_shift}>{ct("queue.claim")}</button>
                          </QueueItem>
                        )}
                      </Show>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </section>
          <section class="keys-help" aria-labelledby="keys-title">
            <h2 id="keys-title">{wt("keys.title")}</h2>
            <p><kbd>Alt</kbd>+<kbd>↑</kbd> / <kbd>Alt</kbd>+<kbd>↓</kbd>: {wt("keys.switch")}</p>
            <p><kbd>Alt</kbd>+<kbd>C</kbd>: {wt("keys.compose")}</p>
          </section>
        </div>
        <Show when={shown() !== null && ws.joined().includes(shown()!) && shown()} keyed fallback={
          <div id="conversation-panel" class="conversation-empty">
            <h2>{wt("empty.title")}</h2>
            <p>{gone() !== null ? wt("empty.left", { id: gone() || "…" }) : wt("empty.choose")}</p>
          </div>
        }>
          {(roomId) => (
            <div id="conversation-panel" role="tabpanel" aria-labelledby={tabId(roomId)} class="conversation-panel">
              <ConversationView
                session={session}
                roomId={roomId}
                caseInfo={ws.caseOf(roomId)}
                title={titleOf(roomId)}
                ended={ws.endings.ended(roomId)}
                draft={draftOf(roomId)}
                focusComposer={focusOn() === roomId}
                onFocused={() => setFocusOn(null)}
                onLeft={ws.left}
              />
            </div>
          )}
        </Show>
      </div>
      <div class="view" hidden={view() !== "agenda"}>
        <AgendaView session={session} />
      </div>
      <Show when={ws.staff()?.kind === "supervisor"}>
        <div class="view" hidden={view() !== "supervisor"}>
          <SupervisorView session={session} />
        </div>
        <div class="view" hidden={view() !== "partners"}>
          <PartnerDirectory ops={session.ops} />
        </div>
      </Show>
    </main>
  );
}
