/**
 * The partner directory for supervisors (docs/REFERRALS.md): the active
 * partners, adding one, deactivating one (kept for past referrals). The ops
 * API checks every value; its refusal is shown in its own words.
 */
import type { PartnerJson } from "@onsafe/schema/ops-api";
import { PARTNER_KINDS, type PartnerKind } from "@onsafe/schema/referrals";
import { createSignal, For, onMount, Show } from "solid-js";
import { lang } from "../../words/i18n.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { NewPartner, OpsClient } from "../shell/ops-client.ts";
import { refusal } from "../case/refusal.ts";

const EMPTY = { nameKo: "", nameEn: "", aboutKo: "", aboutEn: "", region: "", languages: "ko, en", hours: "", contact: "", staff: "" };
type Fields = typeof EMPTY;
const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

export function PartnerDirectory(props: { ops: OpsClient }) {
  const [partners, setPartners] = createSignal<PartnerJson[]>([]);
  const [kind, setKind] = createSignal<PartnerKind>("treatment");
  const [fields, setFields] = createSignal<Fields>({ ...EMPTY });
  const [refused, setRefused] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [working, setWorking] = createSignal(false);

  const load = async () => {
    try {
      setPartners(await props.ops.partners());
    } catch (caught) {
      setRefused(refusal(caught));
    }
  };
  onMount(() => void load());

  const run = async (action: () => Promise<string>) => {
    setWorking(true);
    setRefused(null);
    setDone(null);
    try {
      setDone(await action());
      await load();
    } catch (caught) {
      setRefused(refusal(caught));
    } finally {
      setWorking(false);
    }
  };
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const f = fields();
    const partner: NewPartner = {
      kind: kind(), name: { ko: f.nameKo, en: f.nameEn }, about: { ko: f.aboutKo, en: f.aboutEn }, region: f.region,
      languages: list(f.languages), hours: f.hours, contact: f.contact, staff_ids: list(f.staff),
    };
    void run(async () => {
      const created = await props.ops.createPartner(partner);
      setFields({ ...EMPTY });
      return ct("partners.added", { name: created.name[lang()], id: created.id });
    });
  };
  const deactivate = (partner: PartnerJson) =>
    void run(async () => {
      await props.ops.deactivatePartner(partner.id);
      return ct("partners.deactivated", { name: partner.name[lang()] });
    });

  const field = (key: keyof Fields, label: ConsoleKey, multiline = false) => {
    const id = `partner-${key}`;
    const onInput = (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setFields((f) => ({ ...f, [key]: e.currentTarget.value }));
    return (
      <label for={id}>
        <span>{ct(label)}</span>
        {multiline
          ? <textarea id={id} rows={2} required value={fields()[key]} onInput={onInput} />
          : <input id={id} type="text" required={key !== "staff"} autocomplete="off" value={fields()[key]} onInput={onInput} />}
      </label>
    );
  };

  return (
    <section class="partners" aria-labelledby="partners-title">
      <h3 id="partners-title">{ct("partners.title")}</h3>
      <Show when={partners().length > 0} fallback={<p>{ct("partners.none")}</p>}>
        <ul class="partner-list" aria-labelledby="partners-title">
          <For each={partners()}>
            {(p) => (
              <li class="partner" data-partner={p.id}>
                <p class="case-facts">
                  <span class="category">{p.name[lang()]}</span>
                  <span class="badge">{ct(`partnerKind.${p.kind}` as ConsoleKey)}</span>
                  <span>{p.region}</span>
                  <span>{p.staff_ids.length > 0 ? ct("partners.staff", { n: p.staff_ids.length }) : ct("partners.letter")}</span>
                </p>
                <button type="button" disabled={working()} onClick={() => deactivate(p)}
                  aria-label={ct("partners.deactivateLabel", { name: p.name[lang()] })}>{ct("partners.deactivate")}</button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form class="partner-form" aria-labelledby="partner-add-title" onSubmit={add}>
        <h4 id="partner-add-title">{ct("partners.add")}</h4>
        <label for="partner-kind">
          <span>{ct("partners.kind")}</span>
          <select id="partner-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as PartnerKind)}>
            <For each={PARTNER_KINDS}>{(k) => <option value={k}>{ct(`partnerKind.${k}` as ConsoleKey)}</option>}</For>
          </select>
        </label>
        {field("nameKo", "partners.nameKo")}
        {field("nameEn", "partners.nameEn")}
        {field("aboutKo", "partners.aboutKo", true)}
        {field("aboutEn", "partners.aboutEn", true)}
        {field("region", "partners.region")}
        {field("languages", "partners.languages")}
        {field("hours", "partners.hours")}
        {field("contact", "partners.contact")}
        {field("staff", "partners.staffIds")}
        <button type="submit" class="primary" disabled={working()}>{ct("partners.submit")}</button>
      </form>
      <p class="partners-result" role="status">{done() ?? ""}</p>
      <Show when={refused()}>
        <p class="error" role="alert">{refused()}</p>
      </Show>
    </section>
  );
}
