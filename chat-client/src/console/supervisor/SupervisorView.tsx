/**
 * The supervisor view (issue 6): queue and wait figures, open crisis cases, each
 * companion's load, cases handled per day, lapsed and declined offers (the
 * partner directory is the workspace's own "Partners" view). Behind every figure, its cases (issue 19): the waiting ones,
 * the open crisis ones, each companion's, with where they are and for how long,
 * and reassignment by picking one. Ids, kinds and times only: the ops API carries
 * no conversation content, and no reply times (CaseTables.tsx says why).
 */
import type { MetricsJson } from "@onsafe/schema/ops-api";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { BarChart } from "./BarChart.tsx";
import { CrisisCases, ReassignButton, WaitingCases } from "./CaseTables.tsx";
import { timeWords } from "./case-words.ts";
import { createReassignChoice, Reassign } from "./Reassign.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import { referralStatusWords } from "../referrals/referral-strings.ts";
import { st } from "./supervisor-strings.ts";
import "./supervisor.css";

const REFRESH_MS = 10_000;

const minutes = (ms: number | null) => (ms === null ? st("none") : st("minutes", { minutes: Math.floor(ms / 60_000) }));

export function SupervisorView(props: { session: StaffSession }) {
  const ops = props.session.ops;
  const [metrics, setMetrics] = createSignal<MetricsJson | null>(null);
  const [error, setError] = createSignal(false);
  const choice = createReassignChoice();

  const refresh = async () => {
    try {
      setMetrics(await ops.metrics());
      setError(false);
    } catch {
      setError(true);
    }
  };
  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });

  const cases = () => metrics()?.cases ?? [];
  const waiting = () => cases().filter((c) => c.status === "waiting" || c.status === "offered");
  const crisis = () => cases().filter((c) => c.crisis);
  const casesOf = (userId: string) => cases().filter((c) => c.status === "assigned" && c.companion_id === userId);
  const nameOf = (userId: string) => metrics()?.active_cases.find((s) => s.user_id === userId)?.display_name ?? userId;

  const days = () =>
    (metrics()?.closed_per_day ?? []).map(({ date, count }) => {
      const [, month, day] = date.split("-");
      return { label: st("handled.day", { month: Number(month), day: Number(day) }), value: count };
    });
  const chartLabel = () => st("handled.chart", { days: days().map((d) => st("handled.dayValue", { day: d.label, count: d.value })).join(", ") });

  return (
    <section class="supervisor" aria-labelledby="supervisor-title">
      <h2 id="supervisor-title">{st("title")}</h2>
      <p class="hint">{st("updated")}</p>
      <Show when={error()}>
        <p class="error" role="alert">{st("error.metrics")}</p>
      </Show>
      <Show when={metrics()}>
        {(m) => (
          <>
            <h3 id="figures-title">{st("figures.title")}</h3>
            <dl class="figures" aria-labelledby="figures-title">
              <Figure name="queue" term={st("figures.queue")} value={String(m().queue_length)} />
              <Figure name="wait-median" term={st("figures.waitMedian")} value={minutes(m().current_wait_ms.p50)} />
              <Figure name="wait-max" term={st("figures.waitMax")} value={minutes(m().current_wait_ms.max)} />
              <Figure name="crisis" term={st("figures.crisis")} value={String(m().open_crisis_cases)} alarm={m().open_crisis_cases > 0} />
              <Figure name="offers-expired" term={st("figures.expired")} value={String(m().offers_expired_7d)} />
              <Figure name="offers-declined" term={st("figures.declined")} value={String(m().offers_declined_7d)} />
            </dl>
            <p class="hint cases-note">{st("cases.note")}</p>
            <CrisisCases cases={crisis()} name={nameOf} onReassign={choice.pick} />
            <WaitingCases cases={waiting()} name={nameOf} />

            <h3 id="staff-title">{st("staff.title")}</h3>
            <table class="staff-load" aria-labelledby="staff-title">
              <thead>
                <tr>
                  <th scope="col">{st("staff.name")}</th><th scope="col">{st("staff.shift")}</th><th scope="col">{st("staff.load")}</th>
                  <th scope="col">{st("staff.cases")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={m().active_cases}>
                  {(s) => (
                    <tr data-user={s.user_id} classList={{ full: s.active >= s.capacity }}>
                      <th scope="row">{nameOf(s.user_id)}</th>
                      <td>{s.on_shift ? st("staff.onShift") : st("staff.offShift")}</td>
                      <td>{st("staff.loadValue", { active: s.active, capacity: s.capacity })}</td>
                      <td class="staff-cases">
                        <Show when={casesOf(s.user_id).length > 0} fallback={st("staff.noCases")}>
                          <ul>
                            <For each={casesOf(s.user_id)}>
                              {(c) => (
                                <li data-case={c.case_id} classList={{ crisis: c.crisis }}>
                                  <span>{c.crisis ? `${st("cases.crisis")} · ` : ""}{c.case_id} · {timeWords(c)}</span>
                                  <ReassignButton caseId={c.case_id} onReassign={choice.pick} />
                                </li>
                              )}
                            </For>
                          </ul>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>

            <h3 id="handled-title">{st("handled.title")}</h3>
            <BarChart label={chartLabel()} bars={days()} />

            <h3 id="referrals-title">{st("referrals.title")}</h3>
            <Show when={m().referrals.length > 0} fallback={<p>{st("referrals.none")}</p>}>
              <table class="referral-counts" aria-labelledby="referrals-title">
                <thead>
                  <tr><th scope="col">{st("referrals.partner")}</th><th scope="col">{st("referrals.status")}</th><th scope="col">{st("referrals.count")}</th></tr>
                </thead>
                <tbody>
                  <For each={m().referrals}>
                    {(r) => (
                      <tr data-partner={r.partner_id} data-status={r.status}>
                        <th scope="row">{r.partner_name}</th>
                        <td>{referralStatusWords(r.status)}</td>
                        <td>{r.count}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          </>
        )}
      </Show>
      <Reassign ops={ops} staff={metrics()?.active_cases ?? []} cases={cases()} name={nameOf} choice={choice} onDone={refresh} />
    </section>
  );
}

function Figure(props: { name: string; term: string; value: string; alarm?: boolean }) {
  return (
    <div class="figure" classList={{ alarm: props.alarm ?? false }} data-figure={props.name}>
      <dt>{props.term}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}
