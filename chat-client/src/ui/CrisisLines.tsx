import { For } from "solid-js";
import { CRISIS_LINES, telHref } from "../content.ts";
import { lang, t } from "../i18n.ts";
import type { StringKey } from "../strings.ts";

/** The crisis lines as large `tel:` links: one tap to call. */
export function CrisisLines() {
  return (
    <section class="crisis" aria-labelledby="crisis-title">
      <h2 id="crisis-title">{t("crisis.title")}</h2>
      <ul>
        <For each={CRISIS_LINES.lines}>
          {(line) => (
            <li>
              <a class="crisis-call" href={telHref(line.number)}>
                <span class="crisis-number">{line.number}</span>
                <span class="crisis-name">{line.name[lang()]}</span>
                <span class="crisis-hours">{t(`crisis.hours.${line.hours}` as StringKey)}</span>
              </a>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
