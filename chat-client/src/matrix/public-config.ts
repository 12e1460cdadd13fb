/**
 * `GET /_onsafe/v1/public/config`: who the bots are, whether anyone is on shift,
 * and the opening the app shows by itself when Start is pressed
 * (docs/FIRST-MINUTES.md). Asked once per page, as the landing page renders, so
 * Start finds it there; a failed answer is forgotten, so the next call asks again.
 */
import type { AppOpeningJson } from "@onsafe/schema/ops-api";
import type { Lang } from "../words/strings.ts";

type Text = Record<Lang, string>;

/** The greeting and first question, from the bots' own question bank. */
export type AppOpening = AppOpeningJson;

export interface PublicConfig {
  triage_bot: string;
  /** Bots whose invites the app accepts: the appointments room (docs/SCHEDULING.md), referral rooms (docs/REFERRALS.md). */
  scheduling_bot: string | null;
  referral_bot: string | null;
  open: boolean;
  /** Null from a bots service that has none (then the bot greets and asks in the room, as before). */
  opening: AppOpening | null;
}

let asked: Promise<PublicConfig> | null = null;

export function fetchPublicConfig(): Promise<PublicConfig> {
  asked ??= ask().catch((error: unknown) => {
    asked = null;
    throw error;
  });
  return asked;
}

async function ask(): Promise<PublicConfig> {
  const response = await fetch("/_onsafe/v1/public/config", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`public config: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<Record<keyof PublicConfig, unknown>>;
  if (typeof body.triage_bot !== "string") throw new Error("public config: no triage bot");
  const bot = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    triage_bot: body.triage_bot,
    scheduling_bot: bot(body.scheduling_bot),
    referral_bot: bot(body.referral_bot),
    open: body.open === true,
    opening: isOpening(body.opening) ? body.opening : null,
  };
}

const isText = (value: unknown): value is Text =>
  typeof value === "object" && value !== null && typeof (value as Text).ko === "string" && typeof (value as Text).en === "string";

function isOpening(value: unknown): value is AppOpening {
  const opening = value as AppOpening | null | undefined;
  const prompt = opening?.prompt;
  return isText(opening?.greeting) && typeof prompt?.id === "string" && isText(prompt.text) && Array.isArray(prompt.options)
    && prompt.options.length > 0 && prompt.options.every((o) => typeof o?.id === "string" && isText(o.label));
}
