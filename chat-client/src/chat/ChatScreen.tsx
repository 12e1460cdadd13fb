import { createEffect, createSignal, on, onCleanup, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { lang, t } from "../i18n.ts";
import { CrisisStrip } from "../ui/CrisisStrip.tsx";
import { TopBar } from "../ui/TopBar.tsx";
import { Composer } from "./Composer.tsx";
import { DeleteDialog } from "./DeleteDialog.tsx";
import { MessageList } from "./MessageList.tsx";
import { RecoveryCard } from "./RecoveryCard.tsx";
import { findPending, newestFromOthers, othersTyping, readByOthers, timelineEvents } from "./room-view.ts";
import type { VictimSession } from "./session.ts";
import { chatItems, type ChatItem } from "./timeline.ts";

/** The victim's chat: triage, queue, the companion's messages, and the way out. */
export function ChatScreen(props: { session: VictimSession; onDeleted: () => void }) {
  const session = props.session;
  // Reconciled by event id, so a refresh changes only the items that changed and the log does not re-announce.
  const [view, setView] = createStore<{ items: ChatItem[] }>({ items: [] });
  const [connection, setConnection] = createSignal(session.connection);
  const [typing, setTyping] = createSignal(false);
  const [recoveryCode, setRecoveryCode] = createSignal(session.recoveryCode);
  const [deleting, setDeleting] = createSignal(false);
  let lastReceipt: string | null = null;
  let scroller!: HTMLDivElement;

  const refresh = () => {
    setConnection(session.connection);
    const room = session.room();
    if (!room) return;
    setView("items", reconcile(chatItems(timelineEvents(room), session.userId, readByOthers(room, session.userId)), { key: "id" }));
    setTyping(othersTyping(room, session.userId));
    const newest = newestFromOthers(room, session.userId);
    if (newest && newest.getId() !== lastReceipt && document.visibilityState === "visible") {
      lastReceipt = newest.getId() ?? null;
      session.markRead(newest);
    }
  };
  onCleanup(session.onChange(refresh));
  refresh();
  createEffect(on(() => view.items.length, () => queueMicrotask(() => scroller?.scrollTo({ top: scroller.scrollHeight }))));

  const actions = {
    answer: (prompt: { promptId: string }, option: { id: string; label: string }) =>
      void session.send(option.label, { prompt_id: prompt.promptId, option_id: option.id }),
    retry: (id: string) => {
      const event = session.room() && findPending(session.room()!, id);
      if (event) void session.retry(event);
    },
  };

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
      <main class="chat-main" ref={scroller} tabindex="0">
        <h1 class="visually-hidden">{t("chat.title")}</h1>
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
        <Show when={view.items.length > 0} fallback={<p class="loading" role="status">{t("chat.loading")}</p>}>
          <MessageList items={view.items} actions={actions} />
        </Show>
      </main>
      <p class="typing" role="status" aria-live="polite">{typing() ? t("chat.typing") : ""}</p>
      <Composer onSend={(body) => void session.send(body)} onTyping={(on) => session.typing(on)} />
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
