/**
 * Reassigning a case with a companion to someone on shift, picked from the list of open cases (a row's
 * "Reassign" picks it here and moves the focus to "Reassign to"), never typed. What happened is read
 * from the answer: the case moved, or (transfers being offers) it was offered and moves on acceptance.
 */
import type { MetricsCaseJson, MetricsJson } from "@onsafe/schema/ops-api";
import { createEffect, createMemo, createSignal, For, on, Show } from "solid-js";
import { type OpsClient, OpsError } from "../shell/ops-client.ts";
import { categoryWords, type NameOf, whereWords } from "./case-words.ts";
import { st } from "./supervisor-strings.ts";

type Staff = MetricsJson["active_cases"][number];
type Outcome = { ok: true; text: string } | { ok: false; errcode: string; error: string };

/** The case picked for reassignment, shared by the lists (which pick) and the form (which asks). */
export function createReassignChoice() {
  const [caseId, setCaseId] = createSignal("");
  /** Bumped by a row's "Reassign", so the form takes the focus even when that case was picked already. */
  const [asked, setAsked] = createSignal(0);
  const pick = (id: string) => {
    setCaseId(id);
    setAsked((n) => n + 1);
  };
  return { caseId, setCaseId, asked, pick };
}
export type ReassignChoice = ReturnType<typeof createReassignChoice>;

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export function Reassign(props: { ops: OpsClient; staff: Staff[]; cases: MetricsCaseJson[]; name: NameOf; choice: ReassignChoice; onDone: () => Promise<void> }) {
  const choice = props.choice;
  const [to, setTo] = createSignal("");
  const [working, setWorking] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  let form: HTMLFormElement | undefined;
  let toSelect: HTMLSelectElement | undefined;
  // Ids (strings) so the options, and the choices, survive each refresh of the figures.
  const onShift = createMemo(() => props.staff.filter((s) => s.on_shift).map((s) => s.user_id), [], { equals: sameIds });
  const assigned = createMemo(() => props.cases.filter((c) => c.status === "assigned").map((c) => c.case_id), [], { equals: sameIds });
  const caseById = (id: string) => props.cases.find((c) => c.case_id === id);

  createEffect(on(choice.asked, () => {
    form?.scrollIntoView({ block: "nearest" });
    toSelect?.focus();
  }, { defer: true }));

  const caseLabel = (id: string) => {
    const c = caseById(id);
    if (!c) return id;
    const words = { id, category: categoryWords(c), where: whereWords(c, props.name) };
    return c.crisis ? st("reassign.caseCrisis", words) : st("reassign.caseOption", words);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const id = choice.caseId();
    const target = to();
    setWorking(true);
    setOutcome(null);
    try {
      const reply = await props.ops.transfer(id, target);
      const name = props.name(target);
      const moved = reply.case.assigned_to === target;
      setOutcome({ ok: true, text: moved ? st(reply.invited ? "reassign.invited" : "reassign.notInvited", { name }) : st("reassign.offered", { id, name }) });
      await props.onDone();
    } catch (e) {
      const refused = e instanceof OpsError;
      setOutcome({ ok: false, errcode: refused ? e.errcode : "M_UNKNOWN", error: e instanceof Error ? e.message : String(e) });
    } finally {
      setWorking(false);
    }
  };

  return (
    <form ref={form} class="reassign" aria-labelledby="reassign-title" onSubmit={(e) => void submit(e)}>
      <h3 id="reassign-title">{st("reassign.title")}</h3>
      <p class="hint" id="reassign-hint">{st("reassign.hint")}</p>
      <div class="reassign-fields">
        <label>
          <span>{st("reassign.case")}</span>
          <select name="case" required aria-describedby="reassign-hint" value={choice.caseId()} onChange={(e) => choice.setCaseId(e.currentTarget.value)}>
            <option value="">{st("reassign.pickCase")}</option>
            <For each={assigned()}>{(id) => <option value={id}>{caseLabel(id)}</option>}</For>
          </select>
        </label>
        <label>
          <span>{st("reassign.to")}</span>
          <select ref={toSelect} name="to" required value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">{st("reassign.choose")}</option>
            <For each={onShift()}>
              {(userId) => <option value={userId}>{props.name(userId)}</option>}
            </For>
          </select>
        </label>
        <button type="submit" class="primary" disabled={working()}>{working() ? st("reassign.working") : st("reassign.submit")}</button>
      </div>
      {/* Always present, so screen readers announce what appears in it. */}
      <p role="status" class="reassign-result">
        <Show when={outcome()} keyed>{(r) => (r.ok ? r.text : "")}</Show>
      </p>
      <Show when={outcome()} keyed>
        {(r) => (r.ok ? null : <p role="alert" class="error">{st("reassign.failed", { error: r.error, errcode: r.errcode })}</p>)}
      </Show>
    </form>
  );
}
