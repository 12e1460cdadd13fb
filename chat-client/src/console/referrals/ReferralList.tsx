import type { ReferralJson } from "@onsafe/schema/ops-api";
import { For, Show } from "solid-js";
import type { CaseReferrals } from "./case-referrals.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { referralStatusWords } from "./referral-strings.ts";

/** The partner is helping, or the victim has the letter: the help can be recorded as done. */
const COMPLETABLE: ReadonlySet<ReferralJson["status"]> = new Set(["accepted", "letter_given", "first_contact"]);
const itemWords = (items: readonly string[]) => items.map((i) => ct(`referralItem.${i}` as ConsoleKey)).join(", ");

/** The case's referrals: partner, status in words, what was offered and agreed. */
export function ReferralList(props: { referrals: CaseReferrals }) {
  const referrals = props.referrals;
  return (
    <section class="referrals" aria-labelledby="referrals-title">
      <h3 id="referrals-title">{ct("referrals.title")}</h3>
      <Show when={referrals.state.referrals.length > 0}>
        <ul class="referral-list" aria-labelledby="referrals-title">
          <For each={referrals.state.referrals}>
            {(r) => (
              <li class="referral" data-referral={r.id} data-status={r.status}>
                <p class="case-facts">
                  <span class="category">{referrals.partnerName(r.partner_id)}</span>
                  <span class="badge status">{referralStatusWords(r.status)}</span>
                </p>
                <p>{ct("referrals.offered", { items: itemWords(r.items_offered) })}</p>
                <p class="agreed">{r.items_consented.length > 0 ? ct("referrals.agreed", { items: itemWords(r.items_consented) }) : ct("referrals.agreedNone")}</p>
                <Show when={COMPLETABLE.has(r.status)}>
                  <button type="button" onClick={() => void referrals.complete(r.id)}
                    aria-label={ct("referrals.completeLabel", { partner: referrals.partnerName(r.partner_id) })}>{ct("referrals.complete")}</button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
