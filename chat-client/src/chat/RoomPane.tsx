import { createEffect, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n.ts";
import { Composer, type Draft } from "./Composer.tsx";
import type { LiveRoom } from "./live-room.ts";
import { type MessageActions, MessageList, type NameOf } from "./MessageList.tsx";
import type { LetterItem, VisitItem } from "./timeline.ts";

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
   * Whether the view stays at the newest message. Messages keep changing height
   * after they arrive (decrypted after a reload, the keyboard opening), so the
   * view follows every change in size until the victim scrolls up to read.
   */
  let following = true;
  let ownScrollTop = -1;
  // To the newest message; one taller than the view (an appointment card) is shown from its top.
  const toNewest = () => {
    if (!scroller || !following) return;
    const newest = scroller.querySelector<HTMLElement>(".messages > li:last-child");
    const view = scroller.getBoundingClientRect();
    const tall = newest && newest.offsetHeight > scroller.clientHeight;
    scroller.scrollTo({ top: tall ? newest.getBoundingClientRect().top - view.top + scroller.scrollTop - 8 : scroller.scrollHeight });
    ownScrollTop = scroller.scrollTop;
  };
  const onScroll = () => {
    if (Math.abs(scroller.scrollTop - ownScrollTop) <= 2) return;
    following = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop < 32;
  };
  // A new message brings the view down to it, as before.
  createEffect(on(() => props.live.items().length, () => {
    following = true;
    queueMicrotask(toNewest);
  }));
  createEffect(on(() => props.shown, (shown) => shown && queueMicrotask(toNewest), { defer: true }));
  onMount(() => {
    const resized = new ResizeObserver(toNewest);
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
            <MessageList items={props.live.items()} actions={{ answer: props.onAnswer, retry: props.live.retry }} label={props.label} visitCard={props.visitCard} letterCard={props.letterCard} nameOf={props.nameOf} />
          </Show>
          {props.after}
        </div>
      </div>
      <p class="typing" role="status" aria-live="polite">{props.live.typing() ? t("chat.typing") : ""}</p>
      <Composer id={`composer-${props.name}`} draft={props.draft} onSend={props.onSend} onTyping={props.live.sendTyping} />
    </div>
  );
}
