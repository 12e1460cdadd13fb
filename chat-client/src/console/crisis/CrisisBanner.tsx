import type { AlertJson } from "@onsafe/schema/ops-api";
import { createSignal, For, type JSX, Show } from "solid-js";
import { soundHeld, unlockAudio } from "../shell/announcer.ts";
import type { AlertPoll, AnsweredAlert } from "./alert-poll.ts";
import { crt } from "./crisis-strings.ts";
import "./crisis.css";

/**
 * The crisis banner over every view of the workspace (docs/CRISIS.md "The console"), while an alert
 * is open for me: fixed words, the case id, how long it has waited, "I'm on it", and the case
 * itself when it is offered to me or mine (`caseAction`). Each alert's words are an alert region,
 * said once when it comes (the minutes beside it tick outside it). Once answered, anywhere, it says
 * who for a few seconds and goes.
 */
export function CrisisBanner(props: {
  poll: AlertPoll;
  now: number;
  me: string;
  nameOf: (userId: string) => string;
  /** Whether the case is mine now: an alert that ended because I took the case was answered by me. */
  mine: (caseId: string) => boolean;
  /** The button that takes me to the case, if there is one for me (an offer to accept, my conversation to open). */
  caseAction: (caseId: string) => JSX.Element | null;
}) {
  const shown = () => props.poll.open().length > 0 || props.poll.answered().length > 0;
  // The audio context's state is no signal: looked at again each second (`now`).
  const soundIsHeld = () => {
    void props.now;
    return props.poll.open().length > 0 && soundHeld();
  };
  return (
    <Show when={shown()}>
      <section class="crisis-banner" aria-label={crt("banner.label")}>
        {/* After a reload nothing was pressed yet, and browsers keep a page silent until something is: one press here lets the alarm ring. */}
        <Show when={soundIsHeld()}>
          <p class="crisis-sound">
            <span>{crt("banner.soundHeld")}</span> <button type="button" class="crisis-case" onClick={unlockAudio}>{crt("banner.soundOn")}</button>
          </p>
        </Show>
        <ul>
          <For each={props.poll.open()}>
            {(alert) => <OpenAlert alert={alert} now={props.now} poll={props.poll} caseAction={props.caseAction} />}
          </For>
          <For each={props.poll.answered()}>
            {(answered) => (
              <li class="crisis-answered" data-alert={answered.alert.id}>
                <p role="status">{answeredWords(answered, props.me, props.nameOf, props.mine)}</p>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

function OpenAlert(props: { alert: AlertJson; now: number; poll: AlertPoll; caseAction: (caseId: string) => JSX.Element | null }) {
  const [busy, setBusy] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const minutes = () => Math.max(0, Math.floor((props.now - props.alert.raised_at) / 60_000));
  const acknowledge = async () => {
    setBusy(true);
    setFailed(!(await props.poll.acknowledge(props.alert)));
    setBusy(false);
  };
  return (
    <li class="crisis-alert" data-alert={props.alert.id} data-case={props.alert.case_id}>
      <p class="crisis-words" role="alert">
        <strong>{crt("banner.title")}</strong> <span>{crt("banner.case", { id: props.alert.case_id })}</span>
      </p>
      <p class="crisis-waited" role="timer">{minutes() === 0 ? crt("banner.waitedNow") : crt("banner.waited", { n: minutes() })}</p>
      <div class="crisis-actions">
        <button type="button" class="crisis-ack" disabled={busy()} onClick={() => void acknowledge()}>{busy() ? crt("banner.acking") : crt("banner.ack")}</button>
        {props.caseAction(props.alert.case_id)}
      </div>
      <Show when={failed()}><p class="crisis-failed" role="alert">{crt("banner.ackFailed")}</p></Show>
    </li>
  );
}

function answeredWords(a: AnsweredAlert, me: string, nameOf: (userId: string) => string, mine: (caseId: string) => boolean): string {
  const id = a.alert.case_id;
  if (a.by === me || (a.by === null && mine(id))) return crt("banner.answeredYou", { id });
  if (a.by === null) return crt("banner.answeredSomeone", { id });
  return crt("banner.answered", { name: nameOf(a.by), id });
}
