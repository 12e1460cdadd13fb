/**
 * The cases behind the supervisor's figures (issue 19): the waiting cases behind "Waiting" and the waits,
 * and the open crisis cases behind their count, with where each is and for how long; an assigned one can
 * be picked for reassignment. Ids, kinds and times only, never content.
 */
import type { MetricsCaseJson } from "@onsafe/schema/ops-api";
import { For, Show } from "solid-js";
import { categoryWords, type NameOf, timeWords, whereWords } from "./case-words.ts";
import { st } from "./supervisor-strings.ts";

export function WaitingCases(props: { cases: MetricsCaseJson[]; name: NameOf }) {
  return (
    <>
      <h3 id="waiting-cases-title">{st("cases.waitingTitle")}</h3>
      <Show when={props.cases.length > 0} fallback={<p class="no-cases">{st("cases.none")}</p>}>
        <table class="case-list waiting-cases" aria-labelledby="waiting-cases-title">
          <thead>
            <tr>
              <th scope="col">{st("cases.case")}</th><th scope="col">{st("cases.category")}</th><th scope="col">{st("cases.flags")}</th>
              <th scope="col">{st("cases.language")}</th><th scope="col">{st("cases.time")}</th><th scope="col">{st("cases.where")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.cases}>
              {(c) => (
                <tr data-case={c.case_id} classList={{ crisis: c.crisis }}>
                  <th scope="row">{c.case_id}</th>
                  <td>{categoryWords(c)}</td>
                  <td><Flags c={c} /></td>
                  <td>{c.language ?? "?"}</td>
                  <td>{timeWords(c)}</td>
                  <td>{whereWords(c, props.name)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </>
  );
}

export function CrisisCases(props: { cases: MetricsCaseJson[]; name: NameOf; onReassign: (caseId: string) => void }) {
  return (
    <>
      <h3 id="crisis-cases-title">{st("cases.crisisTitle")}</h3>
      <Show when={props.cases.length > 0} fallback={<p class="no-cases">{st("cases.none")}</p>}>
        <table class="case-list crisis-cases" aria-labelledby="crisis-cases-title">
          <thead>
            <tr>
              <th scope="col">{st("cases.case")}</th><th scope="col">{st("cases.category")}</th><th scope="col">{st("cases.flags")}</th>
              <th scope="col">{st("cases.where")}</th><th scope="col">{st("cases.time")}</th><th scope="col">{st("cases.action")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.cases}>
              {(c) => (
                <tr data-case={c.case_id} class="crisis">
                  <th scope="row">{c.case_id}</th>
                  <td>{categoryWords(c)}</td>
                  <td><Flags c={c} /></td>
                  <td>{whereWords(c, props.name)}</td>
                  <td>{timeWords(c)}</td>
                  <td>
                    <Show when={c.status === "assigned"}>
                      <ReassignButton caseId={c.case_id} onReassign={props.onReassign} />
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </>
  );
}

/** Picks the case in the reassignment form below. */
export function ReassignButton(props: { caseId: string; onReassign: (caseId: string) => void }) {
  return (
    <button type="button" class="small" aria-label={st("cases.reassignLabel", { id: props.caseId })} onClick={() => props.onReassign(props.caseId)}>
      {st("cases.reassign")}
    </button>
  );
}

function Flags(props: { c: MetricsCaseJson }) {
  return (
    <>
      <Show when={props.c.crisis}><strong class="badge crisis-badge">{st("cases.crisis")}</strong></Show>
      <Show when={props.c.minor}><strong class="badge minor-badge">{st("cases.minor")}</strong></Show>
    </>
  );
}
