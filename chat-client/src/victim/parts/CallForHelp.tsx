import { onCleanup, onMount } from "solid-js";
import { t } from "../../words/i18n.ts";
import { closeOnTapOutside } from "./close-outside.ts";
import { CrisisLinks } from "./CrisisLines.tsx";

/**
 * One "Call for help" button in the chat's top bar, opening the crisis lines,
 * each one tap from a call. A strip of bare numbers took a row of the screen
 * (56 of 640 px) and did not say what each number was.
 */
export function CallForHelp() {
  let details!: HTMLDetailsElement;
  onMount(() => onCleanup(closeOnTapOutside(details)));
  return (
    <details class="call-help" ref={details}>
      <summary>{t("callHelp.button")}</summary>
      <div class="call-help-lines">
        <h2 class="call-help-title">{t("callHelp.title")}</h2>
        <CrisisLinks />
      </div>
    </details>
  );
}
