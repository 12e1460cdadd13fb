import { createSignal, For, onCleanup, Show } from "solid-js";
import { onRoomChanges } from "../chat/room-changes.ts";
import { unreadCount } from "../chat/room-view.ts";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { ConversationView } from "./ConversationView.tsx";
import type { ConsoleKey } from "./console-strings.ts";
import { ct } from "./ct.ts";
import type { StaffSession } from "./staff-session.ts";

/** My open conversations as tabs with unread counts; the chosen one below. */
export function Conversations(props: { session: StaffSession; roomIds: string[]; caseOf: (roomId: string) => CaseJson | null; onLeft: () => void }) {
  const client = props.session.client;
  const me = props.session.login.userId;
  const [chosen, setChosen] = createSignal<string | null>(null);
  const [unread, setUnread] = createSignal<Record<string, number>>({});
  const countUnread = () => {
    const counts: Record<string, number> = {};
    for (const roomId of props.roomIds) {
      const room = client.getRoom(roomId);
      counts[roomId] = room && roomId !== chosen() ? unreadCount(room, me) : 0;
    }
    setUnread(counts);
  };
  onCleanup(onRoomChanges(client, countUnread));
  /** The case's category and id when known (from `me/cases`), else its place in the list. */
  const tabName = (roomId: string, index: number) => {
    const info = props.caseOf(roomId);
    return info
      ? ct("conversations.case", { category: ct(`category.${info.category ?? "unknown"}` as ConsoleKey), id: info.id })
      : ct("conversations.tab", { n: index + 1 });
  };
  const current = () => (props.roomIds.includes(chosen() ?? "") ? chosen() : props.roomIds[0] ?? null);

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
                aria-selected={current() === roomId}
                aria-controls="conversation-panel"
                data-room={roomId}
                onClick={() => {
                  setChosen(roomId);
                  countUnread();
                }}
              >
                {tabName(roomId, index())}
                <Show when={(unread()[roomId] ?? 0) > 0}>
                  {" "}<span class="badge">{ct("conversations.unread", { count: unread()[roomId]! })}</span>
                </Show>
              </button>
            )}
          </For>
        </div>
        <div id="conversation-panel" role="tabpanel">
          <Show when={current()} keyed>
            {(roomId) => <ConversationView session={props.session} roomId={roomId} caseInfo={props.caseOf(roomId)} onLeft={props.onLeft} />}
          </Show>
        </div>
      </Show>
    </section>
  );
}
