import type { JSX } from "solid-js";
import { LangSwitch } from "./LangSwitch.tsx";
import { QuickExit } from "./QuickExit.tsx";

/** The bar on top of every screen: name, language, optional extra controls, quick exit. */
export function TopBar(props: { children?: JSX.Element; onLangChange?: () => void }) {
  return (
    <header class="top-bar">
      <span class="brand">onsafe</span>
      <div class="top-actions">
        {props.children}
        <LangSwitch onChange={props.onLangChange} />
        <QuickExit />
      </div>
    </header>
  );
}
