import { For, Show } from "solid-js";
import { at } from "./appointment-strings.ts";

export const TABS = ["chat", "appointments"] as const;
export type Tab = (typeof TABS)[number];

/**
 * "Chat" and "Appointments", once the scheduling bot has opened its room. A
 * dot marks the tab not shown when it has something new. Arrow keys move
 * between the tabs, as the WAI-ARIA tabs pattern has it.
 */
export function ChatTabs(props: { active: Tab; unread: (tab: Tab) => boolean; onSelect: (tab: Tab) => void }) {
  const label = (tab: Tab) => (tab === "chat" ? at("tabs.chat") : at("tabs.appointments"));
  const move = (from: Tab, step: number) => {
    const next = TABS[(TABS.indexOf(from) + step + TABS.length) % TABS.length]!;
    props.onSelect(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={at("tabs.label")}>
      <For each={TABS}>
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
            {label(tab)}
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
