import { t } from "../../words/i18n.ts";

/**
 * After the hand-off, once: the offer to save the code, in plain words. At the
 * start it stood between a frightened person and the first question; "Show my
 * code" in the menu keeps it at hand afterwards.
 */
export function RecoveryOffer(props: { onShow: () => void; onNotNow: () => void }) {
  return (
    <section class="recovery-offer" aria-labelledby="recovery-offer-title">
      <h2 id="recovery-offer-title">{t("recovery.offerTitle")}</h2>
      <p>{t("recovery.offerBody")}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => props.onShow()}>{t("menu.showCode")}</button>
        <button type="button" onClick={() => props.onNotNow()}>{t("recovery.notNow")}</button>
      </div>
    </section>
  );
}
