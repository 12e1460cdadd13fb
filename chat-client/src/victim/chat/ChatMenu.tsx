import { onCleanup, onMount, Show } from "solid-js";
import { t } from "../../words/i18n.ts";
import { closeOnTapOutside } from "../parts/close-outside.ts";
import { LangSwitch } from "../../ui/LangSwitch.tsx";

/** The chat's menu: the code, keeping nothing on this phone, the language, and deleting the conversation. */
export function ChatMenu(props: { kept: boolean; onShowCode: () => void; onKeepNothing: () => void; onLangChange: () => void; onDelete: () => void }) {
  let menu!: HTMLDetailsElement;
  onMount(() => onCleanup(closeOnTapOutside(menu)));
  // A choice closes the menu, as a menu does.
  const choose = (action: () => void) => () => {
    menu.open = false;
    action();
  };
  return (
    <details class="menu" ref={menu}>
      <summary>{t("menu.title")}</summary>
      <div class="menu-items">
        <button type="button" onClick={choose(props.onShowCode)}>{t("menu.showCode")}</button>
        <Show when={props.kept}>
          <button type="button" onClick={choose(props.onKeepNothing)}>{t("menu.keepNothing")}</button>
        </Show>
        <LangSwitch onChange={choose(props.onLangChange)} />
        <button type="button" class="danger-text" onClick={choose(props.onDelete)}>{t("menu.delete")}</button>
      </div>
    </details>
  );
}
