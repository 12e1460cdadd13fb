/** `GET /_onsafe/v1/public/config`: who the bots are. Fetched when a chat starts. */
export interface PublicConfig {
  triage_bot: string;
  /** The bot whose invites the app accepts: it opens the appointments room (docs/SCHEDULING.md). */
  scheduling_bot: string | null;
  open: boolean;
}

export async function fetchPublicConfig(): Promise<PublicConfig> {
  const response = await fetch("/_onsafe/v1/public/config", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`public config: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<PublicConfig>;
  if (typeof body.triage_bot !== "string") throw new Error("public config: no triage bot");
  return { triage_bot: body.triage_bot, scheduling_bot: typeof body.scheduling_bot === "string" ? body.scheduling_bot : null, open: body.open === true };
}
