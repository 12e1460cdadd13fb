import { BOT_LOCALPARTS } from "@onsafe/schema/account-kinds";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { CASE_OUTCOMES, type CaseOutcome } from "@onsafe/schema/triage";
import { createSignal, For, Show } from "solid-js";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { closingMessage } from "./closing-message.ts";
import { cs } from "./closing-strings.ts";

/** Outcomes a companion chooses; "the victim left" is recorded by the service when it happens. */
const OUTCOMES = CASE_OUTCOMES.filter((o) => o !== "victim_left");

/** How far a closing got: a retry goes on from there, so the message is never sent twice. */
type Done = "nothing" | "sent" | "closed";

/**
 * Closing a case (docs/SHIFT.md "Closing"): an outcome and a closing message in
 * the case's language, prepared with the crisis lines and edited by the
 * companion; "Close…" asks once more. Then the message is sent into
 * the room (encrypted, as the companion), the case is closed, the triage bot is
 * invited back (it tells the victim the chat has ended, and their next message
 * brings the case back to the queue), and the companion leaves.
 */
export function CloseCase(props: { session: StaffSession; roomId: string; caseInfo: CaseJson; onLeft: () => void }) {
  const session = props.session;
  const language = () => props.caseInfo.language ?? "ko";
  const [outcome, setOutcome] = createSignal<CaseOutcome>("supported");
  /** null until the companion edits it: the prepared message in the case's language. */
  const [edited, setEdited] = createSignal<string | null>(null);
  const message = () => edited() ?? closingMessage(language());
  const [step, setStep] = createSignal<"form" | "confirm" | "working">("form");
  const [done, setDone] = createSignal<Done>("nothing");
  const [error, setError] = createSignal<string | null>(null);
  const triageBot = () => `@${BOT_LOCALPARTS.triage}:${session.login.userId.slice(session.login.userId.indexOf(":") + 1)}`;
  let confirmButton: HTMLButtonElement | undefined;
  let submitButton: HTMLButtonElement | undefined;

  const ask = (event: SubmitEvent) => {
    event.preventDefault();
    if (message().trim() === "") return;
    setError(null);
    setStep("confirm");
    queueMicrotask(() => confirmButton?.focus());
  };
  const step1 = async (what: "failedSend" | "failedClose" | "failedGuide", action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (caught) {
      throw new Error(cs(what, { error: caught instanceof Error ? caught.message : String(caught) }));
    }
  };
  const close = async () => {
    setStep("working");
    setError(null);
    try {
      if (done() === "nothing") {
        await step1("failedSend", () => session.client.sendMessage(props.roomId, { msgtype: "m.text", body: message().trim() } as never));
        setDone("sent");
      }
      if (done() === "sent") {
        await step1("failedClose", () => session.ops.close(props.caseInfo.id, outcome()));
        setDone("closed");
      }
      // Without the bot back in the room, what the victim writes next would reach nobody: stay until it is invited.
      // (Still there when the hand-off never happened: then it is watching already.)
      const present = ["join", "invite"].includes(session.client.getRoom(props.roomId)?.getMember(triageBot())?.membership ?? "");
      if (!present) await step1("failedGuide", () => session.client.invite(props.roomId, triageBot()));
      await session.client.leave(props.roomId);
      props.onLeft();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setStep("form");
    }
  };

  return (
    <details class="close-case">
      <summary>{cs("title")}</summary>
      <form onSubmit={ask} class="action-form">
        <label for="close-outcome">{cs("outcome")}</label>
        <select id="close-outcome" value={outcome()} disabled={done() !== "nothing"} onChange={(e) => setOutcome(e.currentTarget.value as CaseOutcome)}>
          <For each={OUTCOMES}>{(o) => <option value={o}>{ct(`outcome.${o}` as ConsoleKey)}</option>}</For>
        </select>
        <label for="close-message">{cs("message")}</label>
        <textarea id="close-message" rows={9} required value={message()} readOnly={done() !== "nothing"} aria-describedby="close-message-hint"
          onInput={(e) => setEdited(e.currentTarget.value)} />
        <p id="close-message-hint" class="hint">{cs("messageHint", { language: cs(`language.${language()}`) })}</p>
        <Show when={step() === "form"}>
          <button type="submit" class="danger" ref={submitButton}>{done() === "nothing" ? cs("submit") : cs("retry")}</button>
        </Show>
      </form>
      <Show when={step() === "confirm"}>
        <div class="confirm" role="group" aria-labelledby="close-confirm">
          <p id="close-confirm">{cs("confirm", { caseId: props.caseInfo.id })}</p>
          <div class="row">
            <button type="button" class="danger" ref={confirmButton} onClick={() => void close()}>{cs("confirmYes")}</button>
            <button type="button" onClick={() => { setStep("form"); submitButton?.focus(); }}>{cs("confirmNo")}</button>
          </div>
        </div>
      </Show>
      <Show when={step() === "working"}>
        <p role="status">{cs("working")}</p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
    </details>
  );
}
