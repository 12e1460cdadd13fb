/**
 * A conversation's referrals (docs/REFERRALS.md): the partners to choose
 * from, offering one (by "Offer referral" or `/refer`, which only opens the
 * form), the case's referrals polled like the agenda, and marking one
 * completed. What victims did is told across all cases (referral-news.ts).
 * Nothing goes into the counselling room.
 */
import type { CaseJson, PartnerJson, ReferralJson } from "@onsafe/schema/ops-api";
import type { ReferralItem } from "@onsafe/schema/referrals";
import { createSignal, onCleanup, onMount } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { lang } from "../../words/i18n.ts";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";
import { isReferCommand } from "./refer-command.ts";
import { refusal } from "../case/refusal.ts";

const REFRESH_MS = 5000;

export interface ReferralNotice {
  ok: boolean;
  text: string;
}

export function createCaseReferrals(ops: OpsClient, caseInfo: () => CaseJson | null) {
  // Reconciled by id, so a focused "Mark completed" survives each refresh.
  const [state, setState] = createStore<{ referrals: ReferralJson[]; partners: PartnerJson[] }>({ referrals: [], partners: [] });
  const [notice, setNotice] = createSignal<ReferralNotice | null>(null);
  const [working, setWorking] = createSignal(false);
  const [open, setOpen] = createSignal(false);
  /** Bumped by `/refer`, so the form takes the focus even when already open. */
  const [focusAsked, setFocusAsked] = createSignal(0);

  const partnerName = (partnerId: string) => {
    const partner = state.partners.find((p) => p.id === partnerId);
    // Deactivated partners are no longer listed; their id still names them.
    return partner ? partner.name[lang()] : partnerId;
  };

  const loadPartners = async () => {
    try {
      setState("partners", reconcile(await ops.partners()));
    } catch {
      // The form says there are no partners to choose; the next opening asks again.
    }
  };

  const refresh = async () => {
    const current = caseInfo();
    if (!current) return;
    try {
      setState("referrals", reconcile(await ops.caseReferrals(current.id)));
    } catch {
      // Shown by the dashboard's own "could not reach" line when the ops API is down; the next poll tries again.
    }
  };

  onMount(() => {
    void loadPartners();
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });

  const offer = async (partnerId: string, items: ReferralItem[], summary?: string): Promise<boolean> => {
    const current = caseInfo();
    if (!current) {
      setNotice({ ok: false, text: ct("visit.noCase") });
      return false;
    }
    setWorking(true);
    setNotice(null);
    try {
      const referral = await ops.refer(current.id, partnerId, items, summary);
      setNotice({ ok: true, text: ct("refer.offered", { id: referral.id, partner: partnerName(partnerId) }) });
      await refresh();
      return true;
    } catch (caught) {
      setNotice({ ok: false, text: refusal(caught) });
      return false;
    } finally {
      setWorking(false);
    }
  };

  const complete = async (referralId: string) => {
    setNotice(null);
    try {
      await ops.completeReferral(referralId);
      await refresh();
    } catch (caught) {
      setNotice({ ok: false, text: refusal(caught) });
    }
  };

  /** Opens the form and gives it the focus, even when already open. */
  const showForm = () => {
    setOpen(true);
    setFocusAsked((n) => n + 1);
    void loadPartners();
  };

  /** Handles `/refer` typed in the composer: true when it was one (and so must not be sent). */
  const command = (body: string): boolean => {
    if (!isReferCommand(body)) return false;
    showForm();
    return true;
  };

  return { state, notice, working, open, setOpen, focusAsked, partnerName, loadPartners, offer, complete, command, showForm };
}

export type CaseReferrals = ReturnType<typeof createCaseReferrals>;
