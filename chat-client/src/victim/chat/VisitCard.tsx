import { createSignal, type JSX, Match, Show, Switch } from "solid-js";
import { lang } from "../../words/i18n.ts";
import { at, type AppointmentKey } from "./appointment-strings.ts";
import { PromptOptions } from "../../ui/MessageList.tsx";
import type { Attachment, VisitItem } from "../../matrix/timeline.ts";
import { visitTimes } from "./visit-format.ts";

/**
 * A scheduling bot's message as the victim reads it: a confirmation as a card
 * (what, when, where, what to bring, "Add to calendar", change or cancel), a
 * reminder or a cancellation as a short notice.
 */
export function VisitCard(props: {
  item: VisitItem;
  onAnswer: (prompt: { promptId: string }, option: { id: string; label: string }) => void;
  onCalendar: (calendar: Attachment) => Promise<void>;
}) {
  const visit = () => props.item.visit;
  const titleId = () => `visit-${props.item.id}`;
  return (
    <Switch>
      <Match when={visit().stage === "confirmed"}>
        <li class={`visit-card ${props.item.status}`} aria-labelledby={titleId()}>
          <h2 id={titleId()}>{at("visit.confirmed")}</h2>
          <Show when={props.item.status !== "current"}>
            <p class="visit-status">{props.item.status === "cancelled" ? at("visit.wasCancelled") : at("visit.changed")}</p>
          </Show>
          <dl class="visit-details">
            <Show when={visit().kind}>
              {(kind) => <Row term={at("visit.what")}>{at(`visit.kind.${kind()}` as AppointmentKey)}</Row>}
            </Show>
            <Show when={visitTimes(visit(), lang())}>
              {(when) => <Row term={at("visit.when")}>{when()}</Row>}
            </Show>
            <Row term={at("visit.where")}>
              <Show when={visit().place}>{(place) => <span class="visit-place">{at(`visit.place.${place()}` as AppointmentKey)}</span>}</Show>{" "}
              <span class="visit-address">{visit().address ?? at("visit.addressLater")}</span>
            </Row>
            <Show when={visit().bring}>
              {(bring) => <Row term={at("visit.bring")}>{bring()}</Row>}
            </Show>
          </dl>
          <Show when={props.item.status === "current" && props.item.calendar}>
            {(calendar) => <CalendarButton onClick={() => props.onCalendar(calendar())} />}
          </Show>
          <Show when={props.item.active && props.item.prompt}>
            {(prompt) => <PromptOptions options={prompt().options} onAnswer={(option) => props.onAnswer(prompt(), option)} />}
          </Show>
        </li>
      </Match>
      <Match when={true}>
        <li class={`visit-notice ${visit().stage}`} aria-labelledby={titleId()}>
          <h2 id={titleId()}>{visit().stage === "cancelled" ? at("visit.cancelled") : at("visit.reminder")}</h2>
          <p class="body">{props.item.body}</p>
          <Show when={props.item.active && props.item.prompt}>
            {(prompt) => <PromptOptions options={prompt().options} onAnswer={(option) => props.onAnswer(prompt(), option)} />}
          </Show>
        </li>
      </Match>
    </Switch>
  );
}

function Row(props: { term: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** Decrypts the bot's `.ics` file in memory and hands it to the phone as a download. */
function CalendarButton(props: { onClick: () => Promise<void> }) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const click = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await props.onClick();
    } catch (error) {
      console.warn("onsafe: the calendar file could not be opened", error);
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="visit-calendar">
      <button type="button" class="primary" disabled={busy()} onClick={click}>{at("visit.calendar")}</button>
      <p class="hint">{at("visit.calendarHint")}</p>
      <Show when={failed()}>
        <p class="error" role="alert">{at("visit.calendarFailed")}</p>
      </Show>
    </div>
  );
}
