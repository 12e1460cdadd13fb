/**
 * The gateway's VAPID key pair (RFC 8292): generated on first start and kept
 * owner-only in `push-vapid.json` in the data directory, as the bots' own
 * secrets are (`runtime/bot-secrets.ts`). The public key is what consoles
 * subscribe with (`GET push/config`); a new pair would leave every existing
 * subscription unusable, so the file is never replaced.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import webPush from "web-push";

export interface VapidKeys {
  /** base64url of the uncompressed P-256 point: the console's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

export function loadVapidKeys(dataDir: string): VapidKeys {
  const path = join(dataDir, "push-vapid.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as VapidKeys;
  const keys = webPush.generateVAPIDKeys();
  const saved: VapidKeys = { publicKey: keys.publicKey, privateKey: keys.privateKey };
  // "wx": two starts on one data directory never overwrite each other's pair.
  writeFileSync(path, JSON.stringify(saved, null, 2), { mode: 0o600, flag: "wx" });
  return saved;
}
