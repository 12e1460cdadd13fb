import type { TriageSummaryContent } from "@onsafe/schema/events";
import type { CaseJson, StaffJson } from "@onsafe/schema/ops-api";
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import { summaryText } from "../conversation/triage-summary.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { follow, handOver, onLeftRoom, type Phase, phaseOf, takeBack } from "./outgoing-transfers.ts";
import { transferNote } from "./transfer-accept.ts";
import { tt } from "./transfer-strings.ts";

/**
 * Transfer a case as an offer (docs/SHIFT.md "Transfer"): the colleague
 * accepts or declines, the offer expires, or I take it back; until then the
 * case is mine. The offer is followed and handed over by `outgoing-transfers.ts`,
 * also while another conversation is shown; this view shows where it stands.
 * The colleague's side shows the note (and, for an old room, the summary) here.
 */
export function TransferCase(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; summary: TriageSummaryContent | null; onLeft: () => void }) {
  const session = props.session;
  const me = session.login.userId;
  const [to, setTo] = createSignal("");
  const [note, setNote] = createSignal("");
  const [victimLine, setVictimLine] = createSignal("");
  const [colleagues, setColleagues] = createSignal<StaffJson[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(clock));
  onLeftRoom(props.roomId, () => props.onLeft());
  onCleanup(() => onLeftRoom(props.roomId, null));

  const phase = () => phaseOf(props.roomId);
  const nameOf = (userId: string) => colleagues().find((m) => m.user_id === userId)?.display_name ?? session.client.getUser(userId)?.displayName ?? userId;
  // Fetched again each time the form opens; the options are drawn anew, so each says whether it is the chosen one
  // (a list arriving after the choice kept the element but dropped the selection, and the form would not submit).
  const loadColleagues = () => void session.ops.staffOnShift()
    .then((staff) => {
      const others = staff.filter((m) => m.user_id !== me);
      if (!others.some((m) => m.user_id === to())) setTo("");
      setColleagues(others);
    })
    .catch(() => setColleagues([]));
  const mine = () => props.caseInfo?.assigned_to === me && props.caseInfo.status === "assigned";
  const offerOf = (caseId: string, colleague: string, expiresAt: number, invited: boolean) => ({
    roomId: props.roomId, caseId, to: colleague, expiresAt, invited,
    note: note().trim(), victimLine: victimLine().trim(), language: props.caseInfo?.language ?? null, summary: props.summary,
  });

  // After a reload a transfer I offered may still be waiting: the countdown and "Take it back" come back with it
  // (the note and the line for the victim were in the page, and are gone).
  createEffect(on(() => props.caseInfo?.id, (caseId) => {
    if (!caseId || !mine() || phase().kind !== "idle") return;
    void session.ops.transferState(caseId).then((t) => {
      if (t.status === "pending" && t.from === me && phase().kind === "idle") follow(session, offerOf(caseId, t.to, t.expires_at, false));
    }).catch(() => undefined);
  }));

  const offer = (event: SubmitEvent) => {
    event.preventDefault();
    const caseInfo = props.caseInfo;
    const colleague = to();
    if (!caseInfo || !colleague) return;
    setError(null);
    void session.ops.transfer(caseInfo.id, colleague)
      .then(({ invited, offer_expires_at: expiresAt }) => follow(session, offerOf(caseInfo.id, colleague, expiresAt, invited)))
      .catch((caught: unknown) => setError(tt("failed", { error: caught instanceof Error ? caught.message : String(caught) })));
  };

  const received = () => transferNote(props.roomId);
  const as = <K extends Phase["kind"]>(kind: K) => {
    const p = phase();
    return p.kind === kind ? (p as Extract<Phase, { kind: K }>) : false;
  };

  return (
    <div class="transfer-case">
      <Show when={received()}>
        {(r) => (
          <div class="transfer-received" role="note">
            <p>{tt("received", { colleague: nameOf(r().from) })}</p>
            <Show when={r().note}><p class="transfer-note">{tt("receivedNote", { note: r().note })}</p></Show>
            {/* A room made before history was shared: the summary came with the keys, not in the history. */}
            <Show when={!props.summary && r().summary}>{(summary) => <p class="transfer-summary" style={{ "white-space": "pre-line" }}>{summaryText(summary())}</p>}</Show>
            <Show when={r().keys === 0}><p class="error">{tt("receivedNoKeys", { colleague: nameOf(r().from) })}</p></Show>
          </div>
        )}
      </Show>
      <Switch>
        <Match when={as("pending")}>
          {(p) => (
            <div class="transfer-pending" role="status">
              <p>{tt("pending", { colleague: nameOf(p().to), seconds: Math.max(0, Math.ceil((p().expiresAt - now()) / 1000)) })}</p>
              <button type="button" onClick={() => void takeBack(session, props.roomId)}>{tt("undo")}</button>
            </div>
          )}
        </Match>
        <Match when={as("handing")}>
          {(p) => (
            <div class="transfer-pending" role="status">
              <p>{tt("handing", { colleague: nameOf(p().to) })}</p>
              <Show when={p().error}>
                <p class="error" role="alert">{tt("failed", { error: p().error! })}</p>
                <button type="button" onClick={() => void handOver(session, props.roomId)}>{tt("retry")}</button>
              </Show>
            </div>
          )}
        </Match>
        <Match when={mine()}>
          <Show when={as("returned")}>
            {(p) => <p role="status">{tt(p().reason, { colleague: nameOf(p().to) })}</p>}
          </Show>
          <details onToggle={(e) => { if (e.currentTarget.open) loadColleagues(); }}>
            <summary>{tt("title")}</summary>
            <form onSubmit={offer} class="action-form">
              <label for={`transfer-to-${props.roomId}`}>{tt("to")}</label>
              <select id={`transfer-to-${props.roomId}`} required value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
                <option value="" selected={to() === ""}>{tt("pick")}</option>
                <For each={colleagues()}>
                  {(m) => <option value={m.user_id} selected={m.user_id === to()}>{tt("colleague", { name: m.display_name ?? m.user_id, languages: m.languages.join(", "), load: m.load, capacity: m.capacity })}</option>}
                </For>
              </select>
              <label for={`transfer-note-${props.roomId}`}>{tt("note")}</label>
              <textarea id={`transfer-note-${props.roomId}`} rows={2} value={note()} onInput={(e) => setNote(e.currentTarget.value)} aria-describedby={`transfer-note-hint-${props.roomId}`} />
              <p class="hint" id={`transfer-note-hint-${props.roomId}`}>{tt("noteHint")}</p>
              <label for={`transfer-victim-${props.roomId}`}>{tt("victimMessage")}</label>
              <textarea id={`transfer-victim-${props.roomId}`} rows={2} value={victimLine()} onInput={(e) => setVictimLine(e.currentTarget.value)} />
              <button type="submit">{tt("submit")}</button>
            </form>
          </details>
        </Match>
      </Switch>
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
