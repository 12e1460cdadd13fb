import { For } from "solid-js";
import { CRISIS_LINES, telHref } from "../content.ts";
import { lang, t } from "../i18n.ts";

/** The crisis numbers in one row under the chat's top bar: each one tap from a call. */
export function CrisisStrip() {
  return (
    <nav class="crisis-strip" aria-label={t("crisis.open")}>
      <For each={CRISIS_LINES.lines}>
        {(line) => (
          <a href={telHref(line.number)} aria-label={t("crisis.call", { name: `${line.name[lang()]} ${line.number}` })}>
            {line.number}
          </a>
        )}
      </For>
    </nav>
  );
}
