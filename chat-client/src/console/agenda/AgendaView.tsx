/**
 * "Agenda": my upcoming appointments (changed or cancelled from here) and my
 * availability (slots and visits per day), both from the ops API, whose
 * scheduling bot does the talking with the victim (docs/SCHEDULING.md).
 */
import type { AppointmentJson, AvailabilityJson } from "@onsafe/schema/ops-api";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { victimChanges } from "./agenda-changes.ts";
import { announce } from "../shell/announcer.ts";
import { AppointmentItem } from "./AppointmentItem.tsx";
import { watchAppointmentRooms } from "./appointment-addresses.ts";
import { Availability } from "./Availability.tsx";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";
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
  // What the victim changed since the console opened: the companion is not in the appointments room to see it.
  const [news, setNews] = createSignal<string[]>([]);
  let seen: AppointmentJson[] | null = null;

  const refresh = async () => {
    try {
      const [appointments, mine] = await Promise.all([ops.agenda(), ops.availability()]);
      const changes = seen ? victimChanges(seen, appointments) : [];
      seen = appointments;
      if (changes.length > 0) {
        setNews((lines) => [...changes.map((c) => ct(`agenda.news.${c.change}` as ConsoleKey, { id: c.caseId })), ...lines].slice(0, 5));
        announce(ct("notify.appointment"), "appointment");
      }
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
    onCleanup(watchAppointmentRooms(props.session));
  });

  return (
    <section class="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{ct("agenda.title")}</h2>
      <Show when={unreachable()}>
        <p class="error" role="alert">{ct("error.ops")}</p>
      </Show>
      <div class="agenda-news" role="status" aria-live="polite">
        <For each={news()}>{(line) => <p>{line}</p>}</For>
      </div>
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
            <Availability ops={ops} availability={mine()} appointments={agenda.appointments} onChanged={refresh} />
          </>
        )}
      </Show>
    </section>
  );
}
