import { BOT_LOCALPARTS } from "@onsafe/schema/account-kinds";
import { TRIAGE_SUMMARY_FIELD, type TriageSummaryContent } from "@onsafe/schema/events";
import type { CaseJson, StaffJson } from "@onsafe/schema/ops-api";
import { CASE_OUTCOMES, type CaseOutcome } from "@onsafe/schema/triage";
import { createSignal, For, Show } from "solid-js";
import type { Draft } from "../../chat/Composer.tsx";
import { lang } from "../../i18n.ts";
import { ArrangeVisit } from "../agenda/ArrangeVisit.tsx";
import type { CaseReferrals } from "../referrals/case-referrals.ts";
import { CANNED_RESPONSES, cannedText } from "../conversation/canned-responses.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { ReferPartner } from "../referrals/ReferPartner.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import type { VisitRequest } from "../agenda/visit-request.ts";

/**
 * What a companion does with a conversation: insert a prepared text (editable
 * before sending), transfer with a note, arrange a visit, refer to a partner,
 * invite the scheduling or referral bot, close with an outcome. The note goes into the encrypted room, never to the ops API's storage.
 */
export function CaseActions(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; summary: TriageSummaryContent | null; draft: Draft; visit: VisitRequest; referrals: CaseReferrals; onLeft: () => void }) {
  const session = props.session;
  const [to, setTo] = createSignal("");
  const [note, setNote] = createSignal("");
  const [outcome, setOutcome] = createSignal<CaseOutcome>("supported");
  const [error, setError] = createSignal<string | null>(null);
  const [waitingFor, setWaitingFor] = createSignal<string | null>(null);
  const [colleagues, setColleagues] = createSignal<StaffJson[]>([]);
  const loadColleagues = () => void session.ops.staffOnShift()
    .then((staff) => setColleagues(staff.filter((m) => m.user_id !== session.login.userId)))
    .catch(() => setColleagues([]));
  const server = () => session.login.userId.slice(session.login.userId.indexOf(":") + 1);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(ct("actions.failed", { error: caught instanceof Error ? caught.message : String(caught) }));
    }
  };
  const insert = (id: string) => {
    const response = CANNED_RESPONSES.find((r) => r.id === id);
    if (!response) return;
    const current = props.draft.text();
    props.draft.set(current ? `${current}\n${cannedText(response, lang())}` : cannedText(response, lang()));
  };
  const transfer = (event: SubmitEvent) => {
    event.preventDefault();
    const caseInfo = props.caseInfo;
    if (!caseInfo) return;
    void run(async () => {
      const colleague = to().trim();
      const { invited } = await session.ops.transfer(caseInfo.id, colleague, note());
      if (!invited) await session.client.invite(props.roomId, colleague);
      // The colleague can read only what is sent after they join (history is visible from joining),
      // so the note and the summary are posted again once they are in; then this companion leaves.
      // The summary goes as the bot sent it, in its field, with a body that reads well over the victim's shoulder.
      setWaitingFor(colleague);
      await session.waitForJoin(props.roomId, colleague);
      const body = ct("actions.transferPosted", { from: session.login.userId, note: note() || "—" });
      await session.client.sendMessage(props.roomId, { msgtype: "m.text", body } as never);
      if (props.summary) {
        await session.client.sendMessage(props.roomId, { msgtype: "m.notice", body: ct("actions.summaryPassed"), [TRIAGE_SUMMARY_FIELD]: props.summary } as never);
      }
      await session.client.leave(props.roomId);
      props.onLeft();
    });
  };
  const close = (event: SubmitEvent) => {
    event.preventDefault();
    const caseInfo = props.caseInfo;
    if (!caseInfo) return;
    void run(async () => {
      await session.ops.close(caseInfo.id, outcome());
      await session.client.leave(props.roomId);
      props.onLeft();
    });
  };
  const inviteBot = (which: "scheduling") =>
    void run(async () => { await session.client.invite(props.roomId, `@${BOT_LOCALPARTS[which]}:${server()}`); });

  return (
    <div class="case-actions">
      <label class="canned">
        <span>{ct("actions.canned")}</span>
        <select onChange={(e) => { insert(e.currentTarget.value); e.currentTarget.value = ""; }}>
          <option value="">{ct("actions.cannedPick")}</option>
          <For each={CANNED_RESPONSES}>{(r) => <option value={r.id}>{r.title[lang()]}</option>}</For>
        </select>
      </label>
      <Show when={props.caseInfo}>
        <ArrangeVisit request={props.visit} />
        <ReferPartner referrals={props.referrals} />
        <details onToggle={(e) => { if (e.currentTarget.open) loadColleagues(); }}>
          <summary>{ct("actions.transfer")}</summary>
          <form onSubmit={transfer} class="action-form">
            <label for="transfer-to">{ct("actions.transferTo")}</label>
            <select id="transfer-to" required value={to()} onChange={(e) => setTo(e.currentTarget.value)}>
              <option value="">{ct("actions.transferPick")}</option>
              <For each={colleagues()}>
                {(m) => <option value={m.user_id}>{`${m.display_name ?? m.user_id} (${m.languages.join(", ")}; ${m.load}/${m.capacity})`}</option>}
              </For>
            </select>
            <label for="transfer-note">{ct("actions.transferNote")}</label>
            <textarea id="transfer-note" rows={2} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <button type="submit">{ct("actions.transferSubmit")}</button>
          </form>
        </details>
        <details>
          <summary>{ct("actions.close")}</summary>
          <form onSubmit={close} class="action-form">
            <label for="close-outcome">{ct("actions.outcome")}</label>
            <select id="close-outcome" value={outcome()} onChange={(e) => setOutcome(e.currentTarget.value as CaseOutcome)}>
              <For each={CASE_OUTCOMES}>{(o) => <option value={o}>{ct(`outcome.${o}` as ConsoleKey)}</option>}</For>
            </select>
            <button type="submit" class="danger">{ct("actions.closeSubmit")}</button>
          </form>
        </details>
      </Show>
      <details>
        <summary>{ct("actions.invite")}</summary>
        <div class="row">
          <button type="button" onClick={() => inviteBot("scheduling")}>{ct("actions.inviteScheduling")}</button>
          {/* Here the referral form does what inviting the bot does in other clients (its referral desk), without a second room. */}
          <button type="button" onClick={() => props.referrals.showForm()}>{ct("actions.inviteReferral")}</button>
        </div>
      </details>
      <Show when={waitingFor()}>
        {(colleague) => <p role="status">{ct("actions.transferWaiting", { colleague: colleague() })}</p>}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
