/** `GET /_onsafe/v1/public/config`: who the triage bot is. Fetched when a chat starts. */
export interface PublicConfig {
  triage_bot: string;
  open: boolean;
}

export async function fetchPublicConfig(): Promise<PublicConfig> {
  const response = await fetch("/_onsafe/v1/public/config", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`public config: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<PublicConfig>;
  if (typeof body.triage_bot !== "string") throw new Error("public config: no triage bot");
  return { triage_bot: body.triage_bot, open: body.open === true };
}
