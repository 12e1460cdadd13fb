import type { AppointmentJson } from "@onsafe/schema/ops-api";
import { createSignal, Show } from "solid-js";
import { lang } from "../../words/i18n.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";
import { refusal } from "../case/refusal.ts";
import { formatSpan } from "./zoned-time.ts";
import { at } from "./agenda-strings.ts";
import { appointmentAddress } from "./appointment-addresses.ts";
import { APPOINTMENT_KIND_INFO } from "@onsafe/schema/scheduling";

/**
 * One appointment in the agenda: kind, time (service time zone), kind of place,
 * case and status; ids and kinds only, the address stays in the encrypted chat.
 * "Change time" offers the victim new times; "Cancel" asks once more first.
 */
export function AppointmentItem(props: { ops: OpsClient; appointment: AppointmentJson; timeZone: string; onChanged: () => Promise<void> }) {
  const a = () => props.appointment;
  const [confirming, setConfirming] = createSignal(false);
  const [working, setWorking] = createSignal(false);
  const [done, setDone] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const open = () => a().status !== "cancelled";
  const needsTimes = () => open() && a().step === "waiting_for_times";
  const when = () => {
    const startsAt = a().starts_at;
    return startsAt === null ? ct("agenda.noTime") : formatSpan(startsAt, a().ends_at, props.timeZone, lang());
  };
  /** For a place other than the centre (whose address is public): what the victim typed, read in the encrypted room. */
  const address = () => (a().place && a().place !== "centre" && open() ? appointmentAddress(a().id) : null);
  const status = () => {
    const by = a().cancelled_by;
    return by ? ct("agenda.cancelledBy", { party: ct(`party.${by}` as ConsoleKey) }) : ct(`status.${a().status}` as ConsoleKey);
  };

  const act = async (action: () => Promise<void>, success: string | null) => {
    setWorking(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setConfirming(false);
      setDone(success);
      await props.onChanged();
    } catch (caught) {
      setError(refusal(caught));
    } finally {
      setWorking(false);
    }
  };

  return (
    <li class="appointment" classList={{ "needs-times": needsTimes(), cancelled: !open() }} data-appointment={a().id} data-starts-at={a().starts_at ?? ""}>
      <Show when={needsTimes()}>
        {/* The length the kind needs, in the words the victim heard ("your counsellor will add times"): issue 19. */}
        <p class="needs-times-note"><strong>{a().kind ? at("needsSlot", { minutes: APPOINTMENT_KIND_INFO[a().kind!].minutes }) : ct("agenda.needsTimes")}</strong></p>
      </Show>
      <div class="case-facts">
        <span class="category">{a().kind ? ct(`kind.${a().kind}` as ConsoleKey) : ct("agenda.noKind")}</span>
        <span class="when">{when()}</span>
        <span class="place">{a().place ? ct(`place.${a().place}` as ConsoleKey) : ct("agenda.noPlace")}</span>
        <span>{ct("agenda.case", { id: a().case_id })}</span>
        <span class="badge status">{status()}</span>
      </div>
      <Show when={address()}>
        {(where) => {
          const w = where();
          return <p class="address">{w.kind === "typed" ? at("address.typed", { address: w.text }) : at(w.kind === "later" ? "address.later" : "address.unreadable")}</p>;
        }}
      </Show>
      <Show when={open()}>
        <Show
          when={confirming()}
          fallback={
            <div class="row">
              <Show when={a().status === "confirmed"}>
                <button type="button" disabled={working()} onClick={() => void act(() => props.ops.reschedule(a().id), ct("agenda.rescheduled"))}>
                  {ct("agenda.reschedule")}
                </button>
              </Show>
              <button type="button" disabled={working()} onClick={() => setConfirming(true)}>{ct("agenda.cancel")}</button>
            </div>
          }
        >
          <div class="confirm" role="group" aria-label={ct("agenda.cancelConfirm")}>
            <p>{ct("agenda.cancelConfirm")}</p>
            <div class="row">
              <button type="button" class="danger" disabled={working()} onClick={() => void act(() => props.ops.cancelAppointment(a().id), null)}>
                {ct("agenda.cancelYes")}
              </button>
              <button type="button" disabled={working()} onClick={() => setConfirming(false)}>{ct("agenda.cancelNo")}</button>
            </div>
          </div>
        </Show>
      </Show>
      <Show when={done()}>{(text) => <p role="status">{text()}</p>}</Show>
      <Show when={error()}>{(text) => <p class="error" role="alert">{text()}</p>}</Show>
    </li>
  );
}
