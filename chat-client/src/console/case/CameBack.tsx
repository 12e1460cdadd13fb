import { Show } from "solid-js";
import type { PreviousCaseJson } from "@onsafe/schema/ops-api";
import { lang } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { rt } from "./returning-strings.ts";

const LOCALES: Record<Lang, string> = { ko: "ko-KR", en: "en-GB" };

/**
 * One line in the case header when the victim came back and agreed the new
 * counsellor may know (docs/CRISIS.md "Returning victims"): when the earlier
 * chat closed, with whom, and how. Nothing more of it reaches the console.
 */
export function CameBack(props: { previous: PreviousCaseJson | null | undefined; nameOf: (userId: string) => string }) {
  return (
    <Show when={props.previous}>
      {(p) => (
        <p class="came-back" data-case={p().id}>
          {rt("cameBack", {
            date: p().closed_at === null ? "?" : new Intl.DateTimeFormat(LOCALES[lang()], { dateStyle: "medium" }).format(p().closed_at!),
            name: p().assigned_to === null ? "?" : props.nameOf(p().assigned_to!),
            outcome: p().outcome === null ? rt("cameBack.noOutcome") : ct(`outcome.${p().outcome}` as ConsoleKey),
          })}
        </p>
      )}
    </Show>
  );
}
