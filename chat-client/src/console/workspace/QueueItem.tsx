import type { QueueEntryJson } from "@onsafe/schema/ops-api";
import { type JSX, Show } from "solid-js";
import { ct } from "../shell/ct.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { wt } from "./workspace-strings.ts";

/**
 * One waiting or offered case: ids and triage flags only (the ops API never carries what the victim wrote).
 * `note` comes first in bold (an offer's transfer and countdown); `children` are its buttons.
 * The case id is always shown, and a case back after its closing says so (`reopened_at`): the
 * companion who closed it can tell it is the victim they just spoke with, not a new one.
 */
export function QueueItem(props: { entry: QueueEntryJson; note?: JSX.Element; children: JSX.Element }) {
  const e = () => props.entry;
  return (
    <li class={`case${e().crisis ? " crisis" : ""}`} data-case={e().id}>
      <div class="case-facts">
        <Show when={props.note}>{props.note}</Show>
        <Show when={e().reopened_at !== null}><strong class="badge reopened-badge">{wt("badge.reopened")}</strong></Show>
        <Show when={e().crisis}><strong class="badge crisis-badge">{ct("queue.crisis")}</strong></Show>
        <Show when={e().minor}><strong class="badge minor-badge">{ct("queue.minor")}</strong></Show>
        <span class="case-id">{wt("queue.case", { id: e().id })}</span>
        <span class="category">{ct(`category.${e().category ?? "unknown"}` as ConsoleKey)}</span>
        {/* A colleague's transfer has no place in the line (position 0). */}
        <Show when={e().position > 0}><span>{ct("queue.position", { position: e().position })}</span></Show>
        <span>{ct("queue.priority", { priority: e().priority })}</span>
        <span>{ct("queue.language", { language: e().language ?? "?" })}</span>
        <span>{ct("queue.waiting", { minutes: Math.floor(e().waiting_ms / 60_000) })}</span>
        <Show when={e().offered_to && !props.note}><span>{ct("queue.offered")}</span></Show>
      </div>
      <div class="row">{props.children}</div>
    </li>
  );
}
