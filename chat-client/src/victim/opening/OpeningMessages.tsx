import { For, Show } from "solid-js";
import { PromptOptions } from "../../ui/MessageList.tsx";
import type { AppOpening } from "../../matrix/public-config.ts";
import { lang, t } from "../../words/i18n.ts";
import type { HeldMessage } from "./held-messages.ts";

/**
 * The greeting and first question the app shows by itself the moment Start is
 * pressed (docs/FIRST-MINUTES.md), then what the victim answered before the bot
 * could read it. Drawn the same before and after the room exists, at the top of
 * the conversation, so nothing jumps or disappears when the chat takes over.
 */
export function OpeningMessages(props: {
  opening: AppOpening;
  /** Whether the question still offers its buttons (not answered by a tap, and the bot has not moved on). */
  active: boolean;
  held: HeldMessage[];
  onAnswer: (option: { id: string; label: string }) => void;
}) {
  const prompt = () => props.opening.prompt;
  const options = () => prompt().options.map((o) => ({ id: o.id, label: o.label[lang()] }));
  return (
    <ol class="messages app-opening">
      <li class="message from-bot">
        <span class="sender">{t("chat.bot")}</span>
        <p class="body">{props.opening.greeting[lang()]}</p>
      </li>
      <li class="message from-bot prompt">
        <span class="sender">{t("chat.bot")}</span>
        <p class="body">{prompt().text[lang()]}</p>
        <Show when={props.active}>
          <PromptOptions options={options()} onAnswer={props.onAnswer} />
        </Show>
      </li>
      <For each={props.held}>
        {(message) => (
          <li class="message from-me">
            <span class="sender">{t("chat.you")}</span>
            <p class="body">{message.body}</p>
            <span class="status">{t("chat.sending")}</span>
          </li>
        )}
      </For>
    </ol>
  );
}
