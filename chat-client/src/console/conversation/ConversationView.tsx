import { createEffect, createSignal, type JSX, Show } from "solid-js";
import { Composer, type Draft } from "../../ui/Composer.tsx";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { createCaseReferrals } from "../referrals/case-referrals.ts";
import { CaseActions } from "../case/CaseActions.tsx";
import { CameBack } from "../case/CameBack.tsx";
import { ConversationLog, createConsoleRoom } from "./ConversationLog.tsx";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { ReferralList } from "../referrals/ReferralList.tsx";
import type { StaffSession } from "../shell/staff-session.ts";
import { createVisitRequest } from "../agenda/visit-request.ts";
import { CaseAppointments } from "../workspace/CaseAppointments.tsx";
import { COMPOSE_KEYS } from "../workspace/keys.ts";
import { wt } from "../workspace/workspace-strings.ts";

/**
 * One open conversation, in two columns (docs/CONSOLE.md "Workspace"): the conversation (a fixed
 * header with the case and its flags, the log scrolling on its own, the composer saying who it
 * writes to) and the case panel beside it (the triage summary, appointments, referrals, what can be done).
 * The draft is the workspace's, one per conversation; this view is made for one room and sends
 * only there. Once the victim has left (`ended`), the case is closed: no composer or actions, only
 * a way to put it away.
 */
export function ConversationView(props: {
  session: StaffSession;
  roomId: string;
  caseInfo: CaseJson | null;
  /** The case's name in the list ("Sextortion · c-…"). */
  title: JSX.Element;
  ended: boolean;
  draft: Draft;
  /** A case just taken, or Alt+C: the composer gets the focus, so what is typed next goes to this victim. */
  focusComposer: boolean;
  onFocused: () => void;
  onLeft: () => void;
}) {
  const client = props.session.client;
  const room = createConsoleRoom(props.session, props.roomId, "summary");
  // The summary is shown in the case panel, so the log is given none to pin.
  const logRoom = { ...room, pinned: () => null };
  const draft = props.draft;
  const visit = createVisitRequest(props.session.ops, () => props.caseInfo);
  const referrals = createCaseReferrals(props.session.ops, () => props.caseInfo);
  // On a narrow screen the case panel takes the conversation's place while it is open.
  const [panelOpen, setPanelOpen] = createSignal(false);
  const send = (body: string) => {
    if (referrals.command(body)) {
      setPanelOpen(true);
      return;
    }
    if (visit.command(body)) {
      // The composer empties itself after this; an unknown kind comes back to be corrected.
      if (visit.notice()?.ok === false) queueMicrotask(() => draft.set(body));
      return;
    }
    void client.sendMessage(props.roomId, { msgtype: "m.text", body } as never).catch(() => undefined);
  };
  let composerBox: HTMLDivElement | undefined;
  const textarea = () => composerBox?.querySelector("textarea");
  createEffect(() => {
    // The shared composer knows nothing of the console: say here whom it writes to, and its key.
    textarea()?.setAttribute("aria-describedby", "composer-to");
    textarea()?.setAttribute("aria-keyshortcuts", COMPOSE_KEYS);
  });
  createEffect(() => {
    if (!props.focusComposer || props.ended) return;
    setPanelOpen(false);
    textarea()?.focus();
    props.onFocused();
  });
  /** Out of the room, and the room forgotten: after a deletion nothing of it stays with this account. */
  const dismiss = async () => {
    await client.leave(props.roomId).catch(() => undefined);
    await client.forget(props.roomId).catch(() => undefined);
    props.onLeft();
  };
  const category = () => ct(`category.${props.caseInfo?.category ?? "unknown"}` as ConsoleKey);

  return (
    <div class="conversation-case" classList={{ "panel-open": panelOpen() }}>
      <section class="conversation" aria-labelledby="conversation-heading">
        <header class="conversation-header">
          <div class="conversation-title">
            <h2 id="conversation-heading">{props.title}</h2>
            <p class="tab-badges">
              <Show when={props.caseInfo?.crisis}><strong class="badge crisis-badge"><span aria-hidden="true">⚠ </span>{ct("conversations.crisis")}</strong>{" "}</Show>
              <Show when={props.caseInfo?.deadline === "within_24h"}><strong class="badge deadline-badge">{wt("badge.deadline")}</strong>{" "}</Show>
              <Show when={props.caseInfo?.deadline === "within_week"}><span class="badge">{wt("badge.deadlineWeek")}</span>{" "}</Show>
              <Show when={props.caseInfo?.minor}><strong class="badge minor-badge">{wt("badge.minor")}</strong>{" "}</Show>
              <Show when={props.caseInfo?.language}>{(language) => <span class="badge">{ct("queue.language", { language: language() })}</span>}</Show>
              <Show when={props.ended}><span class="badge">{ct("conversations.ended")}</span></Show>
            </p>
            <CameBack previous={props.caseInfo?.previous_case} nameOf={(userId) => client.getUser(userId)?.displayName ?? userId} />
          </div>
          <button type="button" class="panel-toggle" aria-expanded={panelOpen()} aria-controls="case-panel" onClick={() => setPanelOpen(!panelOpen())}>
            {panelOpen() ? wt("panel.back") : wt("panel.show")}
          </button>
        </header>
        <div class="conversation-body">
          <ConversationLog session={props.session} roomId={props.roomId} room={logRoom} pinnedTitle={ct("conversation.summary")}
            victimName={ct("conversation.victim")} typingText={ct("conversation.typing")} />
        </div>
        <p class="visit-notice" role="status">
          <Show when={visit.notice()?.ok}>{visit.notice()?.text}</Show>
        </p>
        <Show when={visit.notice()?.ok === false}>
          <p class="visit-notice error" role="alert">{visit.notice()?.text}</p>
        </Show>
        <p class="referral-notice" role="status">
          <Show when={referrals.notice()?.ok}>{referrals.notice()?.text}</Show>
        </p>
        <Show when={referrals.notice()?.ok === false}>
          <p class="referral-notice error" role="alert">{referrals.notice()?.text}</p>
        </Show>
        <Show when={props.ended}>
          <div class="ended">
            <p>{ct("conversation.ended")}</p>
            <button type="button" onClick={() => void dismiss()}>{ct("conversation.dismiss")}</button>
          </div>
        </Show>
        <Show when={!props.ended}>
          <div class="composer-box" ref={composerBox}>
            <p id="composer-to" class="composer-to">{wt("composer.to", { id: props.caseInfo?.id ?? "…", category: category() })}</p>
            <Composer draft={draft} rows={2} onSend={send} onTyping={room.live.sendTyping} />
          </div>
        </Show>
      </section>
      <aside id="case-panel" class="case-panel" aria-labelledby="case-panel-title">
        <h2 id="case-panel-title">{wt("panel.title")} {props.caseInfo?.id ?? ""}</h2>
        <Show when={room.pinned()}>
          {(body) => (
            <div class="summary pinned">
              <h3>{ct("conversation.summary")}</h3>
              <p>{body()}</p>
            </div>
          )}
        </Show>
        <Show when={props.caseInfo?.id}>
          {(caseId) => <CaseAppointments ops={props.session.ops} caseId={caseId()} changed={visit.notice()} />}
        </Show>
        <Show when={referrals.state.referrals.length > 0}>
          <ReferralList referrals={referrals} />
        </Show>
        <Show when={!props.ended}>
          <CaseActions session={props.session} roomId={props.roomId} caseInfo={props.caseInfo} summary={room.summary()} draft={draft} visit={visit} referrals={referrals} onLeft={props.onLeft} />
        </Show>
      </aside>
    </div>
  );
}
