import type { JSX } from "solid-js";
import { LangSwitch } from "../../ui/LangSwitch.tsx";
import { QuickExit } from "./QuickExit.tsx";

/**
 * The bar on top of every screen, quick exit always at its end. Before the
 * chat: the name and the language switch. The chat passes its own controls
 * instead (call for help, and a menu that holds the language), so the bar
 * stays one row on a 360 px phone.
 */
export function TopBar(props: { children?: JSX.Element }) {
  return (
    <header class="top-bar">
      {props.children ?? (
        <>
          <span class="brand">onsafe</span>
          <div class="top-actions">
            <LangSwitch />
          </div>
        </>
      )}
      <QuickExit />
    </header>
  );
}
