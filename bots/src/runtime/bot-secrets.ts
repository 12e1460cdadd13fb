/**
 * The bots service's own secrets, generated on first start and kept owner-only
 * in `bots-secrets.json`: each bot's password and the key that encrypts its
 * crypto store at rest. Access tokens are never stored: each start logs in
 * again as the same device, so the bot keeps its keys and Olm sessions.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
