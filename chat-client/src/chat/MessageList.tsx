import { For, type JSX, Match, Show, Switch } from "solid-js";
import { t } from "../i18n.ts";
import type { ChatItem, LetterItem, VisitItem } from "./timeline.ts";

export type Message = Extract<ChatItem, { kind: "message" }>;
type Prompt = Extract<ChatItem, { kind: "prompt" }>;
type Queue = Extract<ChatItem, { kind: "queue" }>;
type Handoff = Extract<ChatItem, { kind: "handoff" }>;

export interface MessageActions {
  answer: (prompt: { promptId: string }, option: { id: string; label: string }) => void;
  retry: (id: string) => void;
}

/** Who wrote a message, as the victim app names them; the console passes its own. */
export type NameOf = (message: Message) => string;

export const victimNames: NameOf = (m) => (m.sender === "me" ? t("chat.you") : m.sender === "bot" ? t("chat.bot") : t("chat.companion"));

/**
 * The conversation as a log: new messages are announced to screen readers.
 * `visitCard` draws the scheduling bot's confirmations and notices, `letterCard`
 * the referral bot's letter (the victim app); without them they read as the bot's text.
 */
export function MessageList(props: {
  items: ChatItem[];
  actions: MessageActions;
  nameOf?: NameOf;
  label?: string;
  attachment?: (m: Message) => JSX.Element;
  visitCard?: (item: VisitItem) => JSX.Element;
  letterCard?: (item: LetterItem) => JSX.Element;
}) {
  const nameOf = (m: Message) => (props.nameOf ?? victimNames)(m);
  return (
    <div role="log" aria-live="polite" aria-relevant="additions" aria-label={props.label ?? t("chat.title")}>
    <ol class="messages">
      <For each={props.items}>
        {(item) => (
          <Switch>
            <Match when={item.kind === "message" && item}>{(m) => <MessageBubble message={m()} name={nameOf(m())} onRetry={props.actions.retry} attachment={props.attachment} />}</Match>
            <Match when={item.kind === "prompt" && item}>{(p) => <PromptItem prompt={p()} onAnswer={props.actions.answer} />}</Match>
            <Match when={item.kind === "queue" && item}>{(q) => <QueueItem queue={q()} />}</Match>
            <Match when={item.kind === "visit" && item}>
              {(v) => props.visitCard?.(v()) ?? <MessageBubble message={asMessage(v())} name={nameOf(asMessage(v()))} onRetry={props.actions.retry} />}
            </Match>
            <Match when={item.kind === "letter" && item}>
              {(l) => props.letterCard?.(l()) ?? <MessageBubble message={asMessage(l())} name={nameOf(asMessage(l()))} onRetry={props.actions.retry} />}
            </Match>
            <Match when={item.kind === "handoff" && item}>
              {(h) => <MessageBubble message={asMessage(h())} name={nameOf(asMessage(h()))} onRetry={props.actions.retry} />}
            </Match>
            <Match when={item.kind === "summary" && item}>
              {(s) => (
                <li class="summary">
                  <h2>{t("chat.summary")}</h2>
                  <p>{s().body}</p>
                </li>
              )}
            </Match>
            <Match when={item.kind === "unreadable"}>
              <li class="message unreadable">{t("chat.cannotRead")}</li>
            </Match>
          </Switch>
        )}
      </For>
    </ol>
    </div>
  );
}

function MessageBubble(props: { message: Message; name: string; onRetry: (id: string) => void; attachment?: (m: Message) => JSX.Element }) {
  return (
    <li class={`message from-${props.message.sender}`}>
      <span class="sender">{props.name}</span>
      <p class="body">{props.message.body}</p>
      <Show when={props.message.attachment && props.attachment}>{(render) => render()(props.message)}</Show>
      <Show when={props.message.sender === "me"}>
        <Switch>
          <Match when={props.message.delivery === "sending"}>
            <span class="status">{t("chat.sending")}</span>
          </Match>
          <Match when={props.message.delivery === "failed"}>
            <span class="status failed">
              {t("chat.notSent")}{" "}
              <button type="button" class="link" onClick={() => props.onRetry(props.message.id)}>{t("chat.retry")}</button>
            </span>
          </Match>
          <Match when={props.message.read}>
            <span class="status read">{t("chat.read")}</span>
          </Match>
        </Switch>
      </Show>
    </li>
  );
}

function PromptItem(props: { prompt: Prompt; onAnswer: MessageActions["answer"] }) {
  return (
    <li class="message from-bot prompt">
      <span class="sender">{t("chat.bot")}</span>
      <p class="body">{props.prompt.body}</p>
      <Show when={props.prompt.active}>
        <PromptOptions options={props.prompt.options} onAnswer={(option) => props.onAnswer(props.prompt, option)} />
      </Show>
    </li>
  );
}

/** A question's options as large buttons (typing the number or the label works too). */
export function PromptOptions(props: { options: { id: string; label: string }[]; onAnswer: (option: { id: string; label: string }) => void }) {
  return (
    <div class="options" role="group" aria-label={t("chat.promptLabel")}>
      <For each={props.options}>
        {(option) => (
          <button type="button" class="option" onClick={() => props.onAnswer(option)}>
            {option.label}
          </button>
        )}
      </For>
    </div>
  );
}

function asMessage(card: VisitItem | LetterItem | Handoff): Message {
  return { kind: "message", id: card.id, sender: "bot", senderId: "", body: card.body, ts: 0, delivery: "sent", read: false };
}

function QueueItem(props: { queue: Queue }) {
  return (
    <li class="queue">
      <h2>{t("queue.title")}</h2>
      <div role="status">
        <p>{props.queue.position <= 1 ? t("queue.next") : t("queue.position", { position: props.queue.position })}</p>
        <p>{props.queue.waitMinutes === null ? t("queue.waitUnknown") : t("queue.wait", { minutes: props.queue.waitMinutes })}</p>
      </div>
    </li>
  );
}
