import { onCleanup, onMount } from "solid-js";
import { listenForDoubleEscape, quickExit } from "../device/quick-exit.ts";
import { lang, t } from "../../words/i18n.ts";

/** The quick-exit button, on every screen; Escape twice does the same. */
export function QuickExit() {
  onMount(() => onCleanup(listenForDoubleEscape(() => quickExit(lang()))));
  return (
    <button type="button" class="quick-exit" aria-label={t("exit.label")} onClick={() => quickExit(lang())}>
      {t("exit.button")}
    </button>
  );
}
