/**
 * "Agenda": my upcoming appointments (changed or cancelled from here) and my
 * availability (slots and visits per day), both from the ops API, whose
 * scheduling bot does the talking with the victim (docs/SCHEDULING.md).
 */
import type { AppointmentJson, AvailabilityJson } from "@onsafe/schema/ops-api";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { AppointmentItem } from "./AppointmentItem.tsx";
import { Availability } from "./Availability.tsx";
import { ct } from "./ct.ts";
import type { StaffSession } from "./staff-session.ts";
import "./agenda.css";

const REFRESH_MS = 5000;

/** Those still without a time first (they wait on someone), then soonest first. */
function agendaOrder(a: AppointmentJson, b: AppointmentJson): number {
  if (a.starts_at === null || b.starts_at === null) return (a.starts_at === null ? 0 : 1) - (b.starts_at === null ? 0 : 1) || a.created_at - b.created_at;
  return a.starts_at - b.starts_at;
}

export function AgendaView(props: { session: StaffSession }) {
  const ops = props.session.ops;
  // Reconciled by id, so an item's open "Cancel?" question, or a focused button, survives each refresh.
  const [agenda, setAgenda] = createStore<{ appointments: AppointmentJson[]; availability: AvailabilityJson | null }>({ appointments: [], availability: null });
  const [unreachable, setUnreachable] = createSignal(false);

  const refresh = async () => {
    try {
      const [appointments, mine] = await Promise.all([ops.agenda(), ops.availability()]);
      setAgenda(reconcile({ appointments: [...appointments].sort(agendaOrder), availability: mine }));
      setUnreachable(false);
    } catch {
      setUnreachable(true);
    }
  };
  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });

  return (
    <section class="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{ct("agenda.title")}</h2>
      <Show when={unreachable()}>
        <p class="error" role="alert">{ct("error.ops")}</p>
      </Show>
      <Show when={agenda.availability}>
        {(mine) => (
          <>
            <h3 id="appointments-title">{ct("agenda.appointments")}</h3>
            <Show when={agenda.appointments.length > 0} fallback={<p>{ct("agenda.none")}</p>}>
              <ul class="appointments" aria-labelledby="appointments-title">
                <For each={agenda.appointments}>
                  {(appointment) => <AppointmentItem ops={ops} appointment={appointment} timeZone={mine().time_zone} onChanged={refresh} />}
                </For>
              </ul>
            </Show>
            <Availability ops={ops} availability={mine()} onChanged={refresh} />
          </>
        )}
      </Show>
    </section>
  );
}
