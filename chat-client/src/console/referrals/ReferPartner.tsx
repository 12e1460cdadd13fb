import { REFERRAL_ITEMS, type ReferralItem } from "@onsafe/schema/referrals";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { lang } from "../../words/i18n.ts";
import type { CaseReferrals } from "./case-referrals.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import { rft } from "./referral-strings.ts";

/** The ops API's limit for the companion's summary (docs/REFERRALS.md). */
const MAX_SUMMARY = 2000;

/**
 * "Refer to a partner": a partner, the items to offer and, when the summary is
 * one of them, its text. The referral bot then asks the victim item by item.
 * Contact in a shared chat is offered only for a partner with accounts here:
 * nobody from a letter-only partner could write there, so the form says the
 * victim gets a letter instead (issue 19).
 */
export function ReferPartner(props: { referrals: CaseReferrals }) {
  const referrals = props.referrals;
  const [partnerId, setPartnerId] = createSignal("");
  const [items, setItems] = createSignal<ReferralItem[]>(["category", "contact"]);
  const [summary, setSummary] = createSignal("");
  let partnerSelect: HTMLSelectElement | undefined;
  let section: HTMLDetailsElement | undefined;

  createEffect(on(referrals.focusAsked, () => {
    section?.scrollIntoView({ block: "nearest" });
    partnerSelect?.focus();
  }, { defer: true }));

  const partner = () => referrals.state.partners.find((p) => p.id === partnerId());
  const letterOnly = () => (partner()?.staff_ids.length ?? 1) === 0;
  /** What can be offered to the chosen partner. */
  const offerable = () => REFERRAL_ITEMS.filter((i) => i !== "contact" || !letterOnly());
  /** What is ticked and can be offered: a tick on contact stays for a partner chosen later that has accounts. */
  const offered = () => items().filter((i) => offerable().includes(i));
  const ticked = (item: ReferralItem) => offered().includes(item);
  const tick = (item: ReferralItem, on: boolean) =>
    setItems((now) => REFERRAL_ITEMS.filter((i) => (i === item ? on : now.includes(i))));
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const sent = await referrals.offer(partnerId(), offered(), ticked("summary") ? summary() : undefined);
    if (sent) setSummary("");
  };

  return (
    <details ref={section} class="refer" open={referrals.open()} onToggle={(e) => {
      referrals.setOpen(e.currentTarget.open);
      if (e.currentTarget.open) void referrals.loadPartners();
    }}>
      <summary>{ct("refer.title")}</summary>
      <form onSubmit={(e) => void submit(e)} class="action-form">
        <p class="hint" id="refer-consent">{ct("refer.consent")}</p>
        <label for="refer-partner">{ct("refer.partner")}</label>
        <select id="refer-partner" ref={partnerSelect} required value={partnerId()} onChange={(e) => setPartnerId(e.currentTarget.value)}>
          <option value="">{referrals.state.partners.length > 0 ? ct("refer.partnerPick") : ct("refer.noPartners")}</option>
          <For each={referrals.state.partners}>
            {(p) => <option value={p.id}>{ct("refer.partnerOption", { kind: ct(`partnerKind.${p.kind}` as ConsoleKey), name: p.name[lang()], region: p.region })}</option>}
          </For>
        </select>
        <fieldset class="refer-items" aria-describedby={letterOnly() ? "refer-consent refer-letter" : "refer-consent"}>
          <legend>{ct("refer.items")}</legend>
          <For each={offerable()}>
            {(item) => (
              <label class="check">
                <input type="checkbox" name="item" value={item} checked={ticked(item)} onChange={(e) => tick(item, e.currentTarget.checked)} />
                <span>{ct(`referralItem.${item}` as ConsoleKey)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <Show when={letterOnly() && partner()}>
          {(p) => <p class="hint refer-letter" id="refer-letter">{rft("refer.letterOnly", { partner: p().name[lang()] })}</p>}
        </Show>
        <Show when={ticked("summary")}>
          <label for="refer-summary">{ct("refer.summary")}</label>
          <textarea id="refer-summary" rows={4} required maxLength={MAX_SUMMARY} aria-describedby="refer-summary-count"
            value={summary()} onInput={(e) => setSummary(e.currentTarget.value)} />
          <p class="hint" id="refer-summary-count">{ct("refer.count", { n: summary().length.toLocaleString(lang()), max: MAX_SUMMARY.toLocaleString(lang()) })}</p>
        </Show>
        <button type="submit" class="primary" disabled={referrals.working() || offered().length === 0}>{ct("refer.submit")}</button>
      </form>
    </details>
  );
}
