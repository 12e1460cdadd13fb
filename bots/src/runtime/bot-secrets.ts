/**
 * The bots service's own secrets, generated on first start and kept owner-only
 * in `bots-secrets.json`: each bot's password and the key that encrypts its
 * crypto store at rest. Each bot's access token is kept beside them, owner-only
 * too, in `bots-sessions.json`, and reused at the next start: a bot logs in
 * (always as the same device, so it keeps its keys and Olm sessions) only when
 * the homeserver refuses that token, so guesses at its public id cannot stop
 * it from starting.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BOT_LOCALPARTS } from "@onsafe/schema";

export type BotName = keyof typeof BOT_LOCALPARTS;

export interface BotSecrets {
  password: string;
  deviceId: string;
}

export interface BotsSecrets {
  /** Passphrase of the crypto stores (the Rust SDK encrypts every value with it). */
  cryptoStorePassphrase: string;
  bots: Record<BotName, BotSecrets>;
}

const token = (bytes: number) => randomBytes(bytes).toString("base64url");

export function loadBotsSecrets(dataDir: string): BotsSecrets {
  const path = join(dataDir, "bots-secrets.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as BotsSecrets;
  const bots = Object.fromEntries(Object.keys(BOT_LOCALPARTS).map((name) => [name, {
    password: token(24),
    deviceId: `BOT${token(6).toUpperCase().replace(/[^A-Z0-9]/g, "X")}`,
  }])) as Record<BotName, BotSecrets>;
  const secrets: BotsSecrets = { cryptoStorePassphrase: token(32), bots };
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  return secrets;
}

/** A bot's access token as the homeserver issued it, for its fixed device. */
export interface SavedSession {
  userId: string;
  deviceId: string;
  accessToken: string;
}

const SESSIONS_FILE = "bots-sessions.json";

/** The access tokens the bots were last given, by bot (none before the first login). */
export function loadBotSessions(dataDir: string): Partial<Record<BotName, SavedSession>> {
  const path = join(dataDir, SESSIONS_FILE);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) as Partial<Record<BotName, SavedSession>> : {};
}

/** Keeps `session` as `name`'s token for the next start: owner-only, replaced whole (a crash leaves the old file or the new one). */
export function saveBotSession(dataDir: string, name: BotName, session: SavedSession): void {
  const sessions = { ...loadBotSessions(dataDir), [name]: session };
  const path = join(dataDir, SESSIONS_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(sessions, null, 2), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/**
 * The homeserver's registration shared secret: from the environment, or from
 * our own homeserver's `secrets.json` in the same data directory.
 */
export function registrationSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ONSAFE_REGISTRATION_SHARED_SECRET) return env.ONSAFE_REGISTRATION_SHARED_SECRET;
  const path = join(dataDir, "secrets.json");
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { registrationSharedSecret?: string }).registrationSharedSecret;
}
