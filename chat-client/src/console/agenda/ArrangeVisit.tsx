import { APPOINTMENT_KINDS, type AppointmentKind } from "@onsafe/schema/scheduling";
import { createSignal, For } from "solid-js";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { VisitRequest } from "./visit-request.ts";

/** "Arrange a visit": a kind, or the victim's choice, then the scheduling bot takes it to the appointments chat. */
export function ArrangeVisit(props: { request: VisitRequest }) {
  const [kind, setKind] = createSignal<AppointmentKind | "">("");
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void props.request.arrange(kind() || undefined);
  };
  return (
    <details>
      <summary>{ct("visit.title")}</summary>
      <form onSubmit={submit} class="action-form">
        <label for="visit-kind">{ct("visit.kind")}</label>
        <select id="visit-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as AppointmentKind | "")}>
          <option value="">{ct("visit.victimChooses")}</option>
          <For each={APPOINTMENT_KINDS}>{(k) => <option value={k}>{ct(`kind.${k}` as ConsoleKey)}</option>}</For>
        </select>
        <button type="submit" class="primary" disabled={props.request.working()}>{ct("visit.arrange")}</button>
      </form>
    </details>
  );
}
