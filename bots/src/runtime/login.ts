/**
 * Logs a bot in as its fixed device, creating the account first (through the
 * shared-secret registration) when the homeserver does not know it yet.
 */
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { registerWithSharedSecret } from "./shared-secret-registration.ts";
import type { BotName, BotSecrets } from "./bot-secrets.ts";

export interface BotSession {
  userId: string;
  deviceId: string;
  accessToken: string;
}

export async function loginBot(homeserverUrl: string, name: BotName, secrets: BotSecrets, sharedSecret: string | undefined): Promise<BotSession> {
  const username = BOT_LOCALPARTS[name];
  let reply = await passwordLogin(homeserverUrl, username, secrets);
  if (reply.status === 403 && sharedSecret) {
    await registerWithSharedSecret({ baseUrl: homeserverUrl, sharedSecret, username, password: secrets.password, kind: "bot", displayName: DISPLAY_NAMES[name] });
    reply = await passwordLogin(homeserverUrl, username, secrets);
  }
  const body = (await reply.json()) as { user_id?: string; device_id?: string; access_token?: string; errcode?: string; error?: string };
  if (!reply.ok || !body.access_token || !body.user_id) {
    const hint = sharedSecret ? "" : " (no registration shared secret to create it: set ONSAFE_REGISTRATION_SHARED_SECRET)";
    throw new Error(`${username} could not log in: ${body.errcode ?? reply.status} ${body.error ?? ""}${hint}`);
  }
  return { userId: body.user_id, deviceId: body.device_id ?? secrets.deviceId, accessToken: body.access_token };
}

const DISPLAY_NAMES: Record<BotName, string> = {
  triage: "onsafe",
  scheduling: "onsafe visits",
  referral: "onsafe referrals",
};

function passwordLogin(homeserverUrl: string, username: string, secrets: BotSecrets): Promise<Response> {
  return fetch(`${homeserverUrl.replace(/\/$/, "")}/_matrix/client/v3/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: username },
      password: secrets.password,
      device_id: secrets.deviceId,
      initial_device_display_name: `onsafe ${username}`,
    }),
  });
}
