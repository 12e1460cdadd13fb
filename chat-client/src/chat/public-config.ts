/** `GET /_onsafe/v1/public/config`: who the bots are. Fetched when a chat starts. */
export interface PublicConfig {
  triage_bot: string;
  /** Bots whose invites the app accepts: the appointments room (docs/SCHEDULING.md), referral rooms (docs/REFERRALS.md). */
  scheduling_bot: string | null;
  referral_bot: string | null;
  open: boolean;
}

export async function fetchPublicConfig(): Promise<PublicConfig> {
  const response = await fetch("/_onsafe/v1/public/config", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`public config: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<PublicConfig>;
  if (typeof body.triage_bot !== "string") throw new Error("public config: no triage bot");
  const bot = (value: unknown) => (typeof value === "string" ? value : null);
  return { triage_bot: body.triage_bot, scheduling_bot: bot(body.scheduling_bot), referral_bot: bot(body.referral_bot), open: body.open === true };
}
