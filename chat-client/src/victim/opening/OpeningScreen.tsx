import { createEffect, on, onCleanup, Show } from "solid-js";
import { Composer } from "../../ui/Composer.tsx";
import { warnBeforeLeaving } from "../device/leave-warning.ts";
import type { AppOpening } from "../../matrix/public-config.ts";
import { lang, t } from "../../words/i18n.ts";
import { CallForHelp } from "../parts/CallForHelp.tsx";
import { TopBar } from "../parts/TopBar.tsx";
import type { HeldMessages } from "./held-messages.ts";
import { OpeningMessages } from "./OpeningMessages.tsx";

/**
 * The chat as it looks from the moment Start is pressed until the room exists
 * (docs/FIRST-MINUTES.md): the greeting, the first question with its buttons and
 * the message box, while the app registers, loads the crypto and creates the room.
 * Part of the landing page's script (no Matrix code), laid out as the chat
 * screen that replaces it. Answers are only held, in memory.
 */
export function OpeningScreen(props: { opening: AppOpening | null; held: HeldMessages; kept: boolean }) {
  const answered = () => props.held.all().some((m) => m.answer?.prompt_id === props.opening?.prompt.id);
  let scroller!: HTMLDivElement;
  // What the victim just sent comes into view, as in the chat.
  createEffect(on(() => props.held.all().length, () => queueMicrotask(() => scroller.scrollTo({ top: scroller.scrollHeight })), { defer: true }));
  // Nothing kept: what was answered so far would be lost with the page (the chat screen warns from then on).
  if (!props.kept) onCleanup(warnBeforeLeaving());
  return (
    <div class="chat">
      <TopBar>
        <CallForHelp />
      </TopBar>
      <main class="chat-main">
        <h1 class="visually-hidden">{t("chat.title")}</h1>
        <div class="pane" id="panel-chat">
          <div class="chat-scroll" ref={scroller} tabindex="0">
            <Show when={!props.kept}>
              <p class="not-kept" role="note">{t("notKept.note")}</p>
            </Show>
            <Show when={props.opening} fallback={<p class="loading" role="status">{t("chat.loading")}</p>}>
              {(opening) => (
                <OpeningMessages
                  opening={opening()}
                  active={!answered()}
                  held={props.held.all()}
                  onAnswer={(option) => props.held.hold({ body: option.label, answer: { prompt_id: opening().prompt.id, option_id: option.id }, lang: lang() })}
                />
              )}
            </Show>
          </div>
          <Composer id="composer-chat" draft={props.held.draft} onSend={(body) => props.held.hold({ body, lang: lang() })} onTyping={() => undefined} />
        </div>
      </main>
    </div>
  );
}
