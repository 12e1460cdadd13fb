import { createEffect, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { t } from "../../words/i18n.ts";
import { Composer, type Draft } from "../../ui/Composer.tsx";
import type { LiveRoom } from "../../matrix/live-room.ts";
import { type MessageActions, MessageList, type NameOf } from "../../ui/MessageList.tsx";
import type { LetterItem, VisitItem } from "../../matrix/timeline.ts";

/**
 * One room on the victim's chat screen: its messages (kept at the newest),
 * "typing…", and the message box. With more rooms each is a (tab) panel; the
 * ones not shown stay mounted, so their scroll position and draft survive a switch.
 */
export function RoomPane(props: {
  name: string;
  live: LiveRoom;
  label: string;
  shown: boolean;
  /** Whether the screen has tabs (then this is a tab panel). */
  tabbed: boolean;
  onSend: (body: string) => void;
  onAnswer: MessageActions["answer"];
  /** "Start a new conversation" on a closed chat's card (the victim's chat only). */
  onStartAgain?: () => void;
  visitCard?: (item: VisitItem) => JSX.Element;
  letterCard?: (item: LetterItem) => JSX.Element;
  /** Who wrote a message (a referral room names the partner's staff). */
  nameOf?: NameOf;
  /** What sits above the messages (the appointments intro, "nothing is kept"). */
  children?: JSX.Element;
  /** The message box's text, when it began before this pane (on the opening screen). */
  draft?: Draft;
  /** The conversation's start is already drawn above the messages (the app's opening): no "loading" while there are none. */
  opened?: boolean;
  /** What follows the newest message (the offer to save the code). */
  after?: JSX.Element;
}) {
  let scroller!: HTMLDivElement;
  let content!: HTMLDivElement;
  /**
   * Where the view stays as things change size (messages decrypted after a
   * reload, the keyboard opening, a message's call buttons drawn): with the
   * newest message (its top when it is taller than the view: an appointment
   * card, a long question, the crisis lines; otherwise the bottom), at the
   * bottom, or nowhere once the victim scrolls up to read. A new message pins
   * it to the newest again. Whether the newest is taller than the view is
   * asked each time: it grows as it is drawn, and the keyboard shrinks the view.
   */
  let pin: "newest" | "bottom" | null = "newest";
  let ownScrollTop = -1;
  /** Where the newest message's top puts the view, when it is pinned there and taller than the view; null for the bottom. */
  const newestTop = (): number | null => {
    const newest = pin === "newest" ? newestMessage(scroller) : null;
    if (!newest || newest.offsetHeight <= scroller.clientHeight) return null;
    return newest.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 8;
  };
  const apply = () => {
    if (!scroller || !pin) return;
    scroller.scrollTo({ top: newestTop() ?? scroller.scrollHeight });
    ownScrollTop = scroller.scrollTop;
  };
  const toNewest = () => {
    if (!scroller) return;
    pin = "newest";
    apply();
  };
  /**
   * Only the victim lets go of the newest message: scrolling up, or reading on
   * down a message taller than the view. The browser moves the view too, and its
   * scroll event can come before the resize is seen (the keyboard opening): a
   * move down that leaves the view short of the bottom puts it back instead.
   */
  const onScroll = () => {
    const moved = scroller.scrollTop - ownScrollTop;
    if (Math.abs(moved) <= 2) return;
    if (scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop < 32) pin = "bottom";
    else if (moved < 0 || newestTop() !== null) pin = null;
    else apply();
  };
  createEffect(on(() => props.live.items().length, () => queueMicrotask(toNewest)));
  createEffect(on(() => props.shown, (shown) => shown && queueMicrotask(toNewest), { defer: true }));
  onMount(() => {
    const resized = new ResizeObserver(apply);
    resized.observe(scroller);
    resized.observe(content);
    onCleanup(() => resized.disconnect());
  });

  return (
    <div
      class="pane"
      id={`panel-${props.name}`}
      role={props.tabbed ? "tabpanel" : undefined}
      aria-labelledby={props.tabbed ? `tab-${props.name}` : undefined}
      hidden={!props.shown}
    >
      <div class="chat-scroll" ref={scroller} tabindex="0" onScroll={onScroll}>
        <div ref={content}>
          {props.children}
          <Show when={props.live.items().length > 0} fallback={props.opened ? null : <p class="loading" role="status">{t("chat.loading")}</p>}>
            <MessageList items={props.live.items()} actions={{ answer: props.onAnswer, retry: props.live.retry, startAgain: props.onStartAgain }} label={props.label} visitCard={props.visitCard} letterCard={props.letterCard} nameOf={props.nameOf} />
          </Show>
          {props.after}
        </div>
      </div>
      <p class="typing" role="status" aria-live="polite">{props.live.typing() ? t("chat.typing") : ""}</p>
      <Composer id={`composer-${props.name}`} draft={props.draft} onSend={props.onSend} onTyping={props.live.sendTyping} />
    </div>
  );
}

/**
 * The last message drawn: the timeline's, below the app's opening (a list of its own) when there is one,
 * or a card after them that ends the conversation (`.pane-end`: a room nobody is left in).
 */
function newestMessage(scroller: HTMLElement): HTMLElement | null {
  const all = scroller.querySelectorAll<HTMLElement>(".messages > li, .pane-end");
  return all.length > 0 ? all[all.length - 1] : null;
}
