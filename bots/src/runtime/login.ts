/**
 * A bot's session: the access token it kept from its last start when the
 * homeserver still accepts it (whoami), else a password login as its fixed
 * device, creating the account first (through the shared-secret registration)
 * when the homeserver does not know it yet. The new token is kept for the next start.
 */
import { BOT_LOCALPARTS, POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";
import { registerWithSharedSecret } from "./shared-secret-registration.ts";
import { type BotName, type BotSecrets, loadBotSessions, saveBotSession } from "./bot-secrets.ts";

export interface BotSession {
  userId: string;
  deviceId: string;
  accessToken: string;
}

export async function startBotSession(homeserverUrl: string, dataDir: string, name: BotName, secrets: BotSecrets, sharedSecret: string | undefined): Promise<BotSession> {
  const saved = loadBotSessions(dataDir)[name];
  if (saved && saved.deviceId === secrets.deviceId && await stillValid(homeserverUrl, saved)) return saved;
  const session = await loginBot(homeserverUrl, name, secrets, sharedSecret);
  saveBotSession(dataDir, name, session);
  return session;
}

/** Whether the homeserver still knows `session`'s token as that user and device; throws if it cannot say (down, or failing). */
async function stillValid(homeserverUrl: string, session: BotSession): Promise<boolean> {
  const reply = await fetch(`${homeserverUrl.replace(/\/$/, "")}/_matrix/client/v3/account/whoami`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  if (reply.status === 401) return false;
  if (!reply.ok) throw new Error(`whoami for ${session.userId} failed: ${reply.status}`);
  const body = (await reply.json()) as { user_id?: string; device_id?: string };
  return body.user_id === session.userId && body.device_id === session.deviceId;
}

export async function loginBot(homeserverUrl: string, name: BotName, secrets: BotSecrets, sharedSecret: string | undefined): Promise<BotSession> {
  const username = BOT_LOCALPARTS[name];
  // Create the account first when it may not exist yet: a login that fails because there is no such
  // user would count against this address's password guesses (shared with staff behind the same
  // address, or a proxy on this host), so the bots never log in to an account that is not there.
  if (sharedSecret) {
    await registerWithSharedSecret({ baseUrl: homeserverUrl, sharedSecret, username, password: secrets.password, kind: "bot", displayName: DISPLAY_NAMES[name] })
      .catch((error: unknown) => { if (!String(error).includes("M_USER_IN_USE")) throw error; });
  }
  const reply = await passwordLogin(homeserverUrl, username, secrets);
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

/** Waits this long at most for the homeserver's guess limit (`429` with `retry_after_ms`) before trying again. */
const MAX_LOGIN_WAIT_MS = 60_000;
const LOGIN_TRIES = 6;

/**
 * A password login, waiting out the homeserver's limit on guesses from this
 * address, which others may share (staff, or a proxy on this host), and
 * solving the proof of work it asks for once that address has guessed wrong
 * a few times (401 ORG.ONSAFE.POW_REQUIRED, docs/PROOF-OF-WORK.md).
 */
async function passwordLogin(homeserverUrl: string, username: string, secrets: BotSecrets): Promise<Response> {
  let proof: string | undefined;
  for (let tries = 1; ; tries++) {
    const reply = await passwordLoginOnce(homeserverUrl, username, secrets, proof);
    proof = undefined;
    if (tries >= LOGIN_TRIES) return reply;
    if (reply.status === 401) {
      const body: unknown = await reply.clone().json().catch(() => undefined);
      const challenge = (body as { errcode?: unknown } | undefined)?.errcode === POW_REQUIRED_ERRCODE ? proofOfWorkChallengeIn(body) : undefined;
      if (!challenge) return reply;
      proof = await solveProofOfWork(challenge);
      continue;
    }
    if (reply.status !== 429) return reply;
    const { retry_after_ms: wait } = (await reply.clone().json()) as { retry_after_ms?: number };
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(wait ?? 1000, 100), MAX_LOGIN_WAIT_MS)));
  }
}

function passwordLoginOnce(homeserverUrl: string, username: string, secrets: BotSecrets, proof: string | undefined): Promise<Response> {
  return fetch(`${homeserverUrl.replace(/\/$/, "")}/_matrix/client/v3/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "m.login.password",
      identifier: { type: "m.id.user", user: username },
      password: secrets.password,
      device_id: secrets.deviceId,
      initial_device_display_name: `onsafe ${username}`,
      ...proof === undefined ? {} : { [PROOF_OF_WORK_STAGE]: proof },
    }),
  });
}
