import { For } from "solid-js";
import { CRISIS_LINES, type CrisisLine, telHref } from "../../words/content.ts";
import { lang, t } from "../../words/i18n.ts";
import type { StringKey } from "../../words/strings.ts";

/** The crisis lines as large `tel:` links: one tap to call. */
export function CrisisLines() {
  return (
    <section class="crisis" aria-labelledby="crisis-title">
      <h2 id="crisis-title">{t("crisis.title")}</h2>
      <CrisisLinks />
    </section>
  );
}

/** The list itself, also behind the chat's "Call for help". */
export function CrisisLinks() {
  return (
    <ul class="crisis-links">
      <For each={CRISIS_LINES.lines}>{(line) => <li><CrisisLink line={line} /></li>}</For>
    </ul>
  );
}

function CrisisLink(props: { line: CrisisLine }) {
  return (
    <a class="crisis-call" href={telHref(props.line.number)}>
      <span class="crisis-number">{props.line.number}</span>
      <span class="crisis-name">{props.line.name[lang()]}</span>
      <span class="crisis-hours">{t(`crisis.hours.${props.line.hours}` as StringKey)}</span>
    </a>
  );
}
