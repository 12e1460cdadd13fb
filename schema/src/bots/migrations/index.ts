import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./0001-initial.ts";
import * as scheduling from "./0002-scheduling.ts";
import * as referrals from "./0003-referrals.ts";
import * as referralDesks from "./0004-referral-desks.ts";
import * as letterReferrals from "./0005-letter-referrals.ts";
import * as transferOffers from "./0006-transfer-offers.ts";
import * as crisisAlerts from "./0007-crisis-alerts.ts";
import * as previousCase from "./0008-previous-case.ts";

/** Ordered migrations of the bots database, for Kysely's Migrator. */
export const botsMigrations: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { "0001-initial": initial, "0002-scheduling": scheduling, "0003-referrals": referrals, "0004-referral-desks": referralDesks,
      "0005-letter-referrals": letterReferrals, "0006-transfer-offers": transferOffers,
      "0007-crisis-alerts": crisisAlerts,
      "0008-previous-case": previousCase,
    };
  },
};
