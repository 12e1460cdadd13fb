import type { AppointmentJson, AvailabilityJson } from "@onsafe/schema/ops-api";
import { createMemo, createSignal, For, Show } from "solid-js";
import { lang } from "../../words/i18n.ts";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";
import { refusal } from "../case/refusal.ts";
import { formatSpan, todayIn, zonedInstant } from "./zoned-time.ts";
import { at } from "./agenda-strings.ts";
import { neededLength, tooShortFor, waitingNeeds } from "./slot-needs.ts";

/** The lengths a companion picks from; the kinds need 60 to 120 minutes (docs/SCHEDULING.md). */
const LENGTHS = [60, 90, 120, 180] as const;
const MAX_VISITS_PER_DAY = 10;

/**
 * "My availability": my future slots, free or booked (free ones can be deleted),
 * a form to add one, and how many visits a day I take. The ops API decides what
 * is allowed (past times, overlaps); its refusal is shown as it is.
 * Appointments waiting for times (issue 19): the form says what length they need
 * and starts with it, and a free slot too short for one says so.
 */
export function Availability(props: { ops: OpsClient; availability: AvailabilityJson; appointments: AppointmentJson[]; onChanged: () => Promise<void> }) {
  const zone = () => props.availability.time_zone;
  const [date, setDate] = createSignal(todayIn(zone()));
  const [start, setStart] = createSignal("10:00");
  const needs = createMemo(() => waitingNeeds(props.appointments));
  // The companion's own choice wins; until they choose, the length a waiting appointment needs.
  const [chosen, setChosen] = createSignal<number | null>(null);
  const minutes = () => chosen() ?? neededLength(needs(), LENGTHS[0]);
  // The typed number, kept apart from the polled one so a refresh does not overwrite it; null shows the saved value.
  const [visits, setVisits] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);
  const [saved, setSaved] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const act = async (action: () => Promise<string | null>) => {
    setWorking(true);
    setError(null);
    setSaved(null);
    try {
      setSaved(await action());
      await props.onChanged();
    } catch (caught) {
      setError(refusal(caught));
    } finally {
      setWorking(false);
    }
  };
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const startsAt = zonedInstant(date(), start(), zone());
    void act(async () => {
      await props.ops.addSlot(startsAt, startsAt + minutes() * 60_000);
      setChosen(null);
      return null;
    });
  };
  const saveVisits = (event: SubmitEvent) => {
    event.preventDefault();
    const n = Number(visits() ?? props.availability.visits_per_day);
    void act(async () => {
      await props.ops.setVisitsPerDay(n);
      setVisits(null);
      return ct("slots.saved", { n });
    });
  };

  return (
    <section class="availability" aria-labelledby="slots-title">
      <h3 id="slots-title">{ct("slots.title")}</h3>
      <p class="hint">{ct("slots.zone", { zone: zone() })}</p>
      <Show when={props.availability.slots.length > 0} fallback={<p>{ct("slots.none")}</p>}>
        <ul class="slots">
          <For each={props.availability.slots}>
            {(slot) => {
              const when = () => formatSpan(slot.starts_at, slot.ends_at, zone(), lang());
              return (
                <li class="slot" classList={{ booked: slot.appointment_id !== null }} data-slot={slot.id} data-starts-at={slot.starts_at}>
                  <span class="when">{when()}</span>
                  <span class="badge">{slot.appointment_id === null ? ct("slots.free") : ct("slots.booked")}</span>
                  <Show when={tooShortFor(slot, needs())}>
                    {(need) => <span class="too-short">{at("tooShort", { kind: at(`kindInText.${need().kind}`), minutes: need().minutes })}</span>}
                  </Show>
                  <Show when={slot.appointment_id === null}>
                    <button type="button" disabled={working()} aria-label={ct("slots.removeLabel", { when: when() })}
                      onClick={() => void act(async () => { await props.ops.removeSlot(slot.id); return null; })}>
                      {ct("slots.remove")}
                    </button>
                  </Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>

      <Show when={needs().length > 0}>
        <p class="hint slot-needed" id="slot-needed">
          {at("needed", { waiting: needs().map((n) => at("neededItem", { kind: at(`kindInText.${n.kind}`), id: n.caseId, minutes: n.minutes })).join("; ") })}
        </p>
      </Show>
      <form class="slot-form" onSubmit={add}>
        <label>
          <span>{ct("slots.date")}</span>
          <input type="date" name="date" required value={date()} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label>
          <span>{ct("slots.start")}</span>
          <input type="time" name="start" required step={900} value={start()} onInput={(e) => setStart(e.currentTarget.value)} />
        </label>
        <label>
          <span>{ct("slots.length")}</span>
          <select name="length" value={String(minutes())} aria-describedby={needs().length > 0 ? "slot-needed" : undefined}
            onChange={(e) => setChosen(Number(e.currentTarget.value))}>
            <For each={LENGTHS}>{(m) => <option value={String(m)}>{ct("slots.minutes", { minutes: m })}</option>}</For>
          </select>
        </label>
        <button type="submit" class="primary" disabled={working()}>{ct("slots.add")}</button>
      </form>

      <form class="slot-form" onSubmit={saveVisits}>
        <label>
          <span>{ct("slots.visitsPerDay")}</span>
          <input type="number" name="visits" min={0} max={MAX_VISITS_PER_DAY} step={1} required
            value={visits() ?? String(props.availability.visits_per_day)} onInput={(e) => setVisits(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={working()}>{ct("slots.save")}</button>
      </form>
      <Show when={saved()}>{(text) => <p role="status">{text()}</p>}</Show>
      <Show when={error()}>{(text) => <p class="error" role="alert">{text()}</p>}</Show>
    </section>
  );
}
