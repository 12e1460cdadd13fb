import { For, Show } from "solid-js";
import { at } from "./appointment-strings.ts";

export type Tab = "chat" | "appointments" | "referrals";

const LABELS = { chat: "tabs.chat", appointments: "tabs.appointments", referrals: "tabs.referrals" } as const;

/**
 * "Chat", then "Appointments" and "Referrals" once a bot has opened such a
 * room. A dot marks a tab not shown when it has something new. Arrow keys move
 * between the tabs, as the WAI-ARIA tabs pattern has it.
 */
export function ChatTabs(props: { tabs: Tab[]; active: Tab; unread: (tab: Tab) => boolean; onSelect: (tab: Tab) => void }) {
  const move = (from: Tab, step: number) => {
    const tabs = props.tabs;
    const next = tabs[(tabs.indexOf(from) + step + tabs.length) % tabs.length]!;
    props.onSelect(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={at("tabs.label")}>
      <For each={props.tabs}>
        {(tab) => (
          <button
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-controls={`panel-${tab}`}
            aria-selected={props.active === tab}
            tabindex={props.active === tab ? 0 : -1}
            onClick={() => props.onSelect(tab)}
            onKeyDown={(e) => {
              if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                e.preventDefault();
                move(tab, e.key === "ArrowRight" ? 1 : -1);
              }
            }}
          >
            {at(LABELS[tab])}
            <Show when={props.active !== tab && props.unread(tab)}>
              <span class="dot" aria-hidden="true" />
              <span class="visually-hidden">{` (${at("tabs.new")})`}</span>
            </Show>
          </button>
        )}
      </For>
    </div>
  );
}
