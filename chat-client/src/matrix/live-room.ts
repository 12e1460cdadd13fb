/**
 * What a chat view shows of one room, kept up to date: its chat items, whether
 * another person is typing, and read receipts while the page is visible: for
 * the newest message from others (the victim's chat, which brings each new
 * message into view), or only for what the view reports seen (the console's
 * conversations, whose companion may be reading further up). A message whose
 * keys have not come yet is "still opening" for a while (`key-wait.ts`) before
 * it is "can't be read".
 */
import type { MatrixClient, MatrixEvent } from "matrix-js-sdk";
import { createEffect, createSignal, on, onCleanup } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { KeyWait } from "./key-wait.ts";
import { onRoomChanges } from "./room-changes.ts";
import { findPending, newestFromOthers, newestSeenFromOthers, othersTyping, readByOthers, resend, timelineEvents } from "./room-view.ts";
import { chatItems, type ChatItem } from "./timeline.ts";

export interface LiveRoomOptions {
  /** Whether the bot's latest question offers buttons (the victim's to answer; not in the console). */
  promptButtons: boolean;
  /** Whether the room is on screen (the victim's tabs hide one); read receipts wait for it. Default: always. */
  shown?: () => boolean;
  /** The victim's view: a counsellor's arrival ends the questions and the place in line (`ChatItemOptions`). */
  counsellorEndsTriage?: boolean;
  /**
   * "seen": read receipts go only as far as the view reports with `seen(id)`, never
   * further (issue 19: a message below the edge was marked read). Default "newest".
   */
  receipts?: "newest" | "seen";
}

export type LiveRoom = ReturnType<typeof createLiveRoom>;

export function createLiveRoom(client: MatrixClient, roomId: () => string | null, me: string, options: LiveRoomOptions) {
  // Reconciled by event id, so a refresh changes only the items that changed and the log does not re-announce.
  const [view, setView] = createStore<{ items: ChatItem[] }>({ items: [] });
  const [typing, setTyping] = createSignal(false);
  let lastReceipt: string | null = null;
  const keyWait = new KeyWait();
  let lookAgain: ReturnType<typeof setTimeout> | undefined;
  const room = () => {
    const id = roomId();
    return id ? client.getRoom(id) : null;
  };

  const refresh = () => {
    const current = room();
    if (!current) return;
    const now = Date.now();
    const items = chatItems(timelineEvents(current, keyWait, now), me, readByOthers(current, me), { counsellorEndsTriage: options.counsellorEndsTriage });
    // When a wait for keys ends without news from the SDK, the message becomes "can't be read".
    clearTimeout(lookAgain);
    const next = keyWait.nextEnd(now);
    if (next !== null) lookAgain = setTimeout(refresh, next + 50);
    setView("items", reconcile(options.promptButtons ? items : items.map((i) => (i.kind === "prompt" || i.kind === "visit" || i.kind === "letter" ? { ...i, active: false } : i)), { key: "id" }));
    setTyping(othersTyping(current, me));
    if (options.receipts !== "seen") sendReceipt(newestFromOthers(current, me));
  };
  const sendReceipt = (event: MatrixEvent | null) => {
    if (!event || event.getId() === lastReceipt || document.visibilityState !== "visible" || !(options.shown?.() ?? true)) return;
    const id = event.getId() ?? null;
    lastReceipt = id;
    // One that did not go out is tried again on the next refresh or report.
    void client.sendReadReceipt(event).catch(() => { if (lastReceipt === id) lastReceipt = null; });
  };
  onCleanup(onRoomChanges(client, refresh));
  onCleanup(() => clearTimeout(lookAgain));
  refresh();
  if (options.shown) createEffect(on(options.shown, (shown) => shown && refresh(), { defer: true }));

  return {
    items: () => view.items,
    typing,
    refresh,
    /** The reader has seen up to this item, or (null) to the end (with `receipts: "seen"`): a receipt for what is new up to there. */
    seen(id: string | null) {
      const current = room();
      if (current && options.receipts === "seen") sendReceipt(newestSeenFromOthers(current, me, id));
    },
    /** Sends again a message that did not go out. */
    retry(id: string) {
      const current = room();
      const event = current && findPending(current, id);
      if (current && event) resend(client, current, event);
    },
    sendTyping(on: boolean) {
      const id = roomId();
      if (id) void client.sendTyping(id, on, 6000).catch(() => undefined);
    },
  };
}
