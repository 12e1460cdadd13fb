import { For, Show } from "solid-js";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { ConversationView } from "../conversation/ConversationView.tsx";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";

/**
 * My open conversations as tabs with unread counts (counted by the dashboard); the shown one below.
 * A crisis and an ended conversation say so on their tab in words, not by colour alone.
 */
export function Conversations(props: {
  session: StaffSession;
  roomIds: string[];
  unread: Record<string, number>;
  caseOf: (roomId: string) => CaseJson | null;
  ended: (roomId: string) => boolean;
  /** The conversation asked for (a tab chosen, a case just taken); the first is shown while it is not joined. */
  shown: string | null;
  onShow: (roomId: string) => void;
  /** The conversation whose composer takes the focus once it shows. */
  focusOn: string | null;
  onFocused: () => void;
  onLeft: () => void;
}) {
  /** The open conversation is being read: no badge on its tab. */
  const unreadOn = (roomId: string) => (roomId === current() ? 0 : props.unread[roomId] ?? 0);
  /** The case's category and id when known (from `me/cases`), else its place in the list. */
  const tabName = (roomId: string, index: number) => {
    const info = props.caseOf(roomId);
    return info
      ? ct("conversations.case", { category: ct(`category.${info.category ?? "unknown"}` as ConsoleKey), id: info.id })
      : ct("conversations.tab", { n: index + 1 });
  };
  const current = () => (props.roomIds.includes(props.shown ?? "") ? props.shown : props.roomIds[0] ?? null);

  return (
    <section aria-labelledby="conversations-title" class="conversations">
      <h2 id="conversations-title">{ct("conversations.title")}</h2>
      <Show when={props.roomIds.length > 0} fallback={<p>{ct("conversations.none")}</p>}>
        <div class="tabs" role="tablist" aria-labelledby="conversations-title">
          <For each={props.roomIds}>
            {(roomId, index) => (
              <button
                type="button"
                role="tab"
                id={`tab-${index()}`}
                classList={{ crisis: props.caseOf(roomId)?.crisis === true }}
                aria-selected={current() === roomId}
                aria-controls="conversation-panel"
                data-room={roomId}
                onClick={() => props.onShow(roomId)}
              >
                <Show when={props.caseOf(roomId)?.crisis}>
                  <strong class="badge crisis-badge"><span aria-hidden="true">⚠ </span>{ct("conversations.crisis")}</strong>{" "}
                </Show>
                {tabName(roomId, index())}
                <Show when={props.ended(roomId)}>
                  {" "}<span class="badge">{ct("conversations.ended")}</span>
                </Show>
                <Show when={unreadOn(roomId) > 0}>
                  {" "}<span class="badge">{ct("conversations.unread", { count: unreadOn(roomId) })}</span>
                </Show>
              </button>
            )}
          </For>
        </div>
        <div id="conversation-panel" role="tabpanel">
          <Show when={current()} keyed>
            {(roomId) => (
              <ConversationView
                session={props.session}
                roomId={roomId}
                caseInfo={props.caseOf(roomId)}
                ended={props.ended(roomId)}
                focusComposer={props.focusOn === roomId}
                onFocused={props.onFocused}
                onLeft={props.onLeft}
              />
            )}
          </Show>
        </div>
      </Show>
    </section>
  );
}
