/**
 * `npm run admin -- add-staff --kind companion|supervisor|partner --username NAME
 *  --password PASS [--languages ko,en] [--capacity N] [--display-name "..."]`
 * Creates the account on the homeserver over HTTP with the registration shared
 * secret (from ONSAFE_REGISTRATION_SHARED_SECRET or the data directory), then
 * enters it in the bots service's staff directory (`bots.sqlite`), which the
 * running service reads on every request.
 *
 * `npm run admin -- add-partner --kind legal_aid --name-ko "..." --name-en "..."
 *  --about-ko "..." --about-en "..." --region Seoul --languages ko,en --hours "..."
 *  --contact "..." [--staff @user:server,...]`
 * Adds an organisation to the partner directory (docs/REFERRALS.md) in
 * `bots.sqlite` and prints its id; the homeserver is not needed. Its staff
 * accounts must already be partner accounts (`add-staff --kind partner`).
 */
import { parseArgs } from "node:util";
import { PARTNER_KINDS, type PartnerKind, STAFF_KINDS, type StaffKind } from "@onsafe/schema";
import { botsConfigFromEnv } from "../config.ts";
import { PartnerDirectory } from "../partners/directory.ts";
import { systemClock } from "../queue/clock.ts";
import { registrationSecret } from "../runtime/bot-secrets.ts";
import { isCapacity, isLanguageCode, MAX_CAPACITY } from "../queue/staff-directory.ts";
import { botsTables, openBotsStore } from "../storage/index.ts";
import { registerWithSharedSecret } from "../runtime/shared-secret-registration.ts";
import { MatrixError } from "@onsafe/matrix-basics";

const USAGE = `usage:
  npm run admin -- add-staff --kind ${STAFF_KINDS.join("|")} --username NAME --password PASS [--languages ko,en] [--capacity N] [--display-name "..."]
  npm run admin -- add-partner --kind ${PARTNER_KINDS.join("|")} --name-ko "..." --name-en "..." --about-ko "..." --about-en "..."
    --region "..." --languages ko,en --hours "..." --contact "..." [--staff @user:server,...]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "add-staff") return addStaff(rest);
  if (command === "add-partner") return addPartner(rest);
  console.error(USAGE);
  return 2;
}

async function addStaff(rest: string[]): Promise<number> {
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
  const languages = list(values.languages ?? "ko");
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

const PARTNER_OPTIONS = ["kind", "name-ko", "name-en", "about-ko", "about-en", "region", "languages", "hours", "contact"] as const;

async function addPartner(rest: string[]): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: { ...Object.fromEntries(PARTNER_OPTIONS.map((o) => [o, { type: "string" as const }])), staff: { type: "string" } },
    strict: true,
  });
  const given = values as Partial<Record<(typeof PARTNER_OPTIONS)[number] | "staff", string>>;
  const missing = PARTNER_OPTIONS.filter((o) => given[o] === undefined);
  if (missing.length > 0) {
    console.error(`missing ${missing.map((o) => `--${o}`).join(" ")}\n${USAGE}`);
    return 2;
  }
  const store = await openBotsStore(botsConfigFromEnv().dataDir);
  try {
    const partner = new PartnerDirectory(botsTables(store), systemClock).create({
      kind: given.kind as PartnerKind,
      name: { ko: given["name-ko"]!, en: given["name-en"]! },
      about: { ko: given["about-ko"]!, en: given["about-en"]! },
      region: given.region!,
      languages: list(given.languages!),
      hours: given.hours!,
      contact: given.contact!,
      staffIds: list(given.staff ?? ""),
    });
    console.log(`Created partner ${partner.id} (${partner.name.en}, ${partner.kind}).`);
    return 0;
  } catch (error) {
    // The directory's refusals name the field; the database is unchanged.
    if (!(error instanceof MatrixError)) throw error;
    console.error(error.message);
    return 2;
  } finally {
    store.close();
  }
}

/** `ko, en` → `["ko", "en"]`. */
function list(value: string): string[] {
  return value.split(",").map((l) => l.trim()).filter(Boolean);
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: Error) => {
  console.error(error.message);
  process.exit(1);
});
