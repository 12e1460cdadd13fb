import { createSignal, For, Show } from "solid-js";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { ConversationView } from "./ConversationView.tsx";
import type { ConsoleKey } from "./console-strings.ts";
import { ct } from "./ct.ts";
import type { StaffSession } from "./staff-session.ts";

/** My open conversations as tabs with unread counts (counted by the dashboard); the chosen one below. */
export function Conversations(props: {
  session: StaffSession;
  roomIds: string[];
  unread: Record<string, number>;
  caseOf: (roomId: string) => CaseJson | null;
  onLeft: () => void;
}) {
  const [chosen, setChosen] = createSignal<string | null>(null);
  /** The open conversation is being read: no badge on its tab. */
  const unreadOn = (roomId: string) => (roomId === current() ? 0 : props.unread[roomId] ?? 0);
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
                onClick={() => setChosen(roomId)}
              >
                {tabName(roomId, index())}
                <Show when={unreadOn(roomId) > 0}>
                  {" "}<span class="badge">{ct("conversations.unread", { count: unreadOn(roomId) })}</span>
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
