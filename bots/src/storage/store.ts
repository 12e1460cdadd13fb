/**
 * The bots database (`bots.sqlite`), opened and queried the one way onsafe
 * does it (`@onsafe/sqlite-store`): synchronously, so a routing decision is
 * read and written in one synchronous transaction and two timers can never
 * offer one case twice.
 */
import { type BotsDatabase, botsMigrations } from "@onsafe/schema";
import { openSqliteFile, openSqliteMemory, SqliteStore } from "@onsafe/sqlite-store";

export type BotsStore = SqliteStore<BotsDatabase>;

/** Opens (creating if needed) `bots.sqlite` in `dataDir`, owner-only, and brings it up to date. */
export async function openBotsStore(dataDir: string): Promise<BotsStore> {
  return new SqliteStore<BotsDatabase>(await openSqliteFile(dataDir, "bots.sqlite", botsMigrations));
}

/** A throw-away database in memory, for tests. */
export async function openMemoryBotsStore(): Promise<BotsStore> {
  return new SqliteStore<BotsDatabase>(await openSqliteMemory(botsMigrations));
}
