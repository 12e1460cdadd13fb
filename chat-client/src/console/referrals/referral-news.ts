/**
 * What victims did with the referrals this companion made, across all their
 * cases (`GET me/referrals`, polled like the agenda): consent given, a
 * referral declined, consent withdrawn. One line each and one announcement,
 * whichever conversation is open. Ids and partner names only.
 */
import type { ReferralJson } from "@onsafe/schema/ops-api";
import { createSignal, onCleanup, onMount } from "solid-js";
import { lang } from "../../words/i18n.ts";
import { announce } from "../shell/announcer.ts";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";
import type { OpsClient } from "../shell/ops-client.ts";
import { victimReferralChanges } from "./referral-changes.ts";

const REFRESH_MS = 5000;
const LINES = 5;

export function createReferralNews(ops: OpsClient): () => string[] {
  const [news, setNews] = createSignal<string[]>([]);
  const names = new Map<string, { ko: string; en: string }>();
  let seen: ReferralJson[] | null = null;

  const partnerName = async (partnerId: string) => {
    if (!names.has(partnerId)) {
      try {
        for (const p of await ops.partners()) names.set(p.id, p.name);
      } catch {
        // The id names it until the directory answers.
      }
    }
    return names.get(partnerId)?.[lang()] ?? partnerId;
  };

  const refresh = async () => {
    let referrals: ReferralJson[];
    try {
      referrals = await ops.myReferrals();
    } catch {
      return; // The dashboard's own line says when the ops API cannot be reached; the next poll tries again.
    }
    const changes = seen ? victimReferralChanges(seen, referrals) : [];
    seen = referrals;
    if (changes.length === 0) return;
    const lines = await Promise.all(changes.map(async (c) => ct(`referral.news.${c.change}` as ConsoleKey, { id: c.caseId, partner: await partnerName(c.partnerId) })));
    setNews((before) => [...lines, ...before].slice(0, LINES));
    announce(ct("notify.referral"), "referral");
  };

  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  });
  return news;
}
