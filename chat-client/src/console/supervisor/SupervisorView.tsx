/**
 * The supervisor view (issue 6): queue and wait figures, open crisis cases, each
 * companion's load, cases handled per day, lapsed and declined offers, and
 * reassigning a case by its id, and the partner directory. Counts and ids only: the ops API carries no
 * conversation content.
 */
import type { MetricsJson } from "@onsafe/schema/ops-api";
import { createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { BarChart } from "./BarChart.tsx";
import { PartnerDirectory } from "../partner/PartnerDirectory.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import { type OpsClient, OpsError } from "../shell/ops-client.ts";
import { referralStatusWords } from "../referrals/referral-strings.ts";
import { st } from "./supervisor-strings.ts";
import "./supervisor.css";

const REFRESH_MS = 10_000;

type Staff = MetricsJson["active_cases"][number];
type Outcome = { ok: true; name: string; invited: boolean } | { ok: false; errcode: string; error: string };

const minutes = (ms: number | null) => (ms === null ? st("none") : st("minutes", { minutes: Math.floor(ms / 60_000) }));
const nameOf = (s: Staff | undefined, userId: string) => s?.display_name ?? userId;

export function SupervisorView(props: { session: StaffSession }) {
  const ops = props.session.ops;
  const [metrics, setMetrics] = createSignal<MetricsJson | null>(null);
  const [error, setError] = createSignal(false);

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

            <h3 id="staff-title">{st("staff.title")}</h3>
            <table class="staff-load" aria-labelledby="staff-title">
              <thead>
                <tr><th scope="col">{st("staff.name")}</th><th scope="col">{st("staff.shift")}</th><th scope="col">{st("staff.load")}</th></tr>
              </thead>
              <tbody>
                <For each={m().active_cases}>
                  {(s) => (
                    <tr data-user={s.user_id} classList={{ full: s.active >= s.capacity }}>
                      <th scope="row">{nameOf(s, s.user_id)}</th>
                      <td>{s.on_shift ? st("staff.onShift") : st("staff.offShift")}</td>
                      <td>{st("staff.loadValue", { active: s.active, capacity: s.capacity })}</td>
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
      <Reassign ops={ops} staff={metrics()?.active_cases ?? []} onDone={refresh} />
      <PartnerDirectory ops={ops} />
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

/** Moves an assigned case, given its id, to someone on shift. */
function Reassign(props: { ops: OpsClient; staff: Staff[]; onDone: () => Promise<void> }) {
  const [caseId, setCaseId] = createSignal("");
  const [to, setTo] = createSignal("");
  const [working, setWorking] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  // Ids (strings) so the options, and the choice, survive each refresh of the figures.
  const onShift = createMemo(() => props.staff.filter((s) => s.on_shift).map((s) => s.user_id), [], {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const staffById = (userId: string) => props.staff.find((s) => s.user_id === userId);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const target = to();
    setWorking(true);
    setOutcome(null);
    try {
      const reply = await props.ops.transfer(caseId().trim(), target);
      setOutcome({ ok: true, name: nameOf(staffById(target), target), invited: reply.invited });
      await props.onDone();
    } catch (e) {
      const refused = e instanceof OpsError;
      setOutcome({ ok: false, errcode: refused ? e.errcode : "M_UNKNOWN", error: e instanceof Error ? e.message : String(e) });
    } finally {
      setWorking(false);
    }
  };

  return (
    <form class="reassign" aria-labelledby="reassign-title" onSubmit={(e) => void submit(e)}>
      <h3 id="reassign-title">{st("reassign.title")}</h3>
      <p class="hint" id="reassign-hint">{st("reassign.hint")}</p>
      <div class="reassign-fields">
        <label>
          <span>{st("reassign.caseId")}</span>
          <input type="text" name="case" required autocomplete="off" spellcheck={false} aria-describedby="reassign-hint"
            value={caseId()} onInput={(e) => setCaseId(e.currentTarget.value)} />
        </label>
        <label>
          <span>{st("reassign.to")}</span>
          <select name="to" required value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
            <option value="">{st("reassign.choose")}</option>
            <For each={onShift()}>
              {(userId) => <option value={userId}>{nameOf(staffById(userId), userId)}</option>}
            </For>
          </select>
        </label>
        <button type="submit" class="primary" disabled={working()}>{working() ? st("reassign.working") : st("reassign.submit")}</button>
      </div>
      {/* Always present, so screen readers announce what appears in it. */}
      <p role="status" class="reassign-result">
        <Show when={outcome()} keyed>
          {(r) => (r.ok ? st(r.invited ? "reassign.invited" : "reassign.notInvited", { name: r.name }) : "")}
        </Show>
      </p>
      <Show when={outcome()} keyed>
        {(r) => (r.ok ? null : <p role="alert" class="error">{st("reassign.failed", { error: r.error, errcode: r.errcode })}</p>)}
      </Show>
    </form>
  );
}
