import type { TriageSummaryContent } from "@onsafe/schema/events";
import type { CaseJson, StaffJson } from "@onsafe/schema/ops-api";
import type { Language } from "@onsafe/schema/triage";
import { summaryText } from "../conversation/triage-summary.ts";
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import type { StaffSession } from "../shell/staff-session.ts";
import { handOverHistory } from "./history-keys.ts";
import { transferNote } from "./transfer-accept.ts";
import { tt, victimNotice } from "./transfer-strings.ts";

const POLL_MS = 1000;

type Phase =
  | { kind: "idle" }
  | { kind: "pending"; caseId: string; to: string; name: string; expiresAt: number; invited: boolean }
  | { kind: "handing"; to: string; name: string; invited: boolean; error: string | null }
  | { kind: "returned"; reason: "declined" | "expired" | "withdrawn"; name: string };

/**
 * Transfer a case as an offer (docs/SHIFT.md "Transfer"): the colleague
 * accepts or declines, the offer expires, or I take it back; until then the
 * case is mine. Once they accepted, this console invites them, forwards the
 * room's keys and my note to their console (encrypted, never through the room
 * or the ops API), waits until they have them, says in the room that the
 * history was shared, and leaves. The colleague's side shows the note here.
 */
export function TransferCase(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; summary: TriageSummaryContent | null; onLeft: () => void }) {
  const session = props.session;
  const me = session.login.userId;
  const [to, setTo] = createSignal("");
  const [note, setNote] = createSignal("");
  const [victimMessage, setVictimMessage] = createSignal("");
  const [colleagues, setColleagues] = createSignal<StaffJson[]>([]);
  const [phase, setPhase] = createSignal<Phase>({ kind: "idle" });
  const [error, setError] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const nameOf = (userId: string) => colleagues().find((m) => m.user_id === userId)?.display_name ?? session.client.getUser(userId)?.displayName ?? userId;
  const loadColleagues = () => void session.ops.staffOnShift()
    .then((staff) => setColleagues(staff.filter((m) => m.user_id !== me)))
    .catch(() => setColleagues([]));
  const message = (caught: unknown) => caught instanceof Error ? caught.message : String(caught);

  // The case's language when it was offered: once accepted the case is no longer mine to read.
  let language: Language | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPolling = () => { if (timer !== undefined) clearInterval(timer); timer = undefined; };
  onCleanup(stopPolling);

  /** The colleague accepted: invite them, hand over keys and note, tell the victim, leave. */
  const handOver = async (colleague: string, name: string, invited: boolean) => {
    setPhase({ kind: "handing", to: colleague, name, invited, error: null });
    try {
      const member = () => session.client.getRoom(props.roomId)?.getMember(colleague)?.membership;
      if (!invited && member() !== "invite" && member() !== "join") await session.client.invite(props.roomId, colleague);
      await session.waitForJoin(props.roomId, colleague, 120_000);
      await handOverHistory(session.client, props.roomId, colleague, note().trim(), props.summary);
      const line = victimMessage().trim();
      if (line) await session.client.sendMessage(props.roomId, { msgtype: "m.text", body: line } as never);
      await session.client.sendMessage(props.roomId, { msgtype: "m.notice", body: victimNotice(language) } as never);
      await session.client.leave(props.roomId);
      props.onLeft();
    } catch (caught) {
      setPhase({ kind: "handing", to: colleague, name, invited: true, error: message(caught) });
    }
  };

  const poll = async (caseId: string) => {
    const current = phase();
    if (current.kind !== "pending") return;
    setNow(Date.now());
    try {
      const transfer = await session.ops.transferState(caseId);
      if (phase() !== current || transfer.status === "pending") return;
      stopPolling();
      if (transfer.status === "accepted") await handOver(current.to, current.name, current.invited);
      else setPhase({ kind: "returned", reason: transfer.status, name: current.name });
    } catch {
      // The next poll tries again.
    }
  };

  const mine = () => props.caseInfo?.assigned_to === me && props.caseInfo.status === "assigned";
  const waitFor = (caseId: string, to: string, expiresAt: number, invited: boolean) => {
    language = props.caseInfo?.language ?? null;
    setPhase({ kind: "pending", caseId, to, name: nameOf(to), expiresAt, invited });
    setNow(Date.now());
    stopPolling();
    timer = setInterval(() => void poll(caseId), POLL_MS);
  };

  // After a reload a transfer I offered may still be waiting: the countdown and "Take it back" come back with it.
  createEffect(on(() => props.caseInfo?.id, (caseId) => {
    if (!caseId || !mine() || phase().kind !== "idle") return;
    void session.ops.transferState(caseId).then((t) => {
      if (t.status === "pending" && t.from === me && phase().kind === "idle") waitFor(caseId, t.to, t.expires_at, false);
    }).catch(() => undefined);
  }));

  const offer = (event: SubmitEvent) => {
    event.preventDefault();
    const caseInfo = props.caseInfo;
    const colleague = to();
    if (!caseInfo || !colleague) return;
    setError(null);
    void (async () => {
      try {
        const { invited, offer_expires_at: expiresAt } = await session.ops.transfer(caseInfo.id, colleague);
        waitFor(caseInfo.id, colleague, expiresAt, invited);
      } catch (caught) {
        setError(tt("failed", { error: message(caught) }));
      }
    })();
  };

  const undo = (caseId: string) => void session.ops.undoTransfer(caseId)
    // Refused: it was accepted or ended a moment ago; the next poll says which.
    .catch(() => undefined)
    .then(() => poll(caseId));

  const received = () => transferNote(props.roomId);

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
        <Match when={phase().kind === "pending" && (phase() as Extract<Phase, { kind: "pending" }>)}>
          {(p) => (
            <div class="transfer-pending" role="status">
              <p>{tt("pending", { colleague: p().name, seconds: Math.max(0, Math.ceil((p().expiresAt - now()) / 1000)) })}</p>
              <button type="button" onClick={() => undo(p().caseId)}>{tt("undo")}</button>
            </div>
          )}
        </Match>
        <Match when={phase().kind === "handing" && (phase() as Extract<Phase, { kind: "handing" }>)}>
          {(p) => (
            <div class="transfer-pending" role="status">
              <p>{tt("handing", { colleague: p().name })}</p>
              <Show when={p().error}>
                <p class="error" role="alert">{tt("failed", { error: p().error! })}</p>
                <button type="button" onClick={() => void handOver(p().to, p().name, p().invited)}>{tt("retry")}</button>
              </Show>
            </div>
          )}
        </Match>
        <Match when={mine()}>
          <Show when={phase().kind === "returned" && (phase() as Extract<Phase, { kind: "returned" }>)}>
            {(p) => <p role="status">{tt(p().reason, { colleague: p().name })}</p>}
          </Show>
          <details onToggle={(e) => { if (e.currentTarget.open) loadColleagues(); }}>
            <summary>{tt("title")}</summary>
            <form onSubmit={offer} class="action-form">
              <label for={`transfer-to-${props.roomId}`}>{tt("to")}</label>
              <select id={`transfer-to-${props.roomId}`} required value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
                <option value="">{tt("pick")}</option>
                <For each={colleagues()}>
                  {(m) => <option value={m.user_id}>{tt("colleague", { name: m.display_name ?? m.user_id, languages: m.languages.join(", "), load: m.load, capacity: m.capacity })}</option>}
                </For>
              </select>
              <label for={`transfer-note-${props.roomId}`}>{tt("note")}</label>
              <textarea id={`transfer-note-${props.roomId}`} rows={2} value={note()} onInput={(e) => setNote(e.currentTarget.value)} aria-describedby={`transfer-note-hint-${props.roomId}`} />
              <p class="hint" id={`transfer-note-hint-${props.roomId}`}>{tt("noteHint")}</p>
              <label for={`transfer-victim-${props.roomId}`}>{tt("victimMessage")}</label>
              <textarea id={`transfer-victim-${props.roomId}`} rows={2} value={victimMessage()} onInput={(e) => setVictimMessage(e.currentTarget.value)} />
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
