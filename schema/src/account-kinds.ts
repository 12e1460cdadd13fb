/** Kinds of account on an onsafe homeserver (see DESIGN.md "Accounts and policy"). */
export const ACCOUNT_KINDS = ["visitor", "companion", "supervisor", "partner", "bot", "admin"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Kinds created with the admin CLI as staff. */
export const STAFF_KINDS = ["companion", "supervisor", "partner"] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === "string" && (ACCOUNT_KINDS as readonly string[]).includes(value);
}

/** Localparts of the bot accounts. A visitor may invite only the triage bot. */
export const BOT_LOCALPARTS = {
  triage: "onsafe-triage",
  scheduling: "onsafe-scheduling",
  referral: "onsafe-referral",
} as const;

/** Prefix of server-generated visitor localparts, e.g. `v-7k2q…`. */
export const VISITOR_LOCALPART_PREFIX = "v-";

/** Localpart of the demo companion our homeserver creates on first start (its login is printed once). */
export const DEMO_COMPANION = "demo-companion";
