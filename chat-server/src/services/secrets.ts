/** Secrets generated on first start and kept owner-only in the data directory. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomToken } from "@onsafe/matrix-basics";

export interface Secrets {
  /** Shared secret for the Synapse-style admin registration endpoint. */
  registrationSharedSecret: string;
}

export function secretsPath(dataDir: string): string {
  return join(dataDir, "secrets.json");
}

export function loadSecrets(dataDir: string): Secrets {
  const path = secretsPath(dataDir);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as Secrets;
  const secrets: Secrets = { registrationSharedSecret: randomToken(32) };
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  return secrets;
}
