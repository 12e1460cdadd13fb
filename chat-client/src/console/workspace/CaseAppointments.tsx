import type { AppointmentJson } from "@onsafe/schema/ops-api";
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { AppointmentItem } from "../agenda/AppointmentItem.tsx";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";

const REFRESH_MS = 10_000;
/** The service's time zone, asked once per page rather than at each switch of conversation. */
let serviceZone: string | null = null;

/**
 * The case's appointments in the case panel, as the agenda shows them (kind, time on the
 * service's clock, place kind, status; change or cancel), read every 10 s and when a visit
 * is arranged (`changed` moves). Shown once there is one.
 */
export function CaseAppointments(props: { ops: OpsClient; caseId: string; changed: unknown }) {
  const [state, setState] = createStore<{ appointments: AppointmentJson[] }>({ appointments: [] });
  const [timeZone, setTimeZone] = createSignal<string | null>(serviceZone);
  const refresh = async () => {
    try {
      if (timeZone() === null) setTimeZone(serviceZone = (await props.ops.availability()).time_zone);
      const appointments = await props.ops.caseAppointments(props.caseId);
      setState(reconcile({ appointments: appointments.filter((a) => a.status !== "cancelled") }));
    } catch {
      // The agenda view says when the ops API cannot be reached.
    }
  };
  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });
  createEffect(on(() => props.changed, () => void refresh(), { defer: true }));
  return (
    <Show when={state.appointments.length > 0 && timeZone()}>
      {(zone) => (
        <section class="case-appointments" aria-labelledby="case-appointments-title">
          <h3 id="case-appointments-title">{ct("agenda.appointments")}</h3>
          <ul class="appointments" aria-labelledby="case-appointments-title">
            <For each={state.appointments}>{(a) => <AppointmentItem ops={props.ops} appointment={a} timeZone={zone()} onChanged={refresh} />}</For>
          </ul>
        </section>
      )}
    </Show>
  );
}
