/**
 * The cases behind the supervisor's figures (issue 19): the waiting cases behind "Waiting" and the waits,
 * and the open crisis cases behind their count, with where each is and for how long; an assigned one can
 * be picked for reassignment. Ids, kinds and times only, never content.
 */
import type { MetricsCaseJson } from "@onsafe/schema/ops-api";
import { For, type JSX, Show } from "solid-js";
import { categoryWords, type NameOf, timeWords, whereWords } from "./case-words.ts";
import { st } from "./supervisor-strings.ts";

/** A column of a case table: its heading's key and what a case shows in it. */
interface Column {
  title: Parameters<typeof st>[0];
  cell: (c: MetricsCaseJson) => JSX.Element;
}

export function WaitingCases(props: { cases: MetricsCaseJson[]; name: NameOf }) {
  return (
    <CaseTable id="waiting-cases" title={st("cases.waitingTitle")} cases={props.cases} columns={[
      { title: "cases.category", cell: categoryWords },
      { title: "cases.flags", cell: (c) => <Flags c={c} /> },
      { title: "cases.language", cell: (c) => c.language ?? "?" },
      { title: "cases.time", cell: timeWords },
      { title: "cases.where", cell: (c) => whereWords(c, props.name) },
    ]} />
  );
}

export function CrisisCases(props: { cases: MetricsCaseJson[]; name: NameOf; onReassign: (caseId: string) => void }) {
  return (
    <CaseTable id="crisis-cases" title={st("cases.crisisTitle")} cases={props.cases} columns={[
      { title: "cases.category", cell: categoryWords },
      { title: "cases.flags", cell: (c) => <Flags c={c} /> },
      { title: "cases.where", cell: (c) => whereWords(c, props.name) },
      { title: "cases.time", cell: timeWords },
      {
        title: "cases.action",
        cell: (c) => <Show when={c.status === "assigned"}><ReassignButton caseId={c.case_id} onReassign={props.onReassign} /></Show>,
      },
    ]} />
  );
}

/** One list of cases: a row per case, headed by its id, crisis rows marked (the `crisis` class). */
function CaseTable(props: { id: string; title: string; cases: MetricsCaseJson[]; columns: Column[] }) {
  return (
    <>
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      <Show when={props.cases.length > 0} fallback={<p class="no-cases">{st("cases.none")}</p>}>
        <table class={`case-list ${props.id}`} aria-labelledby={`${props.id}-title`}>
          <thead>
            <tr>
              <th scope="col">{st("cases.case")}</th>
              <For each={props.columns}>{(column) => <th scope="col">{st(column.title)}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.cases}>
              {(c) => (
                <tr data-case={c.case_id} classList={{ crisis: c.crisis }}>
                  <th scope="row">{c.case_id}</th>
                  <For each={props.columns}>{(column) => <td>{column.cell(c)}</td>}</For>
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
