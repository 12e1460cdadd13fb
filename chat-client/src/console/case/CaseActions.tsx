import { BOT_LOCALPARTS } from "@onsafe/schema/account-kinds";
import type { TriageSummaryContent } from "@onsafe/schema/events";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { createSignal, For, Show } from "solid-js";
import type { Draft } from "../../ui/Composer.tsx";
import { lang } from "../../words/i18n.ts";
import { ArrangeVisit } from "../agenda/ArrangeVisit.tsx";
import type { CaseReferrals } from "../referrals/case-referrals.ts";
import { CANNED_RESPONSES, cannedText } from "../conversation/canned-responses.ts";
import { ct } from "../shell/ct.ts";
import { ReferPartner } from "../referrals/ReferPartner.tsx";
import { TransferCase } from "./TransferCase.tsx";
import { CloseCase } from "./CloseCase.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import type { VisitRequest } from "../agenda/visit-request.ts";

/**
 * What a companion does with a conversation: insert a prepared text (editable
 * before sending), transfer (`TransferCase`: its note goes to the colleague's
 * console only, never into the room or the ops API), arrange a visit, refer to
 * a partner, invite the scheduling or referral bot, close (`CloseCase`: an
 * outcome and a closing message the victim reads, after asking once more).
 */
export function CaseActions(props: { session: StaffSession; roomId: string; caseInfo: CaseJson | null; summary: TriageSummaryContent | null; draft: Draft; visit: VisitRequest; referrals: CaseReferrals; onLeft: () => void }) {
  const session = props.session;
  const [error, setError] = createSignal<string | null>(null);
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
      </Show>
      <Show when={props.caseInfo}>
        {(caseInfo) => <CloseCase session={session} roomId={props.roomId} caseInfo={caseInfo()} onLeft={props.onLeft} />}
      </Show>
      <details>
        <summary>{ct("actions.invite")}</summary>
        <div class="row">
          <button type="button" onClick={() => inviteBot("scheduling")}>{ct("actions.inviteScheduling")}</button>
          {/* Here the referral form does what inviting the bot does in other clients (its referral desk), without a second room. */}
          <button type="button" onClick={() => props.referrals.showForm()}>{ct("actions.inviteReferral")}</button>
        </div>
      </details>
      {/* Outside the case's own Show: while the colleague takes over, the case is no longer mine but the hand-over goes on. */}
      <TransferCase session={session} roomId={props.roomId} caseInfo={props.caseInfo} summary={props.summary} onLeft={props.onLeft} />
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
    </div>
  );
}
