import type { PartnerReferralJson } from "@onsafe/schema/ops-api";
import { createSignal, Show } from "solid-js";
import { lang } from "../../words/i18n.ts";
import { ct } from "../shell/ct.ts";
import type { PartnerReferrals } from "./partner-referrals.ts";
import { type PartnerKey, pt } from "../partner/partner-strings.ts";
import { formatSpan } from "../agenda/zoned-time.ts";

/** The partner's own clock: they are not told where the service is. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * One referral to the partner's organisation: its id, status in words and when
 * it was handed off; "Accept" (join its chat) or "Open"; a withdrawn one says
 * so and offers nothing.
 */
export function PartnerReferralItem(props: { referral: PartnerReferralJson; referrals: PartnerReferrals; onOpen: (r: PartnerReferralJson) => void }) {
  const r = () => props.referral;
  const [joining, setJoining] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  const accept = async () => {
    setJoining(true);
    setFailed(false);
    try {
      await props.referrals.accept(r());
      props.onOpen(r());
    } catch {
      setFailed(true);
    } finally {
      setJoining(false);
    }
  };
  const unread = () => props.referrals.unread(r());

  return (
    <li class="referral" data-referral={r().id} data-status={r().status}>
      <h3>{pt("referral.name", { id: r().id })}</h3>
      <p class="case-facts">
        <span class="badge status">{pt(`status.${r().status}` as PartnerKey)}</span>
        <span>{pt("referral.handedOff", { when: formatSpan(r().consented_at, null, localZone(), lang()) })}</span>
        <Show when={unread() > 0}><span class="badge">{ct("conversations.unread", { count: unread() })}</span></Show>
      </p>
      <Show when={r().status === "withdrawn"}>
        <p class="withdrawn">{pt("referral.withdrawn")}</p>
      </Show>
      <Show when={props.referrals.joined(r())}>
        <button type="button" onClick={() => props.onOpen(r())} aria-label={pt("referral.openLabel", { id: r().id })}>{pt("referral.open")}</button>
      </Show>
      <Show when={props.referrals.acceptable(r())}>
        <button type="button" class="primary" disabled={joining()} onClick={() => void accept()} aria-label={pt("referral.acceptLabel", { id: r().id })}>
          {joining() ? pt("referral.joining") : pt("referral.accept")}
        </button>
      </Show>
      <Show when={failed()}>
        <p class="error" role="alert">{pt("referral.notInvited")}</p>
      </Show>
    </li>
  );
}
