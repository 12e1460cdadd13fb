import type { PartnerReferralJson, StaffJson } from "@onsafe/schema/ops-api";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { announce, setTitleCount } from "../shell/announcer.ts";
import { ct } from "../shell/ct.ts";
import { SignOutButton } from "../shell/SignOutButton.tsx";
import { PartnerConversation } from "./PartnerConversation.tsx";
import { PartnerReferralItem } from "../referrals/PartnerReferralItem.tsx";
import { createPartnerReferrals } from "../referrals/partner-referrals.ts";
import { pt } from "./partner-strings.ts";
import type { StaffSession } from "../shell/staff-session.ts";

/**
 * What a partner's staff member sees in the console (docs/CONSOLE.md "Partner
 * view"): the referrals handed off to their organisation and, once accepted,
 * a referral's chat. No queue, shift, cases, figures or case actions.
 */
export function PartnerView(props: { session: StaffSession; me: StaffJson; onSignedOut: () => void }) {
  const referrals = createPartnerReferrals(props.session);
  const [chosen, setChosen] = createSignal<string | null>(null);
  /** The chosen referral's room, while it is still theirs and joined (a withdrawal closes it). */
  const openRoom = () => {
    const r = referrals.referrals().find((x) => x.id === chosen());
    return r?.room_id && referrals.joined(r) ? r.room_id : null;
  };

  // The title counts referrals waiting to be accepted and unread messages; a rise is announced (no content).
  const waiting = () => referrals.referrals().filter((r) => r.status === "consented" && referrals.acceptable(r)).length;
  const unread = () => referrals.referrals().reduce((sum, r) => sum + referrals.unread(r), 0);
  createEffect(() => setTitleCount(waiting() + unread(), ct("title")));
  createEffect(on(waiting, (now, before) => { if (before !== undefined && now > before) announce(pt("notify.referral"), "referral"); }));
  createEffect(on(unread, (now, before) => { if (before !== undefined && now > before) announce(ct("notify.message"), "message"); }));

  return (
    <main class="console partner-console">
      <section class="me" aria-labelledby="me-title">
        <h1 id="me-title">{props.me.display_name ?? props.session.login.userId}</h1>
        <p>{pt("role")}</p>
        <SignOutButton session={props.session} onSignedOut={props.onSignedOut} />
      </section>
      <Show when={referrals.unreachable()}>
        <p class="error" role="alert">{ct("error.ops")}</p>
      </Show>

      <section class="partner-referrals" aria-labelledby="partner-referrals-title">
        <h2 id="partner-referrals-title">{pt("referrals.title")}</h2>
        <p class="hint">{pt("referrals.intro")}</p>
        <Show when={referrals.loaded()}>
          <Show when={referrals.referrals().length > 0} fallback={<p>{pt("referrals.none")}</p>}>
            <ul class="referral-list" aria-labelledby="partner-referrals-title">
              <For each={referrals.referrals()}>
                {(r) => <PartnerReferralItem referral={r} referrals={referrals} onOpen={(x: PartnerReferralJson) => setChosen(x.id)} />}
              </For>
            </ul>
          </Show>
        </Show>
      </section>

      <Show when={openRoom()} keyed>
        {(roomId) => <PartnerConversation session={props.session} roomId={roomId} referralId={chosen() ?? ""} onClose={() => setChosen(null)} />}
      </Show>
    </main>
  );
}
