/**
 * `npm run admin -- add-staff --kind companion|supervisor|partner --username NAME
 *  --password PASS [--languages ko,en] [--capacity N] [--display-name "..."]`
 * Creates the account on the homeserver over HTTP with the registration shared
 * secret (from ONSAFE_REGISTRATION_SHARED_SECRET or the data directory), then
 * enters it in the bots service's staff directory (`bots.sqlite`), which the
 * running service reads on every request.
 */
import { parseArgs } from "node:util";
import { STAFF_KINDS, type StaffKind } from "@onsafe/schema";
import { botsConfigFromEnv } from "../config.ts";
import { registrationSecret } from "../runtime/bot-secrets.ts";
import { isCapacity, isLanguageCode, MAX_CAPACITY } from "../queue/staff-directory.ts";
import { botsTables, openBotsStore } from "../storage/index.ts";
import { registerWithSharedSecret } from "./admin-client.ts";

const USAGE = `usage: npm run admin -- add-staff --kind ${STAFF_KINDS.join("|")} --username NAME --password PASS [--languages ko,en] [--capacity N] [--display-name "..."]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "add-staff") {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      kind: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      languages: { type: "string" },
      capacity: { type: "string" },
      "display-name": { type: "string" },
    },
    strict: true,
  });
  const kind = values.kind ?? "";
  if (!(STAFF_KINDS as readonly string[]).includes(kind) || !values.username || !values.password) {
    console.error(USAGE);
    return 2;
  }
  const languages = (values.languages ?? "ko").split(",").map((l) => l.trim()).filter(Boolean);
  if (!languages.every(isLanguageCode)) {
    console.error("--languages takes language codes such as ko,en");
    return 2;
  }
  const config = botsConfigFromEnv();
  const capacity = values.capacity === undefined ? config.defaultCapacity : Number(values.capacity);
  if (!isCapacity(capacity)) {
    console.error(`--capacity takes a whole number of simultaneous cases, 0 to ${MAX_CAPACITY}`);
    return 2;
  }
  const sharedSecret = registrationSecret(config.dataDir);
  if (!sharedSecret) {
    console.error(`No registration secret: start the service once (it creates secrets.json in ${config.dataDir}) or set ONSAFE_REGISTRATION_SHARED_SECRET.`);
    return 1;
  }
  const baseUrl = config.homeserverUrl;
  const { userId } = await registerWithSharedSecret({
    baseUrl, sharedSecret, username: values.username, password: values.password, kind, displayName: values["display-name"],
  });
  const store = await openBotsStore(config.dataDir);
  try {
    botsTables(store).staff.upsert({ userId, kind: kind as StaffKind, displayName: values["display-name"] ?? null, languages: [...new Set(languages)], capacity });
  } finally {
    store.close();
  }
  console.log(`Created ${kind} ${userId} (languages ${languages.join(", ")}, up to ${capacity} cases at once).`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  console.error(error.message);
  process.exit(1);
});
