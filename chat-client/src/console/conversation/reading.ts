/**
 * How a companion reads a conversation (issue 19: a crisis victim's message sat
 * below the edge for minutes while her phone said "Read"):
 * - the message list stays at the newest message unless the companion scrolls up;
 *   reaching the end again follows it again, and so does sending a message;
 * - opened, it starts at the first message not yet read (the newest when all are);
 * - a message is seen once its end is on screen (inside the list's visible part,
 *   every clipping parent and the window) while the page is visible and focused;
 *   read receipts follow what was seen, never more; the list's end seen, so is
 *   what is not drawn in it (the summary the case panel shows, a member leaving);
 * - something not yet seen below the view is offered with "New messages ↓".
 * Every measure is taken when needed, so any size of list works.
 */
import { createSignal, onCleanup } from "solid-js";

/** Within this many pixels of the end, the view is at the newest message and follows it. */
const AT_END_PX = 24;
/** Room left above a message brought into view, so the one before it shows. */
const CONTEXT_PX = 12;

export interface ReadingOptions {
  /** Ids of the messages from others not yet read (after my read receipt), oldest first. */
  unread: () => string[];
  /** The newest item seen so far, each time that moves on (for the read receipt); null: the list's end. */
  onSeen: (id: string | null) => void;
}

export function createReading(options: ReadingOptions) {
  let scroller: HTMLElement | undefined;
  /** Whether the view follows the newest message; false once the companion scrolls up. */
  let following = true;
  /** A conversation is placed (at its first unread message or its end) once it has items drawn. */
  let placed = false;
  let lastTop = 0;
  let seenId: string | null = null;
  let frame = 0;
  const [newBelow, setNewBelow] = createSignal(false);

  const items = () => [...(scroller?.querySelectorAll<HTMLElement>(".messages > li[data-id]") ?? [])];
  const indexOf = (all: HTMLElement[], id: string | null) => (id === null ? -1 : all.findIndex((item) => item.dataset.id === id));
  const atEnd = (view: HTMLElement) => view.scrollHeight - view.clientHeight - view.scrollTop <= AT_END_PX;
  const scrollTo = (view: HTMLElement, top: number) => {
    view.scrollTop = top;
    lastTop = view.scrollTop;
  };
  const toEnd = (view: HTMLElement) => {
    following = true;
    scrollTo(view, view.scrollHeight);
  };
  /** Puts `item` at the top of the view (as far as the list goes), following if that is the end. */
  const bringUp = (view: HTMLElement, item: HTMLElement) => {
    scrollTo(view, view.scrollTop + item.getBoundingClientRect().top - view.getBoundingClientRect().top - CONTEXT_PX);
    following = atEnd(view);
  };
  const look = () => {
    if (!frame) frame = requestAnimationFrame(measure);
  };

  /** The items or a size changed: keep the view where it belongs. */
  const keep = () => {
    const view = scroller;
    if (!view) return;
    if (!placed) {
      const all = items();
      if (all.length === 0) return;
      placed = true;
      const unread = new Set(options.unread());
      const first = all.find((item) => unread.has(item.dataset.id!));
      if (first) bringUp(view, first);
      else toEnd(view);
    } else if (following) {
      toEnd(view);
    }
    look();
  };

  /**
   * What is on screen now: the newest item whose end shows moves the seen mark on (the list's
   * end, however often it moves on); what is unseen below shows the button.
   */
  const measure = () => {
    frame = 0;
    const view = scroller;
    if (!view) return;
    const box = visibleBox(view);
    const all = items();
    const before = indexOf(all, seenId);
    const looking = box !== null && document.visibilityState === "visible" && document.hasFocus();
    // The newest item whose end is in view; one ending above the view was scrolled past, not seen now.
    // One still being decrypted ("opening") is not read yet.
    let onScreen = -1;
    for (let i = all.length - 1; looking && i >= 0; i--) {
      const { bottom } = all[i]!.getBoundingClientRect();
      if (bottom > box.bottom + 1 || all[i]!.classList.contains("opening")) continue;
      if (bottom >= box.top - 1) onScreen = i;
      break;
    }
    const seen = Math.max(before, onScreen);
    if (seen > before) seenId = all[seen]!.dataset.id!;
    if (looking && onScreen === all.length - 1) options.onSeen(null);
    else if (seen > before) options.onSeen(seenId);
    const unread = new Set(options.unread());
    setNewBelow(box !== null && all.some((item, i) => i > seen && unread.has(item.dataset.id!) && item.getBoundingClientRect().bottom > box.bottom + 1));
  };

  /** Only the companion lets go of the newest message, by scrolling up; reaching the end follows it again. */
  const onScroll = () => {
    const view = scroller;
    if (!view) return;
    const moved = view.scrollTop - lastTop;
    lastTop = view.scrollTop;
    if (atEnd(view)) following = true;
    else if (moved < -1) following = false;
    look();
  };

  return {
    newBelow,
    /** Watches `view` (the scrolling list) and `content` (what it holds) until the component goes. */
    attach(view: HTMLElement, content: HTMLElement) {
      scroller = view;
      view.addEventListener("scroll", onScroll, { passive: true });
      const resized = new ResizeObserver(keep);
      resized.observe(view);
      resized.observe(content);
      // The window or a parent scrolled, the page was hidden or shown, focus came or went: what is on screen changed.
      window.addEventListener("scroll", look, { capture: true, passive: true });
      window.addEventListener("resize", look);
      window.addEventListener("focus", look);
      window.addEventListener("blur", look);
      document.addEventListener("visibilitychange", look);
      onCleanup(() => {
        view.removeEventListener("scroll", onScroll);
        resized.disconnect();
        window.removeEventListener("scroll", look, { capture: true });
        window.removeEventListener("resize", look);
        window.removeEventListener("focus", look);
        window.removeEventListener("blur", look);
        document.removeEventListener("visibilitychange", look);
        cancelAnimationFrame(frame);
      });
    },
    /** "New messages ↓": the first one not yet seen comes to the top of the view (the end, when all fit). */
    showNew() {
      const view = scroller;
      if (!view) return;
      const all = items();
      const unread = new Set(options.unread());
      const next = all.find((item, i) => i > indexOf(all, seenId) && unread.has(item.dataset.id!));
      if (next) bringUp(view, next);
      else toEnd(view);
      // The button goes once they are seen: the keyboard stays in the list.
      view.focus({ preventScroll: true });
      look();
    },
    /** The items changed (a message decrypted, one more): keep the view and look again. */
    changed: keep,
    /** Back to the newest message and following it (the companion sent one). */
    toNewest() {
      if (scroller) toEnd(scroller);
      look();
    },
  };
}

/** The part of `element`'s client area on screen: clipped by every parent that clips and by the window; null when none is. */
function visibleBox(element: HTMLElement): { top: number; bottom: number } | null {
  if (!element.checkVisibility({ visibilityProperty: true })) return null;
  let top = element.getBoundingClientRect().top + element.clientTop;
  let bottom = top + element.clientHeight;
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    if (getComputedStyle(parent).overflowY === "visible") continue;
    const box = parent.getBoundingClientRect();
    top = Math.max(top, box.top);
    bottom = Math.min(bottom, box.bottom);
  }
  top = Math.max(top, 0);
  bottom = Math.min(bottom, window.innerHeight);
  return bottom > top ? { top, bottom } : null;
}
