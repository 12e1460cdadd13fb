import type { CaseJson } from "@onsafe/schema/ops-api";
import { For, Show } from "solid-js";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { SWITCH_KEYS } from "./keys.ts";
import { ago } from "./time-words.ts";
import type { RoomFacts } from "./workspace-data.ts";
import { wt } from "./workspace-strings.ts";

/** A tab's id for `aria-labelledby` (room ids hold `!` and `:`). */
export const tabId = (roomId: string) => `tab-${roomId.replace(/[^A-Za-z0-9_-]/g, "_")}`;

/** The case's category and id when known (from `me/cases`), else its place in the list. */
export function caseName(info: CaseJson | null, index: number): string {
  return info
    ? ct("conversations.case", { category: ct(`category.${info.category ?? "unknown"}` as ConsoleKey), id: info.id })
    : ct("conversations.tab", { n: index + 1 });
}

/** `caseName` with the case id kept on one line ("c-" and the rest are never split). */
export function CaseName(props: { info: CaseJson | null; index: number }) {
  const name = () => caseName(props.info, props.index);
  const id = () => props.info?.id;
  return (
    <Show when={id() && name().endsWith(id()!)} fallback={name()}>
      {name().slice(0, -id()!.length)}<span class="case-id">{id()}</span>
    </Show>
  );
}

/**
 * My conversations, most urgent first, as a vertical tab list for the conversation beside it:
 * each with its case, its flags in words (crisis, deadline, minor, waiting for a reply, ended;
 * not colour alone), its unread count and when the last message came. Arrow keys move within
 * the list (the tab pattern); Alt+ArrowUp/Down do the same from anywhere (keys.ts).
 */
export function ConversationList(props: {
  order: string[];
  caseOf: (roomId: string) => CaseJson | null;
  facts: Record<string, RoomFacts>;
  ended: (roomId: string) => boolean;
  shown: string | null;
  now: number;
  onShow: (roomId: string) => void;
}) {
  let list: HTMLDivElement | undefined;
  /** The open one's too: its read receipts cover only what was on screen (conversation/reading.ts), so what is below the edge counts. */
  const unreadOn = (roomId: string) => props.facts[roomId]?.unread ?? 0;
  const focusable = (roomId: string, index: number) => (props.order.includes(props.shown ?? "") ? props.shown === roomId : index === 0);
  const move = (event: KeyboardEvent, roomId: string) => {
    const at = props.order.indexOf(roomId);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: props.order.length - 1 }[event.key];
    if (to === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const next = props.order[(to + props.order.length) % props.order.length];
    if (!next) return;
    props.onShow(next);
    list?.querySelector<HTMLElement>(`#${tabId(next)}`)?.focus();
  };

  return (
    <section aria-labelledby="conversations-title" class="conversations">
      <h2 id="conversations-title">{ct("conversations.title")}</h2>
      <Show when={props.order.length > 0} fallback={<p class="hint">{ct("conversations.none")}</p>}>
        <div ref={list} class="conversation-tabs" role="tablist" aria-orientation="vertical" aria-labelledby="conversations-title" aria-keyshortcuts={SWITCH_KEYS}>
          <For each={props.order}>
            {(roomId, index) => {
              const info = () => props.caseOf(roomId);
              const facts = () => props.facts[roomId];
              return (
                <button
                  type="button"
                  role="tab"
                  id={tabId(roomId)}
                  class="conversation-tab"
                  classList={{ crisis: info()?.crisis === true, ended: props.ended(roomId) }}
                  aria-selected={props.shown === roomId}
                  aria-controls="conversation-panel"
                  tabindex={focusable(roomId, index()) ? 0 : -1}
                  data-room={roomId}
                  onClick={() => props.onShow(roomId)}
                  onKeyDown={(e) => move(e, roomId)}
                >
                  <span class="tab-title"><CaseName info={info()} index={index()} /></span>{" "}
                  <span class="tab-badges">
                    <Show when={info()?.crisis}>
                      <strong class="badge crisis-badge"><span aria-hidden="true">⚠ </span>{ct("conversations.crisis")}</strong>{" "}
                    </Show>
                    <Show when={info()?.deadline === "within_24h"}><strong class="badge deadline-badge">{wt("badge.deadline")}</strong>{" "}</Show>
                    <Show when={info()?.deadline === "within_week"}><span class="badge">{wt("badge.deadlineWeek")}</span>{" "}</Show>
                    <Show when={info()?.minor}><strong class="badge minor-badge">{wt("badge.minor")}</strong>{" "}</Show>
                    <Show when={!props.ended(roomId) && facts()?.waitingSince}><span class="badge waiting-badge">{wt("badge.waiting")}</span>{" "}</Show>
                    <Show when={props.ended(roomId)}><span class="badge">{ct("conversations.ended")}</span>{" "}</Show>
                    <Show when={unreadOn(roomId) > 0}><span class="badge unread-badge">{ct("conversations.unread", { count: unreadOn(roomId) })}</span>{" "}</Show>
                  </span>{" "}
                  <span class="tab-meta">
                    {facts()?.lastAt ? wt("list.last", { ago: ago(props.now - facts()!.lastAt!) }) : wt("list.noMessages")}
                  </span>
                </button>
              );
            }}
          </For>
        </div>
      </Show>
    </section>
  );
}
