import { createEffect, createSignal, on, onCleanup, Show } from "solid-js";
import { lang, t } from "../i18n.ts";
import { CrisisStrip } from "../ui/CrisisStrip.tsx";
import { TopBar } from "../ui/TopBar.tsx";
import { Composer } from "./Composer.tsx";
import { DeleteDialog } from "./DeleteDialog.tsx";
import { MessageList } from "./MessageList.tsx";
import { RecoveryCard } from "./RecoveryCard.tsx";
import { createLiveRoom } from "./live-room.ts";
import type { VictimSession } from "./session.ts";

/** The victim's chat: triage, queue, the companion's messages, and the way out. */
export function ChatScreen(props: { session: VictimSession; onDeleted: () => void }) {
  const session = props.session;
  const live = createLiveRoom(session.client, () => session.roomId, session.userId, { promptButtons: true });
  const [connection, setConnection] = createSignal(session.connection);
  const [recoveryCode, setRecoveryCode] = createSignal(session.recoveryCode);
  const [deleting, setDeleting] = createSignal(false);
  let scroller!: HTMLDivElement;

  onCleanup(session.onConnectionChange(() => setConnection(session.connection)));
  createEffect(on(() => live.items().length, () => queueMicrotask(() => scroller?.scrollTo({ top: scroller.scrollHeight }))));

  const actions = {
    answer: (prompt: { promptId: string }, option: { id: string; label: string }) =>
      void session.send(option.label, { prompt_id: prompt.promptId, option_id: option.id }),
    retry: live.retry,
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
        <Show when={live.items().length > 0} fallback={<p class="loading" role="status">{t("chat.loading")}</p>}>
          <MessageList items={live.items()} actions={actions} />
        </Show>
      </main>
      <p class="typing" role="status" aria-live="polite">{live.typing() ? t("chat.typing") : ""}</p>
      <Composer onSend={(body) => void session.send(body)} onTyping={live.sendTyping} />
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
