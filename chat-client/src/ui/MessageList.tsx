import { For, type JSX, Match, Show, Switch } from "solid-js";
import { telHref } from "../words/content.ts";
import { t } from "../words/i18n.ts";
import { closingT } from "./closing-strings.ts";
import { phoneParts } from "./phone-links.ts";
import type { ChatItem, LetterItem, VisitItem } from "../matrix/timeline.ts";

export type Message = Extract<ChatItem, { kind: "message" }>;
type Prompt = Extract<ChatItem, { kind: "prompt" }>;
type Queue = Extract<ChatItem, { kind: "queue" }>;
type Handoff = Extract<ChatItem, { kind: "handoff" }>;
type Closed = Extract<ChatItem, { kind: "closed" }>;

export interface MessageActions {
  answer: (prompt: { promptId: string }, option: { id: string; label: string }) => void;
  retry: (id: string) => void;
  /** "Start a new conversation" on the closed-chat card (the victim app; docs/CRISIS.md "Returning victims"). */
  startAgain?: () => void;
}

/** Who wrote a message, as the victim app names them; the console passes its own. */
export type NameOf = (message: Message) => string;

export const victimNames: NameOf = (m) => (m.sender === "me" ? t("chat.you") : m.sender === "bot" ? t("chat.bot") : t("chat.companion"));

/**
 * The conversation as a log: new messages are announced to screen readers.
 * Each item's element carries its id (`data-id`), for a view that follows what is on screen.
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
  /** When a message was sent, as the view says it ("14:05"); without it no times are shown (the victim app). */
  time?: (ts: number) => string;
}) {
  const nameOf = (m: Message) => (props.nameOf ?? victimNames)(m);
  return (
    <div role="log" aria-live="polite" aria-relevant="additions" aria-label={props.label ?? t("chat.title")}>
    <ol class="messages">
      <For each={props.items}>
        {(item) => (
          <Switch>
            <Match when={item.kind === "message" && item}>{(m) => <MessageBubble message={m()} name={nameOf(m())} onRetry={props.actions.retry} attachment={props.attachment} time={props.time} />}</Match>
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
            <Match when={item.kind === "closed" && item}>{(c) => <ClosedItem closed={c()} onStartAgain={props.actions.startAgain} />}</Match>
            <Match when={item.kind === "summary"}>
              {/* Only that it was passed on: the answers themselves (risk included) could be read over a shoulder. */}
              <li class="summary" data-id={item.id}>{t("chat.summary")}</li>
            </Match>
            <Match when={item.kind === "unreadable" && item}>
              {(u) => <li class="message unreadable" data-id={u().id} classList={{ opening: u().opening }}>{u().opening ? t("chat.opening") : t("chat.cannotRead")}</li>}
            </Match>
          </Switch>
        )}
      </For>
    </ol>
    </div>
  );
}

function MessageBubble(props: { message: Message; name: string; onRetry: (id: string) => void; attachment?: (m: Message) => JSX.Element; time?: (ts: number) => string }) {
  return (
    <li class={`message from-${props.message.sender}`} data-id={props.message.id}>
      <span class="sender">{props.name}</span>
      <Show when={props.time}>{(time) => <>{" "}<time class="time" dateTime={new Date(props.message.ts).toISOString()}>{time()(props.message.ts)}</time></>}</Show>
      <p class="body">{props.message.sender === "me" ? props.message.body : <WithPhoneLinks text={props.message.body} />}</p>
      <Show when={props.message.calls}>{(calls) => <CallButtons calls={calls()} />}</Show>
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
    <li class="message from-bot prompt" data-id={props.prompt.id}>
      <span class="sender">{t("chat.bot")}</span>
      <p class="body"><WithPhoneLinks text={props.prompt.body} /></p>
      <Show when={props.prompt.active}>
        <PromptOptions options={props.prompt.options} onAnswer={(option) => props.onAnswer(props.prompt, option)} />
      </Show>
    </li>
  );
}

/** Text with its phone numbers as `tel:` links (numbers the victim should be able to call with one tap). */
function WithPhoneLinks(props: { text: string }) {
  return <For each={phoneParts(props.text)}>{(part) => ("tel" in part ? <a href={part.tel}>{part.text}</a> : part.text)}</For>;
}

/** A bot's lines to call now (`org.onsafe.call`), as large buttons under its message. */
function CallButtons(props: { calls: { number: string; label: string }[] }) {
  return (
    <ul class="call-lines">
      <For each={props.calls}>{(line) => <li><a class="call-button" href={telHref(line.number)}>{line.label}</a></li>}</For>
    </ul>
  );
}

/**
 * A question's options as large buttons, numbered as the bot's text numbers
 * them, so typing the number or the label works too. The number is drawn by
 * CSS and said in the button's name; its text stays the label.
 */
export function PromptOptions(props: { options: { id: string; label: string }[]; onAnswer: (option: { id: string; label: string }) => void }) {
  return (
    <div class="options" role="group" aria-label={t("chat.promptLabel")}>
      <For each={props.options}>
        {(option, index) => (
          <button type="button" class="option" aria-label={`${index() + 1}. ${option.label}`} onClick={() => props.onAnswer(option)}>
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

/**
 * The chat was closed by the counsellor: how to come back (write here, or start
 * a new conversation where the view offers it), and the lines to call, one tap each.
 */
function ClosedItem(props: { closed: Closed; onStartAgain?: () => void }) {
  return (
    <li class="chat-closed">
      <h2>{closingT("closed.title")}</h2>
      <p>{closingT("closed.body")}</p>
      <Show when={props.onStartAgain}>
        {(start) => <p><button type="button" class="primary start-again" onClick={() => start()()}>{t("startAgain.button")}</button></p>}
      </Show>
      <Show when={props.closed.calls}>
        {(calls) => (
          <>
            <p>{closingT("closed.lines")}</p>
            <CallButtons calls={calls()} />
          </>
        )}
      </Show>
    </li>
  );
}

function QueueItem(props: { queue: Queue }) {
  return (
    <li class="queue" data-id={props.queue.id}>
      <h2>{t("queue.title")}</h2>
      <div role="status">
        <p>{props.queue.position <= 1 ? t("queue.next") : t("queue.position", { position: props.queue.position })}</p>
        <p>{props.queue.waitMinutes === null ? t("queue.waitUnknown") : t("queue.wait", { minutes: props.queue.waitMinutes })}</p>
      </div>
    </li>
  );
}
