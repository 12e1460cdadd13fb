import type { Migration, MigrationProvider } from "kysely";
import * as initial from "./0001-initial.ts";
import * as visitorActivity from "./0002-visitor-activity.ts";
import * as dehydratedDevices from "./0003-dehydrated-devices.ts";
import * as historyWindowEnd from "./0004-history-window-end.ts";
import * as mediaOwner from "./0005-media-owner.ts";
import * as pushers from "./0006-pushers.ts";

/** Ordered migrations of the homeserver database, for Kysely's Migrator. */
export const homeserverMigrations: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { "0001-initial": initial, "0002-visitor-activity": visitorActivity, "0003-dehydrated-devices": dehydratedDevices, "0004-history-window-end": historyWindowEnd, "0005-media-owner": mediaOwner, "0006-pushers": pushers };
  },
};
